"""numba kernels of parameter sweeps (templates compiled per system, and their helpers).

Each public template here is plain Python whose system function (``step`` for
maps, ``rhs`` for flows) is a free name, bound to one system by
:func:`engine.solvers.specialize.compiled` with ``parallel=True``: the outer
``prange`` loop runs over the rows of ``grid`` (one row of parameter values
per sweep point) on numba's threads. The module is importable by name, so a
Dask worker runs the same compiled kernels (:func:`map_chunk`) as a local
sweep, and results agree bit for bit between backends.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from ..jit import CACHED_JIT
from ..solvers._tuples import axpy, first_bad

__all__ = ["detected_period", "flow_grid", "flow_orbits", "map_grid", "map_orbits"]


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
    linear interpolation within the step). A run that finds none (it settled
    on an equilibrium) records its final ``y[variable]`` once. The rest of a
    row is NaN.
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
        if alive and done == 0:
            row[0] = y[variable]
            done = 1
        _fill_nan(row, done)


def map_grid(y0, direction0, grid, transient, n, delta, tol, max_period, lyapunov, period, bound):
    """Largest Lyapunov exponent and detected period of a map at every row of ``grid``.

    .. math::
        \\lambda = \\frac{1}{n} \\sum_{k=1}^{n} \\ln \\frac{\\lVert \\tilde y_k - y_k \\rVert}{\\delta}

    where the companion :math:`\\tilde y` starts each iteration at distance
    ``delta`` from :math:`y` along the last separation (Benettin's
    renormalisation), first along the unit tuple ``direction0``. The period
    is :func:`detected_period` of the first variable over the last ``4 max_period`` iterates. Diverged runs give NaN
    and period 0.
    """
    keep = 4 * max_period
    for i in prange(grid.shape[0]):
        p = grid[i]
        y = y0
        alive = True
        for _ in range(transient):
            y = step(y, p)  # noqa: F821 (bound per system)
            if first_bad(y, bound) >= 0:
                alive = False
                break
        history = np.empty(keep)
        total = 0.0
        direction = direction0
        for k in range(n):
            if not alive:
                break
            other = step(axpy(y, delta, direction), p)  # noqa: F821
            y_next = step(y, p)  # noqa: F821
            if first_bad(y_next, bound) >= 0:
                alive = False
                break
            gap = axpy(other, -1.0, y_next)
            norm = 0.0
            for j in range(len(y)):
                norm += gap[j] * gap[j]
            norm = math.sqrt(norm)
            total += math.log(max(norm, 1e-300) / delta)
            if norm > 0.0:
                direction = axpy(gap, 1.0 / norm - 1.0, gap)
            y = y_next
            if k >= n - keep:
                history[k - (n - keep)] = y[0]
        lyapunov[i] = total / n if alive else np.nan
        period[i] = detected_period(history, keep, tol, max_period) if alive and n >= keep else 0


def flow_grid(y0, direction0, grid, dt, transient, n, renormalise, delta, tol, max_period, lyapunov, period, bound):
    """Largest Lyapunov exponent and detected period of a flow at every row of ``grid``.

    RK4 at step ``dt``; a companion trajectory at distance ``delta`` is
    renormalised every ``renormalise`` steps (Benettin) over ``n`` steps:
    :math:`\\lambda = \\sum \\ln(d_k / \\delta) / (n\\,dt)`. The period is the
    number of distinct successive local maxima of the first variable
    (:func:`detected_period` over them; 1 for a limit cycle with one maximum
    per turn, 0 for an equilibrium or chaos).
    """
    half = 0.5 * dt
    sixth = dt / 6.0
    keep = 4 * max_period
    for i in prange(grid.shape[0]):
        p = grid[i]
        y = y0
        t = 0.0
        alive = True
        maxima = np.empty(keep)
        found = 0
        other = axpy(y, delta, direction0)
        total = 0.0
        previous = y[0]
        for k in range(transient + n):
            k1 = rhs(t, y, p)  # noqa: F821 (bound per system)
            k2 = rhs(t + half, axpy(y, half, k1), p)  # noqa: F821
            k3 = rhs(t + half, axpy(y, half, k2), p)  # noqa: F821
            k4 = rhs(t + dt, axpy(y, dt, k3), p)  # noqa: F821
            new = axpy(axpy(axpy(axpy(y, sixth, k1), 2.0 * sixth, k2), 2.0 * sixth, k3), sixth, k4)
            m1 = rhs(t, other, p)  # noqa: F821
            m2 = rhs(t + half, axpy(other, half, m1), p)  # noqa: F821
            m3 = rhs(t + half, axpy(other, half, m2), p)  # noqa: F821
            m4 = rhs(t + dt, axpy(other, dt, m3), p)  # noqa: F821
            other = axpy(axpy(axpy(axpy(other, sixth, m1), 2.0 * sixth, m2), 2.0 * sixth, m3), sixth, m4)
            if first_bad(new, bound) >= 0:
                alive = False
                break
            if k >= transient and previous < y[0] and y[0] >= new[0]:
                maxima[found % keep] = y[0]
                found += 1
            previous = y[0]
            y = new
            t += dt
            if (k + 1) % renormalise == 0:
                gap = axpy(other, -1.0, y)
                norm = 0.0
                for j in range(len(y)):
                    norm += gap[j] * gap[j]
                norm = math.sqrt(norm)
                if k >= transient and norm > 0.0:
                    total += math.log(norm / delta)
                other = axpy(y, delta / norm, gap) if norm > 0.0 else axpy(y, delta, direction0)
        lyapunov[i] = total / (n * dt) if alive else np.nan
        if not alive or found < keep:
            period[i] = 0
        else:
            ordered = np.empty(keep)
            for j in range(keep):
                ordered[j] = maxima[(found + j) % keep]
            period[i] = detected_period(ordered, keep, tol, max_period)
