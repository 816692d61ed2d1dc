"""Normal moment closure: exact for linear networks, flagged where it fails."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.linalg import expm

from engine.kinetics import Reaction, ReactionNetwork, get_network
from engine.kinetics.gillespie import gillespie
from engine.kinetics.moments import (
    closure_flags,
    moment_closure,
    spurious_oscillation,
    unpack_moments,
    unphysical_moments,
)
from engine.system import Parameter


def test_birth_death_moments_are_exact():
    """From n0 molecules: binomial survivors plus Poisson newcomers,
    mean = n0 e^{-gt} + (k/g)(1 - e^{-gt}), var = n0 e^{-gt}(1 - e^{-gt}) + (k/g)(1 - e^{-gt})."""
    k, g, n0 = 10.0, 0.7, 40.0
    network = get_network("Birth-death")
    assert network.linear
    times, mean, cov = moment_closure(network, 6.0, params={"k": k, "gamma": g}, omega=1.0, state0=(n0,), dt=0.1)
    decay = np.exp(-g * times)
    np.testing.assert_allclose(mean[:, 0], n0 * decay + k / g * (1 - decay), rtol=1e-7)
    np.testing.assert_allclose(cov[:, 0, 0], n0 * decay * (1 - decay) + k / g * (1 - decay), rtol=1e-7, atol=1e-10)


def test_linear_two_species_moments_are_exact():
    """0 -> A (k1), A -> B (k2), A -> 0 (g1), B -> 0 (g2) from no molecules: the copy numbers
    are independent Poisson with means solving the rate equations (Jahnke and Huisinga 2007),
    mu(t) = A^{-1}(e^{At} - I) b, so variances equal means and the covariance is zero."""
    rates = {"k1": 5.0, "k2": 0.8, "g1": 0.3, "g2": 0.5}
    network = ReactionNetwork(
        name="linear pair",
        title="monomolecular two-species network",
        species=("A", "B"),
        reactions=(
            Reaction.parse("0 -> A", "k1"),
            Reaction.parse("A -> B", "k2"),
            Reaction.parse("A -> 0", "g1"),
            Reaction.parse("B -> 0", "g2"),
        ),
        parameters=tuple(Parameter(name, value, (0.0, 10.0), 0.01, "rate") for name, value in rates.items()),
        state0=(0.0, 0.0),
        omega=Parameter("omega", 20.0, (1.0, 1000.0), 1.0, "system size"),
        dt=0.1,
        t_end=5.0,
    )
    assert network.linear
    omega = 20.0
    times, mean, cov = moment_closure(network, 5.0, omega=omega)
    drift = np.array([[-(rates["k2"] + rates["g1"]), 0.0], [rates["k2"], -rates["g2"]]])
    source = np.array([rates["k1"], 0.0]) * omega
    expected = np.array([np.linalg.solve(drift, (expm(drift * t) - np.eye(2)) @ source) for t in times])
    np.testing.assert_allclose(mean * omega, expected, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(cov[:, [0, 1], [0, 1]] * omega**2, expected, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(cov[:, 0, 1] * omega**2, 0.0, atol=1e-9)


def test_second_order_moments_match_the_stochastic_paths_at_moderate_size():
    """Brusselator at omega = 200 before the paths dephase (t <= 2): closure mean and
    variance agree with 400 paths within their sampling error."""
    _times, mean, cov = moment_closure("Brusselator", 2.0, omega=200.0, dt=0.5)
    _, counts = gillespie("Brusselator", 2.0, paths=400, omega=200.0, dt=0.5, seed=5)
    x = counts / 200.0
    sem = x.std(axis=0) / np.sqrt(400)
    assert np.all(np.abs(x.mean(axis=0) - mean) < 4 * sem + 1e-12)
    np.testing.assert_allclose(x.var(axis=0)[1:], np.diagonal(cov, axis1=1, axis2=2)[1:], rtol=0.2)


def test_unpacking_moment_states():
    mean, cov = unpack_moments(np.array([1.0, 2.0, 0.5, 0.1, 0.7]), 2)
    np.testing.assert_array_equal(mean, [1.0, 2.0])
    np.testing.assert_array_equal(cov, [[0.5, 0.1], [0.1, 0.7]])


def test_closure_failure_at_small_system_size_is_flagged():
    """SIR at omega = 100: the closure mean of I goes negative (it then diverges);
    at omega = 5,000 nothing is flagged."""
    species = get_network("SIR").species
    times, mean, cov = moment_closure("SIR", 8.0, omega=100.0)
    assert unphysical_moments(times, mean, cov, species).startswith("moment closure failed: E[I] = -")
    times, mean, cov = moment_closure("SIR", 8.0, omega=5000.0)
    assert unphysical_moments(times, mean, cov, species) is None


def test_false_oscillations_are_flagged_against_the_paths():
    """Brusselator at omega = 30: the paths dephase so their mean settles, while the
    closure mean keeps cycling; birth-death has nothing to flag."""
    network = get_network("Brusselator")
    times, mean, cov = moment_closure(network, 30.0, omega=30.0, dt=0.1)
    _, counts = gillespie(network, 30.0, paths=200, omega=30.0, dt=0.1, seed=2)
    x = counts / 30.0
    late = times >= 15.0
    flags = closure_flags(network.species, times[late], mean[late], cov[late], x.mean(0)[late], x.std(0)[late] / np.sqrt(200))
    assert flags == [f"moment closure failed: the mean of {s} oscillates, the mean of the stochastic paths does not" for s in "XY"]

    times, mean, cov = moment_closure("Birth-death", 10.0)
    _, counts = gillespie("Birth-death", 10.0, paths=200, seed=2)
    assert closure_flags(("X",), times, mean, cov, counts.mean(0), counts.std(0) / np.sqrt(200)) == []


def test_spurious_oscillation_compares_swings():
    t = np.linspace(0.0, 20.0, 400)[:, None]
    cycling = 1.0 + 0.5 * np.sin(t)
    flat = np.ones_like(t)
    sem = np.full_like(t, 0.01)
    assert spurious_oscillation(cycling, flat, sem).tolist() == [True]
    assert spurious_oscillation(cycling, cycling, sem).tolist() == [False]
    assert spurious_oscillation(flat, flat, sem).tolist() == [False]


@pytest.mark.parametrize("omega", [0.5, float("nan")])
def test_bad_system_size_is_refused(omega):
    with pytest.raises(ValueError, match="omega"):
        moment_closure("Birth-death", 1.0, omega=omega)
