"""Continuous flows: dissipative chaos, oscillators, excitable and population models."""
from __future__ import annotations

from numba import njit

from ..system import Parameter, System
from .registry import register

_JIT = {"cache": True, "nogil": True}


@njit(**_JIT)
def _lorenz(t, y, p):
    x, v, z = y
    sigma, rho, beta = p[0], p[1], p[2]
    return (sigma * (v - x), x * (rho - z) - v, x * v - beta * z)


@njit(**_JIT)
def _lorenz_jacobian(t, y, p):
    x, v, z = y
    sigma, rho, beta = p[0], p[1], p[2]
    return ((-sigma, sigma, 0.0), (rho - z, -1.0, -x), (v, x, -beta))


register(
    System(
        name="Lorenz",
        family="flow",
        title="Lorenz convection model, the butterfly attractor",
        equations=(r"\dot x = \sigma (y - x)", r"\dot y = x (\rho - z) - y", r"\dot z = x y - \beta z"),
        variables=("x", "y", "z"),
        parameters=(
            Parameter("sigma", 10.0, (0.0, 50.0), 0.1, "Prandtl number", symbol=r"\sigma"),
            Parameter("rho", 28.0, (0.0, 200.0), 0.1, "Rayleigh number over its critical value", symbol=r"\rho"),
            Parameter("beta", 8.0 / 3.0, (0.0, 10.0), 0.01, "aspect-ratio factor of the convection cell", symbol=r"\beta"),
        ),
        state0=(1.0, 1.0, 1.0),
        rhs=_lorenz,
        jacobian=_lorenz_jacobian,
        dt=0.01,
        solver="rk4",
        tags=("chaotic", "dissipative", "attractor", "convection", "3d"),
        references=("E. N. Lorenz, Deterministic nonperiodic flow, J. Atmos. Sci. 20 (1963) 130-141",),
        reference_values={
            "lyapunov_spectrum": ((0.9056, 0.0, -14.5723), "Sprott, Chaos and Time-Series Analysis"),
            "kaplan_yorke_dimension": (2.062, "Sprott, Chaos and Time-Series Analysis"),
        },
        plot=("x", "z"),
    )
)
