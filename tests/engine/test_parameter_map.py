"""Parameter maps: Lyapunov exponents and periods against closed forms; Dask equals local threads."""
from __future__ import annotations

import math

import numpy as np
import pytest

import engine

R = [2.8, 3.2, 3.5, 3.83, 4.0]


def test_logistic_lyapunov_exponents_match_closed_forms():
    lyapunov = engine.parameter_map("Logistic", ("r", R), length=200_000)
    assert lyapunov.dims == ("r",) and lyapunov.name == "lyapunov"
    # fixed point 1 - 1/r: ln|2 - r|; 2-cycle: ln|4 + 2r - r^2| / 2; r = 4: ln 2 (May 1976)
    assert lyapunov.sel(r=2.8) == pytest.approx(math.log(0.8), abs=1e-9)
    assert lyapunov.sel(r=3.2) == pytest.approx(math.log(abs(4 + 6.4 - 3.2**2)) / 2, abs=1e-9)
    assert lyapunov.sel(r=4.0) == pytest.approx(math.log(2.0), abs=1e-3)
    assert lyapunov.sel(r=3.83) < 0  # the period-3 window


def test_logistic_periods_along_the_cascade_and_the_window():
    period = engine.parameter_map("Logistic", ("r", R), quantity="period")
    assert period.values.tolist() == [1, 2, 4, 3, 0]


def test_hopf_normal_form_period_is_one_on_the_cycle_and_zero_at_the_focus():
    period = engine.parameter_map("Hopf normal form", ("mu", [-0.5, 1.0]), quantity="period", max_period=4)
    assert period.values.tolist() == [0, 1]


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as local:
        yield local


@pytest.mark.parametrize("quantity", ["lyapunov", "period"])
def test_dask_sweep_equals_the_local_sweep(cluster, quantity):
    a, b = ("a", np.linspace(0.2, 1.4, 24)), ("b", np.linspace(-0.3, 0.3, 10))
    local = engine.parameter_map("Henon", a, b, quantity=quantity)
    remote = engine.parameter_map("Henon", a, b, quantity=quantity, scheduler=cluster.scheduler_address, chunks=5)
    assert local.dims == ("a", "b") and local.shape == (24, 10)
    assert local.attrs["backend"] == "numba threads" and remote.attrs["backend"].startswith("dask")
    assert np.array_equal(local.values, remote.values, equal_nan=True)
    assert np.array_equal(local["b"].values, remote["b"].values)
    if quantity == "lyapunov":  # chaos at the classical (1.4, 0.3), 0.419 (Sprott), order at small a
        assert local.sel(a=1.4, b=0.3, method="nearest") == pytest.approx(0.419, abs=0.01)
        assert (local.sel(a=slice(0.2, 0.3)) < 0).all()


def test_the_scheduler_setting_sends_sweeps_to_dask(cluster, monkeypatch):
    from engine.bifurcation.parameter_map import SCHEDULER_SETTING

    monkeypatch.setenv(SCHEDULER_SETTING, cluster.scheduler_address)  # what `phasescope serve --scheduler` sets
    period = engine.parameter_map("Logistic", ("r", R), quantity="period")
    assert period.attrs["backend"] == f"dask {cluster.scheduler_address}"
    assert period.values.tolist() == [1, 2, 4, 3, 0]
    monkeypatch.setenv(SCHEDULER_SETTING, "not an address")
    with pytest.raises(ValueError, match="Dask scheduler"):
        engine.parameter_map("Logistic", ("r", R), quantity="period")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"first": ("a", [1.0]), "second": ("a", [1.1])}, "must differ"),
        ({"first": ("a", [2.0]), "second": ("b", [0.1])}, "outside its bounds"),
        ({"first": ("a", [1.0]), "quantity": "entropy"}, "quantity"),
        ({"first": "a"}, r"\(name, values\)"),
        ({"first": ("a", [1.0]), "length": 0}, "length"),
        ({"first": ("a", [1.0]), "scheduler": "my laptop"}, "Dask scheduler"),
        ({"first": ("a", np.linspace(0, 1.4, 5000)), "second": ("b", np.linspace(0, 0.3, 5000))}, "exceeds"),
    ],
)
def test_bad_input_is_refused(arguments, message):
    with pytest.raises(ValueError, match=message):
        engine.parameter_map("Henon", **arguments)
