"""numba kernels of parameter sweeps (templates compiled per system, and their helpers).

Each public template here is plain Python whose system function (``step`` for
maps, ``rhs`` for flows) is a free name, bound to one system by
:func:`engine.solvers.specialize.compiled` with ``parallel=True``: the outer
``prange`` loop runs over the rows of ``grid`` (one row of parameter values
per sweep point) on numba's threads. Rows are independent, so a sweep cut in
chunks (a Dask worker running :func:`engine.bifurcation.parameter_map.sweep_block`)
gives the same numbers bit for bit as one call over all rows.
"""
from __future__ import annotations

import numpy as np
from numba import njit, prange

from ..jit import CACHED_JIT
from ..solvers._tuples import axpy, first_bad

__all__ = ["detected_period", "flow_orbits", "map_orbits"]


@njit(**CACHED_JIT)
def detected_period(values, count, tol, max_period):
    """Smallest ``k <= max_period`` with ``values[n] == values[n - k]`` (within ``tol``)
    over the last samples of ``values[:count]``, or 0 when none repeats.

    The last ``2 max_period`` samples must all repeat with the same ``k``
    (a longer window when fewer samples exist is not possible: fewer give 0).
    """
    window = 2 * max_period
    if count < window + max_period:
        return 0
    for k in range(1, max_period + 1):
        periodic = True
        for m in range(window):
            a = values[count - 1 - m]
            b = values[count - 1 - m - k]
            if not abs(a - b) <= tol * (1.0 + abs(a)):
                periodic = False
                break
        if periodic:
            return k
    return 0


REST = 1e-9
"""Relative speed below which a flow counts as resting on an equilibrium."""


@njit(**CACHED_JIT)
def _at_rest(velocity, y):
    scale = 1.0
    for j in range(len(y)):
        scale = max(scale, abs(y[j]))
    for j in range(len(y)):
        if not abs(velocity[j]) <= REST * scale:
            return False
    return True


@njit(**CACHED_JIT)
def _fill_nan(row, start):
    for k in range(start, row.shape[0]):
        row[k] = np.nan


def map_orbits(y0, grid, variable, transient, out, bound):
    """Orbit diagram of a map: ``out[i, :]`` receives the iterates of
    ``y[variable]`` after ``transient`` iterations at parameters ``grid[i]``.

    A run that diverges (a state not finite or beyond ``bound``) leaves NaN in
    the rest of its row.
    """
    for i in prange(grid.shape[0]):
        p = grid[i]
        y = y0
        row = out[i]
        done = 0
        alive = True
        for _ in range(transient):
            y = step(y, p)  # noqa: F821 (bound per system)
            if first_bad(y, bound) >= 0:
                alive = False
                break
        if alive:
            while done < row.shape[0]:
                y = step(y, p)  # noqa: F821
                if first_bad(y, bound) >= 0:
                    break
                row[done] = y[variable]
                done += 1
        _fill_nan(row, done)


def flow_orbits(y0, grid, variable, section, level, dt, transient, max_steps, out, bound):
    """Orbit diagram of a flow by classical RK4 at step ``dt``.

    After ``transient`` steps, up to ``max_steps`` more steps are searched
    for samples of ``y[variable]``: with ``section < 0`` its successive local
    maxima (vertex of the parabola through three samples), otherwise its
    values where ``y[section]`` crosses ``level`` upwards (a Poincare section,
    linear interpolation within the step). A run that finds none, or ends at
    rest (speed below :data:`REST` relative to the state: the maxima of a
    spiral into a stable focus), records its final ``y[variable]`` once. The
    rest of a row is NaN.
    """
    half = 0.5 * dt
    sixth = dt / 6.0
    for i in prange(grid.shape[0]):
        p = grid[i]
        row = out[i]
        y = y0
        t = 0.0
        alive = True
        done = 0
        previous = y[variable]
        for k in range(transient + max_steps):
            k1 = rhs(t, y, p)  # noqa: F821 (bound per system)
            k2 = rhs(t + half, axpy(y, half, k1), p)  # noqa: F821
            k3 = rhs(t + half, axpy(y, half, k2), p)  # noqa: F821
            k4 = rhs(t + dt, axpy(y, dt, k3), p)  # noqa: F821
            new = axpy(axpy(axpy(axpy(y, sixth, k1), 2.0 * sixth, k2), 2.0 * sixth, k3), sixth, k4)
            if first_bad(new, bound) >= 0:
                alive = False
                break
            if k >= transient:
                if section < 0:
                    a, b, c = previous, y[variable], new[variable]
                    if b > a and b >= c:
                        curvature = a - 2.0 * b + c
                        row[done] = b - (c - a) * (c - a) / (8.0 * curvature) if curvature < 0.0 else b
                        done += 1
                else:
                    s0, s1 = y[section] - level, new[section] - level
                    if s0 < 0.0 <= s1:
                        row[done] = y[variable] + s0 / (s0 - s1) * (new[variable] - y[variable])
                        done += 1
                if done == row.shape[0]:
                    break
            previous = y[variable]
            y = new
            t += dt
        if alive and (done == 0 or _at_rest(rhs(t, y, p), y)):  # noqa: F821
            row[0] = y[variable]
            done = 1
        _fill_nan(row, done)
