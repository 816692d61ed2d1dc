"""The bifurcation page in a real browser: the diagram arrives, a click runs the linked portrait there."""
from __future__ import annotations

import pytest

from .conftest import TRACE_TAIL_JS, wait_for_trace

pytestmark = pytest.mark.ui

DIAGRAM_JS = """
() => {
  const seen = new Set();
  const found = [];
  const walk = (view) => {
    if (!view || seen.has(view)) return;
    seen.add(view);
    if (view.model && view.model.css_classes && view.model.css_classes.includes("ps-orbit-diagram")) found.push(view);
    for (const child of (view.child_views || [])) walk(child);
  };
  for (const root of Object.values(Bokeh.index)) walk(root);
  return found.length ? found[0] : null;
}
"""

IMAGE_READY_JS = f"""
() => {{
  const view = ({DIAGRAM_JS})();
  if (view === null) return false;
  for (const model of Bokeh.documents[0].all_models) {{
    if (model.name === "ps-orbit-image") {{
      const image = model.data instanceof Map ? model.data.get("image") : model.data["image"];
      return image !== undefined && image.length > 0;
    }}
  }}
  return false;
}}
"""

SCREEN_POINT_JS = f"""
(value) => {{
  const view = ({DIAGRAM_JS})();
  const frame = view.frame;
  const box = view.el.getBoundingClientRect();
  return {{x: box.left + frame.x_scale.compute(value), y: box.top + frame.bbox.top + frame.bbox.height / 2}};
}}
"""


def test_diagram_arrives_and_a_click_shows_the_two_cycle_in_the_portrait(page, server_url):
    page.goto(server_url + "/bifurcation?resolution=200&samples=100&start=2.8&stop=4")
    page.wait_for_function(f"({IMAGE_READY_JS})()", timeout=90_000)
    page.locator(".ps-progress-text").get_by_text("points").wait_for(timeout=60_000)
    wait_for_trace(page)
    point = page.evaluate(SCREEN_POINT_JS, 3.2)
    page.mouse.click(point["x"], point["y"])
    status = page.locator(".ps-linked-status").get_by_text("Portrait at r = 3.2")
    status.wait_for(timeout=20_000)
    # the portrait restarts at r ~ 3.2 and settles on two points: x' against x alternates between them
    page.wait_for_function(
        f"""(() => {{
            const t = ({TRACE_TAIL_JS})(12);
            if (t.x.length < 12) return false;
            const values = new Set(t.x.map(v => v.toFixed(4)));
            return values.size === 2;
        }})()""",
        timeout=30_000,
    )
    tail = page.evaluate(TRACE_TAIL_JS, 12)
    assert len({round(v, 4) for v in tail["x"]}) == 2
    assert min(tail["x"]) < 0.6 < max(tail["x"])  # the 2-cycle straddles the unstable fixed point 1 - 1/r


def _progress(page) -> int:
    value = page.locator(".ps-progress progress").get_attribute("value")
    return int(value) if value else 0


def test_a_long_sweep_never_blocks_the_page(page, server_url):
    """While a long Lorenz diagram is computed, the progress bar moves and the live portrait keeps moving."""
    page.goto(server_url + "/bifurcation?system=Lorenz&parameter=rho&start=20&stop=200&resolution=2000&samples=2000")
    wait_for_trace(page)
    seen = []  # (progress, newest point of the portrait) while the sweep runs
    for _ in range(1800):
        progress = _progress(page)
        if progress >= 100:
            break
        if progress > 0:
            tail = page.evaluate(TRACE_TAIL_JS, 1)
            seen.append((progress, (tail["x"][0], tail["y"][0])))
        page.wait_for_timeout(100)
    assert len({p for p, _ in seen}) >= 2, seen  # the bar moved during the sweep
    assert len({point for _, point in seen}) >= 2, seen  # the portrait streamed meanwhile: the event loop was free
