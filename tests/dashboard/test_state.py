"""The explorer's param model driven headlessly: every person input validated where it enters."""
from __future__ import annotations

import math

import numpy as np
import pytest

import engine
from dashboard.state import MAX_FRAME_POINTS, ExplorerState


@pytest.fixture
def state():
    return ExplorerState()


def test_defaults_to_lorenz_and_ticks(state):
    assert state.system_name == "Lorenz"
    assert (state.x_axis, state.y_axis) == ("x", "z")
    frame = state.tick()
    assert frame.points.shape[0] == 1 and frame.points.shape[2] == 3
    assert frame.times.size >= 1
    assert state.simulation.t == pytest.approx(frame.times[-1])


@pytest.mark.parametrize("bad", ["nan", "inf", "-inf", "abc", "", "1e400", float("nan"), None, [1, 2], "500"])
def test_bad_parameter_values_keep_the_run(state, bad):
    before = state.simulation.params
    state.tick()
    t = state.simulation.t
    assert state.set_param("rho", bad) is False
    assert "rho" in state.message
    assert state.simulation.params == before
    state.tick()
    assert state.simulation.t > t  # the session keeps running


def test_typed_parameter_changes_dynamics(state):
    assert state.set_param("rho", "0.5")
    assert state.message == ""
    assert state.simulation.params["rho"] == 0.5
    state.steps_per_frame = 2000
    for _ in range(10):
        state.step()
    # below rho = 1 the origin is globally attracting
    assert np.abs(state.simulation.state).max() < 1e-3


def test_unknown_parameter_and_system(state):
    assert not state.set_param("nope", 1)
    assert "nope" in state.message
    assert not state.select_system("lorentz")
    assert "Lorenz" in state.message  # suggestion
    assert state.system_name == "Lorenz"


def test_initial_state_text(state):
    assert state.set_state_text("1, 2, 3")
    assert state.simulation.state0 == (1.0, 2.0, 3.0)
    assert state.simulation.t == 0.0
    for bad in ("1, 2", "1, nan, 3", "a b c", "1e300 1 1", ""):
        assert not state.set_state_text(bad)
        assert state.message
    assert state.simulation.state0 == (1.0, 2.0, 3.0)


def test_click_sets_the_two_plotted_variables(state):
    state.tick()
    z_before = state.simulation.state[0][1]
    assert state.set_initial_point(3.5, 12.0)
    x, y, z = state.simulation.state0
    assert (x, z) == (3.5, 12.0)
    assert y == pytest.approx(z_before)
    assert not state.set_initial_point(float("nan"), 1.0)
    state.x_axis = "t"
    assert not state.set_initial_point(1.0, 1.0)
    assert "axes" in state.message


def test_divergence_stops_with_status_and_keeps_last_state():
    state = ExplorerState("Logistic")
    assert state.set_state_text("1.5")
    assert state.set_param("r", 4.0)
    for _ in range(20):
        state.tick()
    assert not state.simulation.running
    assert not state.playing
    assert "diverged" in state.status and "x" in state.status
    assert all(math.isfinite(v) for v in state.simulation.state[0])
    assert state.tick() is None
    # a later valid input does not hide why the run stopped
    assert state.set_param("r", 3.5)
    assert state.message == "" and "diverged" in state.status
    state.reset()
    assert state.status == "" and state.playing


def test_one_restart_per_change_and_exact_states():
    state = ExplorerState("Henon-Heiles")
    generation = state.generation
    state0 = state.simulation.state0
    state.members = 2
    assert state.generation == generation + 1
    assert state.simulation.state0 == state0  # not rounded through text
    state.x_axis, state.y_axis = "x", "y"
    assert state.set_initial_point(0.123456789, 0.0987654321)
    assert state.simulation.state0[:2] == (0.123456789, 0.0987654321)


def test_return_map_axes_pair_consecutive_iterates():
    state = ExplorerState("Logistic")
    assert (state.x_axis, state.y_axis) == ("x", "x'")
    frames = [state.step() for _ in range(3)]
    for frame in frames:
        x = state.axis_values("x", frame.times, frame.points, frame.previous)
        x_next = state.axis_values("x'", frame.times, frame.points, frame.previous)
        r = state.simulation.params["r"]
        np.testing.assert_allclose(x_next, r * x * (1 - x), rtol=1e-12)
    x, y = state.portrait_history()
    np.testing.assert_allclose(y, state.simulation.params["r"] * x * (1 - x), rtol=1e-12)


def test_frames_are_thinned_to_what_a_frame_can_show(state):
    state.steps_per_frame = 20_000
    frame = state.step()
    assert frame.times.size == MAX_FRAME_POINTS
    assert state.simulation.t == pytest.approx(20_000 * state.simulation.dt)
    assert frame.times[-1] == pytest.approx(state.simulation.t)  # the newest point is always shown


def test_time_budget_adapts_steps():
    state = ExplorerState(frame_budget=0.001, members=16)
    state.solver = "dopri5"  # 16 adaptive trajectories: far more than a millisecond per 20,000 steps
    state.steps_per_frame = 20_000
    for _ in range(5):
        state.tick()
    assert state.effective_steps < 20_000
    state.frame_budget = 1.0
    for _ in range(20):
        state.tick()
    assert state.effective_steps == 20_000


def test_ensemble_and_solver_switch(state):
    state.members = 4
    frame = state.tick()
    assert frame.points.shape[0] == 4
    state.solver = "dopri5"
    assert state.simulation.solver == "dopri5" and state.simulation.members == 4
    frame = state.tick()
    assert np.isfinite(frame.points).all()


def test_url_query_is_validated():
    state = ExplorerState()
    assert state.apply_query({"system": "logistic", "r": "3.2", "speed": "3", "trajectories": "2"})
    assert state.system_name == "Logistic"
    assert state.simulation.params["r"] == 3.2
    assert state.steps_per_frame == 3 and state.members == 2
    state = ExplorerState()
    assert not state.apply_query({"rho": "<script>alert(1)</script>", "speed": "1e9", "bogus": "1"})
    assert "rho" in state.message and "speed" in state.message and "bogus" in state.message
    assert state.simulation.params == engine.get_system("lorenz").defaults
