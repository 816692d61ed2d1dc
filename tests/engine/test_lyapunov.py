"""Lyapunov exponents against VALIDATION.md ("Chaos and stability") and closed forms."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

import engine
from engine.diagnostics import (
    RunningLyapunov,
    kaplan_yorke_dimension,
    lyapunov_grid,
    lyapunov_spectrum,
    max_lyapunov_from_series,
    rosenstein_divergence,
)

LORENZ = (0.9056, 0.0, -14.5723)  # Sprott, Chaos and Time-Series Analysis
LORENZ_TRACE = -(10.0 + 1.0 + 8.0 / 3.0)  # the sum of the spectrum is the trace of the Jacobian

# the Lorenz right-hand side without its Jacobian: the tangent vectors follow central differences
LORENZ_BY_DIFFERENCES = dataclasses.replace(engine.get_system("Lorenz"), name="Lorenz by differences", jacobian=None)


def test_lorenz_spectrum_and_its_sum():
    spectrum = lyapunov_spectrum("Lorenz")
    np.testing.assert_allclose(spectrum, LORENZ, atol=0.01)
    assert spectrum.sum() == pytest.approx(LORENZ_TRACE, abs=1e-3)
    assert kaplan_yorke_dimension(spectrum) == pytest.approx(2.062, abs=0.002)


def test_finite_differences_follow_the_analytic_jacobian():
    analytic = lyapunov_spectrum("Lorenz", t_end=200.0)
    differences = lyapunov_spectrum(LORENZ_BY_DIFFERENCES, t_end=200.0)
    np.testing.assert_allclose(differences, analytic, atol=1e-4)


def test_logistic_map_at_r_4_is_ln_2():
    (exponent,) = lyapunov_spectrum("Logistic", params={"r": 4.0})
    assert exponent == pytest.approx(math.log(2), abs=0.005)


def test_tent_map_is_ln_mu():
    (exponent,) = lyapunov_spectrum("Tent", params={"mu": 1.9}, t_end=20_000)
    assert exponent == pytest.approx(math.log(1.9), abs=0.005)


def test_henon_spectrum_sums_to_ln_b():
    # det J = -b at every point, so lambda_1 + lambda_2 = ln b exactly
    spectrum = lyapunov_spectrum("Henon")
    assert spectrum.sum() == pytest.approx(math.log(0.3), abs=1e-9)
    assert spectrum[0] == pytest.approx(0.419, abs=0.01)  # Sprott (2003): 0.41922


def test_hamiltonian_spectrum_comes_in_opposite_pairs():
    # the double pendulum declares no Jacobian: central differences of its right-hand side
    spectrum = lyapunov_spectrum("Double pendulum", t_end=300.0)
    assert spectrum[0] > 0.5
    np.testing.assert_allclose(spectrum, -spectrum[::-1], atol=0.05)


def test_grid_of_parameters_in_parallel():
    # logistic: r = 3.2 has a 2-cycle with multiplier f'(x1) f'(x2) = -r^2 + 2r + 4
    grid = np.array([[3.2], [4.0], [3.2]])
    parallel = lyapunov_grid("Logistic", grid, t_end=20_000, parallel=True)
    serial = lyapunov_grid("Logistic", grid, t_end=20_000, parallel=False)
    np.testing.assert_array_equal(parallel.exponents, serial.exponents)
    assert parallel.exponents[0, 0] == pytest.approx(0.5 * math.log(0.16), abs=1e-3)
    assert parallel.exponents[1, 0] == pytest.approx(math.log(2), abs=0.01)
    assert (parallel.status == -1).all()


def test_running_estimate_continues_the_same_computation():
    running = RunningLyapunov("Lorenz")
    assert np.isnan(running.exponents).all()
    for _ in range(40):
        running.advance(500)
    assert running.elapsed == pytest.approx(200.0)
    offline = lyapunov_spectrum("Lorenz", t_end=200.0, transient=0.0)
    np.testing.assert_allclose(running.exponents, offline, rtol=1e-9)
    running.set_params({"rho": 20.0})  # below the onset of chaos: a stable fixed point
    assert running.elapsed == 0.0
    running.advance(20_000)
    assert running.exponents[0] < 0


def test_diverging_trajectory_gives_nan():
    (exponent,) = lyapunov_spectrum("Logistic", params={"r": 4.0}, state0=[1.5])
    assert math.isnan(exponent)
    running = RunningLyapunov("Logistic", {"r": 4.0}, [1.5])
    running.advance(100)
    assert running.diverged and np.isnan(running.exponents).all()


def test_kaplan_yorke_closed_forms():
    assert kaplan_yorke_dimension(LORENZ) == pytest.approx(2 + 0.9056 / 14.5723)
    assert kaplan_yorke_dimension([-0.1, -1.0]) == 0.0
    assert kaplan_yorke_dimension([0.5, 0.2]) == 2.0
    assert kaplan_yorke_dimension([-2.0, 1.0, 0.5]) == pytest.approx(2.75)  # order does not matter


def test_rosenstein_on_lorenz_and_logistic_series():
    x = engine.simulate("Lorenz", steps=11_000, dt=0.01)["x"].values[1_000:]
    assert max_lyapunov_from_series(x, 0.01) == pytest.approx(LORENZ[0], abs=0.1)
    y = engine.simulate("Logistic", params={"r": 4.0}, steps=3_000)["x"].values[100:]
    result = rosenstein_divergence(y, 1.0, dimension=2, delay=1, separation=1, horizon=20)
    assert result.exponent == pytest.approx(math.log(2), abs=0.03)
    assert result.fit[1] > result.fit[0] + 1


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: lyapunov_spectrum("Ornstein-Uhlenbeck"), "stochastic"),
        (lambda: lyapunov_spectrum("Lorenz", t_end=-1), "t_end"),
        (lambda: lyapunov_spectrum("Lorenz", params={"rho": 1e9}), "rho"),
        (lambda: lyapunov_spectrum("Lorenz", count=4), "count"),
        (lambda: lyapunov_grid("Lorenz", np.ones((2, 2))), "3 columns"),
        (lambda: lyapunov_grid("Logistic", [[9.0]]), "r must lie"),
        (lambda: max_lyapunov_from_series([1.0, 2.0], 0.1), "at least 50"),
        (lambda: max_lyapunov_from_series(np.arange(100.0), 0.0), "dt"),
        (lambda: kaplan_yorke_dimension([0.1, math.nan]), "finite"),
    ],
)
def test_bad_input_is_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()
