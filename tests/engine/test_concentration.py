"""Concentration indices: closed forms (VALIDATION.md, "Stochastic kinetics and concentration")
and the links to the entropies (Renyi 2 = -ln HHI, Tsallis 2 = 1 - HHI, Hill = exp Renyi)."""
from __future__ import annotations

import math

import numpy as np
import pytest

from engine.concentration import (
    concentration_ratio,
    gini,
    hhi,
    hill_number,
    normalized_hhi,
    theil,
)
from engine.diagnostics import renyi, shannon, tsallis

KNOWN = np.array([0.5, 0.3, 0.2])


@pytest.mark.parametrize("n", [1, 2, 7, 100])
def test_uniform_shares(n):
    shares = np.full(n, 3.0)  # amounts, normalised inside
    assert hhi(shares) == pytest.approx(1.0 / n)
    assert gini(shares) == pytest.approx(0.0, abs=1e-12)
    assert theil(shares) == pytest.approx(0.0, abs=1e-12)
    for q in (0.0, 0.5, 1.0, 2.0, math.inf):
        assert hill_number(shares, q) == pytest.approx(n)
    if n >= 2:
        assert normalized_hhi(shares) == pytest.approx(0.0, abs=1e-12)
        assert concentration_ratio(shares, 2) == pytest.approx(2.0 / n)


@pytest.mark.parametrize("n", [2, 5, 40])
def test_monopoly(n):
    shares = np.zeros(n)
    shares[n // 2] = 7.0
    assert hhi(shares) == 1.0
    assert normalized_hhi(shares) == pytest.approx(1.0)
    assert gini(shares) == pytest.approx((n - 1) / n)  # one holder of everything among n
    assert theil(shares) == pytest.approx(math.log(n))
    assert concentration_ratio(shares, 1) == 1.0
    for q in (0.0, 1.0, 2.0, 3.5):
        assert hill_number(shares, q) == pytest.approx(1.0)


def test_known_vector():
    # 0.5^2 + 0.3^2 + 0.2^2 = 0.38
    assert hhi(KNOWN) == pytest.approx(0.38)
    assert normalized_hhi(KNOWN) == pytest.approx((0.38 - 1 / 3) / (2 / 3))
    assert concentration_ratio(KNOWN[::-1], 2) == pytest.approx(0.8)
    # mean absolute difference: (|.5-.3| + |.5-.2| + |.3-.2|) * 2 / (2 * 9 * (1/3)) = 1.2 / 6
    assert gini(KNOWN) == pytest.approx(0.2)
    assert theil(KNOWN) == pytest.approx(sum(s * 3 * math.log(s * 3) for s in KNOWN) / 3)
    assert hill_number(KNOWN, 0) == pytest.approx(3.0)


def test_links_to_entropies():
    rng = np.random.default_rng(4)
    shares = rng.dirichlet(np.ones(12), size=50)
    assert np.allclose(renyi(shares, 2), -np.log(hhi(shares)))  # Renyi-2 = -ln HHI
    assert np.allclose(tsallis(shares, 2), 1.0 - hhi(shares))  # Tsallis-2 = 1 - HHI (Gini-Simpson)
    assert np.allclose(hill_number(shares, 2), 1.0 / hhi(shares))  # effective number
    assert np.allclose(hill_number(shares, 1), np.exp(shannon(shares)))
    assert np.allclose(theil(shares), math.log(12) - shannon(shares))
    assert np.allclose(gini(shares), [np.abs(s[:, None] - s).sum() / (2 * 12**2 * s.mean()) for s in shares])


def test_polya_urn_expected_hhi():
    # Dirichlet(1, ..., 1) limiting shares of a Polya urn with K colours: E[HHI] = 2 / (K + 1)
    shares = np.random.default_rng(1).dirichlet(np.ones(5), size=200_000)
    assert hhi(shares).mean() == pytest.approx(2 / 6, abs=2e-3)


@pytest.mark.parametrize(
    "shares, message",
    [([0.5, -0.1], "non-negative"), ([0.0, 0.0], "positive sum"), ([1.0, math.nan], "finite"), ("abc", "numbers")],
)
def test_bad_shares_are_refused(shares, message):
    with pytest.raises(ValueError, match=message):
        hhi(shares)


def test_bad_orders_are_refused():
    with pytest.raises(ValueError, match="k"):
        concentration_ratio(KNOWN, 4)
    with pytest.raises(ValueError, match="q"):
        hill_number(KNOWN, -1)
    with pytest.raises(ValueError, match="two holders"):
        normalized_hhi([1.0])
