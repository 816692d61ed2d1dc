"""The fish-school page in a real browser: the school moves, the monitors move, a sweep arrives from the background."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui

SOURCE_JS = """
(name) => {
  const doc = Bokeh.documents[0];
  if (!doc) return null;
  for (const model of doc.all_models) {
    if (model.name === name) return model;
  }
  return null;
}
"""

COLUMN_JS = f"""
([name, column]) => {{
  const source = ({SOURCE_JS})(name);
  if (source === null) return [];
  const values = source.data instanceof Map ? source.data.get(column) : source.data[column];
  return values === undefined ? [] : Array.from(values);
}}
"""


def _column(page, name: str, column: str) -> list:
    return page.evaluate(COLUMN_JS, [name, column])


def _wait_for(page, condition_js: str, timeout_s: float = 60.0, arg=None) -> None:
    """Wait until ``condition_js`` (an expression of ``column([name, column])`` and ``arg``) holds."""
    page.wait_for_function(f"(arg) => {{ const column = {COLUMN_JS}; return {condition_js}; }}", arg=arg,
                           timeout=timeout_s * 1000, polling=200)


def test_school_and_monitors_move(page, server_url):
    page.goto(server_url + "/school", timeout=120_000)  # a cold server compiles the school kernels first
    _wait_for(page, "column(['ps-school-positions', 'x']).length === 100")
    first = _column(page, "ps-school-positions", "x")
    _wait_for(page, "column(['ps-school-positions', 'x']).some((x, i) => x !== arg[i])", arg=first)
    moved = _column(page, "ps-school-positions", "x")
    assert moved != first and len(moved) == 100
    samples = len(_column(page, "ps-school-order", "t"))
    _wait_for(page, f"column(['ps-school-order', 't']).length > {samples + 5}")
    _wait_for(page, "column(['ps-school-osi', 'osi']).length >= 2")
    entropies = _column(page, "ps-school-entropies", "value")
    assert len(entropies) == 8 and all(0.0 <= v <= 1.0 for v in entropies) and max(entropies) > 0
    assert "P = " in page.locator(".ps-school-status pre").inner_text()


def test_sweep_runs_in_the_background_and_the_school_keeps_moving(page, server_url):
    page.goto(server_url + "/school", timeout=120_000)  # a cold server compiles the school kernels first
    _wait_for(page, "column(['ps-school-order', 't']).length > 0")
    page.locator(".ps-school-sweep button").click()
    _wait_for(page, "column(['ps-school-sweep-up', 'width']).length >= 1")
    during = len(_column(page, "ps-school-order", "t"))
    _wait_for(page, f"column(['ps-school-order', 't']).length > {during + 3}")  # the event loop is free
    _wait_for(page, "column(['ps-school-sweep-down', 'width']).length === 9", timeout_s=120)
    up = _column(page, "ps-school-sweep-up", "polarization")
    assert up[0] < 0.3 and up[-1] > 0.9
