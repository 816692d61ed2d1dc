"""Euler-Maruyama for Ito SDEs with diagonal noise (a template)."""
from __future__ import annotations

import math

from ._tuples import first_bad, noise_step, store

__all__ = ["euler_maruyama"]


def euler_maruyama(y, t, dt, n, p, out, bound, xi):
    """Advance ``dy = f(t, y) dt + g(t, y) dW`` by ``n`` Euler-Maruyama steps.

    .. math::
        y_{n+1} = y_n + f(t_n, y_n)\\, h + g(t_n, y_n) \\sqrt{h}\\, \\xi_n,
        \\quad \\xi_n \\sim N(0, I)

    Strong order 1/2, weak order 1. The standard normals ``xi`` (shape
    ``(n, d)``) are drawn by the caller from a seeded generator, so a run is
    reproducible whichever thread advances it. ``rhs`` and ``noise`` are
    bound per system by :func:`engine.solvers.specialize.compiled`. Other arguments and returns as
    :func:`engine.solvers.rk4.rk4`.

    References
    ----------
    Kloeden, Platen, Numerical Solution of Stochastic Differential Equations, sec. 10.2.
    """
    sqdt = math.sqrt(dt)
    start = t
    for i in range(n):
        new = noise_step(y, dt, rhs(t, y, p), noise(t, y, p), sqdt, xi[i])
        bad = first_bad(new, bound)
        if bad >= 0:
            return i, y, t, bad, dt
        y = new
        t = start + (i + 1) * dt
        store(out, i, y)
    return n, y, t, -1, dt
