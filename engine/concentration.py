"""Concentration indices of a share vector (market shares, downloads, species, expert loads).

Every index takes non-negative shares or amounts along the last axis,
normalises them inside and broadcasts over leading axes (a time series of
share vectors goes in at once). They are one family with the entropies of
:mod:`engine.diagnostics.entropy`:

* Renyi entropy of order 2 is :math:`-\\ln \\mathrm{HHI}`;
* Tsallis entropy of order 2 (Gini-Simpson) is :math:`1 - \\mathrm{HHI}`;
* the Hill number of order ``q`` is :math:`e^{H_q}` (Renyi), the effective
  number of holders, with order 2 equal to :math:`1 / \\mathrm{HHI}`;
* the Theil index is :math:`\\ln n - H` (Shannon).
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from .diagnostics._checks import weights
from .diagnostics.entropy import renyi, shannon
from .system import check_integer

__all__ = ["concentration_ratio", "gini", "hhi", "hill_number", "normalized_hhi", "theil"]


def _scalar(value: np.ndarray) -> float | np.ndarray:
    return float(value) if np.ndim(value) == 0 else value


def hhi(shares: Any) -> float | np.ndarray:
    r"""Herfindahl-Hirschman index.

    .. math:: \mathrm{HHI} = \sum_{i=1}^{n} s_i^2, \qquad s_i = w_i / \sum_j w_j

    :math:`1/n` for equal shares, 1 for a monopoly (multiply by 10,000 for the
    scale of the merger guidelines). Links: Renyi entropy of order 2
    :math:`H_2 = -\ln \mathrm{HHI}`, Tsallis entropy of order 2
    :math:`S_2 = 1 - \mathrm{HHI}`, effective number :math:`1/\mathrm{HHI}`.

    Parameters
    ----------
    shares : array_like, shape (..., n)
        Non-negative shares or amounts along the last axis (normalised inside).

    Returns
    -------
    float or ndarray

    References
    ----------
    O. C. Herfindahl, Concentration in the steel industry, PhD thesis, Columbia University
    (1950); A. O. Hirschman, The paternity of an index, Am. Econ. Rev. 54 (1964) 761;
    U.S. DOJ and FTC, Horizontal Merger Guidelines (2010, 2023).
    """
    s = weights(shares, "shares")
    return _scalar(np.sum(s * s, axis=-1))


def normalized_hhi(shares: Any) -> float | np.ndarray:
    r"""HHI rescaled to [0, 1] for ``n`` holders.

    .. math:: \mathrm{HHI}^* = \frac{\mathrm{HHI} - 1/n}{1 - 1/n}

    0 for equal shares, 1 for a monopoly.

    Parameters
    ----------
    shares : array_like, shape (..., n)
        At least two holders (``n >= 2``).

    Returns
    -------
    float or ndarray

    References
    ----------
    As :func:`hhi`.
    """
    s = weights(shares, "shares")
    n = s.shape[-1]
    if n < 2:
        raise ValueError("normalized_hhi needs at least two holders")
    return _scalar((np.sum(s * s, axis=-1) - 1.0 / n) / (1.0 - 1.0 / n))


def concentration_ratio(shares: Any, k: int) -> float | np.ndarray:
    r"""Concentration ratio :math:`CR_k`: the total share of the ``k`` largest holders.

    .. math:: CR_k = \sum_{i=1}^{k} s_{(i)}, \qquad s_{(1)} \ge s_{(2)} \ge \dots

    Parameters
    ----------
    shares : array_like, shape (..., n)
    k : int
        Number of holders, 1 to ``n``.

    Returns
    -------
    float or ndarray

    References
    ----------
    U.S. Census Bureau, Concentration Ratios (Economic Census); J. S. Bain, Industrial
    Organization (Wiley, 1959).
    """
    s = weights(shares, "shares")
    k = check_integer(k, "k", (1, s.shape[-1]))
    return _scalar(np.sort(s, axis=-1)[..., ::-1][..., :k].sum(axis=-1))


def gini(shares: Any) -> float | np.ndarray:
    r"""Gini coefficient of the amounts held.

    .. math:: G = \frac{\sum_i \sum_j |x_i - x_j|}{2 n^2 \bar x}
        = \frac{2 \sum_{i=1}^{n} i\, x_{(i)}}{n \sum_i x_i} - \frac{n + 1}{n}

    with :math:`x_{(i)}` sorted increasingly. 0 when all hold the same, and
    :math:`(n - 1)/n` when one holds everything.

    Parameters
    ----------
    shares : array_like, shape (..., n)

    Returns
    -------
    float or ndarray

    References
    ----------
    C. Gini, Variabilita e mutabilita (Bologna, 1912); A. Sen, On Economic Inequality
    (Oxford, 1973).
    """
    s = np.sort(weights(shares, "shares"), axis=-1)
    n = s.shape[-1]
    ranks = np.arange(1, n + 1)
    return _scalar(2.0 * np.sum(ranks * s, axis=-1) / n - (n + 1.0) / n)


def theil(shares: Any) -> float | np.ndarray:
    r"""Theil index (T) of the amounts held.

    .. math:: T = \frac{1}{n} \sum_{i=1}^{n} \frac{x_i}{\bar x} \ln \frac{x_i}{\bar x}
        = \ln n - H(s)

    with :math:`H` the Shannon entropy of the shares (nats). 0 for equal
    amounts, :math:`\ln n` for a monopoly.

    Parameters
    ----------
    shares : array_like, shape (..., n)

    Returns
    -------
    float or ndarray

    References
    ----------
    H. Theil, Economics and Information Theory (North-Holland, 1967).
    """
    s = weights(shares, "shares")
    return _scalar(math.log(s.shape[-1]) - np.asarray(shannon(s)))


def hill_number(shares: Any, q: float) -> float | np.ndarray:
    r"""Hill number of order ``q``: the effective number of holders.

    .. math:: {}^qD = \left( \sum_i s_i^q \right)^{1/(1-q)} = e^{H_q}

    with :math:`H_q` the Renyi entropy (:func:`engine.diagnostics.renyi`):
    order 0 counts the holders with a positive share, order 1 is
    :math:`e^{H}` (Shannon), order 2 is :math:`1/\mathrm{HHI}`, order
    :math:`\infty` is :math:`1/\max_i s_i`. ``n`` for equal shares, 1 for a monopoly.

    Parameters
    ----------
    shares : array_like, shape (..., n)
    q : float
        Order, ``q >= 0`` or ``math.inf``.

    Returns
    -------
    float or ndarray

    References
    ----------
    M. O. Hill, Diversity and evenness: a unifying notation and its consequences, Ecology 54
    (1973) 427-432.
    """
    return _scalar(np.exp(renyi(weights(shares, "shares"), q)))
