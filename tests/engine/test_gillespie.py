"""Gillespie's direct method against the stationary law of birth-death and the rate equations."""
from __future__ import annotations

import numpy as np
import pytest

from engine import simulate
from engine.kinetics import get_network
from engine.kinetics.gillespie import Ensemble, gillespie


def test_birth_death_is_poisson_with_mean_and_variance_k_over_gamma():
    """VALIDATION.md: stationary mean = variance = k/gamma; within 2 % over a long run."""
    k, gamma = 10.0, 1.0
    times, counts = gillespie("Birth-death", 1010.0, paths=100, params={"k": k, "gamma": gamma}, omega=1.0, state0=(k,), dt=1.0, seed=7)
    stationary = counts[:, times >= 10.0, 0].astype(float)  # 100 paths x 1001 samples, one relaxation time apart
    assert stationary.mean() == pytest.approx(k / gamma, rel=0.02)
    assert stationary.var() == pytest.approx(k / gamma, rel=0.02)


def test_rate_equations_are_the_mean_at_large_system_size():
    """SIR with omega = 20,000: the mean of 40 paths follows the mass-action solution to 1 %
    of the population, while at omega = 50 early extinctions pull it well away."""
    t_end = 8.0
    ode = simulate(get_network("SIR").ode, t_end=t_end, dt=0.5, solver="dopri5")
    expected = np.stack([ode[v].values for v in ("S", "I", "R")], axis=1)
    times, counts = gillespie("SIR", t_end, paths=40, omega=20_000.0, dt=0.5, seed=3)
    np.testing.assert_allclose(times, ode.time.values)
    np.testing.assert_allclose(counts.mean(axis=0) / 20_000.0, expected, atol=0.01)
    _, small = gillespie("SIR", t_end, paths=40, omega=50.0, dt=0.5, seed=3)
    assert np.abs(small.mean(axis=0)[-1] / 50.0 - expected[-1]).max() > 0.05


def test_stoichiometry_conserves_what_the_reactions_conserve():
    """Michaelis-Menten: E + C and S + C + P are constant along every path, exactly."""
    _, counts = gillespie("Michaelis-Menten", 10.0, paths=20, omega=100.0, seed=1)
    e, s, c, p = (counts[..., i] for i in range(4))
    assert np.all(e + c == 20) and np.all(s + c + p == 100)
    assert p[:, -1].min() > 0


def test_chunks_continue_the_run_exactly():
    """Advancing in chunks gives the same paths as one call with the same seed."""
    whole = Ensemble("Brusselator", 8, omega=50.0, seed=11)
    _, once = whole.advance(40)
    parts = Ensemble("Brusselator", 8, omega=50.0, seed=11)
    pieces = [parts.advance(n)[1] for n in (13, 1, 26)]
    np.testing.assert_array_equal(np.concatenate(pieces, axis=1), once)


def test_a_budget_stops_inside_a_grid_step_and_the_run_goes_on():
    """A budget of 50 reactions stops before the first grid time (4 paths of about 200
    bindings each per unit time); calls with that budget keep making progress, and the
    stoichiometry is respected."""
    ensemble = Ensemble("Michaelis-Menten", 4, omega=1000.0, dt=1.0, seed=3)
    times, counts = ensemble.advance(1, max_events=50)
    assert times.size == 0 and counts.shape == (4, 0, 4) and ensemble.events == 50
    reached = []
    while not reached:
        reached = list(ensemble.advance(1, max_events=50)[0])
    assert reached == [1.0]
    e, s, c, p = ensemble.counts.T
    assert np.all(e + c == 200) and np.all(s + c + p == 1000)


def test_a_reaction_budget_stops_an_exploding_run_with_a_warning():
    with pytest.warns(RuntimeWarning, match="stopped at t = .* reactions"):
        times, counts = gillespie("Birth-death", 100.0, paths=2, omega=1000.0, max_events=5_000, seed=0)
    assert times[-1] < 100.0 and counts.shape[1] == times.size


@pytest.mark.parametrize(
    ("options", "message"),
    [({"paths": 0}, "paths = 0 is outside"), ({"omega": 1e9}, "omega = 1e\\+09 is outside"), ({"params": {"k": -2}}, "k = -2 is outside")],
)
def test_bad_values_are_refused(options, message):
    with pytest.raises(ValueError, match=message):
        gillespie("Birth-death", 1.0, **options)
