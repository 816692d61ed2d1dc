"""Correlation dimension of a set of points (Grassberger-Procaccia), with its scaling region."""
from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np
from numba import njit

from ..jit import CACHED_JIT
from ..system import check_integer, check_number
from ._checks import finite_array

__all__ = ["CorrelationDimension", "correlation_dimension", "correlation_sum"]


@njit(**CACHED_JIT)
def _pair_histogram(points, theiler, log_low, log_step, bins):
    """Counts of pairs ``i < j``, ``j - i > theiler``, by bin of ``ln`` distance (below the
    first edge in bin 0, beyond the last in the last bin), and the number of pairs."""
    n, d = points.shape
    counts = np.zeros(bins, dtype=np.int64)
    pairs = 0
    for i in range(n):
        for j in range(i + theiler + 1, n):
            total = 0.0
            for c in range(d):
                diff = points[i, c] - points[j, c]
                total += diff * diff
            pairs += 1
            if total <= 0.0:
                counts[0] += 1
                continue
            k = int((0.5 * math.log(total) - log_low) / log_step)
            counts[min(max(k, 0), bins - 1)] += 1
    return counts, pairs


def correlation_sum(points: Any, radii: Any, *, theiler: int = 0) -> np.ndarray:
    r"""Correlation sum :math:`C(r)` of a set of points at increasing radii.

    .. math:: C(r) = \frac{1}{N_p} \sum_{j - i > w} \Theta(r - \| x_i - x_j \|)

    over the :math:`N_p` pairs more than ``theiler`` (:math:`w`) samples apart,
    resolved to the geometric grid of ``radii`` (pairs are binned by the
    logarithm of their distance between neighbouring radii).

    Parameters
    ----------
    points : array_like, shape (n, d)
    radii : array_like, shape (k,)
        Increasing, positive, evenly spaced in ``ln r``.
    theiler : int
        Pairs closer than this in index (time) are left out.

    Returns
    -------
    ndarray, shape (k,)

    References
    ----------
    P. Grassberger and I. Procaccia, Measuring the strangeness of strange attractors,
    Physica D 9 (1983) 189-208.
    """
    data = finite_array(points, "points", ndim=2)
    logs = np.log(finite_array(radii, "radii", min_size=2))
    steps = np.diff(logs)
    if not (steps > 0).all() or not np.allclose(steps, steps[0], rtol=1e-6):
        raise ValueError("radii must be positive, increasing and evenly spaced in ln r")
    theiler = check_integer(theiler, "theiler", (0, max(data.shape[0] - 2, 0)))
    # bin k holds distances in (r_{k-1}, r_k]: the edges are the radii shifted down by one step
    counts, pairs = _pair_histogram(np.ascontiguousarray(data), theiler, logs[0] - steps[0], steps[0], logs.size + 1)
    if pairs == 0:
        raise ValueError("no pair of points is more than theiler samples apart")
    return np.cumsum(counts)[:-1] / pairs


class CorrelationDimension(NamedTuple):
    """Result of :func:`correlation_dimension`."""

    dimension: float
    """Slope of ``ln C`` against ``ln r`` over the scaling region."""
    r_min: float
    """Lower end of the scaling region."""
    r_max: float
    """Upper end of the scaling region."""
    radii: np.ndarray
    """Radii at which ``C`` was evaluated."""
    correlation_sum: np.ndarray
    """``C(r)`` at those radii."""
    local_slopes: np.ndarray
    """``d ln C / d ln r`` between neighbouring radii (length ``len(radii) - 1``)."""


