"""Reaction-network declarations: checks on declaration, and what derives from them."""
from __future__ import annotations

import numpy as np
import pytest

import engine
from engine import Simulation
from engine.kinetics import Reaction, ReactionNetwork, get_network, networks
from engine.system import Parameter

CATALOG = ("Birth-death", "Schlogl", "Brusselator", "Sel'kov", "Lotka-Volterra", "SIR", "Michaelis-Menten")


def _rate(name: str, default: float = 1.0) -> Parameter:
    return Parameter(name, default, (0.0, 10.0), 0.01, "rate")


def _network(reactions=None, parameters=None, **changes) -> ReactionNetwork:
    declaration = {
        "name": "test",
        "title": "a test network",
        "species": ("A", "B"),
        "reactions": reactions or (Reaction.parse("0 -> A", "k"), Reaction.parse("A -> B", "m")),
        "parameters": parameters or (_rate("k"), _rate("m")),
        "state0": (0.0, 0.0),
        "omega": Parameter("omega", 10.0, (1.0, 1000.0), 1.0, "system size"),
        "dt": 0.1,
        "t_end": 1.0,
    }
    return ReactionNetwork(**{**declaration, **changes})


def test_catalog_holds_the_seven_networks_apart_from_the_system_catalog():
    assert tuple(n.name for n in networks()) == CATALOG
    for network in networks():
        for derived in (network.ode, network.moments):
            with pytest.raises(engine.UnknownSystemError):
                engine.get_system(derived.name)
    assert get_network("schlogl") is get_network("Schlogl")
    with pytest.raises(ValueError, match="did you mean Brusselator"):
        get_network("Bruselator")


def test_reaction_text_is_read_into_stoichiometry():
    reaction = Reaction.parse("2X + Y -> 3X", "c")
    assert reaction.reactants == {"X": 2, "Y": 1} and reaction.products == {"X": 3}
    assert str(reaction) == "2X + Y -> 3X"
    assert Reaction.parse("∅ -> X", "k").reactants == {}
    network = get_network("Brusselator")
    np.testing.assert_array_equal(network.reactants, [[0, 0], [1, 0], [2, 1], [1, 0]])
    np.testing.assert_array_equal(network.change, [[1, 0], [-1, 1], [1, -1], [-1, 0]])


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: _network(reactions=(Reaction.parse("0 -> C", "k"), Reaction.parse("A -> B", "m"))), "unknown species \\['C'\\]"),
        (lambda: _network(parameters=(Parameter("k", 1.0, (-1.0, 2.0), 0.1, "rate"), _rate("m"))), "rate constants cannot be negative"),
        (lambda: Reaction({"A": 0}, {"B": 1}, "k"), "coefficient 0; it must be a positive whole number"),
        (lambda: Reaction({"A": 1.5}, {"B": 1}, "k"), "coefficient 1.5"),
        (lambda: Reaction({"A": True}, {"B": 1}, "k"), "coefficient True"),
        (lambda: Reaction.parse("-1A -> B", "k"), "cannot read '-1A'"),
        (lambda: Reaction.parse("A => B", "k"), "must be written 'reactants -> products'"),
        (lambda: Reaction.parse("2A + 2B -> C", "k"), "order 4"),
        (lambda: Reaction.parse("A + B -> B + A", "k"), "changes nothing"),
        (lambda: _network(reactions=(Reaction.parse("0 -> A", "k"), Reaction.parse("A -> B", "q"))), "rate 'q', which is not among"),
        (lambda: _network(parameters=(_rate("k"), _rate("m"), _rate("z"))), "rates \\['z'\\] are used by no reaction"),
        (lambda: _network(species=("A", "A")), "species names must be distinct"),
        (lambda: _network(state0=(-1.0, 0.0)), "initial A must be a finite non-negative concentration"),
        (lambda: _network(state0=(1.0,)), "initial state must be 2 concentrations"),
        (lambda: _network(omega=Parameter("omega", 1.0, (0.0, 10.0), 1.0, "size")), "positive bounds"),
    ],
)
def test_bad_declarations_are_refused_with_a_clear_message(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_values_from_a_person_are_checked():
    network = get_network("Birth-death")
    with pytest.raises(ValueError, match="k = -1 is outside its bounds"):
        network.rate_constants({"k": -1.0})
    with pytest.raises(ValueError, match="no rate 'kk'"):
        network.rate_constants({"kk": 1.0})
    with pytest.raises(ValueError, match="omega = 0 is outside its bounds"):
        network.check_omega(0)
    with pytest.raises(ValueError, match="omega must be a finite number"):
        network.check_omega("big")


def test_propensities_scale_with_system_size_by_reaction_order():
    """c_r = k_r omega^(1 - order): per-volume rates for sources, per-pair rates fall as 1/omega."""
    network = get_network("Schlogl")  # orders 2, 3, 0, 1
    k = network.rate_constants()
    np.testing.assert_allclose(network.propensity_constants(omega=10.0), k * np.array([0.1, 0.01, 10.0, 1.0]))


@pytest.mark.parametrize(("name", "flow", "params", "flow_params"), [
    ("Brusselator", "Brusselator", {"a": 1.3, "b": 2.5}, [1.3, 2.5]),
    ("Sel'kov", "Sel'kov", {"a": 0.1, "b": 0.7}, [0.1, 0.7]),
    ("SIR", "SIR", {"beta": 0.3, "gamma": 0.1}, [0.3, 0.1]),
])
def test_derived_rate_equations_equal_the_hand_written_flows(name, flow, params, flow_params):
    network = get_network(name)
    system, reference = network.ode, engine.get_system(flow)
    p = network.parameter_array(params)
    rng = np.random.default_rng(0)
    for y in rng.uniform(0.0, 3.0, size=(5, len(network.species))):
        np.testing.assert_allclose(system.rhs(0.0, tuple(y), p), reference.rhs(0.0, tuple(y), np.array(flow_params)), rtol=1e-12)
        np.testing.assert_allclose(system.jacobian(0.0, tuple(y), p), reference.jacobian(0.0, tuple(y), np.array(flow_params)), rtol=1e-12, atol=1e-12)


def test_jacobian_matches_finite_differences():
    network = get_network("Michaelis-Menten")
    system, p = network.ode, network.parameter_array()
    y = np.array([0.3, 0.8, 0.1, 0.2])
    h = 1e-6
    numeric = np.array([(np.array(system.rhs(0.0, tuple(y + h * e), p)) - np.array(system.rhs(0.0, tuple(y - h * e), p))) / (2 * h) for e in np.eye(4)]).T
    np.testing.assert_allclose(system.jacobian(0.0, tuple(y), p), numeric, atol=1e-8)


def test_rate_equations_run_on_the_engine_solvers():
    """Birth-death from zero: x(t) = (k/gamma)(1 - exp(-gamma t)), on RK4 and Dormand-Prince."""
    network = get_network("Birth-death")
    for solver in ("rk4", "dopri5"):
        run = Simulation(network.ode, {"k": 4.0, "gamma": 0.5}, (0.0,), solver=solver, dt=0.01)
        times, points = run.advance(500)
        np.testing.assert_allclose(points[0, :, 0], 8.0 * (1.0 - np.exp(-0.5 * times)), rtol=1e-8)
