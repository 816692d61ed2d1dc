"""Entropies: closed forms (VALIDATION.md: uniform over n gives ln n), the q -> 1 limits,
ordinal patterns of noise and of monotone series, and online forms equal to the offline ones."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import erf

from engine.diagnostics import (
    OrdinalPatterns,
    RunningHistogram,
    RunningSpectrum,
    permutation_entropy,
    renyi,
    sample_entropy,
    shannon,
    spectral_entropy,
    tsallis,
)

EULER_GAMMA = 0.5772156649015329


@pytest.mark.parametrize("n", [1, 2, 10, 1000])
def test_uniform_distribution(n):
    counts = np.full(n, 4)
    assert shannon(counts) == pytest.approx(math.log(n), abs=1e-12)
    assert shannon(counts, base=2) == pytest.approx(math.log2(n), abs=1e-12)
    for q in (0.0, 0.5, 2.0, 7.0, math.inf):
        assert renyi(counts, q) == pytest.approx(math.log(n), abs=1e-12)
    for q in (0.5, 2.0, 3.0):
        assert tsallis(counts, q) == pytest.approx((1 - n ** (1 - q)) / (q - 1), abs=1e-12)


def test_certain_outcome_has_zero_entropy():
    p = [0.0, 0.0, 5.0]
    assert shannon(p) == 0.0 and renyi(p, 2) == 0.0 and renyi(p, 0) == 0.0 and tsallis(p, 3) == 0.0


def test_known_distribution():
    p = np.array([0.5, 0.25, 0.25])
    assert shannon(p, base=2) == pytest.approx(1.5)  # bits
    assert renyi(p, 2) == pytest.approx(-math.log(0.375))
    assert renyi(p, math.inf) == pytest.approx(math.log(2))
    assert renyi(p, 0) == pytest.approx(math.log(3))
    assert tsallis(p, 2) == pytest.approx(1 - 0.375)


@pytest.mark.parametrize("epsilon", [1e-3, 1e-7, 1e-12])
def test_orders_near_one_tend_to_shannon(epsilon):
    p = np.random.default_rng(0).dirichlet(np.ones(30))
    h = shannon(p)
    assert renyi(p, 1.0) == h and tsallis(p, 1.0) == h
    for q in (1 - epsilon, 1 + epsilon):
        assert renyi(p, q) == pytest.approx(h, abs=20 * epsilon)
        assert tsallis(p, q) == pytest.approx(h, abs=20 * epsilon)


def test_rows_are_distributions():
    rows = np.array([[1.0, 1.0], [1.0, 0.0]])
    assert np.allclose(shannon(rows), [math.log(2), 0.0])
    assert np.allclose(renyi(rows, 3), [math.log(2), 0.0])


def test_permutation_entropy_of_white_noise_is_near_its_maximum():
    noise = np.random.default_rng(1).standard_normal(200_000)
    for order in (3, 4, 5):
        assert permutation_entropy(noise, order) == pytest.approx(1.0, abs=2e-3)
    assert permutation_entropy(noise, 3, normalize=False) == pytest.approx(math.log(6), abs=1e-3)


def test_permutation_entropy_of_monotone_and_constant_series_is_zero():
    assert permutation_entropy(np.arange(50.0), 4, 2) == 0.0
    assert permutation_entropy(-np.exp(np.linspace(0, 3, 50)), 5) == 0.0
    assert permutation_entropy(np.full(30, 2.0)) == 0.0


def test_permutation_entropy_counts_patterns_like_a_sort():
    x = np.random.default_rng(2).standard_normal(3000)
    order, delay = 4, 3
    windows = np.lib.stride_tricks.sliding_window_view(x, (order - 1) * delay + 1)[:, ::delay]
    _, counts = np.unique(np.argsort(windows, axis=1), axis=0, return_counts=True)
    assert permutation_entropy(x, order, delay, normalize=False) == pytest.approx(shannon(counts))


def test_logistic_map_forbids_ordinal_patterns():
    # the fully chaotic logistic map never shows the decreasing pattern of order 3 (Bandt and Pompe 2002)
    x = np.empty(20_000)
    x[0] = 0.3
    for i in range(1, x.size):
        x[i] = 4 * x[i - 1] * (1 - x[i - 1])
    patterns = OrdinalPatterns(order=3)
    patterns.update(x)
    assert np.count_nonzero(patterns.counts) == 5
    assert patterns.counts[-1] == 0  # Lehmer code 5: x0 > x1 > x2
    assert 0 < patterns.entropy() < math.log(5) / math.log(6)


def test_ordinal_patterns_online_equal_offline():
    x = np.random.default_rng(3).standard_normal(5000)
    online = OrdinalPatterns(order=4, delay=2)
    for chunk in np.array_split(x, 97):
        online.update(chunk)
    online.update([])
    assert online.counts.sum() == x.size - 6
    assert online.entropy() == permutation_entropy(x, 4, 2)
    online.reset()
    assert math.isnan(online.entropy())


def test_sample_entropy_of_noise_and_of_a_periodic_series():
    # for independent samples SampEn = -ln P(|X - Y| <= r); Gaussian, r = 0.2 sd: P = erf(0.1)
    noise = np.random.default_rng(4).standard_normal(3000)
    assert sample_entropy(noise, 2) == pytest.approx(-math.log(erf(0.1)), abs=0.08)
    assert sample_entropy(np.tile([0.0, 1.0, 2.0], 200), 2, r=0.5) == pytest.approx(0.0, abs=1e-12)


def test_spectral_entropy_of_noise_and_of_a_tone():
    # periodogram of white noise: independent exponential powers, E[H] = ln n - (1 - gamma)
    noise = np.random.default_rng(5).standard_normal(2**16)
    bins = 2**15 + 1
    expected = 1 - (1 - EULER_GAMMA) / math.log(bins)
    assert spectral_entropy(noise) == pytest.approx(expected, abs=0.005)
    assert spectral_entropy(noise, nperseg=256) > 0.99  # averaging flattens the spectrum
    tone = np.sin(2 * math.pi * 64 * np.arange(4096) / 4096)
    assert spectral_entropy(tone) < 0.15
    assert math.isnan(spectral_entropy(np.ones(64)))


def test_running_spectrum_equals_welch():
    x = np.random.default_rng(6).standard_normal(4096 + 100)
    online = RunningSpectrum(nperseg=128)
    for chunk in np.array_split(x, 33):
        online.update(chunk)
    assert online.segments == (x.size - 128) // 64 + 1
    assert online.entropy() == pytest.approx(spectral_entropy(x, nperseg=128))


def test_running_histogram_grows_its_range_without_losing_counts():
    rng = np.random.default_rng(7)
    points = rng.standard_normal((20_000, 2)) * np.linspace(0.01, 30, 20_000)[:, None]  # the cloud spreads out
    running = RunningHistogram(2, bins=16)
    for chunk in np.array_split(points, 50):
        running.update(chunk)
    assert running.total == points.shape[0]
    edges = [running.low[a] + running.width[a] * np.linspace(0, 1, 17) for a in range(2)]
    direct, _ = np.histogramdd(points, bins=edges)
    assert np.array_equal(running.counts, direct)
    assert running.shannon() == pytest.approx(shannon(direct.ravel()))
    assert running.renyi(2) == pytest.approx(renyi(direct.ravel(), 2))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: shannon([1.0, -1.0]), "non-negative"),
        (lambda: shannon([1.0], base=1), "base"),
        (lambda: renyi([1.0], -0.5), "q"),
        (lambda: permutation_entropy([1.0, 2.0], 3), "at least 3"),
        (lambda: permutation_entropy(np.ones(100), 12), "order"),
        (lambda: permutation_entropy([1.0, math.inf, 2.0, 3.0]), "finite"),
        (lambda: sample_entropy(np.arange(100.0), 2, r=0.1), "undefined"),
        (lambda: RunningHistogram(2, bins=15), "even"),
        (lambda: RunningHistogram(2).update(np.ones((3, 3))), "2 columns"),
    ],
)
def test_bad_input_is_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_dominant_period_of_a_tone():
    from engine.diagnostics import dominant_period

    t = np.arange(20_000) * 0.01
    assert dominant_period(np.sin(2 * math.pi * t / 1.37) + 0.3 * np.sin(2 * math.pi * t / 0.2), 0.01) == pytest.approx(1.37, rel=1e-3)
    assert math.isnan(dominant_period(np.ones(100), 0.1))
