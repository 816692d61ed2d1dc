"""The chaos gallery in a real browser: thumbnails shown, a click opens a flow live and its
monitors and comparison table move."""
from __future__ import annotations

import math
import time

import pytest

from engine.systems.gallery import dysts_available

from .conftest import wait_for_motion

pytestmark = [
    pytest.mark.ui,
    pytest.mark.skipif(not dysts_available(), reason="the gallery extra is not installed: pip install phasescope[gallery]"),
]

MONITOR_LENGTH_JS = """
(name) => {
  let newest = null;
  for (const model of Bokeh.documents[0].all_models) {
    if (model.name === name) newest = model;
  }
  if (newest === null) return -1;
  const t = newest.data instanceof Map ? newest.data.get("t") : newest.data["t"];
  return t === undefined ? -1 : t.length;
}
"""


def _number(text: str | None) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        return math.nan  # '-' until the first estimate


def test_a_click_on_a_thumbnail_runs_the_flow_with_moving_monitors(page, server_url):
    page.goto(server_url + "/gallery")
    cards = page.locator("a.ps-gallery-card")
    cards.first.wait_for(timeout=30_000)
    assert cards.count() >= 100
    page.locator("a.ps-gallery-card[href='?system=Lorenz+%28dysts%29']").click()
    page.wait_for_url("**/gallery?system=Lorenz*", timeout=30_000)
    wait_for_motion(page)
    page.wait_for_function(f"({MONITOR_LENGTH_JS})('ps-monitor-entropy') > 0", timeout=60_000)
    start = page.evaluate(MONITOR_LENGTH_JS, "ps-monitor-entropy")
    page.wait_for_function(f"({MONITOR_LENGTH_JS})('ps-monitor-entropy') > {start}", timeout=30_000)
    # the running Lyapunov estimate compiles in the background, reaches the table and converges
    # towards Lorenz's 0.906 (Sprott; dysts lists 0.89 and 1.09)
    live = page.locator(".ps-live-maximum_lyapunov")  # a locator: the table is redrawn, so found anew each time
    live.wait_for(timeout=30_000)
    deadline = time.monotonic() + 120
    while not 0.7 < _number(live.text_content()) < 1.1:
        assert time.monotonic() < deadline, f"the live largest exponent stayed at {live.text_content()}"
        page.wait_for_timeout(500)
    assert page.locator(".ps-compare").inner_text().count("1.091") == 1  # dysts' published spectrum beside it

