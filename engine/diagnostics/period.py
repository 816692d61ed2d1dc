"""The dominant period of a sampled signal, from the peak of its power spectrum."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..system import check_number
from ._checks import finite_array

__all__ = ["dominant_period"]


def dominant_period(x: Any, dt: float) -> float:
    r"""Period of the strongest oscillation of ``x``: :math:`1 / f^*` with :math:`f^*` the peak of the
    Hann-windowed periodogram of the mean-removed series, refined by a parabola through the
    logarithms of the peak bin and its two neighbours.

    .. math:: S(f_k) = \left| \sum_n w_n (x_n - \bar x) e^{-2\pi i k n / N} \right|^2, \qquad
        f^* = \arg\max_{k \ge 1} S(f_k)

    Parameters
    ----------
    x : array_like, shape (n,)
        At least 8 samples.
    dt : float
        Sampling interval.

    Returns
    -------
    float
        In units of ``dt``; NaN for a constant series.

    References
    ----------
    W. H. Press et al., Numerical Recipes, 3rd ed. (Cambridge, 2007), sec. 13.4 (periodogram)
    and 13.9 (peak interpolation); dysts computes its published periods the same way.
    """
    series = finite_array(x, "x", min_size=8)
    dt = check_number(dt, "dt", (1e-300, 1e300))
    power = np.abs(np.fft.rfft((series - series.mean()) * np.hanning(series.size))) ** 2
    if not power[1:].any():
        return math.nan
    k = int(np.argmax(power[1:])) + 1
    shift = 0.0
    if 1 <= k < power.size - 1 and (power[k - 1 : k + 2] > 0).all():
        a, b, c = np.log(power[k - 1 : k + 2])
        denominator = a - 2 * b + c
        shift = 0.5 * (a - c) / denominator if denominator != 0 else 0.0
    return series.size * dt / (k + shift)
