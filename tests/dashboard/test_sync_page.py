"""The synchronization page built and ticked without a browser."""
from __future__ import annotations

import numpy as np
import panel as pn
import pytest
from bokeh.document import Document

from dashboard.apps import ROUTES
from dashboard.apps.sync import SyncPage
from engine.manybody import order_parameter_branch


def _ticked(page: SyncPage, frames: int) -> None:
    for _ in range(frames):
        page._last_draw = 0.0  # redraw every frame
        page.tick(0.01)


def test_page_builds_and_its_pictures_move():
    page = SyncPage()
    models = pn.panel(page.layout).get_root(Document()).references()
    assert "Synchronization" in " ".join(str(getattr(m, "text", "")) for m in models)
    _ticked(page, 4)
    r = page.kuramoto_view.r.data["r"]
    assert len(r) >= 4 and np.all((0 <= np.asarray(r)) & (np.asarray(r) <= 1))
    assert len(page.kuramoto_view.phases.data["x"]) == 1500
    heights = np.asarray(page.ring_view.heights.data["h"])
    assert heights.size == 1024 and heights.std() > 0  # the interface roughened
    assert page.ring.history()[0].size == 4 and len(page.ring_view.widths.data["t"]) >= 3
    assert "fitted β" in page.fit_text.object
    assert "Kuramoto t =" in page.status.object


def test_sweep_draws_points_beside_the_theory():
    page = SyncPage()
    page.sweep_max.value = 2.0
    page.sweep_points.value = 2
    page.sweep()  # without a server session the background work runs at once
    k = np.asarray(page.sweep_view.points.data["k"])
    r = np.asarray(page.sweep_view.points.data["r"])
    np.testing.assert_allclose(k, [1.0, 2.0])
    assert abs(r[1] - order_parameter_branch(2.0, 0.5)) < 0.05
    assert page.sweep_view.critical.location == 1.0
    assert len(page.sweep_view.theory.data["k"]) > 0


def test_changes_rebuild_and_bad_values_show_a_message():
    page = SyncPage()
    page.oscillators.value = 1000
    page.distribution.value = "gaussian"
    assert page.population.n == 1000 and page.population.distribution == "gaussian"
    assert page.sweep_view.critical.location == pytest.approx(0.5 * 1.5958, abs=1e-3)
    assert len(page.sweep_view.theory.data["k"]) == 0  # no closed form for Gaussian frequencies
    page.quantiles.value = False
    assert not page.population.quantiles and page.population.n == 1000
    page.disorder.value = "columnar"
    page.alpha.value = 0.8
    assert page.ring.disorder == "columnar" and page.ring.alpha == 0.8
    _ticked(page, 2)
    page.coupling.value = float("nan")
    assert page.alert.visible and "coupling K" in page.alert.object
    _ticked(page, 1)  # still running


def test_regime_preset_sets_the_ring():
    page = SyncPage()
    page.regime.value = "KPZ"
    ring = page.ring
    assert (ring.coupling, ring.alpha, ring.disorder, ring.strength) == (1.0, 1.2, "noise", 0.02)
    assert ring.t == 0.0 and page.ring_size.value == ring.size


def test_url_values_are_checked():
    page = ROUTES["/sync"]({"coupling": "<b>x</b>", "alpha": "0.5"})
    models = pn.panel(page).get_root(Document()).references()
    alerts = [m for m in models if "ps-message" in (getattr(m, "css_classes", None) or [])]
    assert alerts and alerts[0].visible
    assert "coupling must be a finite number" in alerts[0].text and "<b>" not in alerts[0].text
