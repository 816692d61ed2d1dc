"""numba kernels of the Lyapunov spectrum (templates compiled per system, and their helpers).

The two public templates, :func:`flow_lyapunov` and :func:`map_lyapunov`,
are plain Python whose system functions are free names (``rhs`` or ``step``,
and ``jacobian``), bound to one system by
:func:`engine.solvers.specialize.compiled`. Their outer loop is a ``prange``
over the rows of ``grid`` (one row of parameter values per trajectory):
compiled with ``parallel=False`` it runs one trajectory (the spectrum of a
system, the running estimate of a monitor), with ``parallel=True`` a whole
parameter grid on numba's threads (a two-parameter Lyapunov map). One code
path serves all three.

Tangent vectors are the rows of ``tangents[i]`` (shape ``(k, d)``); the
state stays a tuple of floats, so numba keeps it in registers as the
solvers do. Without an analytic Jacobian (``analytic`` false, ``jacobian``
bound to :func:`no_jacobian`) each tangent vector is advanced with a central
difference of the right-hand side along it.
"""
from __future__ import annotations

import math

from numba import njit, prange

from ..jit import CACHED_JIT
from ..solvers._tuples import _elementwise, axpy, first_bad, store

__all__ = ["flow_lyapunov", "map_lyapunov", "no_jacobian", "orthonormalize"]

_like = _elementwise("like", "y, row", lambda i, n: f"row[{i}]")
"""The row of an array as a tuple of the length of ``y`` (known when compiling)."""

_times = _elementwise("times", "jac, v", lambda i, n: " + ".join(f"jac[{i}][{j}] * v[{j}]" for j in range(n)))
"""Matrix (tuple of rows) times vector (tuple), unrolled."""

_central = _elementwise("central", "a, b, scale", lambda i, n: f"(a[{i}] - b[{i}]) * scale")
"""``(a - b) * scale`` for tuples: a central difference."""

_zeros = _elementwise("zero_rows", "y", lambda i, n: "(" + "0.0, " * n + ")")
"""A square tuple of rows of zeros with the length of ``y``."""

_STEP = 1e-6
"""Relative size of the central-difference step along a tangent vector."""


@njit(**CACHED_JIT)
def no_jacobian(*args):
    """Stand-in Jacobian of a system that declares none (never called: ``analytic`` is false)."""
    return _zeros(args[-2])


@njit(**CACHED_JIT)
def _norm(v):
    total = 0.0
    for j in range(len(v)):
        total += v[j] * v[j]
    return math.sqrt(total)


@njit(**CACHED_JIT)
def _difference_step(y, v):
    """Step along ``v`` for a central difference: relative to the state's size, over ``|v|``."""
    return _STEP * max(1.0, _norm(y)) / max(_norm(v), 1e-300)


@njit(**CACHED_JIT)
def orthonormalize(vectors, sums):
    """Modified Gram-Schmidt on the rows of ``vectors``, adding ``ln`` of each row's
    length after projection to ``sums`` (the diagonal of R in ``Q R``)."""
    k, d = vectors.shape
    for c in range(k):
        for prev in range(c):
            dot = 0.0
            for j in range(d):
                dot += vectors[c, j] * vectors[prev, j]
            for j in range(d):
                vectors[c, j] -= dot * vectors[prev, j]
        length = 0.0
        for j in range(d):
            length += vectors[c, j] * vectors[c, j]
        length = math.sqrt(length)
        sums[c] += math.log(length)
        if length > 0.0:
            for j in range(d):
                vectors[c, j] /= length


