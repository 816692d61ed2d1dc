"""The chaos gallery: dysts' flows in the catalog, checked together in one pass.

The catalog contract (tests/engine/test_catalog_contract.py) runs over these
flows too; here the gallery's own promises: every flow of dysts' database is
registered or has a reason, each right-hand side computes what dysts' source
computes, the flows of one dimension share one compiled kernel, and the largest
Lyapunov exponents fall in dysts' loose band (VALIDATION.md: "use them as a
+-25 % sanity band, textbook values as the strict target")."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

import engine
from engine.diagnostics import lyapunov_grid, lyapunov_spectrum
from engine.solvers import kernel
from engine.systems.gallery import (
    GALLERY_TAG,
    dysts_available,
    gallery_entries,
    gallery_systems,
)

pytestmark = pytest.mark.skipif(not dysts_available(), reason="the gallery extra is not installed: pip install phasescope[gallery]")

BAND = 0.25


def _metadata() -> dict:
    from engine.systems.gallery import _dysts_files

    return json.loads(_dysts_files()[1].read_text())


def test_every_flow_of_the_database_is_registered_or_explained():
    metadata = _metadata()
    entries = gallery_entries()
    assert [e.name for e in entries] == list(metadata)  # dysts' 135 flows, in its order
    registered = gallery_systems()
    assert len(registered) >= 100
    assert registered == engine.catalog(tag=GALLERY_TAG)
    for entry in entries:
        assert (entry.system is None) == bool(entry.reason), entry
    assert {e.name for e in entries if "delay" in e.reason} >= {"MackeyGlass", "IkedaDelay"}


def test_right_hand_sides_compute_what_dysts_source_computes():
    import dysts.flows  # the package itself, only here (it takes seconds to import)

    metadata = _metadata()
    rng = np.random.default_rng(0)
    for system in gallery_systems():
        meta = metadata[system.dysts_name]
        p = system.parameter_array()
        assert p[-1] == system.number and len(p) == len(system.parameters) + 1
        assert list(p[:-1]) == [meta["parameters"][q.name] for q in system.parameters]
        assert system.state0 == tuple(meta["initial_conditions"])
        y = np.asarray(system.state0) * (1 + 0.1 * rng.standard_normal(system.dimension))
        theirs = getattr(dysts.flows, system.dysts_name)._rhs.py_func(*y, 0.7, *p[:-1])
        ours = system.rhs(0.7, tuple(y), p)
        np.testing.assert_allclose(ours, np.asarray(theirs, dtype=float), rtol=1e-12, atol=1e-12, err_msg=system.name)


def test_flows_of_one_dimension_share_one_compiled_kernel():
    by_dimension: dict[int, set] = {}
    for system in gallery_systems():
        by_dimension.setdefault(system.dimension, set()).add(id(kernel(system, "rk4")))
    assert all(len(kernels) == 1 for kernels in by_dimension.values())
    assert len(by_dimension[3]) == 1 and sum(s.dimension == 3 for s in gallery_systems()) > 50


def test_reference_values_and_declarations():
    lorenz = engine.get_system("Lorenz (dysts)")
    spectrum, source = lorenz.reference_values["lyapunov_spectrum"]
    assert spectrum[0] == pytest.approx(1.091, abs=1e-3) and "dysts" in source  # MODELS.md 3.4
    assert lorenz.reference_values["kaplan_yorke_dimension"][0] == pytest.approx(2.075, abs=1e-3)
    assert lorenz.equations[0] == r"\dot{x} = \sigma y - \sigma x"
    assert lorenz.parameter("rho").bounds == (0.0, 56.0)
    for system in gallery_systems():
        assert all(line.startswith(r"\dot{") and " = " in line for line in system.equations)
        assert system.references and system.reference_values and system.dt > 0
        assert ("nonautonomous" in system.tags) == system.nonautonomous


def test_one_pass_over_every_flow_runs_finite_from_its_defaults():
    moving = 0
    for system in gallery_systems():
        ds = engine.simulate(system, steps=2000)
        assert ds.attrs["status"] == "ok", system.name
        y = np.stack([ds[v].values for v in system.variables], axis=-1)
        assert np.isfinite(y).all(), system.name
        moving += np.ptp(y[1000:], axis=0).max() > 0
    assert moving == len(gallery_systems())


def test_largest_exponents_fall_in_dysts_band():
    inside, checked = [], 0
    for system in gallery_systems():
        values = system.reference_values
        if not {"maximum_lyapunov", "lyapunov_spectrum", "period"} <= set(values):
            continue
        estimates = (values["maximum_lyapunov"][0], values["lyapunov_spectrum"][0][0])
        if min(estimates) <= 0:
            continue
        period = values["period"][0]
        checked += 1
        (largest,) = lyapunov_spectrum(system, t_end=100 * period, transient=10 * period, count=1)
        low, high = (1 - BAND) * min(estimates), (1 + BAND) * max(estimates)
        if low <= largest <= high:
            inside.append(system.name)
    assert checked >= 60
    assert len(inside) >= 20, inside


def test_lorenz_of_the_gallery_meets_the_textbook():
    # dysts' Lorenz uses beta = 2.667 for 8/3; Sprott's 0.9056 holds to the strict tolerance
    spectrum = lyapunov_spectrum("Lorenz (dysts)", t_end=500.0)
    assert spectrum[0] == pytest.approx(0.9056, abs=0.01)
    assert spectrum.sum() == pytest.approx(-(10 + 1 + 2.667), abs=1e-3)
    assert not math.isnan(spectrum[2])


def test_parameter_grids_take_declared_or_whole_parameter_arrays():
    # the bifurcation page's parameter maps pass whole parameter arrays (the flow's number included)
    system = engine.get_system("Rossler (dysts)")
    whole = np.tile(system.parameter_array(), (2, 1))
    whole[1, system.parameters.index(system.parameter("c"))] = 9.0
    declared = whole[:, :-1]
    a = lyapunov_grid(system, whole, t_end=200.0, count=1, parallel=False).exponents
    b = lyapunov_grid(system, declared, t_end=200.0, count=1, parallel=False).exponents
    np.testing.assert_array_equal(a, b)
    whole[0, -1] += 1  # another flow's number: refused
    with pytest.raises(ValueError, match="columns"):
        lyapunov_grid(system, whole)
