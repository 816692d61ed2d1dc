"""Mass-action kinetics of a reaction network given as arrays (numba kernels).

A network of ``R`` reactions among ``d`` species is two integer arrays:
``reactants[r, i]``, the number of molecules of species ``i`` reaction ``r``
consumes (its order in species ``i``), and ``change[r, i]``, the net change
of species ``i`` when reaction ``r`` fires (products minus reactants). Every
kernel here works from these arrays, so one declaration gives the
deterministic rate equations, the stochastic propensities and the moment
equations alike.

With system size :math:`\\Omega` (a volume times Avogadro's number: molecules
per unit concentration) and a reaction of total order
:math:`m_r = \\sum_i \\nu_{ir}` and rate constant :math:`k_r` in
concentration units:

.. math::
    \\text{rate law}\\quad f_r(x) = k_r \\prod_i x_i^{\\nu_{ir}},\\qquad
    \\text{propensity}\\quad a_r(n) = c_r \\prod_i n_i (n_i - 1) \\cdots (n_i - \\nu_{ir} + 1),\\qquad
    c_r = k_r \\Omega^{1 - m_r},

so that :math:`a_r(\\Omega x)/\\Omega \\to f_r(x)` as :math:`\\Omega \\to \\infty`.

References
----------
D. T. Gillespie, A rigorous derivation of the chemical master equation,
Physica A 188 (1992) 404-425.
N. G. van Kampen, Stochastic Processes in Physics and Chemistry, 3rd ed.,
Elsevier (2007), ch. X.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..jit import CACHED_JIT

__all__ = ["MAX_ORDER", "drift", "drift_jacobian", "falling_derivative", "moment_drift", "propensity_scale"]

MAX_ORDER = 3
"""Largest number of molecules of one species and of all species together a reaction may consume."""


def propensity_scale(k: np.ndarray, reactants: np.ndarray, omega: float) -> np.ndarray:
    """Stochastic rate constants :math:`c_r = k_r \\Omega^{1 - m_r}` from concentration rate constants ``k``."""
    return k * float(omega) ** (1.0 - reactants.sum(axis=1))


@njit(**CACHED_JIT)
def drift(x, k, reactants, change):
    """Mass-action rate equations :math:`\\dot x_i = \\sum_r \\mathrm{change}_{ri} k_r \\prod_j x_j^{\\nu_{rj}}`."""
    n_reactions, d = reactants.shape
    dx = np.zeros(d)
    for r in range(n_reactions):
        flux = k[r]
        for j in range(d):
            for _ in range(reactants[r, j]):
                flux *= x[j]
        for i in range(d):
            dx[i] += change[r, i] * flux
    return dx


@njit(**CACHED_JIT)
def drift_jacobian(x, k, reactants, change):
    """Jacobian :math:`\\partial \\dot x_i / \\partial x_j` of :func:`drift`, shape ``(d, d)``."""
    n_reactions, d = reactants.shape
    jac = np.zeros((d, d))
    for r in range(n_reactions):
        for j in range(d):
            nu = reactants[r, j]
            if nu == 0:
                continue
            partial = k[r] * nu * x[j] ** (nu - 1)
            for m in range(d):
                if m != j:
                    for _ in range(reactants[r, m]):
                        partial *= x[m]
            for i in range(d):
                jac[i, j] += change[r, i] * partial
    return jac


@njit(**CACHED_JIT)
def falling_derivative(n, nu, q):
    """The ``q``-th derivative at ``n`` of the falling factorial :math:`n (n-1) \\cdots (n-\\nu+1)`, for ``nu <= 3``."""
    if q > nu:
        return 0.0
    if nu == 0:
        return 1.0
    if nu == 1:
        return n if q == 0 else 1.0
    if nu == 2:
        return (n * n - n, 2.0 * n - 1.0, 2.0)[q]
    return (n * n * n - 3.0 * n * n + 2.0 * n, 3.0 * n * n - 6.0 * n + 2.0, 6.0 * n - 6.0, 6.0)[q]


@njit(**CACHED_JIT)
def _partial(c, table, orders):
    """:math:`c \\prod_i \\partial^{q_i} \\mathrm{ff}_{\\nu_i}(\\mu_i)` with ``orders`` the ``q_i`` and
    ``table[i, q]`` the derivatives of species ``i``'s falling factorial at the mean."""
    value = c
    for i in range(orders.size):
        value *= table[i, orders[i]]
    return value


@njit(**CACHED_JIT)
def moment_drift(mean, cov, c, reactants, change):
    """Time derivatives of the mean and covariance of the copy numbers under the normal closure.

    With propensities :math:`a_r` (polynomials of degree at most 3) and the
    third cumulants set to zero (a Gaussian distribution, the normal or
    zero-cumulant closure at third order), Stein's lemma gives exactly

    .. math::
        E[a_r] &= a_r(\\mu) + \\tfrac12 \\sum_{jk} C_{jk} \\partial_{jk} a_r(\\mu),\\\\
        E[a_r (n_j - \\mu_j)] &= \\sum_k C_{jk} \\big(\\partial_k a_r(\\mu)
            + \\tfrac12 \\sum_{lm} C_{lm} \\partial_{klm} a_r(\\mu)\\big) =: G_{rj},\\\\
        \\dot\\mu_i &= \\sum_r S_{ir} E[a_r],\\qquad
        \\dot C_{ij} = \\sum_r \\big(S_{ir} G_{rj} + S_{jr} G_{ri} + S_{ir} S_{jr} E[a_r]\\big),

    with :math:`S` the net changes. For networks of order at most one the
    propensities are linear and these equations are the exact moment equations.

    Parameters
    ----------
    mean : ndarray, shape (d,)
    cov : ndarray, shape (d, d)
    c : ndarray, shape (R,)
        Stochastic rate constants (:func:`propensity_scale`).
    reactants, change : ndarray of int, shape (R, d)

    Returns
    -------
    dmean : ndarray, shape (d,)
    dcov : ndarray, shape (d, d)

    References
    ----------
    D. Schnoerr, G. Sanguinetti, R. Grima, Comparison of different moment-closure
    approximations for stochastic chemical kinetics, J. Chem. Phys. 143 (2015) 185101.
    I. Nasell, Moment closure and the stochastic logistic model, Theor. Popul. Biol. 63 (2003) 159-168.
    """
    n_reactions, d = reactants.shape
    dmean = np.zeros(d)
    dcov = np.zeros((d, d))
    table = np.empty((d, 4))
    orders = np.zeros(d, dtype=np.int64)
    grad = np.empty(d)
    for r in range(n_reactions):
        for i in range(d):
            for q in range(4):
                table[i, q] = falling_derivative(mean[i], reactants[r, i], q)
        expected = _partial(c[r], table, orders)
        for k in range(d):
            orders[k] += 1
            g = _partial(c[r], table, orders)
            for l in range(d):
                orders[l] += 1
                expected += 0.5 * cov[k, l] * _partial(c[r], table, orders)
                for m in range(d):
                    orders[m] += 1
                    g += 0.5 * cov[l, m] * _partial(c[r], table, orders)
                    orders[m] -= 1
                orders[l] -= 1
            orders[k] -= 1
            grad[k] = g
        for i in range(d):
            dmean[i] += change[r, i] * expected
        for i in range(d):
            for j in range(d):
                g_i = 0.0
                g_j = 0.0
                for k in range(d):
                    g_i += cov[i, k] * grad[k]
                    g_j += cov[j, k] * grad[k]
                dcov[i, j] += change[r, i] * g_j + change[r, j] * g_i + change[r, i] * change[r, j] * expected
    return dmean, dcov
