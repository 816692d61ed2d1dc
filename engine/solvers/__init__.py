"""Solvers, generic over systems and compiled once per system by numba.

Each solver is a template: plain Python whose system functions (``rhs``,
``noise``, ``step``) are free names. :func:`kernel` binds them to one system
and compiles the result through :func:`~engine.solvers.specialize.compiled`,
which caches it on disk across processes (a kernel that took the function as
an argument could not be cached: numba issues 2956 and 6264). :func:`advance`
runs the chosen solver, filling an output array and stopping at the first
non-finite or out-of-bound state.
"""
from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from ..system import System
from .dopri5 import STEP_UNDERFLOW, dopri5
from .euler_maruyama import euler_maruyama
from .map_iteration import iterate_map
from .rk4 import rk4
from .specialize import cached_on_disk, compiled
from .verlet import verlet

__all__ = ["STEP_UNDERFLOW", "Advance", "advance", "compiled", "dopri5", "euler_maruyama", "iterate_map", "kernel", "kernel_cached", "rk4", "verlet"]

RTOL = 1e-9
ATOL = 1e-12


class Advance(NamedTuple):
    """Outcome of one call to :func:`advance`."""

    done: int
    state: tuple
    t: float
    bad: int
    h: float


_TEMPLATES = {"rk4": rk4, "dopri5": dopri5, "verlet": verlet, "euler_maruyama": euler_maruyama, "map": iterate_map}


def _binding(system: System, solver: str) -> tuple[Callable, dict[str, Callable]]:
    if solver not in _TEMPLATES:
        raise ValueError(f"unknown solver {solver!r}; choose from {', '.join(_TEMPLATES)}")
    if solver == "map":
        return iterate_map, {"step": system.rhs}
    if solver == "euler_maruyama":
        return euler_maruyama, {"rhs": system.rhs, "noise": system.noise}
    return _TEMPLATES[solver], {"rhs": system.rhs}


def kernel(system: System, solver: str) -> Callable:
    """The compiled kernel of ``solver`` for ``system`` (see the solver templates for its arguments)."""
    template, functions = _binding(system, solver)
    return compiled(template, **functions)


def kernel_cached(system: System, solver: str) -> bool:
    """Whether the kernel of ``solver`` for ``system`` is already compiled in the disk cache."""
    template, functions = _binding(system, solver)
    return cached_on_disk(template, **functions)


def advance(
    system: System,
    solver: str,
    state: tuple,
    t: float,
    dt: float,
    n: int,
    p: np.ndarray,
    out: np.ndarray,
    *,
    h: float = 0.0,
    rng: np.random.Generator | None = None,
    rtol: float = RTOL,
    atol: float = ATOL,
) -> Advance:
    """Advance ``state`` by ``n`` output steps of ``dt`` with ``solver``, writing rows of ``out``.

    ``h`` is the adaptive step to continue with (Dormand-Prince only); ``rng``
    draws the noise of stochastic systems.
    """
    bound = system.bound
    run = kernel(system, solver)
    if solver == "dopri5":
        result = run(state, t, dt, n, p, out, bound, rtol, atol, h)
    elif solver == "euler_maruyama":
        xi = (rng or np.random.default_rng()).standard_normal((n, system.dimension))
        result = run(state, t, dt, n, p, out, bound, xi)
    elif solver == "map":
        result = run(state, t, n, p, out, bound)
    else:
        result = run(state, t, dt, n, p, out, bound)
    return Advance(*result)
