"""A ring of phase oscillators roughens like a 1D interface: random deposition, EW and KPZ exponents."""
from __future__ import annotations

import numpy as np
import pytest

from engine.manybody import (
    GROWTH_EXPONENTS,
    REGIMES,
    PhaseRing,
    growth_exponent,
    kpz_coefficients,
)


def _beta(ring: PhaseRing, t_end: float, t_min: float) -> float:
    times, widths = ring.run(t_end, samples=30)
    return growth_exponent(times, widths, t_min).beta


def test_uncoupled_noise_grows_like_random_deposition():
    beta = _beta(PhaseRing(2048, seed=1, **REGIMES["random deposition"]), 100.0, 1.0)
    assert beta == pytest.approx(GROWTH_EXPONENTS["random deposition"], rel=0.15)


def test_odd_coupling_grows_like_edwards_wilkinson():
    beta = _beta(PhaseRing(4096, seed=1, **REGIMES["Edwards-Wilkinson"]), 600.0, 20.0)
    assert beta == pytest.approx(GROWTH_EXPONENTS["Edwards-Wilkinson"], rel=0.15)


def test_non_odd_coupling_grows_like_kpz():
    beta = _beta(PhaseRing(4096, seed=1, **REGIMES["KPZ"]), 600.0, 20.0)
    assert beta == pytest.approx(GROWTH_EXPONENTS["KPZ"], rel=0.15)


def test_uncoupled_columnar_disorder_grows_linearly():
    """Without coupling each phase is omega_j t, so W = std(omega) t exactly."""
    ring = PhaseRing(500, coupling=0.0, disorder="columnar", strength=0.3, dt=0.1, seed=2)
    times, widths = ring.run(50.0, samples=10)
    np.testing.assert_allclose(widths, ring.omega.std() * times, rtol=1e-9)
    assert growth_exponent(times, widths).beta == pytest.approx(1.0, abs=1e-9)


def test_kpz_coefficients_of_the_sakaguchi_coupling():
    nu, lam = kpz_coefficients(2.0, np.pi / 6)
    assert nu == pytest.approx(np.sqrt(3.0))
    assert lam == pytest.approx(-2.0)


def test_growth_exponent_of_a_power_law_and_bad_windows():
    t = np.geomspace(1, 100, 20)
    assert growth_exponent(t, 3 * t**0.4).beta == pytest.approx(0.4)
    with pytest.raises(ValueError, match="at least 3 samples"):
        growth_exponent(t, t, 1e3, 1e4)


def test_bad_values_are_refused_and_change_nothing():
    ring = PhaseRing(64, coupling=1.0, alpha=0.3, seed=0)
    with pytest.raises(ValueError, match="alpha"):
        ring.set_coupling(1.0, 3.0)
    with pytest.raises(ValueError, match="disorder"):
        PhaseRing(64, disorder="sometimes")
    assert (ring.coupling, ring.alpha) == (1.0, 0.3)
    ring.advance(10)
    assert ring.history()[0].size == 1
