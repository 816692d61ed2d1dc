"""One contract suite over every registered system, plus physics spot-checks.

Every system in ``engine.catalog()`` must be declared sanely (its
``nonautonomous`` flag true exactly when its functions depend on time),
integrate finitely from its defaults with its default solver, give finite data
or a stop message (never an exception) from any start, keep its Jacobian equal
to a finite difference of its right-hand side, conserve its ``energy`` when it
declares one, and refuse parameters outside their bounds. Adding a system to
the catalog adds it to every test here (the model is scikit-learn's estimator
checks and Mesa's "every example builds").
"""
from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pytest

import engine
from engine.system import FAMILIES, SOLVERS

SYSTEMS = engine.catalog()


def _params(predicate=lambda system: True):
    return [pytest.param(system, id=system.name) for system in SYSTEMS if predicate(system)]


def _trajectory(ds, system) -> np.ndarray:
    """The run as an array of shape (time, dimension)."""
    return np.stack([ds[name].values for name in system.variables], axis=-1)


def _derivative(system, t: float, y: np.ndarray, p: np.ndarray) -> np.ndarray:
    state = tuple(float(v) for v in y)
    value = system.rhs(state, p) if system.family == "map" else system.rhs(t, state, p)
    return np.array(value, dtype=float)


# --------------------------------------------------------------------------- the catalog as a whole


def test_catalog_covers_the_families():
    families = {family: len(engine.catalog(family)) for family in FAMILIES}
    assert len(SYSTEMS) >= 25, f"only {len(SYSTEMS)} systems registered"
    assert families["flow"] >= 10 and families["map"] >= 5 and families["sde"] >= 3, families
    assert sum(system.jacobian is not None for system in SYSTEMS) >= 15
    assert any(system.separable and system.solver == "verlet" for system in SYSTEMS)


def test_unknown_name_suggests_close_names():
    with pytest.raises(engine.UnknownSystemError, match="Lorenz"):
        engine.get_system("Lorenx")


# --------------------------------------------------------------------------- declarations


@pytest.mark.parametrize("system", _params())
def test_declaration_is_sane(system):
    assert system.family in FAMILIES
    assert system.title.strip()
    assert len(system.variables) == len(system.state0) == len(system.equations) == system.dimension >= 1
    for line in system.equations:
        assert isinstance(line, str) and "=" in line and line.strip(), f"bad LaTeX line {line!r}"
    assert system.references, "a system cites where its equations and defaults come from"
    for reference in system.references:
        assert re.search(r"\b(1[6-9]|20)\d\d\b", reference), f"reference without a year: {reference!r}"
    assert system.tags and all(tag == tag.lower() for tag in system.tags)
    assert system.solver == system.solvers[0] and set(system.solvers) <= set(SOLVERS)
    assert set(system.plot) <= set(system.variables) and len(system.plot) == 2
    assert system.dt > 0 and (system.family != "map" or system.dt == 1.0)
    assert system.check_state(system.state0) == tuple(system.state0)
    assert 0 < system.bound <= 1e8
    if system.family == "sde":
        assert callable(system.noise) and system.solver == "euler_maruyama"
    if system.separable:
        assert system.dimension % 2 == 0 and system.energy is not None and system.solver == "verlet"
    names = [p.name for p in system.parameters]
    assert len(set(names)) == len(names)
    for p in system.parameters:
        assert p.bounds[0] <= p.default <= p.bounds[1], p
        assert 0 < p.step <= p.bounds[1] - p.bounds[0], p
        assert p.doc.strip() and p.symbol.strip(), p
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", p.name), f"{p.name!r} is not usable on a command line"


@pytest.mark.parametrize("system", _params())
def test_lookup_ignores_case(system):
    assert engine.get_system(system.name.upper()) is system
    assert engine.get_system(system.name.lower()) is system
    assert engine.get_system(system.name.swapcase()) is system


@pytest.mark.parametrize("system", _params(lambda s: s.parameters))
def test_parameters_outside_bounds_are_refused(system):
    for p in system.parameters:
        low, high = p.bounds
        assert p.check(p.default) == p.default
        for bad in (low - p.step, high + p.step, math.nan, math.inf, "ten", True):
            with pytest.raises(ValueError, match=p.name):
                p.check(bad)
            with pytest.raises(ValueError, match=p.name):
                system.parameter_array({p.name: bad})


START_KINDS = ("zero", "random 1", "random 2", "random 3")
"""Starts every system is run from besides its default: the origin and three draws near the default."""


def _start(system, kind: str) -> np.ndarray:
    """The all-zero state, or a state drawn within +-10 of the default one."""
    if kind == "zero":
        return np.zeros(system.dimension)
    rng = np.random.default_rng(START_KINDS.index(kind))
    return np.asarray(system.state0) + rng.uniform(-10.0, 10.0, system.dimension)


TIMES = (0.0, 0.37, 1.0, 2.9, 10.0, 123.4)