def correlation_dimension(
    points: Any,
    *,
    theiler: int = 0,
    bins: int = 48,
    min_decades: float = 1.0,
    min_pairs: int = 100,
    max_points: int = 6_000,
) -> CorrelationDimension:
    r"""Correlation dimension :math:`D_2` of an attractor (Grassberger-Procaccia).

    :math:`C(r) \propto r^{D_2}` in a scaling region between the scale where
    too few pairs remain (noise, finite sample) and the size of the attractor:

    .. math:: D_2 = \frac{d \ln C(r)}{d \ln r}

    :math:`C` is evaluated on ``bins`` radii evenly spaced in :math:`\ln r`
    from the smallest to the largest pair distance. The scaling region is the
    window of at least ``min_decades`` decades, with at least ``min_pairs``
    pairs at its lower end and below :math:`C = 0.5` at its upper end, over
    which the local slopes vary least (smallest standard deviation); the
    dimension is the least-squares slope of :math:`\ln C` over it, and the
    region is reported with the whole curve.

    Parameters
    ----------
    points : array_like, shape (n, d)
        Points on the attractor (a trajectory sampled well after its transient).
    theiler : int
        Pairs closer than this many samples are left out (use about one
        correlation time of a densely sampled trajectory).
    bins : int
        Number of radii.
    min_decades : float
        Shortest scaling region, in decades of ``r``.
    min_pairs : int
        Fewest pairs within ``r_min``.
    max_points : int
        More points are thinned evenly to this many (the cost grows as ``n**2``).

    Returns
    -------
    CorrelationDimension

    References
    ----------
    P. Grassberger and I. Procaccia, Characterization of strange attractors, Phys. Rev.
    Lett. 50 (1983) 346-349; J. Theiler, Spurious dimension from correlation algorithms
    applied to limited time-series data, Phys. Rev. A 34 (1986) 2427-2432.
    """
    data = finite_array(points, "points", ndim=2, min_size=1)
    bins = check_integer(bins, "bins", (8, 1000))
    min_decades = check_number(min_decades, "min_decades", (0.1, 10.0))
    min_pairs = check_integer(min_pairs, "min_pairs", (1, 10**9))
    max_points = check_integer(max_points, "max_points", (10, 10**6))
    if data.shape[0] > max_points:
        data = data[np.linspace(0, data.shape[0] - 1, max_points).round().astype(np.int64)]
    if data.shape[0] < 10:
        raise ValueError(f"correlation_dimension needs at least 10 points, got {data.shape[0]}")
    spread = float(np.linalg.norm(np.ptp(data, axis=0)))
    if spread == 0.0:
        raise ValueError("all points coincide: the correlation dimension is not defined")
    step_sample = data[:: max(1, data.shape[0] // 500)]
    gaps = np.linalg.norm(np.diff(step_sample, axis=0), axis=1)
    smallest = max(float(gaps[gaps > 0].min()) if (gaps > 0).any() else spread * 1e-6, spread * 1e-6) * 1e-2
    radii = np.exp(np.linspace(math.log(smallest), math.log(spread), bins))
    c = correlation_sum(data, radii, theiler=theiler)
    pairs = (data.shape[0] - theiler) * (data.shape[0] - theiler - 1) / 2
    logs_r, logs_c = np.log(radii), np.log(np.where(c > 0, c, np.nan))
    slopes = np.diff(logs_c) / np.diff(logs_r)
    width = max(2, math.ceil(min_decades * math.log(10) / (logs_r[1] - logs_r[0])))
    usable = (c * pairs >= min_pairs) & (c <= 0.5)
    best: tuple[float, int, int] | None = None
    for start in range(bins):
        for stop in range(start + width, bins):
            if not usable[start] or not usable[stop]:
                continue
            spread_of_slopes = float(np.std(slopes[start:stop]))
            # prefer the widest region among those about as straight as the straightest
            score = spread_of_slopes - 1e-3 * (stop - start)
            if best is None or score < best[0]:
                best = (score, start, stop)
    if best is None:
        raise ValueError(
            f"no scaling region of {min_decades:g} decades with {min_pairs} pairs: give more points or lower min_decades"
        )
    _, start, stop = best
    dimension = float(np.polyfit(logs_r[start : stop + 1], logs_c[start : stop + 1], 1)[0])
    return CorrelationDimension(dimension, float(radii[start]), float(radii[stop]), radii, c, slopes)
