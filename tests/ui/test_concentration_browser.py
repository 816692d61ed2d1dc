"""The concentration page in a real browser: the HHI line grows as weeks are appended to the served file."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from dashboard.style import ASSETS
from tests.dashboard.test_concentration_page import append_week
from tests.websocket_sessions import ServerProcess

pytestmark = pytest.mark.ui

SERIES_JS = """
() => {
  const doc = Bokeh.documents[0];
  if (!doc) return null;
  let source = null;
  for (const model of doc.all_models) {
    if (model.name === "ps-concentration") source = model;
  }
  if (source === null) return null;
  const get = (key) => Array.from(source.data instanceof Map ? source.data.get(key) : source.data[key]);
  return {time: get("time"), hhi: get("hhi").map((v) => (v === null ? NaN : v))};
}
"""


@pytest.fixture
def watched_server(tmp_path):
    """``phasescope serve --market-data`` on a copy of the sample that the test may append to."""
    path = tmp_path / "downloads.csv"
    shutil.copy(ASSETS / "market_sample.csv", path)
    with ServerProcess.phasescope("--market-data", str(path)) as server:
        yield server.url.rstrip("/"), path


def _points(page) -> int:
    return page.evaluate(f"(() => {{ const s = ({SERIES_JS})(); return s === null ? -1 : s.time.length; }})()")


def test_hhi_line_grows_as_rows_are_appended(page, watched_server):
    url, path = watched_server
    page.goto(url + "/concentration")
    page.wait_for_function(f"(() => {{ const s = ({SERIES_JS})(); return s !== null && s.time.length === 30; }})()",
                           timeout=60_000)
    page.get_by_text("file downloads.csv (watched for new rows)").wait_for()
    append_week(path, step=50)
    append_week(path, step=400)  # the newest entrant's week: downloads spread more evenly
    page.wait_for_function(f"(() => {{ const s = ({SERIES_JS})(); return s !== null && s.time.length === 32; }})()",
                           timeout=30_000)
    series = page.evaluate(f"({SERIES_JS})()")
    hhi = np.array(series["hhi"], dtype=float)
    assert np.all(np.diff(series["time"]) == 7 * 24 * 3600 * 1000)  # weekly, in milliseconds
    assert np.all((hhi[1:] > 0) & (hhi[1:] <= 10_000))
    last = path.read_text().splitlines()[-1].split(",")[1]
    models = sum(line.split(",")[1] == last for line in path.read_text().splitlines())
    shares = np.arange(1, models + 1) / np.arange(1, models + 1).sum()  # week 32 added 400 x (i + 1) to model i
    assert hhi[-1] == pytest.approx(10_000 * np.sum(shares**2), rel=1e-9)
    page.get_by_text(f"32 periods up to {last}").wait_for()  # the status line moved on as well
    assert not page.locator(".ps-message").first.is_visible()
