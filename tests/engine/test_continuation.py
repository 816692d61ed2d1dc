"""Continuation of equilibria: Sel'kov's two Hopf points, the saddle-node and pitchfork normal forms."""
from __future__ import annotations

import math

import numpy as np
import pytest
from numba import njit

import engine
from engine.jit import CACHED_JIT
from engine.system import Parameter, System


@njit(**CACHED_JIT)
def _saddle_node(t, y, p):
    return (p[0] - y[0] * y[0],)


@njit(**CACHED_JIT)
def _pitchfork(t, y, p):
    return (p[0] * y[0] - y[0] ** 3,)


def _normal_form(name: str, rhs, equation: str) -> System:
    return System(
        name=name, family="flow", title=f"{name} normal form", equations=(equation,), variables=("x",),
        parameters=(Parameter("mu", 0.0, (-2.0, 2.0), 0.01, "distance from the bifurcation"),),
        state0=(0.5,), rhs=rhs, dt=0.01, solver="rk4",
    )


SADDLE_NODE = _normal_form("Saddle-node", _saddle_node, r"\dot x = \mu - x^2")
PITCHFORK = _normal_form("Pitchfork", _pitchfork, r"\dot x = \mu x - x^3")


def _branches(ds):
    return [ds.where(ds["branch"] == k, drop=True) for k in np.unique(ds["branch"].values)]


def test_selkov_hopf_points_at_a_008():
    ds = engine.continuation("Sel'kov", "b", 0.1, 1.2, params={"a": 0.08})
    assert ds["special_kind"].values.tolist() == ["hopf", "hopf"]
    # b^2 = (1 - 2a -+ sqrt(1 - 8a)) / 2 (Strogatz 7.3): 0.3464 and 0.8485
    a = 0.08
    expected = [math.sqrt((1 - 2 * a - math.sqrt(1 - 8 * a)) / 2), math.sqrt((1 - 2 * a + math.sqrt(1 - 8 * a)) / 2)]
    assert ds["special_value"].values == pytest.approx(expected, abs=1e-6)
    assert ds["special_value"].values == pytest.approx([0.3464, 0.8485], abs=1e-3)
    assert ds["special_x"].values == pytest.approx(ds["special_value"].values)  # the equilibrium (b, b / (a + b^2))
    b, stable = ds["b"].values, ds["stable"].values
    assert np.all(stable[(b < 0.34) | (b > 0.85)]) and not np.any(stable[(b > 0.35) & (b < 0.84)])
    assert ds.attrs["a"] == 0.08 and ds.attrs["parameter"] == "b"


def test_saddle_node_fold_at_zero_joins_the_stable_and_unstable_branches():
    ds = engine.continuation(SADDLE_NODE, "mu", 1.0, -1.0)
    assert ds["special_kind"].values.tolist() == ["fold"]
    assert ds["special_value"].values[0] == pytest.approx(0.0, abs=1e-8)
    assert ds["special_x"].values[0] == pytest.approx(0.0, abs=1e-4)
    mu, x, stable = ds["mu"].values, ds["x"].values, ds["stable"].values
    assert -1e-12 <= mu.min() < 1e-4  # through the fold, nothing for mu < 0
    assert np.allclose(mu, x * x, atol=1e-9)
    assert np.all(stable[x > 1e-3]) and not np.any(stable[x < -1e-3])


def test_pitchfork_branch_point_and_the_stability_of_each_branch():
    ds = engine.continuation(PITCHFORK, "mu", -1.0, 1.0, state=(0.0,))
    assert ds["special_kind"].values.tolist() == ["branch point"]
    assert ds["special_value"].values[0] == pytest.approx(0.0, abs=1e-6)
    trivial, *others = _branches(ds)
    assert np.allclose(trivial["x"].values, 0.0, atol=1e-12)
    mu = trivial["mu"].values
    away = np.abs(mu) > 1e-9
    assert np.array_equal(trivial["stable"].values[away], mu[away] < 0)  # f'(0) = mu
    assert sorted(np.sign(b["x"].values[-1]) for b in others) == [-1.0, 1.0]
    for branch in others:
        mu, x = branch["mu"].values, branch["x"].values
        assert np.allclose(x * x, mu, atol=1e-9) and mu.max() >= 1.0
        assert branch["stable"].values.all()  # f'(x) = mu - 3 x^2 = -2 mu < 0


def test_logistic_fixed_point_period_doubling_at_r_3():
    ds = engine.continuation("Logistic", "r", 2.0, 3.5, state=(0.5,))
    assert ds["special_kind"].values.tolist() == ["period doubling"]
    assert ds["special_value"].values[0] == pytest.approx(3.0, abs=1e-7)


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="differ"):
        engine.continuation("Sel'kov", "b", 0.5, 0.5)
    with pytest.raises(KeyError, match="no parameter"):
        engine.continuation("Sel'kov", "c", 0.1, 0.5)
    with pytest.raises(ValueError, match="no equilibrium"):
        engine.continuation(SADDLE_NODE, "mu", -1.0, 1.0, state=(0.3,))
