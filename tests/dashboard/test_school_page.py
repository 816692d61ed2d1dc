"""The fish-school page built and ticked without a browser: picture, monitors, sliders, weights, sweep, download."""
from __future__ import annotations

import numpy as np
import panel as pn
import param
import pytest
from bokeh.document import Document

import engine
from dashboard.apps import ROUTES
from dashboard.apps.school import PRESETS, SchoolPage
from engine.diagnostics.schooling import ENTROPY_NAMES, OSI_WEIGHTS


def _frames(page: SchoolPage, count: int) -> None:
    for _ in range(count):
        page._last_draw = -np.inf  # every tick draws
        page.tick()


def test_page_builds_into_a_bokeh_document_with_a_drawn_school():
    layout = ROUTES["/school"]({})
    models = pn.panel(layout).get_root(Document()).references()
    sources = {m.name: m for m in models if getattr(m, "name", None) and m.name.startswith("ps-school")}
    assert len(sources["ps-school-positions"].data["x"]) == 100
    assert len(sources["ps-school-order"].data["t"]) == 1
    assert "Fish school" in " ".join(str(getattr(m, "text", "")) for m in models)


def test_ticks_move_the_school_and_the_monitors():
    page = SchoolPage()
    _frames(page, 1)
    before = page.projections.source.data["x"].copy()
    _frames(page, 4)
    assert page.school.steps > 0
    assert not np.array_equal(before, page.projections.source.data["x"])
    order = page.monitors.order.data
    assert len(order["t"]) == 5 and np.all(np.diff(order["t"]) > 0)
    assert all(0.0 <= v <= 1.0 for v in order["polarization"] + order["milling"])
    shown = page.monitors.shown
    assert np.all((shown >= 0) & (shown <= 1)) and shown[:7].std() > 0
    weights = np.array([OSI_WEIGHTS[k] for k in ENTROPY_NAMES])
    assert shown[-1] == pytest.approx(weights @ shown[:7] / weights.sum())


def test_changed_weights_change_the_index_and_all_zero_is_refused():
    page = SchoolPage()
    _frames(page, 1)
    for key, slider in page.weight_sliders.items():
        slider.value = 1.0 if key == "depth" else 0.0
    _frames(page, 1)
    assert page.monitors.shown[-1] == pytest.approx(page.monitors.shown[list(ENTROPY_NAMES).index("depth")])
    page.weight_sliders["depth"].value = 0.0
    assert page.alert.visible and "zero" in page.alert.object
    assert page.weights["depth"] == 1.0  # the refused change left the weights as they were
    page.published.clicks += 1
    assert page.weights == OSI_WEIGHTS and page.weight_sliders["depth"].value == OSI_WEIGHTS["depth"]


def test_sliders_reach_the_school_and_a_new_n_restarts_it():
    page = SchoolPage()
    _frames(page, 2)
    page.sliders["orientation_width"].value = 12.0
    page.sliders["turning_rate"].value = 90.0
    assert page.school.params.orientation_width == 12.0
    assert page.school.params.turning_rate == pytest.approx(np.pi / 2)
    assert page.school.steps > 0  # the run went on
    with param.edit_constant(page.agents):  # what the browser sends at the end of a drag
        page.agents.value_throttled = 400
    assert page.school.params.n == 400 and page.school.steps == 0
    _frames(page, 1)
    assert len(page.projections.source.data["x"]) == 400


def test_presets_load_dewi_kadita_cases_in_their_box():
    page = SchoolPage()
    page.preset.value = "dewi-kadita torus"
    params, _ = PRESETS["dewi-kadita torus"]
    assert page.school.params == params
    assert page.sliders["orientation_width"].value == params.orientation_width
    _frames(page, 1)
    assert (page.projections.ranges["x"].start, page.projections.ranges["x"].end) == (0.0, params.box_size)


def test_bad_url_values_show_a_message_and_keep_the_defaults():
    layout = ROUTES["/school"]({"n": "<b>many</b>", "preset": "nonsense"})
    models = pn.panel(layout).get_root(Document()).references()
    alert = next(m for m in models if "ps-message" in (getattr(m, "css_classes", None) or []))
    assert alert.visible
    assert "unknown preset" in alert.text and "n must be a finite number" in alert.text
    assert "<b>" not in alert.text and "&lt;b&gt;" not in alert.text  # the typed markup stays text
    good = SchoolPage()
    good.apply({"n": "250", "orientation_width": "3.5"})
    assert (good.school.params.n, good.school.params.orientation_width) == (250, 3.5)
    with pytest.raises(ValueError, match="noise"):
        good.apply({"orientation_width": "5", "noise": "-1"})
    assert good.school.params.orientation_width == 3.5  # all or nothing


def test_sweep_fills_both_branches_with_progress():
    page = SchoolPage()
    page.sweep_range.value = (0.0, 8.0)
    page.sweep_points.value = 3
    page.sweep_button.clicks += 1  # no document: the work runs at once
    up, down = (source.data for source in page.sweep_view.sources)
    assert up["width"] == [0.0, 4.0, 8.0] and down["width"] == [8.0, 4.0, 0.0]
    assert up["polarization"][-1] > 0.9 and up["polarization"][0] < 0.3
    assert page.sweep_progress.value == 100 and not page.sweep_progress.visible
    page.sweep_range.value = (2.0, 2.0)
    page.sweep_button.clicks += 1
    assert page.alert.visible and "range" in page.alert.object


def test_download_is_the_run_as_netcdf(tmp_path):
    page = SchoolPage()
    page.school.advance(30)
    path = tmp_path / "school.nc"
    path.write_bytes(page._netcdf().getvalue())
    dataset = engine.load(path)
    assert dataset["position"].dims == ("time", "agent", "space")
    assert dataset.sizes["agent"] == 100 and dataset.sizes["time"] == 4
    np.testing.assert_array_equal(dataset["position"].values[-1], page.school.positions)
