"""Accuracy of each solver: convergence order, tolerance, conservation, statistics.

The oscillator and the pendulum are declared here and never registered, so the
catalog stays as it is; a ``System`` goes straight to ``advance``, ``simulate``
and ``Simulation``.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
import xarray as xr
from numba import njit

from engine import Parameter, Simulation, System, get_system, simulate
from engine.solvers import advance

_JIT = {"nogil": True}  # no disk cache: a test module may be imported under another name later


@njit(**_JIT)
def _oscillator(t, y, p):
    return (y[1], -p[0] * p[0] * y[0])


@njit(**_JIT)
def _pendulum(t, y, p):
    return (y[1], -p[0] * math.sin(y[0]))


def _pendulum_energy(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    return 0.5 * y[..., 1] ** 2 - p[0] * np.cos(y[..., 0])


def _hamiltonian(name: str, rhs, parameter: Parameter, energy=None) -> System:
    return System(
        name=name,
        family="flow",
        title=f"{name} (test system, not in the catalog)",
        equations=(r"\dot q = p", r"\dot p = -\partial V / \partial q"),
        variables=("q", "p"),
        parameters=(parameter,),
        state0=(1.0, 0.0),
        rhs=rhs,
        dt=0.05,
        solver="verlet",
        energy=energy,
        separable=True,
    )


OSCILLATOR = _hamiltonian("Test oscillator", _oscillator, Parameter("omega", 1.0, (0.1, 10.0), 0.1, "angular frequency"))
PENDULUM = _hamiltonian("Test pendulum", _pendulum, Parameter("g", 1.0, (0.1, 10.0), 0.1, "g / L"), _pendulum_energy)


def _trajectory(system: System, solver: str, state, dt: float, n: int, **tolerances) -> np.ndarray:
    """The ``n`` states after the start, ``dt`` apart, from a run that must not stop early."""
    out = np.empty((n, system.dimension))
    result = advance(system, solver, tuple(state), 0.0, dt, n, system.parameter_array(), out, **tolerances)
    assert result.done == n and result.bad == -1
    assert result.t == pytest.approx(n * dt, rel=1e-12)
    return out


def _oscillator_exact(t: np.ndarray) -> np.ndarray:
    """q = cos t, p = -sin t: the oscillator with omega = 1 from (1, 0)."""
    return np.stack([np.cos(t), -np.sin(t)], axis=-1)


def _observed_order(steps, errors) -> float:
    """Slope of log(error) against log(step) (or log(tolerance))."""
    return float(np.polyfit(np.log(steps), np.log(errors), 1)[0])


@pytest.fixture(scope="module")
def lorenz_reference():
    """A point on the Lorenz attractor and the state one time unit later from
    Dormand-Prince at rtol = atol = 1e-13 (error far below what is measured against it)."""
    lorenz = get_system("Lorenz")
    start = tuple(_trajectory(lorenz, "rk4", lorenz.state0, 0.01, 1000)[-1])
    later = _trajectory(lorenz, "dopri5", start, 0.1, 10, rtol=1e-13, atol=1e-13)
    return lorenz, start, later


def test_rk4_global_error_falls_as_dt4_on_the_oscillator():
    steps = [0.1, 0.05, 0.025, 0.0125]
    errors = []
    for dt in steps:
        n = round(10.0 / dt)
        errors.append(np.abs(_trajectory(OSCILLATOR, "rk4", (1.0, 0.0), dt, n)[-1] - _oscillator_exact(10.0)).max())
    assert abs(_observed_order(steps, errors) - 4.0) < 0.2


def test_rk4_global_error_falls_as_dt4_on_lorenz(lorenz_reference):
    lorenz, start, later = lorenz_reference
    steps = [0.01, 0.005, 0.0025, 0.00125]
    errors = [np.abs(_trajectory(lorenz, "rk4", start, dt, round(1.0 / dt))[-1] - later[-1]).max() for dt in steps]
    assert abs(_observed_order(steps, errors) - 4.0) < 0.2


@pytest.mark.parametrize("rtol", [1e-6, 1e-8, 1e-10])
def test_dopri5_meets_its_tolerance(rtol, lorenz_reference):
    # Local error control gives a global error of the order of rtol over a few
    # time units on these smooth, non-stiff problems; 10 rtol leaves room for accumulation.
    times = np.arange(1, 11, dtype=float)
    run = _trajectory(OSCILLATOR, "dopri5", (1.0, 0.0), 1.0, 10, rtol=rtol, atol=1e-3 * rtol)
    assert np.abs(run - _oscillator_exact(times)).max() <= 10 * rtol
    lorenz, start, later = lorenz_reference
    run = _trajectory(lorenz, "dopri5", start, 0.1, 10, rtol=rtol, atol=1e-3 * rtol)
    assert np.abs(run - later).max() <= 10 * rtol * np.abs(later).max()


def test_dopri5_error_scales_with_tolerance(lorenz_reference):
    tolerances = [1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10]
    lorenz, start, later = lorenz_reference
    oscillator, chaotic = [], []
    for rtol in tolerances:
        run = _trajectory(OSCILLATOR, "dopri5", (1.0, 0.0), 1.0, 10, rtol=rtol, atol=1e-3 * rtol)
        oscillator.append(np.abs(run - _oscillator_exact(np.arange(1, 11, dtype=float))).max())
        chaotic.append(np.abs(_trajectory(lorenz, "dopri5", start, 0.1, 10, rtol=rtol, atol=1e-3 * rtol) - later).max())
    # Error per step control with local extrapolation: global error proportional to the tolerance.
    assert _observed_order(tolerances, oscillator) == pytest.approx(1.0, abs=0.2)
    assert _observed_order(tolerances, chaotic) == pytest.approx(1.0, abs=0.2)


def _energy_error(system: System, solver: str, dt: float, n: int) -> np.ndarray:
    p = system.parameter_array()
    run = _trajectory(system, solver, system.state0, dt, n)
    return np.abs(system.energy(run, p) - system.energy(np.array(system.state0), p))


def test_verlet_energy_error_is_bounded_without_drift():
    # Hairer, Lubich, Wanner: Stormer-Verlet energy error bounded, O(dt^2), no drift.
    n, dt = 100_000, 0.05
    error = _energy_error(PENDULUM, "verlet", dt, n)
    tenth = n // 10
    first, last = error[:tenth].max(), error[-tenth:].max()
    assert error.max() < 0.2 * dt**2
    assert last <= 1.05 * first
    # The same measure sees RK4's slow dissipation at a comparable error level,
    # so the check above can tell drift from oscillation.
    drifting = _energy_error(PENDULUM, "rk4", 0.1, n)
    assert drifting[-tenth:].max() > 5 * drifting[:tenth].max()


def test_verlet_is_second_order():
    steps = [0.2, 0.1, 0.05, 0.025]
    energy = [_energy_error(PENDULUM, "verlet", dt, round(200.0 / dt)).max() for dt in steps]
    assert abs(_observed_order(steps, energy) - 2.0) < 0.2
    position = [
        np.abs(_trajectory(OSCILLATOR, "verlet", (1.0, 0.0), dt, round(10.0 / dt))[-1] - _oscillator_exact(10.0)).max()
        for dt in steps
    ]
    assert abs(_observed_order(steps, position) - 2.0) < 0.2


def test_verlet_continues_bitwise_across_chunks():
    # The force is recomputed at the start of each chunk from the same state.
    _, whole = Simulation(PENDULUM).advance(1000)
    run = Simulation(PENDULUM)
    chunks = np.concatenate([run.advance(100)[1] for _ in range(10)], axis=1)
    np.testing.assert_array_equal(chunks, whole)


def test_euler_maruyama_ornstein_uhlenbeck_stationary_statistics():
    theta, mu, s, dt = 2.0, 0.5, 1.0, 0.01
    run = simulate("Ornstein-Uhlenbeck", params={"theta": theta, "mu": mu, "s": s}, steps=1_000_000, dt=dt, seed=20240601)
    x = run["x"].values[1000:]  # drop 10 relaxation times from x0 = 2
    duration = x.size * dt
    variance = s**2 / (2 * theta)  # closed form, stationary OU
    # Euler-Maruyama's own stationary variance, s^2 / (theta (2 - theta dt)), is 1 % above it here.
    discrete = s**2 / (theta * (2 - theta * dt))
    # Standard errors of time averages: the integrated autocorrelation time is
    # 2/theta for x and 1/theta for x^2, with Var(x) = variance and Var(x^2) = 2 variance^2.
    assert abs(x.mean() - mu) < 4 * math.sqrt(variance * 2 / (theta * duration))
    assert abs(x.var() - discrete) < 4 * variance * math.sqrt(2 / (theta * duration))
    assert abs(x.var() - variance) < 0.05 * variance


def test_euler_maruyama_without_noise_is_explicit_euler():
    theta, mu, dt = 1.5, 0.3, 0.01
    run = simulate("Ornstein-Uhlenbeck", params={"theta": theta, "mu": mu, "s": 0.0}, steps=500, dt=dt, seed=1)
    x = [2.0]
    for _ in range(500):
        x.append(x[-1] + dt * (-theta * (x[-1] - mu)))
    np.testing.assert_array_equal(run["x"].values, x)


def test_euler_maruyama_is_reproducible_from_its_seed():
    first = simulate("Ornstein-Uhlenbeck", steps=2000, seed=7)
    xr.testing.assert_identical(first, simulate("Ornstein-Uhlenbeck", steps=2000, seed=7))
    assert not np.array_equal(first["x"].values, simulate("Ornstein-Uhlenbeck", steps=2000, seed=8)["x"].values)
    live = Simulation("Ornstein-Uhlenbeck", seed=7, members=3)
    _, before = live.advance(500)
    live.reset()
    _, again = live.advance(500)
    np.testing.assert_array_equal(before, again)
    assert not np.array_equal(before[0], before[1])


def test_map_iteration_equals_a_numpy_loop():
    rates = np.array([2.8, 3.2, 3.5, 3.83, 3.9, 4.0])
    n = 1000
    x = np.full(rates.shape, 0.2)
    expected = [x]
    for _ in range(n):
        x = rates * x * (1.0 - x)
        expected.append(x)
    expected = np.array(expected)
    for k, r in enumerate(rates):
        run = simulate("Logistic", params={"r": r}, steps=n)
        np.testing.assert_array_equal(run["x"].values, expected[:, k])
        np.testing.assert_array_equal(run["time"].values, np.arange(n + 1))