@pytest.mark.parametrize("system", _params())
def test_nonautonomous_flag_matches_the_time_dependence(system):
    # A map's step has no time argument; a flow's or SDE's functions depend on
    # t exactly when the system declares itself nonautonomous.
    if system.family == "map":
        assert not system.nonautonomous
        return
    p = system.parameter_array()
    functions = (system.rhs,) if system.noise is None else (system.rhs, system.noise)
    states = [system.state0, *(tuple(_start(system, kind)) for kind in START_KINDS[1:])]
    values = np.array([[[f(t, tuple(float(v) for v in y), p) for f in functions] for y in states] for t in TIMES])
    moves = np.abs(values - values[0]).max()
    if system.nonautonomous:
        assert moves > 1e-6, "declared nonautonomous, but its functions do not depend on t"
    else:
        assert moves == 0.0, "declared autonomous, but its functions depend on t"


# --------------------------------------------------------------------------- running from the defaults


@pytest.mark.parametrize("system", _params())
def test_default_run_is_finite(system):
    ds = engine.simulate(system, steps=2000, seed=1)
    assert ds.attrs["status"] == "ok", ds.attrs["status"]
    assert list(ds.data_vars) == list(system.variables)
    assert ds.sizes["time"] == 2001
    y = _trajectory(ds, system)
    assert y.shape == (2001, system.dimension)
    assert np.isfinite(y).all() and np.isfinite(ds.time.values).all()
    np.testing.assert_array_equal(y[0], system.state0)
    assert np.ptp(y[1000:], axis=0).max() > 0, "the default run should move"


@pytest.mark.parametrize("kind", START_KINDS)
@pytest.mark.parametrize("system", _params())
def test_any_start_gives_finite_data_or_stops_with_a_status(system, kind):
    # Poles (Kepler at the origin), escapes (maps outside their basin) and
    # stiff corners must end the run with a message, never with an exception.
    state0 = _start(system, kind)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ds = engine.simulate(system, state0=state0, steps=500, seed=1)
    y = _trajectory(ds, system)
    assert np.isfinite(y).all() and np.abs(y).max() <= system.bound
    np.testing.assert_array_equal(y[0], state0)
    status = ds.attrs["status"]
    if status == "ok":
        assert ds.sizes["time"] == 501 and not caught
    else:
        assert re.match(r"(diverged|stopped) ", status), status
        assert ds.sizes["time"] < 501
        assert [(w.category, str(w.message)) for w in caught] == [(RuntimeWarning, f"{system.name} {status}")]


def test_kepler_at_the_origin_stops_instead_of_dividing_by_zero():
    with pytest.warns(RuntimeWarning, match=r"Kepler diverged .*: x left the range"):
        ds = engine.simulate("Kepler", state0=(0, 0, 0, 1))
    assert ds.attrs["status"].startswith("diverged")
    np.testing.assert_array_equal(_trajectory(ds, engine.get_system("Kepler")), [[0.0, 0.0, 0.0, 1.0]])


@pytest.mark.parametrize("system", _params(lambda s: s.family == "sde"))
def test_noise_is_reproducible_by_seed(system):
    first = _trajectory(engine.simulate(system, steps=500, seed=7), system)
    again = _trajectory(engine.simulate(system, steps=500, seed=7), system)
    other = _trajectory(engine.simulate(system, steps=500, seed=8), system)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


# --------------------------------------------------------------------------- Jacobians


@pytest.mark.parametrize("system", _params(lambda s: s.jacobian is not None))
def test_jacobian_matches_central_differences(system):
    p = system.parameter_array()
    ds = engine.simulate(system, steps=2000, seed=3)
    y = _trajectory(ds, system)
    for index in (0, 250, 700, 1300, 2000):
        t, point = float(ds.time.values[index]), y[index]
        state = tuple(float(v) for v in point)
        rows = system.jacobian(state, p) if system.family == "map" else system.jacobian(t, state, p)
        assert isinstance(rows, tuple) and all(isinstance(row, tuple) for row in rows)
        analytic = np.array(rows, dtype=float)
        assert analytic.shape == (system.dimension, system.dimension)
        numeric = np.empty_like(analytic)
        for j in range(system.dimension):
            h = 1e-6 * max(1.0, abs(point[j]))
            step = np.zeros(system.dimension)
            step[j] = h
            numeric[:, j] = (_derivative(system, t, point + step, p) - _derivative(system, t, point - step, p)) / (2 * h)
        scale = max(1.0, np.abs(numeric).max())
        np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-6 * scale, err_msg=f"at t = {t}, y = {point}")


# --------------------------------------------------------------------------- conserved quantities


@pytest.mark.parametrize("system", _params(lambda s: s.energy is not None))
def test_energy_does_not_drift(system):
    # Stormer-Verlet keeps the energy error bounded at O(dt^2) (about 2e-4 for
    # the pendulum and Kepler defaults); the Runge-Kutta runs are far tighter.
    p = system.parameter_array()
    y = _trajectory(engine.simulate(system, steps=20_000), system)
    energy = system.energy(y, p)
    assert energy.shape == (y.shape[0],)
    assert system.energy(y[None], p).shape == (1, y.shape[0])
    assert abs(energy[0]) > 1e-6, "a relative drift needs a default energy away from zero"
    drift = np.abs(energy - energy[0]).max() / abs(energy[0])
    assert drift < 1e-3


