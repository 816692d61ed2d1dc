"""Symplectic Stormer-Verlet (velocity Verlet) for separable Hamiltonian systems (a template)."""
from __future__ import annotations

from ._tuples import drift, first_bad, kick, store

__all__ = ["verlet"]


def verlet(y, t, dt, n, p, out, bound):
    """Advance a separable Hamiltonian system ``y = (q, p)`` by ``n`` kick-drift-kick steps.

    With :math:`\\dot q = \\partial T/\\partial p` (momenta only) and
    :math:`\\dot p = -\\partial V/\\partial q` (positions only), both read from ``rhs``:

    .. math::
        p_{n+1/2} = p_n + \\tfrac{h}{2} \\dot p(q_n),\\quad
        q_{n+1} = q_n + h\\, \\dot q(p_{n+1/2}),\\quad
        p_{n+1} = p_{n+1/2} + \\tfrac{h}{2} \\dot p(q_{n+1})

    The map is symplectic and time-reversible: the energy error stays bounded
    (:math:`O(h^2)`) with no secular drift. The step is fixed within a run.
    Arguments and returns as :func:`engine.solvers.rk4.rk4`.

    References
    ----------
    Hairer, Lubich, Wanner, Geometric numerical integration illustrated by the
    Stormer-Verlet method, Acta Numerica 12 (2003) 399-450.
    """
    half = 0.5 * dt
    start = t
    force = rhs(t, y, p)
    for i in range(n):
        moved = kick(y, half, force)
        moved = drift(moved, dt, rhs(t + half, moved, p))
        force = rhs(start + (i + 1) * dt, moved, p)
        moved = kick(moved, half, force)
        bad = first_bad(moved, bound)
        if bad >= 0:
            return i, y, t, bad, dt
        y = moved
        t = start + (i + 1) * dt
        store(out, i, y)
    return n, y, t, -1, dt
