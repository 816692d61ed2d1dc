"""The synchronization page in a real browser: the oscillators, r(t) and the growing interface move."""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

pytestmark = pytest.mark.ui

COLUMN_JS = """
([name, key]) => {
  const doc = Bokeh.documents[0];
  if (!doc) return null;
  for (const model of doc.all_models) {
    if (model.name === name) {
      const column = model.data instanceof Map ? model.data.get(key) : model.data[key];
      return column === undefined ? null : Array.from(column);
    }
  }
  return null;
}
"""


def picture(page, index: int = 0) -> np.ndarray:
    """What the page's ``index``-th canvas shows, as RGB pixels."""
    return np.asarray(Image.open(io.BytesIO(page.locator("canvas").nth(index).screenshot())).convert("RGB"))


def assert_picture_moves(page, index: int = 0) -> None:
    """The canvas is drawn (many colours) and changes within a few seconds."""
    before = picture(page, index)
    assert len(np.unique(before.reshape(-1, 3), axis=0)) > 20
    for _ in range(20):
        page.wait_for_timeout(500)
        if not np.array_equal(picture(page, index), before):
            return
    raise AssertionError(f"canvas {index} did not change in 10 s")


def column(page, name: str, key: str) -> list:
    return page.evaluate(COLUMN_JS, [name, key]) or []


def wait_for_growth(page, name: str, key: str, timeout_s: float = 60.0) -> None:
    """Wait until the column holds values and then a later last value than now."""
    page.wait_for_function(f"(({COLUMN_JS})(['{name}', '{key}']) || []).length > 0", timeout=timeout_s * 1000)
    last = column(page, name, key)[-1]
    page.wait_for_function(
        f"(() => {{ const c = ({COLUMN_JS})(['{name}', '{key}']); return c && c[c.length - 1] > {last}; }})()",
        timeout=timeout_s * 1000,
    )


def test_oscillators_and_interface_move_and_the_sweep_brings_points(page, server_url):
    page.goto(server_url + "/sync")
    wait_for_growth(page, "ps-sync-r", "t")  # r(t) streams
    wait_for_growth(page, "ps-ring-width", "t")  # W(t) grows in time
    before = column(page, "ps-sync-phases", "x")
    assert len(before) == 1500
    page.wait_for_function(
        f"(() => {{ const x = ({COLUMN_JS})(['ps-sync-phases', 'x']); return x && x[0] !== {before[0]}; }})()",
        timeout=30_000,
    )  # the phases turn
    assert all(0 <= r <= 1 for r in column(page, "ps-sync-r", "r"))
    page.get_by_text("fitted β").first.wait_for(timeout=30_000)
    assert_picture_moves(page, 0)  # the phases on the circle
    page.locator(".ps-sync-sweep button").click()
    page.wait_for_function(f"(({COLUMN_JS})(['ps-sync-sweep', 'k']) || []).length >= 2", timeout=120_000)
    wait_for_growth(page, "ps-sync-r", "t")  # the live view keeps moving while the sweep runs