# --------------------------------------------------------------------------- physics spot-checks


@pytest.mark.parametrize("mu", [0.25, 1.0, 2.0])
def test_hopf_cycle_radius_is_sqrt_mu(mu):
    # r' = mu r - r^3 has the stable cycle r = sqrt(mu) (VALIDATION.md, standard).
    system = engine.get_system("Hopf normal form")
    ds = engine.simulate(system, params={"mu": mu}, t_end=100.0)
    radius = np.hypot(ds.x.values[-1000:], ds.y.values[-1000:])
    np.testing.assert_allclose(radius, math.sqrt(mu), rtol=1e-7)


@pytest.mark.parametrize(("a", "b"), [(0.08, 0.6), (0.05, 0.3), (0.1, 1.2)])
def test_selkov_fixed_point_is_a_zero(a, b):
    # Fixed point (b, b / (a + b^2)) (Strogatz, Nonlinear Dynamics and Chaos, 7.3).
    system = engine.get_system("Sel'kov")
    p = system.parameter_array({"a": a, "b": b})
    np.testing.assert_allclose(system.rhs(0.0, (b, b / (a + b * b)), p), (0.0, 0.0), atol=1e-14)


def test_selkov_hopf_points_match_the_trace_condition():
    # Hopf where b^2 = (1 - 2a +- sqrt(1 - 8a)) / 2; a = 0.08 gives 0.3464 and 0.8485.
    system = engine.get_system("Sel'kov")
    a = 0.08
    for sign, expected in ((-1, 0.3464), (1, 0.8485)):
        b = math.sqrt((1 - 2 * a + sign * math.sqrt(1 - 8 * a)) / 2)
        assert b == pytest.approx(expected, abs=1e-4)
        p = system.parameter_array({"a": a, "b": b})
        jacobian = np.array(system.jacobian(0.0, (b, b / (a + b * b)), p))
        assert np.trace(jacobian) == pytest.approx(0.0, abs=1e-12)
        assert np.linalg.det(jacobian) > 0


def test_selkov_default_is_a_limit_cycle():
    system = engine.get_system("Sel'kov")
    ds = engine.simulate(system, t_end=400.0)
    assert np.ptp(ds.x.values[-5000:]) > 0.5


def test_henon_heiles_energy_stays_bounded_over_1e5_verlet_steps():
    system = engine.get_system("Henon-Heiles")
    p = system.parameter_array()
    y = _trajectory(engine.simulate(system, steps=100_000), system)
    energy = system.energy(y, p)
    assert energy[0] == pytest.approx(1 / 8)
    error = np.abs(energy - energy[0]) / energy[0]
    assert error.max() < 1e-4
    # no secular growth: the last tenth is no worse than the first tenth
    assert error[-10_000:].max() < 1.5 * error[:10_000].max()


def test_kepler_verlet_keeps_angular_momentum_and_period():
    # e = 0.6, a = 1, mu = 1: period 2 pi (Hairer, Lubich, Wanner I.2.3).
    system = engine.get_system("Kepler")
    ds = engine.simulate(system, t_end=2 * math.pi)
    y = _trajectory(ds, system)
    momentum = y[:, 0] * y[:, 3] - y[:, 1] * y[:, 2]
    np.testing.assert_allclose(momentum, momentum[0], rtol=1e-12)
    np.testing.assert_allclose(y[-1, :2], system.state0[:2], atol=2e-3)


def test_pendulum_period_follows_the_elliptic_integral():
    special = pytest.importorskip("scipy.special")
    system = engine.get_system("Pendulum")
    theta0 = system.state0[0]
    g, length = system.defaults["g"], system.defaults["L"]
    expected = 4 * math.sqrt(length / g) * special.ellipk(math.sin(theta0 / 2) ** 2)
    ds = engine.simulate(system, t_end=10 * expected)
    theta, t = ds.theta.values, ds.time.values
    down = np.flatnonzero((theta[:-1] > 0) & (theta[1:] <= 0))
    crossings = t[down] + theta[down] / (theta[down] - theta[down + 1]) * (t[down + 1] - t[down])
    assert np.diff(crossings).mean() == pytest.approx(expected, rel=1e-4)


def test_sir_final_size_and_population():
    # Kermack-McKendrick: S_inf = S0 exp(-R0 (1 - S_inf)) when R(0) = 0.
    system = engine.get_system("SIR")
    ds = engine.simulate(system, t_end=600.0)
    s0 = system.state0[0]
    r0 = system.defaults["beta"] / system.defaults["gamma"]
    s_inf = ds.S.values[-1]
    assert s_inf == pytest.approx(s0 * math.exp(-r0 * (1 - s_inf)), rel=1e-6)
    np.testing.assert_allclose(ds.S + ds.I + ds.R, 1.0, rtol=1e-12)
