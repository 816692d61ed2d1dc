"""Simulation (chunks, ring buffer, parameter changes, ensembles, divergence) and simulate()."""
from __future__ import annotations

import math
import re

import numpy as np
import pytest
from numba import njit

import engine
from engine import Simulation, System, UnknownSystemError, simulate
from engine.jit import JIT  # no disk cache: a test module may be imported under another name later


@njit(**JIT)
def _blow_up(t, y, p):
    return (y[0] * y[0],)


@njit(**JIT)
def _square_root(t, y, p):
    return (-0.5 / y[0],)


def _scalar_flow(name: str, rhs, solver: str, bound: float = 1e8) -> System:
    return System(
        name=name,
        family="flow",
        title=f"{name} (test system, not in the catalog)",
        equations=(r"\dot x = f(x)",),
        variables=("x",),
        parameters=(),
        state0=(1.0,),
        rhs=rhs,
        dt=0.01,
        solver=solver,
        bound=bound,
    )


BLOW_UP = _scalar_flow("Test blow-up", _blow_up, "rk4", bound=1e6)
"""x' = x^2 from x = 1: x = 1 / (1 - t), infinite at t = 1."""

SQUARE_ROOT = _scalar_flow("Test square root", _square_root, "dopri5")
"""x' = -1 / (2 x) from x = 1: x = sqrt(1 - t), which stays bounded but ends at t = 1 with an infinite slope."""

_AFTER = r"after t = ([-+0-9.e]+)"


def _chunks(run: Simulation, sizes) -> tuple[np.ndarray, np.ndarray]:
    parts = [run.advance(k) for k in sizes]
    return np.concatenate([t for t, _ in parts]), np.concatenate([p for _, p in parts], axis=1)


# Chunks and history


@pytest.mark.parametrize("system, solver", [("Lorenz", "rk4"), ("Logistic", "map")])
def test_ten_chunks_equal_one_long_advance_bitwise(system, solver):
    times, points = Simulation(system, solver=solver).advance(1000)
    chunked_times, chunked_points = _chunks(Simulation(system, solver=solver), [100] * 10)
    np.testing.assert_array_equal(chunked_points, points)
    # Times are summed chunk by chunk, so they may differ in the last bit.
    np.testing.assert_allclose(chunked_times, times, rtol=1e-14, atol=1e-12)


def test_dopri5_chunks_continue_the_same_run():
    times, points = Simulation("Lorenz", solver="dopri5").advance(1000)
    chunked_times, chunked_points = _chunks(Simulation("Lorenz", solver="dopri5"), [100] * 10)
    # The step size carries over; sample times differ in the last bit, which
    # moves the landing steps by as much.
    np.testing.assert_allclose(chunked_points, points, rtol=0, atol=1e-9)
    np.testing.assert_allclose(chunked_times, times, rtol=1e-14, atol=1e-12)


@pytest.mark.parametrize("chunk", [100, 70, 249, 250, 600])
def test_history_keeps_the_last_capacity_samples_in_time_order(chunk):
    capacity, total = 250, 1050
    reference = Simulation("Lorenz", capacity=total + 1)
    reference.advance(total)
    full_times, full_points = reference.history()
    run = Simulation("Lorenz", capacity=capacity)
    done = 0
    while done < total:
        run.advance(min(chunk, total - done))
        done = min(done + chunk, total)
        times, points = run.history()
        kept = min(done + 1, capacity)
        assert times.shape == (kept,) and points.shape == (1, kept, 3)
        np.testing.assert_array_equal(points, full_points[:, done + 1 - kept : done + 1])
        np.testing.assert_allclose(times, full_times[done + 1 - kept : done + 1], rtol=1e-14)
        assert np.all(np.diff(times) > 0)
    assert run.t == pytest.approx(total * run.dt)


