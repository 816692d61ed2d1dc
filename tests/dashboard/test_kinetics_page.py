"""The kinetics page built and ticked without a browser."""
from __future__ import annotations

import numpy as np
import panel as pn
from bokeh.document import Document

from dashboard.apps import ROUTES
from dashboard.apps.kinetics import KineticsPage
from dashboard.navigation import PAGES, navigation_html
from dashboard.views.kinetics_state import DISPLAYED_PATHS, KineticsState


def _alerts(page, css: str) -> list:
    models = pn.panel(page).get_root(Document()).references()
    return [m for m in models if css in (getattr(m, "css_classes", None) or [])]


def test_page_builds_and_ticks_paths_means_and_monitors():
    page = KineticsPage()
    assert page.state.network_name == "Brusselator"
    for _ in range(20):
        page.tick()
    page.flush()
    paths, means, monitors = page.plot.paths.data, page.plot.moments.data, page.monitors.source.data
    n = len(means["t"])
    assert n == 20 * page.state.steps_per_frame
    assert len(paths) == DISPLAYED_PATHS + 1 and all(len(paths[k]) == n for k in paths)
    np.testing.assert_allclose(means["t"], page.state.network.dt * np.arange(1, n + 1))
    assert np.all(np.asarray(means["lower"]) <= np.asarray(means["closure"]))
    assert np.isfinite(monitors["ssa_fano"]).all() and monitors["ssa_var"][-1] > 0
    assert page.readout.object.startswith("t = ")


def test_route_and_navigation():
    layout = ROUTES["/kinetics"]({})
    assert PAGES["/kinetics"] == "Kinetics"
    assert layout[0].object == navigation_html("/kinetics")
    assert "ps-nav-current'>Kinetics" in layout[0].object


def test_system_size_slider_restarts_and_bad_sizes_leave_the_run_going():
    page = KineticsPage()
    for _ in range(3):
        page.tick()
    page.size.value = 1000.0
    assert page.state.omega == 1000.0 and page.size_typed.value == "1000"
    assert len(page.plot.moments.data["t"]) == 0  # a new run
    page.tick()
    before = page.state.ensemble.t
    page.size_typed.value = "-5"
    assert "omega = -5 is outside its bounds [1, 100000]" in page.alert.object and page.alert.visible
    assert page.state.omega == 1000.0
    page.tick()
    assert page.state.ensemble.t > before  # the session kept running


def test_closure_failure_is_flagged_on_the_page():
    """SIR at omega = 100: the closure's mean of I goes negative, then the closure diverges."""
    page = KineticsPage(KineticsState(network_name="SIR"))
    page.size.value = 100.0
    for _ in range(200):
        page.tick()
    page.state.flags = page.state.check_closure()
    assert page.flags.visible
    assert "moment closure diverged" in page.flags.object and "E[I] = -" in page.flags.object


def test_url_query_is_checked():
    layout = ROUTES["/kinetics"]({"network": "Schlogl", "omega": "1e9", "paths": "7"})
    alerts = _alerts(layout, "ps-message")
    assert alerts and alerts[0].visible
    assert "omega = 1e+09 is outside its bounds" in alerts[0].text and "paths = 7 is outside" in alerts[0].text


def test_every_network_ticks():
    state = KineticsState()
    page = KineticsPage(state)
    for network in page.picker.options:
        page.picker.value = network
        assert state.network_name == network and page.species.options == list(state.network.species)
        for _ in range(3):
            page.tick()
        page.flush()
        assert len(page.plot.moments.data["t"]) == 3 * state.steps_per_frame
        assert np.isfinite(page.plot.moments.data["ode"]).all()
