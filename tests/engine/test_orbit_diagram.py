"""Orbit diagrams against closed forms, and the logistic period doublings located to 1e-4."""
from __future__ import annotations

import math

import numpy as np
import pytest

import engine


def test_logistic_period_doublings_at_3_and_1_plus_sqrt6():
    located = engine.period_doublings("Logistic", "r", 2.8, 3.5, tol=1e-5, max_period=8)
    assert located["period"].values.tolist() == [1, 2]
    assert located["value"].values == pytest.approx([3.0, 1.0 + math.sqrt(6.0)], abs=1e-4)
    low, high = located["bracket"].values.T
    assert np.all(high - low <= 1e-5)


def test_logistic_iterates_are_the_fixed_point_then_the_two_cycle():
    r = np.array([2.8, 3.2])
    ds = engine.orbit_diagram("Logistic", "r", r, transient=5000, keep=64)
    x = ds["x"]
    assert x.dims == ("r", "sample") and x.shape == (2, 64)
    assert np.allclose(x.sel(r=2.8), 1 - 1 / 2.8, atol=1e-12)
    # the 2-cycle of rx(1-x): (r + 1 +- sqrt((r - 3)(r + 1))) / (2 r)
    root = math.sqrt((3.2 - 3) * (3.2 + 1))
    cycle = sorted({round(v, 10) for v in x.sel(r=3.2).values})
    assert cycle == pytest.approx([(4.2 - root) / 6.4, (4.2 + root) / 6.4], abs=1e-9)


def test_dataset_carries_its_parameters_and_round_trips_through_save(tmp_path):
    ds = engine.orbit_diagram("Henon", "a", [1.0, 1.2, 1.4], params={"b": 0.3}, variable="y", keep=50)
    assert ds.attrs["system"] == "Henon" and ds.attrs["parameter"] == "a" and ds.attrs["variable"] == "y"
    assert ds.attrs["b"] == 0.3 and ds.attrs["transient"] == 1000 and ds.attrs["keep"] == 50
    back = engine.load(engine.save(ds, tmp_path / "orbit.nc"))
    assert back.identical(ds)


def test_flow_maxima_and_section_of_the_hopf_normal_form_give_sqrt_mu():
    mu = np.array([-0.5, 0.25, 1.0, 2.25])
    maxima = engine.orbit_diagram("Hopf normal form", "mu", mu, keep=5, transient=20_000)["x"].values
    assert maxima[0, 0] == pytest.approx(0.0, abs=1e-9) and np.isnan(maxima[0, 1:]).all()  # at rest on the focus
    # the radius sqrt(mu), up to the O(dt^2) error of interpolating within a step
    assert np.allclose(maxima[1:], np.sqrt(mu[1:])[:, None], rtol=3e-5, atol=0)
    section = engine.orbit_diagram(
        "Hopf normal form", "mu", mu[1:], kind="section", section=("y", 0.0), keep=5, transient=20_000
    )
    assert section.attrs["section_variable"] == "y"
    assert np.allclose(section["x"].values, np.sqrt(mu[1:])[:, None], rtol=3e-5, atol=0)


def test_a_malformed_section_is_refused():
    with pytest.raises(ValueError, match="section must be"):
        engine.orbit_diagram("Hopf normal form", "mu", [1.0], kind="section", section="y")


def test_a_diverging_run_leaves_nan_and_the_others_are_finite():
    ds = engine.orbit_diagram("Henon", "a", [1.4, 1.45], keep=20)  # 1.45 escapes from (0.1, 0.1)
    assert np.isfinite(ds["x"].values[0]).all()
    assert np.isnan(ds["x"].values[1]).all()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"values": [3.0, 4.5]}, "outside its bounds"),
        ({"values": [3.0, float("nan")]}, "outside its bounds"),
        ({"values": []}, "non-empty"),
        ({"values": [3.0], "variable": "q"}, "no variable 'q'"),
        ({"values": [3.0], "keep": 0}, "keep"),
        ({"values": [3.0], "transient": 2.5}, "whole number"),
        ({"values": [3.0], "kind": "maxima"}, "does not apply"),
        ({"values": np.linspace(3, 4, 200_000), "keep": 1000}, "exceeds"),
    ],
)
def test_bad_input_is_refused_with_a_message(arguments, message):
    with pytest.raises(ValueError, match=message):
        engine.orbit_diagram("Logistic", "r", **arguments)
