"""Iteration of discrete maps (a template)."""
from __future__ import annotations

from ._tuples import first_bad, store

__all__ = ["iterate_map"]


def iterate_map(y, t, n, p, out, bound):
    """Apply ``y_{k+1} = step(y_k, p)`` ``n`` times; ``t`` counts iterations.

    ``step`` is the system's map, bound by :func:`engine.solvers.specialize.compiled`.

    Arguments and returns as :func:`engine.solvers.rk4.rk4` (the step is 1).
    """
    start = t
    for i in range(n):
        new = step(y, p)
        bad = first_bad(new, bound)
        if bad >= 0:
            return i, y, t, bad, 1.0
        y = new
        t = start + (i + 1)
        store(out, i, y)
    return n, y, t, -1, 1.0
