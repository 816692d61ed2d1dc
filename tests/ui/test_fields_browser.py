"""The fields page in a real browser: the space-time image grows and the monitors move."""
from __future__ import annotations

import pytest

from .test_sync_browser import COLUMN_JS, assert_picture_moves, column, wait_for_growth

pytestmark = pytest.mark.ui

IMAGE_ROWS_JS = """
() => {
  const doc = Bokeh.documents[0];
  if (!doc) return -1;
  for (const model of doc.all_models) {
    if (model.name === "ps-field-image") {
      const images = model.data instanceof Map ? model.data.get("image") : model.data["image"];
      if (!images || images.length === 0) return -1;
      const image = images[0];
      return image.shape ? image.shape[0] : image.length;
    }
  }
  return -1;
}
"""


def test_image_and_monitors_move_and_a_refused_step_keeps_the_run(page, server_url):
    page.goto(server_url + "/fields?potential=sine_gordon&initial=breather")
    wait_for_growth(page, "ps-field-monitor", "t")
    page.wait_for_function(f"({IMAGE_ROWS_JS})() > 0", timeout=60_000)
    rows = page.evaluate(IMAGE_ROWS_JS)
    page.wait_for_function(f"({IMAGE_ROWS_JS})() > {rows}", timeout=60_000)  # the space-time image grows
    assert len(column(page, "ps-field-phase", "phi")) > 0
    assert_picture_moves(page, 0)  # the space-time image
    assert max(column(page, "ps-field-monitor", "energy_error")) < 1e-3
    typed = page.locator(".ps-field-dt input")
    typed.fill("5")
    typed.press("Enter")
    page.locator(".ps-message").get_by_text("CFL bound").wait_for(state="visible", timeout=30_000)
    wait_for_growth(page, "ps-field-monitor", "t")
    assert page.evaluate(COLUMN_JS, ["ps-field-profile", "phi"])  # the profile is still there
