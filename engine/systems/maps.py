"""Discrete maps."""
from __future__ import annotations

import math

from numba import njit

from ..system import Parameter, System
from .registry import register

_JIT = {"cache": True, "nogil": True}


@njit(**_JIT)
def _logistic(y, p):
    return (p[0] * y[0] * (1.0 - y[0]),)


@njit(**_JIT)
def _logistic_jacobian(y, p):
    return ((p[0] * (1.0 - 2.0 * y[0]),),)


register(
    System(
        name="Logistic",
        family="map",
        title="Logistic map, period doubling to chaos",
        equations=(r"x_{n+1} = r x_n (1 - x_n)",),
        variables=("x",),
        parameters=(Parameter("r", 3.9, (0.0, 4.0), 0.001, "growth rate"),),
        state0=(0.2,),
        rhs=_logistic,
        jacobian=_logistic_jacobian,
        dt=1.0,
        solver="map",
        tags=("chaotic", "period doubling", "1d", "population"),
        references=("R. M. May, Simple mathematical models with very complicated dynamics, Nature 261 (1976) 459-467",),
        reference_values={
            "lyapunov_exponent_r4": (math.log(2.0), "May 1976"),
            "period_doubling": ((3.0, 1.0 + math.sqrt(6.0)), "standard"),
            "feigenbaum_accumulation": (3.5699456, "standard"),
        },
    )
)