def test_history_starts_with_the_initial_state():
    run = Simulation("Lorenz", state0=(2.0, 3.0, 4.0))
    times, points = run.history()
    np.testing.assert_array_equal(times, [0.0])
    np.testing.assert_array_equal(points, [[[2.0, 3.0, 4.0]]])


# Parameters and reset


def test_set_params_between_chunks_changes_the_dynamics():
    run = Simulation("Lorenz")
    run.advance(500)
    middle = tuple(run.state[0])
    run.set_params(rho=15.0)
    assert run.params == {"sigma": 10.0, "rho": 15.0, "beta": 8.0 / 3.0}
    _, changed = run.advance(500)
    _, fresh = Simulation("Lorenz", {"rho": 15.0}, middle).advance(500)
    np.testing.assert_array_equal(changed, fresh)
    unchanged = Simulation("Lorenz")
    unchanged.advance(500)
    assert not np.allclose(unchanged.advance(500)[1], changed)


@pytest.mark.parametrize(
    "values, message",
    [
        ({"rho": math.nan}, r"rho must be a finite number in \[0, 200\], got nan"),
        ({"rho": math.inf}, r"rho must be a finite number in \[0, 200\], got inf"),
        ({"rho": "twenty"}, r"rho must be a finite number in \[0, 200\], got 'twenty'"),
        ({"rho": True}, r"rho must be a finite number"),
        ({"rho": None}, r"rho must be a finite number"),
        ({"rho": 250.0}, r"rho = 250 is outside its bounds \[0, 200\]"),
        ({"sigma": -1.0}, r"sigma = -1 is outside its bounds \[0, 50\]"),
        ({"sigma": 12.0, "rho": math.nan}, r"rho must be a finite number"),
        ({"rh": 20.0}, r"Lorenz has no parameter 'rh'; its parameters are \['sigma', 'rho', 'beta'\]"),
    ],
)
def test_invalid_set_params_raises_and_changes_nothing(values, message):
    run, untouched = Simulation("Lorenz"), Simulation("Lorenz")
    run.advance(100)
    untouched.advance(100)
    with pytest.raises(ValueError, match=message):
        run.set_params(**values)
    assert run.params == untouched.params
    assert run.running
    np.testing.assert_array_equal(run.advance(100)[1], untouched.advance(100)[1])


def test_reset_restarts_the_run():
    run = Simulation("Lorenz", capacity=1000)
    _, first = run.advance(300)
    run.set_params(rho=24.5)
    run.reset()
    assert run.t == 0.0 and run.running
    times, points = run.history()
    np.testing.assert_array_equal(times, [0.0])
    np.testing.assert_array_equal(points[0, 0], run.system.state0)
    # Parameters are kept across a reset; only the state and the history restart.
    assert run.params["rho"] == 24.5
    run.set_params(rho=28.0)
    np.testing.assert_array_equal(run.advance(300)[1], first)
    run.reset((2.0, 2.0, 2.0))
    assert run.state0 == (2.0, 2.0, 2.0)
    np.testing.assert_array_equal(run.state, [[2.0, 2.0, 2.0]])
    with pytest.raises(ValueError, match=r"initial state must be 3 numbers \(x, y, z\), got 2"):
        run.reset((1.0, 2.0))
    assert run.state0 == (2.0, 2.0, 2.0)


# Ensembles


def test_ensemble_members_start_near_state0_and_evolve_independently():
    members, spread, state0 = 4, 1e-3, (1.0, 2.0, 20.0)
    run = Simulation("Lorenz", state0=state0, members=members, spread=spread, seed=3)
    start = run.history()[1][:, 0]
    np.testing.assert_array_equal(start[0], state0)
    offsets = np.abs(start[1:] - state0)
    assert np.all(offsets > 0) and np.all(offsets <= spread * np.maximum(1.0, np.abs(state0)))
    assert len({tuple(row) for row in start}) == members
    times, points = run.advance(1000)
    assert points.shape == (members, 1000, 3)
    for m in range(members):
        np.testing.assert_array_equal(points[m], Simulation("Lorenz", state0=start[m]).advance(1000)[1][0])
    # Chaos separates the members; the same seed gives the same offsets, another seed others.
    assert np.abs(points[1:, -1] - points[0, -1]).max() > 1.0
    np.testing.assert_array_equal(Simulation("Lorenz", state0=state0, members=members, spread=spread, seed=3).history()[1], run.history()[1][:, :1])
    assert not np.array_equal(Simulation("Lorenz", state0=state0, members=members, seed=4).history()[1][:, 0], start)