def flow_lyapunov(y0, t0, dt, transient, steps, every, grid, bound, analytic, tangents, sums, states, status):
    r"""Benettin/QR Lyapunov spectrum of ``y' = rhs(t, y, p)`` for each parameter row of ``grid``.

    The state and the tangent vectors :math:`v_c` advance together by
    classical RK4 on the variational system

    .. math:: \dot y = f(t, y, p), \qquad \dot v_c = J(t, y, p)\, v_c

    (the Jacobian evaluated at each RK4 stage of the state); every ``every``
    steps the tangent vectors are re-orthonormalised (:func:`orthonormalize`)
    and the logarithms of their stretches accumulate in ``sums``:
    :math:`\lambda_c = \text{sums}_c / (\text{steps}\,dt)`.

    ``rhs`` and ``jacobian(t, y, p) -> tuple of rows`` are bound per system by
    :func:`engine.solvers.specialize.compiled`; with ``analytic`` false,
    ``J v`` is the central difference
    :math:`(f(y + \epsilon v) - f(y - \epsilon v)) / 2\epsilon`.

    Parameters
    ----------
    y0 : tuple of float
        Start of every trajectory.
    t0, dt : float
        Start time and step.
    transient, steps : int
        Steps without and then with tangent vectors.
    every : int
        Steps between re-orthonormalisations (also done after the last step).
    grid : ndarray, shape (m, n_params)
        One row of parameter values per trajectory.
    bound : float
        A state component beyond this magnitude (or not finite) stops that row.
    analytic : bool
        Use ``jacobian`` (else central differences of ``rhs``).
    tangents : ndarray, shape (m, k, d)
        Orthonormal tangent vectors (rows), advanced in place.
    sums : ndarray, shape (m, k)
        Accumulated logarithms of stretches, added to in place.
    states : ndarray, shape (m, d)
        Receives the last state of each row.
    status : ndarray of int64, shape (m,)
        Receives -1, or the index of the variable that left the bound.

    References
    ----------
    G. Benettin, L. Galgani, A. Giorgilli, J.-M. Strelcyn, Lyapunov characteristic exponents
    for smooth dynamical systems and for Hamiltonian systems, Meccanica 15 (1980) 9-30;
    I. Shimada and T. Nagashima, A numerical approach to ergodic problem of dissipative
    dynamical systems, Prog. Theor. Phys. 61 (1979) 1605-1616.
    """
    half = 0.5 * dt
    sixth = dt / 6.0
    total = transient + steps
    for i in prange(grid.shape[0]):
        p = grid[i]
        vectors = tangents[i]
        y = y0
        t = t0
        status[i] = -1
        for s in range(total):
            k1 = rhs(t, y, p)  # noqa: F821 (bound per system)
            y2 = axpy(y, half, k1)
            k2 = rhs(t + half, y2, p)  # noqa: F821
            y3 = axpy(y, half, k2)
            k3 = rhs(t + half, y3, p)  # noqa: F821
            y4 = axpy(y, dt, k3)
            k4 = rhs(t + dt, y4, p)  # noqa: F821
            if s >= transient:
                if analytic:
                    j1 = jacobian(t, y, p)  # noqa: F821
                    j2 = jacobian(t + half, y2, p)  # noqa: F821
                    j3 = jacobian(t + half, y3, p)  # noqa: F821
                    j4 = jacobian(t + dt, y4, p)  # noqa: F821
                    for c in range(vectors.shape[0]):
                        v = _like(y, vectors[c])
                        a1 = _times(j1, v)
                        a2 = _times(j2, axpy(v, half, a1))
                        a3 = _times(j3, axpy(v, half, a2))
                        a4 = _times(j4, axpy(v, dt, a3))
                        store(vectors, c, axpy(axpy(axpy(axpy(v, sixth, a1), 2.0 * sixth, a2), 2.0 * sixth, a3), sixth, a4))
                else:
                    for c in range(vectors.shape[0]):
                        v = _like(y, vectors[c])
                        e = _difference_step(y, v)
                        a1 = _central(rhs(t, axpy(y, e, v), p), rhs(t, axpy(y, -e, v), p), 0.5 / e)  # noqa: F821
                        w = axpy(v, half, a1)
                        e = _difference_step(y2, w)
                        a2 = _central(rhs(t + half, axpy(y2, e, w), p), rhs(t + half, axpy(y2, -e, w), p), 0.5 / e)  # noqa: F821
                        w = axpy(v, half, a2)
                        e = _difference_step(y3, w)
                        a3 = _central(rhs(t + half, axpy(y3, e, w), p), rhs(t + half, axpy(y3, -e, w), p), 0.5 / e)  # noqa: F821
                        w = axpy(v, dt, a3)
                        e = _difference_step(y4, w)
                        a4 = _central(rhs(t + dt, axpy(y4, e, w), p), rhs(t + dt, axpy(y4, -e, w), p), 0.5 / e)  # noqa: F821
                        store(vectors, c, axpy(axpy(axpy(axpy(v, sixth, a1), 2.0 * sixth, a2), 2.0 * sixth, a3), sixth, a4))
            new = axpy(axpy(axpy(axpy(y, sixth, k1), 2.0 * sixth, k2), 2.0 * sixth, k3), sixth, k4)
            bad = first_bad(new, bound)
            if bad >= 0:
                status[i] = bad
                break
            y = new
            t = t0 + (s + 1) * dt
            done = s + 1 - transient
            if done > 0 and (done % every == 0 or done == steps):
                orthonormalize(vectors, sums[i])
        store(states, i, y)


def map_lyapunov(y0, transient, steps, every, grid, bound, analytic, tangents, sums, states, status):
    r"""Lyapunov spectrum of the map ``y -> step(y, p)`` for each parameter row of ``grid``.

    The tangent vectors follow :math:`v_c \mapsto J(y_n, p)\, v_c` (central
    differences of ``step`` along :math:`v_c` when ``analytic`` is false) and
    are re-orthonormalised every ``every`` iterations;
    :math:`\lambda_c = \text{sums}_c / \text{steps}`. Arguments as
    :func:`flow_lyapunov`, without times.

    References
    ----------
    G. Benettin et al., Meccanica 15 (1980) 9-30; J.-P. Eckmann and D. Ruelle, Ergodic theory
    of chaos and strange attractors, Rev. Mod. Phys. 57 (1985) 617-656.
    """
    total = transient + steps
    for i in prange(grid.shape[0]):
        p = grid[i]
        vectors = tangents[i]
        y = y0
        status[i] = -1
        for s in range(total):
            if s >= transient:
                if analytic:
                    jac = jacobian(y, p)  # noqa: F821 (bound per system)
                    for c in range(vectors.shape[0]):
                        store(vectors, c, _times(jac, _like(y, vectors[c])))
                else:
                    for c in range(vectors.shape[0]):
                        v = _like(y, vectors[c])
                        e = _difference_step(y, v)
                        store(vectors, c, _central(step(axpy(y, e, v), p), step(axpy(y, -e, v), p), 0.5 / e))  # noqa: F821
            new = step(y, p)  # noqa: F821
            bad = first_bad(new, bound)
            if bad >= 0:
                status[i] = bad
                break
            y = new
            done = s + 1 - transient
            if done > 0 and (done % every == 0 or done == steps):
                orthonormalize(vectors, sums[i])
        store(states, i, y)
