"""The fields page built and ticked without a browser."""
from __future__ import annotations

import numpy as np
import panel as pn
import pytest
from bokeh.document import Document

import engine
from dashboard.apps import ROUTES
from dashboard.apps.fields import FieldsPage
from engine.fields import kink_mass


def _ticked(page: FieldsPage, frames: int) -> None:
    for _ in range(frames):
        page._last_draw = page._last_image = 0.0  # redraw every frame
        page.tick(0.02)


def test_page_builds_and_its_pictures_and_monitors_move():
    page = FieldsPage()
    models = pn.panel(page.layout).get_root(Document()).references()
    assert "Fields" in " ".join(str(getattr(m, "text", "")) for m in models)
    _ticked(page, 4)
    image = page.image.source.data["image"][0]
    assert image.shape[0] >= 5 and image.shape[1] == 256 and np.isfinite(image).all()
    assert len(page.phase_plane.source.data["phi"]) > 0
    monitors = page.monitors.source.data
    assert len(monitors["t"]) == 5 and monitors["t"][-1] == page.simulation.t > 0
    assert max(monitors["energy_error"]) < 1e-6
    assert monitors["shannon"][-1] > monitors["renyi"][-1] > 0
    np.testing.assert_allclose(page.profile.source.data["phi"], page.simulation.phi)
    assert "energy error" in page.status.object


def test_choices_rebuild_the_run_and_refused_ones_keep_it():
    page = FieldsPage()
    page.initial.value = "breather"  # needs sine-Gordon: refused, the collision keeps running
    assert page.messages.alert.visible and "sine-Gordon" in page.messages.alert.object
    assert page.simulation.initial == "collision"
    page.potential.value = "sine_gordon"
    assert page.simulation.initial == "breather" and not page.messages.alert.visible
    assert [w.name for w in page.parameter_column] == ["omega"]
    page.sliders["omega"].value = 0.8
    assert page.simulation.energy() == pytest.approx(16 * np.sqrt(1 - 0.64), rel=1e-8)
    _ticked(page, 2)


def test_probe_moves_and_restarts_the_phase_plane():
    page = FieldsPage()
    _ticked(page, 2)
    page.probe.value = -10.0
    assert abs(page.simulation.x[page.simulation.probe] + 10.0) <= page.simulation.grid.dx / 2
    assert len(page.phase_plane.source.data["phi"]) == 0
    _ticked(page, 1)
    assert page.phase_plane.source.data["phi"][-1] == pytest.approx(page.simulation.phi[page.simulation.probe])


def test_step_above_the_cfl_bound_is_refused_in_the_page():
    page = FieldsPage()
    dt = page.simulation.dt
    page.dt.value = "1"
    assert "CFL bound" in page.messages.alert.object and page.simulation.dt == dt
    page.dt.value = "nan"
    assert "dt must be a finite number" in page.messages.alert.object
    page.dt.value = f"{dt / 2}"
    assert page.simulation.dt == dt / 2 and not page.messages.alert.visible
    _ticked(page, 1)


def test_potential_parameter_changes_the_kink_mass():
    page = FieldsPage()
    page.initial.value = "kink_antikink"
    page.sliders["lam"].value = 2.0  # a new potential from now on: the energy reference follows it
    assert page.simulation.params["lam"] == 2.0
    page.restart.clicks += 1
    assert page.simulation.energy() == pytest.approx(2 * kink_mass("phi4", {"lam": 2.0, "v": 1.0}), rel=1e-8)


def test_download_is_a_netcdf_of_the_run(tmp_path):
    page = FieldsPage()
    _ticked(page, 3)
    path = tmp_path / "field.nc"
    path.write_bytes(page._netcdf().getvalue())
    dataset = engine.load(path)
    assert dataset.phi.dims == ("time", "x") and dataset.attrs["potential"] == "phi4"
    np.testing.assert_array_equal(dataset.phi.values[-1], page.simulation.phi)


def test_url_choices_are_checked():
    page = ROUTES["/fields"]({"potential": "<i>quartic</i>"})
    models = pn.panel(page).get_root(Document()).references()
    alerts = [m for m in models if "ps-message" in (getattr(m, "css_classes", None) or [])]
    assert alerts and alerts[0].visible
    assert "potential must be one of" in alerts[0].text and "<i>" not in alerts[0].text
