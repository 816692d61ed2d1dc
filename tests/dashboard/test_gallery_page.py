"""The chaos gallery page without a browser: the grid, a flow opened live beside dysts'
values, the thumbnails on disk, and bad URL arguments answered with a message."""
from __future__ import annotations

import io

import numpy as np
import panel as pn
import pytest
from bokeh.document import Document
from PIL import Image

import engine
from dashboard.apps import ROUTES
from dashboard.apps.gallery import Gallery, _unavailable
from dashboard.views.gallery_thumbnails import SHAPE, render_thumbnail, thumbnail_uri
from dashboard.views.monitors import EVERY
from engine.systems.gallery import INSTALL_HINT, dysts_available, gallery_systems

pytestmark = pytest.mark.skipif(not dysts_available(), reason="the gallery extra is not installed: pip install phasescope[gallery]")


def _objects(layout) -> str:
    """Everything the page's panes show, as their source text."""
    return " ".join(str(getattr(item, "object", "")) for item in layout.select(pn.pane.PaneBase))


def test_page_lists_every_flow():
    layout = ROUTES["/gallery"]({})
    pn.panel(layout).get_root(Document())  # builds into Bokeh models
    texts = _objects(layout)
    assert "Chaos gallery" in texts and "Pick an attractor" in texts
    assert texts.count("class='ps-gallery-card") == len(gallery_systems())
    assert "?system=Lorenz+%28dysts%29" in texts  # each card opens its flow on this page
    assert "MackeyGlass</b>: a delay equation" in texts  # the flows not run here, with the reason


def test_an_open_flow_runs_beside_dysts_values():
    page = Gallery({"system": "Lorenz (dysts)"})
    live = page.live
    live.monitors.warm()  # headless: compile the Lyapunov kernel now
    live.state.steps_per_frame = 3000
    for _ in range(12 * EVERY):
        live.tick(0.05)
    assert len(live.portrait.trace.data["x0"]) > 0
    assert len(live.monitors.lyapunov_source.data["t"]) == 12
    lyapunov = live.monitors.monitor.lyapunov
    for _ in range(300):  # the estimate advances on a share of each frame's time: how fast depends on the machine
        if lyapunov.elapsed > 200.0:
            break
        for _ in range(EVERY):
            live.tick(0.05)
    assert lyapunov.elapsed > 200.0
    live._estimate_dimension()  # headless: the background work runs at once
    values = live.live_values()
    assert values["maximum_lyapunov"] == pytest.approx(0.9056, abs=0.1)  # Sprott; dysts lists 0.89 and 1.09
    assert values["kaplan_yorke_dimension"] == pytest.approx(2.06, abs=0.05)
    assert values["correlation_dimension"] == pytest.approx(2.05, abs=0.2)  # Grassberger and Procaccia 1983
    assert 0.5 < values["period"] < 2.0
    live._show_table()
    table = live.table.object
    assert "1.091" in table and "2.075" in table  # dysts' published spectrum and Kaplan-Yorke dimension
    assert f"{values['maximum_lyapunov']:.4g}" in table


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"system": "<script>Lorenz"}, "no system called &#x27;&lt;script&gt;Lorenz&#x27;"),
        ({"system": "Lorenz"}, "Lorenz is not a gallery flow"),
        ({"rho": "3"}, "unknown argument &#x27;rho&#x27;"),
    ],
)
def test_bad_url_arguments_give_a_message(query, expected):
    page = Gallery(query)
    assert page.live is None
    assert page.message.visible and expected in page.message.object
    assert "<script>" not in page.message.object


def test_thumbnail_is_drawn_once_into_the_cache(tmp_path, monkeypatch):
    system = engine.get_system("Rossler (dysts)")
    engine.simulate(system, steps=2)  # its kernel, from the usual cache, stays loaded in this process
    monkeypatch.setenv("PHASESCOPE_CACHE", str(tmp_path))  # a fresh cache folder: nothing drawn yet
    assert thumbnail_uri(system) is None
    path = render_thumbnail(system)
    assert path.is_relative_to(tmp_path)
    picture = Image.open(io.BytesIO(path.read_bytes()))
    assert picture.size == (SHAPE[1], SHAPE[0])
    pixels = np.asarray(picture.convert("L"))
    assert 0.02 < (pixels < 200).mean() < 0.8  # the attractor's ink covers part of the picture
    assert thumbnail_uri(system).startswith("data:image/png;base64,")


def test_without_dysts_the_page_says_how_to_add_it():
    assert INSTALL_HINT in _objects(_unavailable())
