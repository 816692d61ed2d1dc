"""Correlation dimension (Grassberger-Procaccia) against VALIDATION.md and closed forms."""
from __future__ import annotations

import numpy as np
import pytest

import engine
from engine.diagnostics import correlation_dimension, correlation_sum


def _trajectory(name: str, **kwargs) -> np.ndarray:
    system = engine.get_system(name)
    ds = engine.simulate(system, **kwargs)
    return np.stack([ds[v].values for v in system.variables], axis=-1)


def test_lorenz_attractor():
    points = _trajectory("Lorenz", steps=60_000, dt=0.01)[10_000::10]  # every 0.1 time units
    result = correlation_dimension(points, theiler=10)
    assert result.dimension == pytest.approx(2.05, abs=0.1)  # Grassberger and Procaccia 1983: 2.05 +- 0.01
    assert result.r_max / result.r_min >= 10  # at least one decade of scaling
    inside = (result.radii[:-1] >= result.r_min) & (result.radii[1:] <= result.r_max)
    assert np.all(np.abs(result.local_slopes[inside] - result.dimension) < 0.35)


def test_henon_attractor():
    points = _trajectory("Henon", steps=20_000)[100:]
    assert correlation_dimension(points).dimension == pytest.approx(1.21, abs=0.05)  # Grassberger and Procaccia 1983


@pytest.mark.parametrize("dimension", [1, 2, 3])
def test_uniform_cubes(dimension):
    points = np.random.default_rng(dimension).uniform(size=(4000, dimension))
    assert correlation_dimension(points).dimension == pytest.approx(dimension, abs=0.15)


def test_correlation_sum_counts_pairs():
    points = np.array([[0.0], [1.0], [3.0], [7.0]])  # distances 1, 2, 3, 4, 6, 7
    radii = 2.0 ** np.arange(-1, 5)  # 0.5, 1, 2, 4, 8, 16
    np.testing.assert_allclose(correlation_sum(points, radii), np.array([0, 0, 1, 3, 6, 6]) / 6)
    np.testing.assert_allclose(correlation_sum(points, radii, theiler=1), np.array([0, 0, 0, 1, 3, 3]) / 3)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: correlation_dimension(np.ones((50, 2))), "coincide"),
        (lambda: correlation_dimension(np.ones(50)), "2 dimension"),
        (lambda: correlation_sum(np.ones((5, 1)), [1.0, 3.0, 4.0]), "evenly spaced"),
        (lambda: correlation_dimension(np.random.default_rng(0).uniform(size=(20, 2)), min_decades=3), "scaling region"),
    ],
)
def test_bad_input_is_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()