# Divergence


def _after(status: str) -> float:
    """The time of the last kept sample named in a status message."""
    return float(re.search(_AFTER, status).group(1))


@pytest.mark.parametrize("solver", ["rk4", "dopri5"])
def test_blow_up_stops_naming_time_and_variable(solver):
    run = Simulation(BLOW_UP, solver=solver)
    times, points = run.advance(1000)
    assert not run.running
    assert re.fullmatch(
        r"diverged after t = [0-9.]+: x left the range \|x\| <= 1e\+06 or stopped being finite; "
        r"the last finite sample is kept",
        run.status,
    )
    assert 0 < times.size < 1000 and points.shape == (1, times.size, 1)
    assert np.all(np.isfinite(points)) and np.abs(run.state).max() <= BLOW_UP.bound
    # state, t, the message and the history all end at the last finite sample (exact blow-up at t = 1)
    assert run.t == times[-1] and 0.98 < run.t <= 1.0
    assert _after(run.status) == pytest.approx(run.t, abs=5e-7)
    np.testing.assert_array_equal(run.state[0], points[0, -1])
    history_times, history = run.history()
    assert history_times[-1] == run.t
    np.testing.assert_array_equal(history[:, -1], run.state)
    after_times, after_points = run.advance(100)
    assert after_times.shape == (0,) and after_points.shape == (1, 0, 1)
    assert run.history()[0].size == history_times.size
    assert run.to_dataset().attrs["status"] == run.status


