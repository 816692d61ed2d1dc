"""The kinetics page in a real browser: stochastic paths and monitors move; a bad system size
gets a message shown as text while the run goes on."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui

LENGTH_JS = """
(name) => {
  const doc = Bokeh.documents[0];
  if (!doc) return -1;
  let newest = null;
  for (const model of doc.all_models) if (model.name === name) newest = model;
  if (newest === null) return -1;
  const t = newest.data instanceof Map ? newest.data.get("t") : newest.data["t"];
  return t === undefined ? -1 : t.length;
}
"""

LAST_TIME_JS = """
(name) => {
  const doc = Bokeh.documents[0];
  for (const model of doc.all_models) if (model.name === name) {
    const t = model.data instanceof Map ? model.data.get("t") : model.data["t"];
    return t.length ? t[t.length - 1] : -1;
  }
  return -1;
}
"""


def _moves(page, name: str) -> None:
    """Wait until the source ``name`` reaches a later time than it holds now."""
    page.wait_for_function(f"({LENGTH_JS})({name!r}) > 0", timeout=60_000)
    start = page.evaluate(LAST_TIME_JS, name)
    page.wait_for_function(f"({LAST_TIME_JS})({name!r}) > {start}", timeout=30_000)


def test_paths_and_monitors_move_and_bad_sizes_get_a_message(page, server_url):
    page.goto(server_url + "/kinetics?network=Birth-death&omega=50")
    for name in ("ps-kinetics-paths", "ps-kinetics-mean", "ps-kinetics-monitors"):
        _moves(page, name)
    page.locator(".ps-readout").get_by_text("Fano").wait_for(state="visible", timeout=10_000)
    typed = page.locator(".ps-omega-typed input")
    typed.fill("<i>huge</i>")
    typed.press("Enter")
    message = page.locator(".ps-message").get_by_text("omega must be a finite number")
    message.wait_for(state="visible", timeout=20_000)
    assert "<i>huge</i>" in message.inner_text()  # shown as text, not markup
    _moves(page, "ps-kinetics-paths")
