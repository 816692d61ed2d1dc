"""Property-based fuzzing of the engine's entry points: whatever a person passes
(NaN, inf, huge, negative, wrong type, wrong length), the answer is finite data
or a ValueError that says what was wrong; nothing crashes or hangs.

The runs are kept short (valid step counts up to a few thousand) so the
whole module takes about half a minute; derandomized so CI sees the same cases.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import engine
from engine.stream import MAX_STEPS

SYSTEMS = ["Lorenz", "Duffing", "Logistic", "Henon", "Ornstein-Uhlenbeck", "Double well"]
"""One or two of each family (flows, maps, stochastic), their kernels already compiled by other tests."""

FUZZ = settings(
    max_examples=250, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)

weird_numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e-320, -1.0, 1e308, -1e308, 2**63, -(2**63), 10**400, MAX_STEPS + 1]),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.booleans(),
)
weird_values = st.one_of(
    weird_numbers,
    st.text(max_size=12),
    st.sampled_from(["nan", "inf", "-inf", "1e999", "3,5", "<script>", "", " 2.5 ", "0x10", "1_000"]),
    st.none(),
    st.lists(st.floats(), max_size=3),
    st.just(object()),
)


def sometimes_weird(valid: st.SearchStrategy) -> st.SearchStrategy:
    """``valid`` most of the time, a weird value one time in five: most calls get past
    their first check and reach the next one."""
    return st.integers(0, 4).flatmap(lambda k: weird_values if k == 0 else valid)


step_counts = sometimes_weird(st.integers(min_value=1, max_value=3000))


def _state(system: engine.System) -> st.SearchStrategy:
    """An initial state: the default, a valid one, or wrong in kind or length."""
    near = st.lists(st.floats(min_value=-2, max_value=2), min_size=system.dimension, max_size=system.dimension)
    wrong = st.one_of(
        st.lists(weird_numbers, min_size=system.dimension, max_size=system.dimension),
        st.lists(st.floats(-1, 1), max_size=system.dimension + 2),  # maybe the wrong length
    )
    return st.integers(0, 4).flatmap(lambda k: st.one_of(wrong, weird_values) if k == 0 else st.one_of(st.none(), near))


def _params(system: engine.System) -> st.SearchStrategy:
    """Values for some parameters, inside their bounds but sometimes weird, now and then an unknown name."""
    entries = [st.tuples(st.just(p.name), sometimes_weird(st.floats(*p.bounds))) for p in system.parameters]
    named = st.lists(st.one_of(entries), max_size=2).map(dict)
    return st.integers(0, 9).flatmap(lambda k: st.just({"not_a_parameter": 1.0}) if k == 0 else named)


@st.composite
def simulate_calls(draw) -> dict:
    system = engine.get_system(draw(st.sampled_from(SYSTEMS)))
    solvers = st.sampled_from(["auto", *system.solvers])
    call = {
        "system": system.name,
        "params": draw(_params(system)),
        "state0": draw(_state(system)),
        "dt": draw(sometimes_weird(st.one_of(st.none(), st.floats(1e-3, 0.05)))),
        "solver": draw(st.integers(0, 4).flatmap(lambda k: st.text(max_size=8) if k == 0 else solvers)),
        "seed": draw(sometimes_weird(st.one_of(st.none(), st.integers(0, 2**32)))),
    }
    if draw(st.booleans()):
        call["steps"] = draw(step_counts)
    else:
        call["t_end"] = draw(sometimes_weird(st.floats(1e-3, 10.0)))
    return call


def _finite_or_value_error(call) -> None:
    try:
        result = call()
    except ValueError as error:
        assert str(error).strip()  # a message a person can read
        event("refused with a ValueError")
        return
    event("accepted: finite data")
    for array in result:
        assert np.isfinite(np.asarray(array, dtype=float)).all()


@FUZZ
@given(simulate_calls())
def test_simulate_gives_finite_data_or_a_clear_error(call):
    def run():
        dataset = engine.simulate(call.pop("system"), **call)
        return [dataset[name].values for name in dataset.data_vars] + [dataset["time"].values]

    _finite_or_value_error(run)


@FUZZ
@given(st.data())
def test_a_live_simulation_survives_whatever_it_is_given(data):
    name = data.draw(st.sampled_from(SYSTEMS))
    system = engine.get_system(name)
    members = data.draw(sometimes_weird(st.integers(1, 4)))
    capacity = data.draw(sometimes_weird(st.integers(2, 5000)))
    try:
        simulation = engine.Simulation(name, members=members, capacity=capacity, seed=0)
    except ValueError as error:
        assert str(error).strip()
        return
    for _ in range(4):
        action = data.draw(st.sampled_from(["params", "dt", "reset", "advance"]))
        if action == "params":
            parameter = data.draw(st.sampled_from([p.name for p in system.parameters]))
            bounds = system.parameter(parameter).bounds
            value = data.draw(sometimes_weird(st.floats(*bounds)))
            _finite_or_value_error(lambda p=parameter, v=value: simulation.set_params(**{p: v}) or [])
        elif action == "dt":
            value = data.draw(sometimes_weird(st.floats(1e-5, 0.1)))
            _finite_or_value_error(lambda v=value: simulation.set_dt(v) or [])
        elif action == "reset":
            _finite_or_value_error(lambda: simulation.reset(data.draw(_state(system))) or [])
        else:
            _finite_or_value_error(lambda: simulation.advance(data.draw(step_counts)))
    times, points = simulation.history()
    assert np.isfinite(times).all() and np.isfinite(points).all()  # what was computed is intact
    assert all(math.isfinite(v) for v in simulation.params.values())


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 10**30, "abc", None, [1.0]])
def test_every_parameter_refuses_a_bad_value_naming_it(value):
    for name in SYSTEMS:
        for parameter in engine.get_system(name).parameters:
            with pytest.raises(ValueError, match=parameter.name):
                engine.Simulation(name, {parameter.name: value}, capacity=2)
