"""Stochastic differential equations (Ito, diagonal noise)."""
from __future__ import annotations

import math

from numba import njit

from ..system import Parameter, System
from .registry import register

_JIT = {"cache": True, "nogil": True}


@njit(**_JIT)
def _ornstein_uhlenbeck(t, y, p):
    return (-p[0] * (y[0] - p[1]),)


@njit(**_JIT)
def _ornstein_uhlenbeck_noise(t, y, p):
    return (p[2],)


register(
    System(
        name="Ornstein-Uhlenbeck",
        family="sde",
        title="Mean-reverting Gaussian process",
        equations=(r"dx = -\theta (x - \mu)\, dt + s\, dW",),
        variables=("x",),
        parameters=(
            Parameter("theta", 1.0, (0.01, 10.0), 0.01, "reversion rate", symbol=r"\theta"),
            Parameter("mu", 0.0, (-5.0, 5.0), 0.01, "long-run mean", symbol=r"\mu"),
            Parameter("s", 0.5, (0.0, 5.0), 0.01, "noise amplitude"),
        ),
        state0=(2.0,),
        rhs=_ornstein_uhlenbeck,
        noise=_ornstein_uhlenbeck_noise,
        dt=0.01,
        solver="euler_maruyama",
        tags=("stochastic", "noise", "gaussian"),
        references=("G. E. Uhlenbeck, L. S. Ornstein, On the theory of the Brownian motion, Phys. Rev. 36 (1930) 823",),
        reference_values={"stationary_variance": ("s**2 / (2 theta)", "closed form")},
    )
)
