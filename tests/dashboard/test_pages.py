"""Every page built and ticked without a browser; the explorer over every system in the catalog."""
from __future__ import annotations

import io

import numpy as np
import panel as pn
import pytest
import xarray as xr
from bokeh.document import Document
from PIL import Image

import engine
from dashboard.apps import ROUTES
from dashboard.apps.explorer import Explorer
from dashboard.views.phase_portrait import TRAIL
from engine.systems.gallery import GALLERY_TAG


@pytest.mark.parametrize("path", sorted(ROUTES))
def test_every_page_builds_into_a_bokeh_document(path):
    page = ROUTES[path]() if path != "/" else ROUTES[path]({})
    models = pn.panel(page).get_root(Document()).references()
    texts = " ".join(str(getattr(m, "text", "")) for m in models)
    assert "Phasescope" in texts  # the shared navigation
    assert "Catalog" in texts and "Explorer" in texts


def test_catalog_page_lists_and_filters_every_system():
    page = ROUTES["/catalog"]()
    search, listing = page[1][0], page[2]
    assert len(listing) == len(engine.catalog())
    search.value = "map"
    assert 0 < len(listing) < len(engine.catalog())


def test_bad_url_values_show_a_message_in_the_page():
    page = ROUTES["/"]({"rho": "abc", "speed": "9e9"})
    models = pn.panel(page).get_root(Document()).references()
    alerts = [m for m in models if "ps-message" in (getattr(m, "css_classes", None) or [])]
    assert alerts and alerts[0].visible
    assert "rho must be a finite number" in alerts[0].text


def _explorer_systems() -> list[str]:
    """Every system of the catalog, except that the gallery's flows, which share
    one right-hand side and kernel per dimension (tests/engine/test_gallery.py
    runs each of them), are represented by one flow per dimension."""
    names, dimensions = [], set()
    for s in engine.catalog():
        if GALLERY_TAG in s.tags:
            if s.dimension in dimensions:
                continue
            dimensions.add(s.dimension)
        names.append(s.name)
    return names


@pytest.mark.parametrize("system", _explorer_systems())
def test_explorer_ticks_every_system(system):
    explorer = Explorer()
    generation = explorer.state.generation
    explorer.picker.value = system
    assert explorer.state.system_name == system
    assert explorer.state.generation == generation + (system != "Lorenz")  # one restart per switch
    assert set(explorer._sliders) == set(engine.get_system(system).defaults)
    for _ in range(5):
        explorer.tick()
    data = explorer.portrait.trace.data
    assert len(data["x0"]) > 0 and np.isfinite(data["x0"]).all() and np.isfinite(data["y0"]).all()
    assert min(len(explorer.series.source.data["t"]), TRAIL) == len(data["x0"])  # the same points, each view its window
    explorer.portrait.refresh_density()
    assert len(explorer.portrait.density.data["image"]) == 1
    assert explorer.state.message == "" and explorer.state.status == ""


def test_slider_and_typed_value_stay_in_sync_and_reject_bad_input():
    explorer = Explorer()
    explorer._sliders["rho"].value = 13.0
    assert explorer.state.simulation.params["rho"] == 13.0
    assert explorer._typed["rho"].value == "13"
    explorer._typed["rho"].value = "15.5"
    assert explorer._sliders["rho"].value == 15.5
    explorer._typed["rho"].value = "1e9"
    assert explorer.alert.visible and "rho" in explorer.alert.object
    assert explorer.state.simulation.params["rho"] == 15.5
    explorer.tick()  # still running


def test_script_typed_in_a_text_input_is_shown_as_text():
    explorer = Explorer()
    explorer._typed["rho"].value = "<script>alert(1)</script>"
    assert explorer.alert.visible
    assert "<script>" not in explorer.alert.object
    assert "&lt;script&gt;" in explorer.alert.object


def test_search_filters_the_picker():
    explorer = Explorer()
    explorer.search.value = "logistic"
    names = [n for group in explorer.picker.groups.values() for n in group]
    assert names == ["Logistic"]
    assert explorer.state.system_name == "Logistic"
    explorer.search.value = "zzzz-no-such"
    assert "no system matches" in explorer.state.message


def test_members_axes_and_reset_rebuild_the_plots():
    explorer = Explorer()
    explorer.members.value = 3
    explorer.tick()
    assert {"x0", "x1", "x2"} <= set(explorer.portrait.trace.data)
    figure = explorer.portrait.figure
    explorer.y_axis.value = "y"
    assert explorer.portrait.figure is figure  # one figure for the session: cleared, not replaced
    assert figure.yaxis[0].axis_label == "y"
    explorer.tick()
    explorer.reset_button.clicks += 1
    assert explorer.state.simulation.t == 0.0


def test_pause_and_step():
    explorer = Explorer()
    explorer.play.value = False
    t = explorer.state.simulation.t
    explorer.tick()
    assert explorer.state.simulation.t == t
    explorer.step_button.clicks += 1
    assert explorer.state.simulation.t > t


def test_downloads_are_real_files(tmp_path):
    explorer = Explorer()
    for _ in range(10):
        explorer.tick()
    path = tmp_path / "run.nc"
    path.write_bytes(explorer._netcdf().getvalue())
    dataset = engine.load(path)
    assert dataset.attrs["system"] == "Lorenz"
    xr.testing.assert_identical(dataset, explorer.state.simulation.to_dataset())
    image = Image.open(io.BytesIO(explorer._png().getvalue()))
    assert image.size == (800, 800)
    assert np.asarray(image)[..., 3].max() > 0  # something was drawn
    explorer.reset_button.clicks += 1
    assert explorer.save_picture.disabled  # nothing to draw until the run moves again
    explorer.tick()
    explorer._last_status = 0.0  # the next tick refreshes the status line and the button
    explorer.tick()
    assert not explorer.save_picture.disabled
