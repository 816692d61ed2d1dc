"""Mean-field Kuramoto against Kuramoto's and Ott-Antonsen's closed forms."""
from __future__ import annotations

import numpy as np
import pytest

from engine.diagnostics import kuramoto_order
from engine.manybody import (
    MeanFieldKuramoto,
    critical_coupling,
    natural_frequencies,
    order_parameter_branch,
    order_parameter_sweep,
    ott_antonsen_order,
)

GAMMA = 0.5  # K_c = 1


def test_critical_couplings_are_the_textbook_values():
    assert critical_coupling("lorentzian", GAMMA) == 2 * GAMMA
    assert critical_coupling("gaussian", 1.0) == pytest.approx(1.5958, abs=1e-4)


def test_quantile_frequencies_follow_their_laws():
    lorentz = natural_frequencies(20_000, "lorentzian", GAMMA)
    assert np.median(lorentz) == pytest.approx(0.0, abs=1e-12)
    assert np.percentile(lorentz, 75) == pytest.approx(GAMMA, rel=1e-3)  # the quartile of a Cauchy law is gamma
    gauss = natural_frequencies(20_000, "gaussian", 2.0)
    assert gauss.std() == pytest.approx(2.0, rel=2e-3)
    assert np.array_equal(natural_frequencies(50, "gaussian", 1.0), natural_frequencies(50, "gaussian", 1.0))
    with pytest.raises(ValueError, match="frequency distribution"):
        natural_frequencies(10, "uniform", 1.0)


def test_r_rises_at_k_c_and_follows_the_square_root_branch():
    """N = 20,000 Lorentzian oscillators: r below 0.05 under K_c, within 0.05 of sqrt(1 - 2 gamma / K) above."""
    couplings = np.array([0.8, 1.2, 1.5, 2.0, 3.0])
    r = order_parameter_sweep(couplings, 20_000, "lorentzian", GAMMA, transient=30.0, average=10.0, dt=0.1)
    assert r[0] < 0.05
    assert np.all(np.diff(r) > 0)
    theory = order_parameter_branch(couplings[1:], GAMMA)
    assert np.abs(r[1:] - theory).max() < 0.05, (r, theory)


def test_r_of_t_follows_the_ott_antonsen_solution():
    """Identical initial phases lie on the Ott-Antonsen manifold: r(t) is known in closed form."""
    population = MeanFieldKuramoto(20_000, 1.6, "lorentzian", GAMMA, dt=0.05, initial="synchronized")
    times, r = population.advance(300)
    assert np.abs(r - ott_antonsen_order(times, 1.6, GAMMA)).max() < 0.01
    assert population.order[0] == pytest.approx(kuramoto_order(population.theta)[0])
    assert population.order[0] == pytest.approx(r[-1])


def test_changes_are_checked_and_keep_the_run():
    population = MeanFieldKuramoto(1000, 1.0, seed=3)
    population.advance(5)
    with pytest.raises(ValueError, match="coupling K"):
        population.set_coupling(float("nan"))
    with pytest.raises(ValueError, match="oscillators"):
        MeanFieldKuramoto(0)
    assert population.coupling == 1.0 and population.t == pytest.approx(0.25)