def test_logistic_map_started_outside_the_interval_diverges():
    run = Simulation("Logistic", {"r": 4.0}, (1.5,))
    times, points = run.advance(100)
    # 1.5 -> -3 -> -48 -> -9408 -> -3.5e8, beyond the bound 1e8 at iteration 4.
    np.testing.assert_array_equal(times, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(points[0, :, 0], [-3.0, -48.0, -9408.0])
    assert run.status == "diverged after t = 3: x left the range |x| <= 1e+08 or stopped being finite; the last finite sample is kept"
    assert run.t == 3.0
    np.testing.assert_array_equal(run.state, [[-9408.0]])
    assert run.advance(10)[0].size == 0
    run.reset((0.2,))
    assert run.running and run.advance(10)[0].size == 10


def test_ensemble_divergence_names_the_trajectory_and_keeps_members_aligned():
    run = Simulation(BLOW_UP, members=3, seed=0)
    times, points = run.advance(1000)
    assert re.match(r"diverged after t = [0-9.]+ \(trajectory [123] of 3\): x left", run.status)
    assert points.shape == (3, times.size, 1) and np.all(np.isfinite(points))
    # members that had not diverged yet are kept on the same last sample
    np.testing.assert_array_equal(run.state, points[:, -1])
    assert run.t == times[-1] == pytest.approx(_after(run.status), abs=5e-7)


def test_simulate_warns_when_the_run_diverges():
    with pytest.warns(RuntimeWarning, match=r"Test blow-up diverged after t = "):
        run = simulate(BLOW_UP, steps=1000)
    assert run.attrs["status"].startswith("diverged after t = ")
    assert run.sizes["time"] < 1001 and np.all(np.isfinite(run["x"].values))


def test_dopri5_step_size_collapse_is_reported():
    run = Simulation(SQUARE_ROOT)
    times, points = run.advance(200)
    assert re.fullmatch(
        r"stopped after t = [0-9.]+: the adaptive step size collapsed at t = [0-9.]+ \(stiff or singular\); "
        r"try rk4 or a smaller dt; the last finite sample is kept",
        run.status,
    )
    collapsed = float(re.search(r"collapsed at t = ([0-9.]+)", run.status).group(1))
    assert collapsed == pytest.approx(1.0, abs=1e-6)  # sqrt(1 - t) ends at t = 1
    assert times.size < 200 and np.all(np.isfinite(points)) and np.all(np.isfinite(run.state))
    # the state is the last sample, not the substep where the step collapsed
    assert run.t == times[-1] == pytest.approx(_after(run.status), abs=5e-7)
    np.testing.assert_array_equal(run.state[0], points[0, -1])
    assert run.advance(10)[0].size == 0


# Export


def test_to_dataset_records_provenance():
    run = Simulation("Lorenz", {"rho": 24.5}, solver="dopri5", dt=0.02, seed=4)
    run.advance(50)
    data = run.to_dataset()
    attrs = data.attrs
    assert attrs["system"] == "Lorenz" and attrs["family"] == "flow"
    assert attrs["solver"] == "dopri5" and attrs["dt"] == 0.02
    assert (attrs["param_sigma"], attrs["param_rho"], attrs["param_beta"]) == (10.0, 24.5, 8.0 / 3.0)
    assert attrs["parameters"] == "sigma, rho, beta" and attrs["variables"] == "x, y, z"
    np.testing.assert_array_equal(attrs["state0"], (1.0, 1.0, 1.0))
    assert (attrs["final_param_sigma"], attrs["final_param_rho"], attrs["final_param_beta"]) == (10.0, 24.5, 8.0 / 3.0)
    assert attrs["final_dt"] == 0.02 and attrs["changes"] == ""
    assert attrs["seed"] == 4 and attrs["status"] == "ok"
    assert attrs["phasescope_version"] == engine.__version__
    times, points = run.history()
    assert set(data.data_vars) == {"x", "y", "z"} and data["x"].dims == ("time",)
    np.testing.assert_array_equal(data["time"].values, times)
    np.testing.assert_array_equal(data["z"].values, points[0, :, 2])
    ensemble = Simulation("Lorenz", members=3, seed=1).to_dataset()
    assert ensemble["x"].dims == ("member", "time") and ensemble.sizes == {"member": 3, "time": 1}


def test_changes_during_a_run_are_logged_and_exported():
    run = Simulation("Lorenz", dt=0.01)
    run.advance(100)
    run.set_params(rho=20.0)
    run.set_params(rho=24.5, sigma=10.0)  # moved again before the next chunk: one change; sigma did not move
    run.advance(50)
    run.set_dt(0.005)
    run.advance(10)
    run.set_params(beta=2.0, rho=28.0)
    run.set_params(beta=8.0 / 3.0)  # back where it was at this time: no change
    assert [(round(c.t, 9), c.name, c.old, c.new) for c in run.changes] == [
        (1.0, "rho", 28.0, 24.5),
        (1.5, "dt", 0.01, 0.005),
        (1.55, "rho", 24.5, 28.0),
    ]
    attrs = run.to_dataset().attrs
    assert attrs["changes"] == "t=1 rho 28.0 -> 24.5\nt=1.5 dt 0.01 -> 0.005\nt=1.55 rho 24.5 -> 28.0"
    # param_* and dt are the values the run started with, final_* those at export
    assert (attrs["param_rho"], attrs["dt"], attrs["param_beta"]) == (28.0, 0.01, 8.0 / 3.0)
    assert (attrs["final_param_rho"], attrs["final_dt"], attrs["final_param_beta"]) == (28.0, 0.005, 8.0 / 3.0)
    times = run.history()[0]
    assert times[-1] == pytest.approx(1.55) and np.diff(times)[-1] == pytest.approx(0.005)


def test_invalid_changes_are_not_logged_and_reset_clears_the_log():
    run = Simulation("Lorenz")
    run.advance(10)
    run.set_params(rho=24.5)
    with pytest.raises(ValueError, match="rho"):
        run.set_params(rho=math.nan)
    with pytest.raises(ValueError, match="dt"):
        run.set_dt(0.0)
    assert [(c.name, c.old, c.new) for c in run.changes] == [("rho", 28.0, 24.5)]
    run.reset()
    assert run.changes == ()
    # the new run starts with the current values
    attrs = run.to_dataset().attrs
    assert attrs["param_rho"] == attrs["final_param_rho"] == 24.5 and attrs["changes"] == ""


def test_a_map_logs_no_step_change():
    run = Simulation("Logistic")
    run.set_dt(0.5)  # maps always step by one iteration
    assert run.dt == 1.0 and run.changes == ()


# simulate()


def test_simulate_by_steps_and_by_end_time():
    by_steps = simulate("Lorenz", steps=250)
    assert by_steps.sizes["time"] == 251
    assert by_steps["time"].values[0] == 0.0 and by_steps["time"].values[-1] == pytest.approx(2.5)
    assert (by_steps["x"].values[0], by_steps["y"].values[0], by_steps["z"].values[0]) == (1.0, 1.0, 1.0)
    by_time = simulate("Lorenz", t_end=2.5)
    np.testing.assert_array_equal(by_time["x"].values, by_steps["x"].values)
    assert simulate("Logistic", t_end=30).sizes["time"] == 31
    assert simulate("Lorenz").sizes["time"] == 10_001


def test_simulate_rejects_steps_and_t_end_together():
    with pytest.raises(ValueError, match="give steps or t_end, not both"):
        simulate("Lorenz", steps=10, t_end=1.0)


@pytest.mark.parametrize(
    "steps, message",
    [(0, r"steps = 0 is outside"), (-5, r"steps = -5 is outside"), (math.nan, r"steps must be a finite number"),
     ("many", r"steps must be a finite number"), (10.5, r"steps must be a whole number, got 10.5"),
     (6_000_000, r"steps = 6000000 is outside its bounds \[1, 5000000\]")],
)
def test_simulate_rejects_bad_step_counts(steps, message):
    with pytest.raises(ValueError, match=message):
        simulate("Lorenz", steps=steps)


@pytest.mark.parametrize(
    "t_end, message",
    [(0, r"t_end must be positive, got 0"), (-1.5, r"t_end must be positive, got -1.5"),
     (math.inf, r"t_end must be a finite number, got inf"), ("soon", r"t_end must be a finite number, got 'soon'"),
     (1e6, r"t_end = 1e\+06 needs 100,000,000 steps of dt = 0.01, more than the 5,000,000 one run may take; "
           r"choose t_end <= 50000 or a larger dt")],
)
def test_simulate_rejects_bad_end_times_in_their_own_terms(t_end, message):
    with pytest.raises(ValueError, match=message):
        simulate("Lorenz", t_end=t_end)


def test_simulate_end_time_uses_the_given_step_and_reaches_the_limit():
    assert simulate("Lorenz", t_end=1.0, dt=0.1).sizes["time"] == 11
    assert simulate("Lorenz", t_end=1e-6).sizes["time"] == 2  # shorter than one step: one step
    with pytest.raises(ValueError, match=r"t_end = 6 needs 6,000,000 steps of dt = 1e-06"):
        simulate("Lorenz", t_end=6.0, dt=1e-6)
    with pytest.raises(ValueError, match=r"dt must be a finite number in \[1e-09, 10\], got 'zero'"):
        simulate("Lorenz", t_end=1.0, dt="zero")


def test_simulate_takes_the_largest_run_in_one_simulation(monkeypatch):
    # steps and t_end share one limit with the history of a Simulation: the
    # largest run allowed is built once, never refused by the Simulation.
    built = []
    monkeypatch.setattr(engine.stream.Simulation, "advance", lambda self, n: built.append((self.capacity, n)))
    monkeypatch.setattr(engine.stream.Simulation, "to_dataset", lambda self: None)
    simulate("Lorenz", steps=engine.stream.MAX_STEPS)
    simulate("Lorenz", t_end=engine.stream.MAX_STEPS * 0.01)
    assert built == [(engine.stream.MAX_STEPS + 1, engine.stream.MAX_STEPS)] * 2


@pytest.mark.parametrize(
    "options, message",
    [({"members": 2.5}, r"members must be a whole number, got 2.5"),
     ({"capacity": 100.5}, r"capacity must be a whole number, got 100.5"),
     ({"seed": 1.5}, r"seed must be a whole number, got 1.5"),
     ({"capacity": 5_000_002}, r"capacity = 5000002 is outside its bounds \[2, 5000001\]")],
)
def test_simulation_refuses_fractional_counts_instead_of_truncating(options, message):
    with pytest.raises(ValueError, match=message):
        Simulation("Lorenz", **options)


def test_advance_refuses_a_fractional_step_count():
    run = Simulation("Lorenz")
    with pytest.raises(ValueError, match=r"steps must be a whole number, got 2.5"):
        run.advance(2.5)
    assert run.t == 0.0 and run.advance(2.0)[0].size == 2


@pytest.mark.parametrize(
    "params, message",
    [
        ({"rho": math.nan}, r"rho must be a finite number in \[0, 200\], got nan"),
        ({"rho": -math.inf}, r"rho must be a finite number in \[0, 200\], got -inf"),
        ({"beta": "abc"}, r"beta must be a finite number in \[0, 10\], got 'abc'"),
        ({"beta": [1.0]}, r"beta must be a finite number in \[0, 10\]"),
        ({"rho": 200.5}, r"rho = 200.5 is outside its bounds \[0, 200\]"),
        ({"sigma": -0.1}, r"sigma = -0.1 is outside its bounds \[0, 50\]"),
        ({"Rho": 20.0}, r"Lorenz has no parameter 'Rho'; its parameters are \['sigma', 'rho', 'beta'\]"),
    ],
)
def test_simulate_rejects_bad_parameters_naming_them(params, message):
    with pytest.raises(ValueError, match=message):
        simulate("Lorenz", params=params, steps=10)


def test_simulate_takes_numbers_typed_as_text():
    # A value typed by a person arrives as text; a number in it is accepted.
    np.testing.assert_array_equal(
        simulate("Lorenz", params={"rho": " 24.5 "}, steps=10)["x"].values,
        simulate("Lorenz", params={"rho": 24.5}, steps=10)["x"].values,
    )


def test_unknown_system_suggests_close_names():
    with pytest.raises(UnknownSystemError, match=r"no system called 'Lorentz' in the catalog; did you mean .*Lorenz"):
        simulate("Lorentz", steps=10)
    with pytest.raises(KeyError):
        simulate("no such thing at all", steps=10)
    assert simulate("lorenz", steps=3).attrs["system"] == "Lorenz"


@pytest.mark.parametrize(
    "solver, message",
    [("rk5", r"solver 'rk5' does not apply to Lorenz; choose from rk4, dopri5"),
     ("verlet", r"solver 'verlet' does not apply to Lorenz"),
     ("map", r"solver 'map' does not apply to Lorenz")],
)
def test_simulate_rejects_solvers_that_do_not_apply(solver, message):
    with pytest.raises(ValueError, match=message):
        simulate("Lorenz", solver=solver, steps=10)


@pytest.mark.parametrize("dt", [0.0, -0.01, math.inf, 100.0])
def test_simulate_rejects_bad_steps_sizes(dt):
    with pytest.raises(ValueError, match=r"dt"):
        simulate("Lorenz", dt=dt, steps=10)
