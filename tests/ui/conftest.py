"""Browser fixtures: Debian's Chromium driven by Playwright (no browser download).

CI (``CI`` set) must run these tests, so a missing Chromium fails there; on a
person's machine without it they are skipped with the reason.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("PHASESCOPE_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"browser tests must run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed: pip install -e '.[test]'")
    if not CHROMIUM.exists():
        _unavailable(f"no Chromium at {CHROMIUM}: apt-get install chromium (or set PHASESCOPE_CHROMIUM)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


TRACE_SOURCE_JS = """
() => {
  const doc = Bokeh.documents[0];
  if (!doc) return null;
  let newest = null;
  for (const model of doc.all_models) {
    if (model.name === "ps-trace") newest = model;  // a changed ensemble makes a new one: take the last
  }
  return newest;
}
"""

TRACE_LENGTH_JS = f"""
() => {{
  const source = ({TRACE_SOURCE_JS})();
  if (source === null) return -1;
  const x0 = source.data instanceof Map ? source.data.get("x0") : source.data["x0"];
  return x0 === undefined ? -1 : x0.length;
}}
"""

TRACE_TAIL_JS = f"""
(n) => {{
  const source = ({TRACE_SOURCE_JS})();
  const get = (key) => (source.data instanceof Map ? source.data.get(key) : source.data[key]);
  return {{x: Array.from(get("x0")).slice(-n), y: Array.from(get("y0")).slice(-n)}};
}}
"""


def wait_for_trace(page, timeout_s: float = 60.0) -> int:
    """Wait until the live trace has points; return their number."""
    page.wait_for_function(f"({TRACE_LENGTH_JS})() > 0", timeout=timeout_s * 1000)
    return page.evaluate(TRACE_LENGTH_JS)


def wait_for_motion(page, timeout_s: float = 60.0) -> None:
    """Wait until the live trace grows: the session's frame loop is running."""
    start = wait_for_trace(page, timeout_s)
    page.wait_for_function(f"({TRACE_LENGTH_JS})() > {start}", timeout=timeout_s * 1000)
