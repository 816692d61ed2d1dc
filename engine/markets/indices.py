"""The concentration indices of one period's amounts, and its Lorenz curve.

The indices themselves are :mod:`engine.concentration` and
:func:`engine.diagnostics.shannon`; this module chooses the set a market
monitor shows and applies it to the holders with a positive amount.
"""
from __future__ import annotations

import math

import numpy as np

from ..concentration import concentration_ratio, gini, hhi, hill_number, normalized_hhi
from ..diagnostics import shannon

__all__ = ["INDICES", "lorenz_curve", "share_indices"]

INDICES = ("hhi", "normalized_hhi", "concentration_ratio", "gini", "shannon", "effective_number", "holders")
"""Names of the values :func:`share_indices` returns, in display order."""


def share_indices(amounts: np.ndarray, k: int) -> dict[str, float]:
    r"""Concentration of one period: the indices of the holders with a positive amount.

    With :math:`s_i = x_i / \sum_j x_j` over the :math:`n` holders with
    :math:`x_i > 0`:

    * ``hhi`` :math:`\sum s_i^2` (0-1 scale), ``normalized_hhi``
      :math:`(\mathrm{HHI} - 1/n)/(1 - 1/n)`,
    * ``concentration_ratio`` :math:`CR_k`, the share of the ``k`` largest
      (all of them when fewer than ``k`` hold anything),
    * ``gini``, ``shannon`` (nats), ``effective_number`` the Hill number of
      order 2, :math:`1/\mathrm{HHI}`,
    * ``holders`` :math:`n`.

    Every index is NaN for a period in which nothing was held, and the
    normalised HHI is NaN with a single holder.

    Parameters
    ----------
    amounts : ndarray of float
        Non-negative amounts per holder (zeros are not holders).
    k : int
        Number of leading holders in :math:`CR_k`.

    Returns
    -------
    dict of str to float
        Keyed by :data:`INDICES`.

    References
    ----------
    See :mod:`engine.concentration`; U.S. DOJ and FTC, Horizontal Merger Guidelines (2010).
    """
    held = amounts[amounts > 0]
    n = held.size
    if n == 0:
        return {name: (0.0 if name == "holders" else math.nan) for name in INDICES}
    return {
        "hhi": hhi(held),
        "normalized_hhi": normalized_hhi(held) if n >= 2 else math.nan,
        "concentration_ratio": concentration_ratio(held, min(k, n)),
        "gini": gini(held),
        "shannon": shannon(held),
        "effective_number": hill_number(held, 2),
        "holders": float(n),
    }


def lorenz_curve(amounts: np.ndarray, points: int = 256) -> tuple[np.ndarray, np.ndarray]:
    r"""Lorenz curve of the positive amounts, at most ``points + 1`` vertices.

    .. math:: L(i/n) = \sum_{j \le i} x_{(j)} \Big/ \sum_j x_j

    with :math:`x_{(j)}` sorted increasingly; :math:`L(0) = 0`, :math:`L(1) = 1`
    and the diagonal is perfect equality (twice the area between the two is
    the Gini coefficient).

    Parameters
    ----------
    amounts : ndarray of float
        Non-negative amounts per holder (zeros are not holders).
    points : int
        Vertices kept beyond the origin (evenly spaced in rank).

    Returns
    -------
    population, cumulative_share : ndarray
        Both empty when nothing is held.

    References
    ----------
    M. O. Lorenz, Methods of measuring the concentration of wealth, Publ. Am. Stat. Assoc. 9
    (1905) 209-219.
    """
    held = np.sort(amounts[amounts > 0])
    n = held.size
    if n == 0:
        return np.empty(0), np.empty(0)
    cumulative = np.concatenate(([0.0], np.cumsum(held) / held.sum()))
    ranks = np.unique(np.linspace(0, n, min(n, points) + 1).round().astype(np.int64))
    return ranks / n, cumulative[ranks]
