"""Adaptive Dormand-Prince 5(4) with error control, sampled at a fixed output interval (a template)."""
from __future__ import annotations

import math

from numba import njit

from ..jit import CACHED_JIT
from ._tuples import axpy, first_bad, store

__all__ = ["STEP_UNDERFLOW", "dopri5"]

STEP_UNDERFLOW = -2
"""Value of ``bad`` when the step size collapsed (stiffness or a singularity)."""

_MAX_SUBSTEPS = 100_000

# Butcher tableau (Dormand and Prince 1980); B5 equals the last row of A (FSAL).
_C2, _C3, _C4, _C5 = 1.0 / 5.0, 3.0 / 10.0, 4.0 / 5.0, 8.0 / 9.0
_A21 = 1.0 / 5.0
_A31, _A32 = 3.0 / 40.0, 9.0 / 40.0
_A41, _A42, _A43 = 44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0
_A51, _A52, _A53, _A54 = 19372.0 / 6561.0, -25360.0 / 2187.0, 64448.0 / 6561.0, -212.0 / 729.0
_A61, _A62, _A63, _A64, _A65 = 9017.0 / 3168.0, -355.0 / 33.0, 46732.0 / 5247.0, 49.0 / 176.0, -5103.0 / 18656.0
_A71, _A73, _A74, _A75, _A76 = 35.0 / 384.0, 500.0 / 1113.0, 125.0 / 192.0, -2187.0 / 6784.0, 11.0 / 84.0
# Difference between the fifth- and fourth-order weights.
_E1, _E3, _E4, _E5, _E6, _E7 = (
    71.0 / 57600.0,
    -71.0 / 16695.0,
    71.0 / 1920.0,
    -17253.0 / 339200.0,
    22.0 / 525.0,
    -1.0 / 40.0,
)


@njit(**CACHED_JIT)
def _error_norm(y, new, err, rtol, atol):
    total = 0.0
    for j in range(len(y)):
        scale = atol + rtol * max(abs(y[j]), abs(new[j]))
        total += (err[j] / scale) ** 2
    return math.sqrt(total / len(y))


def dopri5(y, t, dt, n, p, out, bound, rtol, atol, h):
    """Advance ``y' = rhs(t, y, p)`` adaptively and record ``n`` samples ``dt`` apart.

    Each step takes the fifth-order Dormand-Prince solution and estimates its
    local error from the embedded fourth-order one,

    .. math::
        \\mathrm{err} = \\sqrt{\\tfrac{1}{d} \\sum_j
        \\Big(\\frac{\\hat y_j - y_j}{a_{tol} + r_{tol} \\max(|y_j|, |y_{n,j}|)}\\Big)^2},
        \\quad h_{new} = h \\min(5, \\max(0.2, 0.9\\, \\mathrm{err}^{-1/5})),

    accepting the step when err <= 1. Steps are shortened to land exactly on
    the sample times, so the output is uniform while the accuracy follows the
    tolerances.

    ``rhs`` is bound per system by :func:`engine.solvers.specialize.compiled`.

    Parameters
    ----------
    rtol, atol : float
        Relative and absolute tolerances.
    h : float
        Initial step guess (the last step of a previous call to continue a run).

    Returns
    -------
    As :func:`engine.solvers.rk4.rk4`, with ``h`` the step to continue with and
    ``bad`` equal to :data:`STEP_UNDERFLOW` when the step size collapsed.

    References
    ----------
    Dormand, Prince, A family of embedded Runge-Kutta formulae, J. Comput. Appl.
    Math. 6 (1980) 19-26; Hairer, Norsett, Wanner, Solving ODEs I, sec. II.4-5.
    """
    start = t
    if not h > 0.0:
        h = dt
    k1 = rhs(t, y, p)
    for i in range(n):
        target = start + (i + 1) * dt
        substeps = 0
        while t < target:
            substeps += 1
            last = h >= target - t
            step = target - t if last else h
            if substeps > _MAX_SUBSTEPS or step <= 1e-14 * max(1.0, abs(t)):
                return i, y, t, STEP_UNDERFLOW, h
            k2 = rhs(t + _C2 * step, axpy(y, step * _A21, k1), p)
            k3 = rhs(t + _C3 * step, axpy(axpy(y, step * _A31, k1), step * _A32, k2), p)
            k4 = rhs(t + _C4 * step, axpy(axpy(axpy(y, step * _A41, k1), step * _A42, k2), step * _A43, k3), p)
            y5 = axpy(axpy(axpy(axpy(y, step * _A51, k1), step * _A52, k2), step * _A53, k3), step * _A54, k4)
            k5 = rhs(t + _C5 * step, y5, p)
            y6 = axpy(axpy(axpy(axpy(axpy(y, step * _A61, k1), step * _A62, k2), step * _A63, k3), step * _A64, k4), step * _A65, k5)
            k6 = rhs(t + step, y6, p)
            new = axpy(axpy(axpy(axpy(axpy(y, step * _A71, k1), step * _A73, k3), step * _A74, k4), step * _A75, k5), step * _A76, k6)
            k7 = rhs(t + step, new, p)
            zero = axpy(y, -1.0, y)
            err = axpy(axpy(axpy(axpy(axpy(axpy(zero, step * _E1, k1), step * _E3, k3), step * _E4, k4), step * _E5, k5), step * _E6, k6), step * _E7, k7)
            norm = _error_norm(y, new, err, rtol, atol)
            if not math.isfinite(norm):
                bad = first_bad(new, bound)
                if bad >= 0 and step <= 1e-10 * max(1.0, abs(t)):
                    return i, y, t, bad, h
                h = 0.2 * step
                continue
            factor = 5.0 if norm == 0.0 else min(5.0, max(0.2, 0.9 * norm ** -0.2))
            if norm <= 1.0:
                bad = first_bad(new, bound)
                if bad >= 0:
                    return i, y, t, bad, h
                t = target if last else t + step
                y = new
                k1 = k7
                if not last or factor < 1.0:
                    h = step * factor
            else:
                h = step * max(0.2, factor)
        store(out, i, y)
    return n, y, t, -1, h
