"""Klein-Gordon fields: kink masses, the exact breather, bounded energy error, the CFL bound, export."""
from __future__ import annotations

import numpy as np
import pytest

import engine
from engine.fields import (
    FieldSimulation,
    PeriodicGrid,
    initial_field,
    kink_mass,
    sine_gordon_breather,
)


def test_grid_has_no_duplicated_endpoint():
    grid = PeriodicGrid(16, -1.0, 1.0)
    assert grid.dx == 0.125 and grid.x[-1] == 0.875 and grid.x[0] == -1.0


def test_phi4_kink_antikink_energy_is_twice_the_kink_mass():
    sim = FieldSimulation("phi4", "kink_antikink", 1024, -50, 50)
    assert kink_mass("phi4") == pytest.approx(0.942809, abs=1e-6)
    assert sim.energy() == pytest.approx(2 * kink_mass("phi4"), rel=1e-8)
    heavy = FieldSimulation("phi4", "kink_antikink", 1024, -50, 50, params={"lam": 2.0, "v": 0.8})
    assert heavy.energy() == pytest.approx(2 * kink_mass("phi4", {"lam": 2.0, "v": 0.8}), rel=1e-8)
    moving = FieldSimulation("phi4", "collision", 1024, -50, 50, initial_params={"speed": 0.6})
    assert moving.energy() == pytest.approx(2 * kink_mass("phi4") / np.sqrt(1 - 0.36), rel=1e-8)  # 2 M gamma
    assert moving.momentum() == pytest.approx(0.0, abs=1e-12)  # equal and opposite


def test_sine_gordon_pair_and_breather_energies():
    pair = FieldSimulation("sine_gordon", "kink_antikink", 1024, -50, 50)
    assert pair.energy() == pytest.approx(16.0, rel=1e-8)
    breather = FieldSimulation("sine_gordon", "breather", 512, -40, 40)
    assert breather.energy() == pytest.approx(16 * np.sqrt(0.75), rel=1e-8)


def _outermost_zero(sim: FieldSimulation) -> float:
    """|x| of the farthest sign change of phi: where the kinks are."""
    crossings = np.flatnonzero(np.sign(sim.phi[:-1]) != np.sign(sim.phi[1:]))
    return float(np.abs(sim.x[crossings]).max()) if crossings.size else 0.0


@pytest.mark.parametrize(("speed", "escapes"), [(0.15, False), (0.30, True)])
def test_phi4_pair_escapes_above_the_critical_speed_and_is_captured_below(speed, escapes):
    """Campbell et al. (1983): v_c = 0.2598; above it the pair bounces once and separates, well below it forms a bion."""
    sim = FieldSimulation("phi4", "collision", 1024, -50, 50, initial_params={"speed": speed, "separation": 20.0})
    positions = []
    for _ in range(20):
        sim.advance(round(5.0 / sim.dt))
        positions.append(_outermost_zero(sim))
    late = np.array(positions[-6:])  # t from 75 to 100, long after the collision near t = 30
    if escapes:
        assert late[-1] > 8.0 and np.all(np.diff(late) > 0)
    else:
        assert late.max() < 5.0


def test_breather_stays_on_the_exact_solution_for_ten_periods():
    omega = 0.5
    period = 2 * np.pi / omega
    sim = FieldSimulation("sine_gordon", "breather", 512, -40, 40, dt=0.0015, initial_params={"omega": omega})
    chunks, per_chunk = 50, round(10 * period / 0.0015 / 50)
    sim.set_dt(10 * period / (chunks * per_chunk))
    error = 0.0
    for _ in range(chunks):
        sim.advance(per_chunk)
        exact, exact_t = sine_gordon_breather(sim.x, sim.t, omega)
        error = max(error, np.abs(sim.phi - exact).max())
    assert sim.t == pytest.approx(10 * period)
    assert error < 1e-3
    assert np.abs(sim.pi - exact_t).max() < 1e-3


def test_energy_error_bounded_without_drift_over_1e5_steps():
    sim = FieldSimulation("phi4", "collision", 256, -25, 25, initial_params={"separation": 10.0, "speed": 0.3})
    errors = []
    for _ in range(200):
        sim.advance(500)
        errors.append(sim.energy_error)
    errors = np.array(errors)
    assert sim.t == pytest.approx(1e5 * sim.dt)
    assert errors.max() < 2e-4
    first, last = errors[:100].max(), errors[100:].max()
    assert last < 2 * first  # oscillates, does not grow


def test_step_above_the_cfl_bound_is_refused_and_a_new_step_runs_cleanly():
    sim = FieldSimulation("sine_gordon", "breather", 256, -20, 20)
    with pytest.raises(ValueError, match="CFL bound"):
        sim.set_dt(2 * sim.max_dt)
    with pytest.raises(ValueError, match="CFL bound"):
        FieldSimulation("phi4", "kink_antikink", 256, -50, 50, dt=1.0)
    sim.advance(200)
    sim.set_dt(0.5 * sim.dt)
    sim.advance(400)
    assert sim.energy_error < 1e-4
    exact, _ = sine_gordon_breather(sim.x, sim.t, 0.5)
    assert np.abs(sim.phi - exact).max() < 1e-3  # no kick where the step changed
    assert sim.changes and "dt" in sim.changes[0]


def test_bad_combinations_are_refused():
    grid = PeriodicGrid(64, -10, 10)
    with pytest.raises(ValueError, match="sine-Gordon"):
        initial_field(grid, "breather", "phi4")
    with pytest.raises(ValueError, match="two vacua"):
        initial_field(grid, "kink_antikink", "linear")
    with pytest.raises(ValueError, match="unknown"):
        FieldSimulation("phi4", "kink_antikink", params={"mass": 2})
    with pytest.raises(ValueError, match="potential"):
        FieldSimulation("quartic")


def test_recorded_energy_and_momentum_are_those_of_the_field():
    sim = FieldSimulation("sine_gordon", "collision", 512, -40, 40, initial_params={"speed": 0.5})
    sim.pi += 0.1 * np.sin(2 * np.pi * sim.x / 80)  # break the symmetry: momentum becomes nonzero
    for _ in range(3):
        sim.advance(50)
        _, _, energies, momenta = sim.history()
        assert energies[-1] == pytest.approx(sim.energy(), rel=1e-12)
        assert momenta[-1] == pytest.approx(sim.momentum(), rel=1e-10)
    assert abs(momenta[-1]) > 1e-3


def test_entropies_of_the_energy_density():
    sim = FieldSimulation("linear", "wave_packet", 512, -30, 30)
    values = sim.entropies()
    assert 0 < values["shannon"] < np.log(512)
    assert values["renyi"] <= values["shannon"]
    assert 0 < values["tsallis"] < 1
    sim.advance(2000)  # the packet spreads: its energy density gets more uniform
    assert sim.entropies()["shannon"] > values["shannon"]


def test_export_round_trips_through_netcdf(tmp_path):
    sim = FieldSimulation("phi4", "collision", 256, -25, 25, capacity=5)
    for _ in range(8):
        sim.advance(10)
    sim.set_dt(sim.dt / 2)
    sim.advance(10)
    dataset = sim.to_dataset()
    assert dataset.phi.dims == ("time", "x") and dataset.phi.shape == (5, 256)
    assert np.all(np.diff(dataset.time.values) > 0) and dataset.time.values[-1] == sim.t
    loaded = engine.load(engine.save(dataset, tmp_path / "field.nc"))
    np.testing.assert_array_equal(loaded.phi.values, dataset.phi.values)
    assert loaded.attrs["potential"] == "phi4" and "dt" in loaded.attrs["changes"]
