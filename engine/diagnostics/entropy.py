"""Entropies of distributions and of time series, each with an online form for live monitors.

Distributions (:func:`shannon`, :func:`renyi`, :func:`tsallis`) take
non-negative weights or counts along the last axis and normalise them inside,
so a histogram, a share vector or a field's probability mass all go in as
they are. Time series entropies are the permutation (ordinal) entropy of
Bandt and Pompe, the sample entropy of Richman and Moorman and the spectral
entropy of the power spectrum.

The online forms keep what a monitor needs between frames and take new
samples as they arrive: :class:`RunningHistogram` (the visited distribution
of a trajectory, whose range grows as the trajectory explores),
:class:`OrdinalPatterns` (a running ordinal-pattern histogram) and
:class:`RunningSpectrum` (a running Welch average of the power spectrum).
Sample entropy compares every pair of templates, so it has no cheap online
form; call it on a window.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import njit

from ..jit import CACHED_JIT
from ..system import check_integer, check_number
from ._checks import finite_array, weights

__all__ = [
    "MAX_PERMUTATION_ORDER",
    "OrdinalPatterns",
    "RunningHistogram",
    "RunningSpectrum",
    "permutation_entropy",
    "renyi",
    "sample_entropy",
    "shannon",
    "spectral_entropy",
    "tsallis",
]

MAX_PERMUTATION_ORDER = 9
"""Largest embedding dimension of :func:`permutation_entropy` (9! = 362,880 patterns)."""


def _scalar(value: np.ndarray) -> float | np.ndarray:
    return float(value) if np.ndim(value) == 0 else value


def _xlogx(p: np.ndarray) -> np.ndarray:
    """``p ln p`` with ``0 ln 0 = 0``."""
    logs = np.log(np.where(p > 0, p, 1.0))
    return p * logs


def _order(q: Any) -> float:
    if isinstance(q, float) and math.isinf(q) and q > 0:
        return math.inf
    return check_number(q, "q", (0.0, 1e6))


def _power_deviation(p: np.ndarray, q: float) -> np.ndarray:
    """``sum p^q - 1``; near ``q = 1`` as ``sum p (exp((q - 1) ln p) - 1)`` over the entries
    with ``p > 0`` (``sum p = 1``), which has no cancellation."""
    if abs(q - 1.0) >= 0.5:
        return np.sum(p**q, axis=-1) - 1.0
    logs = np.log(np.where(p > 0, p, 1.0))
    return np.sum(np.where(p > 0, p * np.expm1((q - 1.0) * logs), 0.0), axis=-1)


def _log_power_sum(p: np.ndarray, q: float) -> np.ndarray:
    """``ln sum p^q``, without underflow for large ``q`` (log-sum-exp) nor cancellation near ``q = 1``."""
    if abs(q - 1.0) < 0.5:
        return np.log1p(_power_deviation(p, q))
    logs = np.where(p > 0, np.log(np.where(p > 0, p, 1.0)), -np.inf)
    top = logs.max(axis=-1, keepdims=True)
    return np.log(np.sum(np.exp(q * (logs - top)), axis=-1)) + q * top[..., 0]


def shannon(p: Any, base: float = math.e) -> float | np.ndarray:
    r"""Shannon entropy of a distribution given by weights or counts.

    .. math:: H = -\sum_i p_i \log_b p_i, \qquad p_i = w_i / \sum_j w_j

    with :math:`0 \log 0 = 0`. The uniform distribution over :math:`n`
    outcomes has the largest value, :math:`\log_b n`; a certain outcome has 0.

    Parameters
    ----------
    p : array_like, shape (..., n)
        Non-negative weights or counts along the last axis (normalised inside).
    base : float
        Base of the logarithm: e (nats, default), 2 (bits).

    Returns
    -------
    float or ndarray
        One entropy per distribution (a float for a 1-D input).

    Raises
    ------
    ValueError
        For a negative or non-finite weight, a zero total or a base that is not > 0 and != 1.

    References
    ----------
    C. E. Shannon, A mathematical theory of communication, Bell Syst. Tech. J. 27 (1948) 379-423.
    """
    base = check_number(base, "base", (1e-300, 1e300))
    if base == 1.0:
        raise ValueError("base must differ from 1")
    probabilities = weights(p)
    return _scalar(0.0 - np.sum(_xlogx(probabilities), axis=-1) / math.log(base))  # 0.0 -: no -0.0


def renyi(p: Any, q: float, base: float = math.e) -> float | np.ndarray:
    r"""Renyi entropy of order ``q`` of a distribution given by weights or counts.

    .. math:: H_q = \frac{1}{1 - q} \log_b \sum_i p_i^q

    with the limits :math:`H_0 = \log_b |\{i : p_i > 0\}|` (Hartley),
    :math:`H_1` = Shannon and :math:`H_\infty = -\log_b \max_i p_i`
    (min-entropy). Order 2 is the collision entropy, :math:`H_2 = -\ln \mathrm{HHI}`
    for shares (see :func:`engine.concentration.hhi`). Near ``q = 1`` the sum is
    evaluated as :math:`\log(1 + \sum_i p_i\,\mathrm{expm1}((q-1)\ln p_i))`, so the
    value tends smoothly to the Shannon entropy; far from it as a log-sum-exp.

    Parameters
    ----------
    p : array_like, shape (..., n)
        Non-negative weights or counts along the last axis.
    q : float
        Order, ``0 <= q``; ``math.inf`` for the min-entropy.
    base : float
        Base of the logarithm.

    Returns
    -------
    float or ndarray

    References
    ----------
    A. Renyi, On measures of entropy and information, Proc. Fourth Berkeley Symp. Math.
    Statist. Prob. 1 (1961) 547-561.
    """
    q = _order(q)
    if q == 1.0:
        return shannon(p, base)
    base = check_number(base, "base", (1e-300, 1e300))
    probabilities = weights(p)
    if math.isinf(q):
        value = -np.log(probabilities.max(axis=-1))
    elif q == 0.0:
        value = np.log(np.count_nonzero(probabilities, axis=-1).astype(np.float64))
    else:
        value = _log_power_sum(probabilities, q) / (1.0 - q)
    return _scalar(value / math.log(base))


def tsallis(p: Any, q: float) -> float | np.ndarray:
    r"""Tsallis entropy of order ``q`` of a distribution given by weights or counts.

    .. math:: S_q = \frac{1 - \sum_i p_i^q}{q - 1}

    with :math:`S_1` = the Shannon entropy in nats (the limit ``q -> 1``,
    approached smoothly: the sum is evaluated as in :func:`renyi`). Order 2 is
    the Gini-Simpson index :math:`1 - \sum_i p_i^2 = 1 - \mathrm{HHI}`.

    Parameters
    ----------
    p : array_like, shape (..., n)
        Non-negative weights or counts along the last axis.
    q : float
        Order, ``0 <= q``; ``math.inf`` gives ``0``.

    Returns
    -------
    float or ndarray

    References
    ----------
    C. Tsallis, Possible generalization of Boltzmann-Gibbs statistics, J. Stat. Phys. 52
    (1988) 479-487.
    """
    q = _order(q)
    if q == 1.0:
        return shannon(p)
    probabilities = weights(p)
    if math.isinf(q):
        return _scalar(np.zeros(probabilities.shape[:-1]))
    return _scalar(-_power_deviation(probabilities, q) / (q - 1.0))


# --------------------------------------------------------------------------- ordinal patterns


@njit(**CACHED_JIT)
def _count_patterns(x, order, delay, counts):
    """Add the ordinal pattern of every window ``x[t], x[t + delay], ...`` to ``counts``.

    The pattern is numbered by its Lehmer code: digit ``k`` counts the later
    entries of the window smaller than entry ``k``; equal values keep their
    order of occurrence, so a constant or increasing series has one pattern.
    """
    windows = x.size - (order - 1) * delay
    for t in range(windows):
        code = 0
        for k in range(order):
            value = x[t + k * delay]
            smaller = 0
            for j in range(k + 1, order):
                if x[t + j * delay] < value:
                    smaller += 1
            code = code * (order - k) + smaller
        counts[code] += 1


def _pattern_arguments(order: Any, delay: Any) -> tuple[int, int]:
    return (
        check_integer(order, "order", (2, MAX_PERMUTATION_ORDER)),
        check_integer(delay, "delay", (1, 1_000_000)),
    )


def _pattern_entropy(counts: np.ndarray, order: int, normalize: bool) -> float:
    if counts.sum() == 0:
        return math.nan
    value = shannon(counts)
    return value / math.log(math.factorial(order)) if normalize else value


def permutation_entropy(x: Any, order: int = 3, delay: int = 1, normalize: bool = True) -> float:
    r"""Permutation (ordinal) entropy of a time series.

    Each window :math:`(x_t, x_{t+\tau}, \dots, x_{t+(m-1)\tau})` of embedding
    dimension :math:`m` (``order``) and delay :math:`\tau` is reduced to the
    permutation that sorts it; with :math:`p_\pi` the relative frequency of
    pattern :math:`\pi`,

    .. math:: H = -\sum_\pi p_\pi \ln p_\pi, \qquad H_{norm} = H / \ln m!

    White noise visits every pattern equally (:math:`H_{norm} \to 1`); a
    monotone or constant series has a single pattern (:math:`H = 0`). Ties keep
    their order of occurrence.

    Parameters
    ----------
    x : array_like, shape (n,)
        The series, ``n > (order - 1) * delay``.
    order : int
        Embedding dimension ``m``, 2 to :data:`MAX_PERMUTATION_ORDER`.
    delay : int
        Delay ``tau`` in samples.
    normalize : bool
        Divide by :math:`\ln m!` so the value lies in [0, 1].

    Returns
    -------
    float

    See Also
    --------
    OrdinalPatterns : the same histogram updated as samples arrive.

    References
    ----------
    C. Bandt and B. Pompe, Permutation entropy: a natural complexity measure for time
    series, Phys. Rev. Lett. 88 (2002) 174102.
    """
    order, delay = _pattern_arguments(order, delay)
    series = finite_array(x, "x", min_size=(order - 1) * delay + 1)
    counts = np.zeros(math.factorial(order), dtype=np.int64)
    _count_patterns(series, order, delay, counts)
    return _pattern_entropy(counts, order, normalize)


class OrdinalPatterns:
    """Running ordinal-pattern histogram of a series that arrives in chunks.

    Feeding a series in any number of chunks gives exactly the counts (and so
    the entropy) of :func:`permutation_entropy` on the whole series: the last
    ``(order - 1) * delay`` samples are kept to complete the windows that
    straddle two chunks.

    Parameters
    ----------
    order, delay : int
        As in :func:`permutation_entropy`.
    """

    def __init__(self, order: int = 3, delay: int = 1) -> None:
        self.order, self.delay = _pattern_arguments(order, delay)
        self.counts = np.zeros(math.factorial(self.order), dtype=np.int64)
        self._tail = np.empty(0)

    def update(self, x: Any) -> None:
        """Count the windows completed by the new samples ``x`` (1-D)."""
        series = np.concatenate((self._tail, finite_array(x, "x", min_size=0)))
        span = (self.order - 1) * self.delay
        if series.size > span:
            _count_patterns(series, self.order, self.delay, self.counts)
        self._tail = series[max(series.size - span, 0):]

    def entropy(self, normalize: bool = True) -> float:
        """Permutation entropy of everything counted so far (NaN before the first window)."""
        return _pattern_entropy(self.counts, self.order, normalize)

    def reset(self) -> None:
        """Forget every sample."""
        self.counts[:] = 0
        self._tail = np.empty(0)


# --------------------------------------------------------------------------- sample entropy


@njit(**CACHED_JIT)
def _template_matches(x, m, r):
    """Pairs of templates of length ``m`` (and ``m + 1``) within Chebyshev distance ``r``.

    Both counts run over the same ``n - m`` templates (Richman and Moorman), self-matches excluded.
    """
    n = x.size - m
    shorter = 0
    longer = 0
    for i in range(n):
        for j in range(i + 1, n):
            close = True
            for k in range(m):
                if abs(x[i + k] - x[j + k]) > r:
                    close = False
                    break
            if close:
                shorter += 1
                if abs(x[i + m] - x[j + m]) <= r:
                    longer += 1
    return shorter, longer


def sample_entropy(x: Any, m: int = 2, r: float | None = None) -> float:
    r"""Sample entropy of a time series.

    With :math:`B` the number of pairs of templates :math:`(x_i, \dots, x_{i+m-1})`
    within Chebyshev distance :math:`r` and :math:`A` the number of those pairs
    that still match at length :math:`m + 1` (self-matches excluded, the same
    :math:`n - m` templates for both),

    .. math:: \mathrm{SampEn}(m, r) = -\ln (A / B).

    Regular series give small values, irregular ones large; ``inf`` when no
    pair matches at length ``m + 1`` (the series is too short to tell).

    Parameters
    ----------
    x : array_like, shape (n,)
        The series, at least ``m + 2`` samples. Cost grows as ``n**2``.
    m : int
        Template length, 1 to 10.
    r : float, optional
        Tolerance; default ``0.2`` times the standard deviation of ``x``.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        When no pair of templates matches at length ``m`` (``B = 0``).

    References
    ----------
    J. S. Richman and J. R. Moorman, Physiological time-series analysis using approximate
    entropy and sample entropy, Am. J. Physiol. Heart Circ. Physiol. 278 (2000) H2039-H2049.
    """
    m = check_integer(m, "m", (1, 10))
    series = finite_array(x, "x", min_size=m + 2)
    tolerance = 0.2 * float(series.std()) if r is None else check_number(r, "r", (0.0, 1e300))
    shorter, longer = _template_matches(series, m, tolerance)
    if shorter == 0:
        raise ValueError(f"no two templates of length {m} lie within r = {tolerance:g}: sample entropy is undefined")
    return math.inf if longer == 0 else -math.log(longer / shorter)


# --------------------------------------------------------------------------- spectral entropy


def _segment_power(segments: np.ndarray) -> np.ndarray:
    """Power of each Hann-windowed, mean-removed segment (rows) at the rfft frequencies."""
    window = np.hanning(segments.shape[-1])
    centred = segments - segments.mean(axis=-1, keepdims=True)
    return np.abs(np.fft.rfft(centred * window, axis=-1)) ** 2


def _spectral_value(power: np.ndarray, normalize: bool) -> float:
    if not power.any():
        return math.nan
    value = shannon(power)
    return value / math.log(power.size) if normalize else value


def _segment_length(nperseg: Any, n: int | None = None) -> int:
    high = n if n is not None else 1 << 24
    return check_integer(nperseg, "nperseg", (4, max(high, 4)))


def spectral_entropy(x: Any, nperseg: int | None = None, normalize: bool = True) -> float:
    r"""Spectral entropy: the Shannon entropy of the normalised power spectrum.

    .. math:: H = -\sum_k P_k \ln P_k, \qquad P_k = S(f_k) / \sum_j S(f_j)

    over the frequencies :math:`f_k` from 0 to the Nyquist frequency, with
    :math:`S` the Welch estimate (Hann-windowed segments of ``nperseg``
    samples, half overlapping, each mean-removed) or, without ``nperseg``, the
    Hann-windowed periodogram of the whole series. Normalised by
    :math:`\ln` (number of frequencies): near 1 for white noise, near 0 for a
    pure tone.

    Parameters
    ----------
    x : array_like, shape (n,)
        The series, at least 4 samples.
    nperseg : int, optional
        Welch segment length (4 to ``n``).
    normalize : bool
        Divide by the logarithm of the number of frequencies.

    Returns
    -------
    float
        NaN for a constant series (no power).

    See Also
    --------
    RunningSpectrum : the Welch average updated as samples arrive.

    References
    ----------
    T. Inouye et al., Quantification of EEG irregularity by use of the entropy of the power
    spectrum, Electroencephalogr. Clin. Neurophysiol. 79 (1991) 204-210.
    P. D. Welch, The use of fast Fourier transform for the estimation of power spectra,
    IEEE Trans. Audio Electroacoust. 15 (1967) 70-73.
    """
    series = finite_array(x, "x", min_size=4)
    if nperseg is None:
        return _spectral_value(_segment_power(series[None, :])[0], normalize)
    length = _segment_length(nperseg, series.size)
    hop = max(length // 2, 1)
    starts = np.arange(0, series.size - length + 1, hop)
    segments = series[starts[:, None] + np.arange(length)]
    return _spectral_value(_segment_power(segments).sum(axis=0), normalize)


class RunningSpectrum:
    """Running Welch average of the power spectrum of a series that arrives in chunks.

    Segments of ``nperseg`` samples, half overlapping, are added as soon as
    they are complete; :meth:`entropy` equals :func:`spectral_entropy` with
    the same ``nperseg`` on everything fed so far (up to the incomplete last segment).
    """

    def __init__(self, nperseg: int = 256) -> None:
        self.nperseg = _segment_length(nperseg)
        self.power = np.zeros(self.nperseg // 2 + 1)
        self.segments = 0
        self._pending = np.empty(0)

    def update(self, x: Any) -> None:
        """Add the complete segments the new samples ``x`` (1-D) finish."""
        series = np.concatenate((self._pending, finite_array(x, "x", min_size=0)))
        hop = max(self.nperseg // 2, 1)
        count = 0 if series.size < self.nperseg else (series.size - self.nperseg) // hop + 1
        if count:
            starts = hop * np.arange(count)
            self.power += _segment_power(series[starts[:, None] + np.arange(self.nperseg)]).sum(axis=0)
            self.segments += count
        self._pending = series[count * hop:]

    def entropy(self, normalize: bool = True) -> float:
        """Spectral entropy of the average so far (NaN before the first segment)."""
        return _spectral_value(self.power, normalize)

    def reset(self) -> None:
        """Forget every sample."""
        self.power[:] = 0.0
        self.segments = 0
        self._pending = np.empty(0)


# --------------------------------------------------------------------------- visited distribution


class RunningHistogram:
    """Histogram of the states a trajectory visits, over a range that grows as it explores.

    Each axis has ``bins`` equal cells (an even number). The range starts at
    the box around the first samples; when a sample falls outside it, the
    range of that axis doubles towards the sample and every pair of
    neighbouring cells merges into one, so counts are never lost or guessed.
    The entropies of the visited distribution are those of :meth:`counts`.

    Parameters
    ----------
    dimension : int
        Number of coordinates per sample, 1 to 3.
    bins : int
        Cells per axis, an even number from 2 to 256.
    """

    def __init__(self, dimension: int, bins: int = 32) -> None:
        self.dimension = check_integer(dimension, "dimension", (1, 3))
        self.bins = check_integer(bins, "bins", (2, 256))
        if self.bins % 2:
            raise ValueError(f"bins must be even, got {self.bins}")
        self.counts = np.zeros((self.bins,) * self.dimension, dtype=np.int64)
        self.low: np.ndarray | None = None
        self.width = np.zeros(self.dimension)

    @property
    def total(self) -> int:
        """Number of samples counted."""
        return int(self.counts.sum())

    def update(self, points: Any) -> None:
        """Count the new samples, shape ``(k, dimension)`` (non-finite rows are refused)."""
        points = finite_array(points, "points", ndim=2, min_size=0)
        if points.shape[1] != self.dimension:
            raise ValueError(f"points must have {self.dimension} columns, got {points.shape[1]}")
        if points.shape[0] == 0:
            return
        if self.low is None:
            low, high = points.min(axis=0), points.max(axis=0)
            span = np.maximum(high - low, 1e-9 * np.maximum(1.0, np.abs(low)))
            self.low = low - 0.05 * span
            self.width = 1.1 * span
        for axis in range(self.dimension):
            self._cover(axis, float(points[:, axis].min()), float(points[:, axis].max()))
        cells = np.floor((points - self.low) / self.width * self.bins).astype(np.int64)
        np.clip(cells, 0, self.bins - 1, out=cells)
        flat = np.ravel_multi_index(tuple(cells.T), self.counts.shape)
        self.counts += np.bincount(flat, minlength=self.counts.size).reshape(self.counts.shape)

    def _cover(self, axis: int, low: float, high: float) -> None:
        """Double the range of ``axis`` until it holds ``[low, high]``, merging cell pairs."""
        half = self.bins // 2
        while low < self.low[axis] or high >= self.low[axis] + self.width[axis]:
            moved = np.moveaxis(self.counts, axis, 0)
            merged = moved.reshape((half, 2) + moved.shape[1:]).sum(axis=1)
            grown = np.zeros_like(moved)
            if low < self.low[axis]:
                grown[half:] = merged
                self.low[axis] -= self.width[axis]
            else:
                grown[:half] = merged
            self.width[axis] *= 2.0
            self.counts = np.ascontiguousarray(np.moveaxis(grown, 0, axis))

    def shannon(self) -> float:
        """Shannon entropy (nats) of the visited distribution; NaN before any sample."""
        return shannon(self.counts.ravel()) if self.total else math.nan

    def renyi(self, q: float) -> float:
        """Renyi entropy of order ``q`` of the visited distribution; NaN before any sample."""
        return renyi(self.counts.ravel(), q) if self.total else math.nan

    def tsallis(self, q: float) -> float:
        """Tsallis entropy of order ``q`` of the visited distribution; NaN before any sample."""
        return tsallis(self.counts.ravel(), q) if self.total else math.nan

    def reset(self) -> None:
        """Forget every sample and the range."""
        self.counts[:] = 0
        self.low = None
        self.width = np.zeros(self.dimension)
