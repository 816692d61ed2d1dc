"""Classical fourth-order Runge-Kutta at a fixed step (a template: see :mod:`engine.solvers.specialize`)."""
from __future__ import annotations

from ._tuples import axpy, first_bad, store

__all__ = ["rk4"]


def rk4(y, t, dt, n, p, out, bound):
    """Advance ``y' = rhs(t, y, p)`` by ``n`` steps of classical RK4.

    .. math::
        k_1 = f(t, y),\\; k_2 = f(t + h/2, y + h k_1/2),\\;
        k_3 = f(t + h/2, y + h k_2/2),\\; k_4 = f(t + h, y + h k_3),\\;
        y_{n+1} = y_n + h (k_1 + 2 k_2 + 2 k_3 + k_4) / 6

    The global error is :math:`O(h^4)`.

    ``rhs(t, y, p) -> tuple`` is the system's right-hand side, bound by
    :func:`engine.solvers.specialize.compiled`.

    Parameters
    ----------
    y : tuple of float
        State at time ``t``.
    t, dt : float
        Start time and step.
    n : int
        Number of steps.
    p : ndarray
        Parameter values.
    out : ndarray, shape (>= n, d)
        Receives the state after each step.
    bound : float
        A state component beyond this magnitude (or not finite) stops the run.

    Returns
    -------
    done : int
        Steps completed (rows written to ``out``).
    y : tuple
        Last finite state.
    t : float
        Its time.
    bad : int
        Index of the variable that diverged on the next step, or -1.
    h : float
        The step used.

    References
    ----------
    Hairer, Norsett, Wanner, Solving Ordinary Differential Equations I, sec. II.1.
    """
    half = 0.5 * dt
    sixth = dt / 6.0
    start = t
    for i in range(n):
        k1 = rhs(t, y, p)
        k2 = rhs(t + half, axpy(y, half, k1), p)
        k3 = rhs(t + half, axpy(y, half, k2), p)
        k4 = rhs(t + dt, axpy(y, dt, k3), p)
        new = axpy(axpy(axpy(axpy(y, sixth, k1), 2.0 * sixth, k2), 2.0 * sixth, k3), sixth, k4)
        bad = first_bad(new, bound)
        if bad >= 0:
            return i, y, t, bad, dt
        y = new
        t = start + (i + 1) * dt
        store(out, i, y)
    return n, y, t, -1, dt
