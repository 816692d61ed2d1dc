"""Solvers, generic over systems and compiled once per system by numba.

:func:`advance` runs the solver a system and a choice name, filling an output
array and stopping at the first non-finite or out-of-bound state.

The solver kernels take the system's compiled function as an argument and are
compiled once per system and process, without numba's on-disk cache: a cache
key that holds a function argument never matches in another process, so each
process would append a new entry, and an entry whose function cannot be
revived (a ``__main__`` script, a renamed module) makes every later save fail
with "underlying object has vanished" (numba issues 2956 and 6264). The
systems' own functions and the small helpers are cached.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..system import System
from .dopri5 import STEP_UNDERFLOW, dopri5
from .euler_maruyama import euler_maruyama
from .map_iteration import iterate_map
from .rk4 import rk4
from .verlet import verlet

__all__ = ["STEP_UNDERFLOW", "Advance", "advance", "dopri5", "euler_maruyama", "iterate_map", "rk4", "verlet"]

RTOL = 1e-9
ATOL = 1e-12


class Advance(NamedTuple):
    """Outcome of one call to :func:`advance`."""

    done: int
    state: tuple
    t: float
    bad: int
    h: float


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
    if solver == "rk4":
        result = rk4(system.rhs, state, t, dt, n, p, out, bound)
    elif solver == "dopri5":
        result = dopri5(system.rhs, state, t, dt, n, p, out, bound, rtol, atol, h)
    elif solver == "verlet":
        result = verlet(system.rhs, state, t, dt, n, p, out, bound)
    elif solver == "euler_maruyama":
        xi = (rng or np.random.default_rng()).standard_normal((n, system.dimension))
        result = euler_maruyama(system.rhs, system.noise, state, t, dt, n, p, out, bound, xi)
    elif solver == "map":
        result = iterate_map(system.rhs, state, t, n, p, out, bound)
    else:
        raise ValueError(f"unknown solver {solver!r}")
    return Advance(*result)
