"""The concentration page headless: built and ticked, a watched file's new rows taken, every malformed file answered."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import panel as pn
import pytest
from bokeh.document import Document

from dashboard.apps import ROUTES, concentration
from dashboard.apps.concentration import ConcentrationPage, upload_limit_bytes
from dashboard.style import ASSETS

SAMPLE = Path(ASSETS / "market_sample.csv")


@pytest.fixture
def market_file(tmp_path) -> Path:
    path = tmp_path / "downloads.csv"
    shutil.copy(SAMPLE, path)
    return path


def append_week(path: Path, step: int = 100) -> None:
    """Append a weekly snapshot: every model of the last week one week later, ``step * (i + 1)`` downloads more."""
    lines = path.read_text().splitlines()
    last = lines[-1].split(",")[1]
    week = [line.split(",") for line in lines[1:] if line.split(",")[1] == last]
    when = str(np.datetime64(last) + np.timedelta64(7, "D"))
    lines = [",".join([model, when, created, str(int(total) + step * (i + 1)), *groups]) + "\n"
             for i, (model, _, created, total, *groups) in enumerate(week)]
    with open(path, "a") as handle:
        handle.write("".join(lines))


def test_page_builds_into_a_document_and_the_simulated_market_ticks():
    page = ConcentrationPage(seed=3)
    pn.panel(page.layout).get_root(Document())
    assert "simulated market" in page.source_text.object and page.simulation_controls.visible
    periods = len(page.monitor)
    assert periods == concentration.FIRST_WEEKS and len(page.charts.source.data["time"]) == periods
    page.source.period_s = 0.0  # every frame is due
    for _ in range(3):
        page.tick()
    assert len(page.monitor) == periods + 3 == len(page.charts.source.data["time"])
    hhi = np.asarray(page.charts.source.data["hhi"])
    assert np.isnan(hhi[0]) and np.all((hhi[1:] > 0) & (hhi[1:] <= 10_000))
    page.play.value = False
    page.tick()
    assert len(page.monitor) == periods + 3  # paused
    page.sliders["attachment"].value = 1.7
    assert page.source.market.params["attachment"] == 1.7
    page.restart.clicks += 1
    assert len(page.monitor) == concentration.FIRST_WEEKS and page.play.value


def test_watched_file_grows_and_the_charts_follow(market_file):
    page = ConcentrationPage(market_file)
    assert page.message == "" and "downloads.csv" in page.source_text.object
    periods = len(page.monitor)
    assert periods == 30 and not page.simulation_controls.visible
    append_week(market_file)
    append_week(market_file)
    assert page.poll()
    assert len(page.monitor) == periods + 2 == len(page.charts.source.data["time"])
    assert page.week.value == periods + 1  # the Lorenz curve follows the latest week
    assert not page.poll()  # nothing new


def test_views_recompute_every_period(market_file):
    page = ConcentrationPage(market_file)
    by_model = np.asarray(page.charts.source.data["hhi"])
    page.group.value = "organisation"
    by_developer = np.asarray(page.charts.source.data["hhi"])
    assert np.all(by_developer[1:] >= by_model[1:] - 1e-9)  # merging holders never lowers HHI
    page.window.value = 4
    assert page.monitor.window == 4 and len(page.charts.source.data["hhi"]) == 30
    page.k.value = 1
    leader = [page.monitor.window_amounts(j).max() / page.monitor.window_amounts(j).sum() for j in range(1, 30)]
    np.testing.assert_allclose(page.charts.source.data["concentration_ratio"][1:], leader, rtol=1e-12)  # CR_1
    page.week.value = 5
    assert not page.follow.value and "2020-07-12" in page.week.name
    x, y = page.charts.lorenz_source.data["x"], page.charts.lorenz_source.data["y"]
    assert x[0] == 0 and x[-1] == 1 and y[-1] == pytest.approx(1)


BAD_APPENDS = {
    "text in a number": ("lots", "downloadsAllTime", "'lots' is not a number"),
    "bad date": ("2021-02-30", "time", "'2021-02-30' is not a date"),
    "negative cumulative step": ("1", "downloadsAllTime", "fell from"),
}


@pytest.mark.parametrize("case", sorted(BAD_APPENDS))
def test_a_bad_row_appended_to_the_watched_file_gets_its_message(market_file, case):
    value, column, problem = BAD_APPENDS[case]
    page = ConcentrationPage(market_file)
    before = {name: values.copy() for name, values in page.monitor.series().items()}
    rows = len(market_file.read_text().splitlines()) - 1
    fields = market_file.read_text().splitlines()[-1].split(",")
    fields[1] = str(np.datetime64(fields[1]) + np.timedelta64(7, "D"))
    fields[1 if column == "time" else 3] = value
    with open(market_file, "a") as handle:
        handle.write(",".join(fields) + "\n")
    assert not page.poll()
    assert page.alert.visible and "downloads.csv" in page.message and problem in page.message
    assert f"row {rows + 1}, column '{column}'" in page.message
    for name, values in page.monitor.series().items():  # nothing already loaded is lost
        np.testing.assert_array_equal(values, before[name])
    page.tick()  # the session goes on


def _upload(page: ConcentrationPage, name: str, data: bytes) -> None:
    page.upload.value = {name: data.decode() if name.endswith(".csv") and data.isascii() else data}  # text arrives decoded


BAD_UPLOADS = {
    "missing column": (b"model,time,created,organisation\nm,2024-01-07,2023-01-01,x\n", "column 'downloadsAllTime'"),
    "bad date": (SAMPLE.read_bytes() + b"m,2021-13-01,2020-06-07,5,a,b,c\n", "row 624, column 'time'"),
    "text in a number": (SAMPLE.read_bytes() + b"m,2021-01-03,2020-06-07,many,a,b,c\n", "row 624, column 'downloadsAllTime'"),
    "negative cumulative step": (SAMPLE.read_bytes().replace(b"2020-06-14,2020-06-07,", b"2020-06-14,2020-06-07,-", 1),
                                 "column 'downloadsAllTime': the value -"),
    "empty file": (b"", "the file is empty"),
    "huge file": (b"x" * (upload_limit_bytes() + 1), "more than the upload limit of 20 MB"),
}


@pytest.mark.parametrize("case", sorted(BAD_UPLOADS))
def test_each_malformed_upload_gets_its_message_and_the_session_keeps_its_data(market_file, case):
    data, problem = BAD_UPLOADS[case]
    page = ConcentrationPage(market_file)
    before = page.monitor.series()["hhi"].copy()
    _upload(page, "mine.csv", data)
    assert page.alert.visible and page.message.startswith("mine.csv") and problem in page.message
    assert page.source.table.path == market_file
    np.testing.assert_array_equal(page.monitor.series()["hhi"], before)
    page.tick()


def test_negative_step_in_an_upload_names_row_and_column(tmp_path):
    text = SAMPLE.read_text().splitlines()
    fields = text[-1].split(",")
    fields[1], fields[3] = "2021-01-03", "0"
    page = ConcentrationPage(seed=1)
    _upload(page, "drop.csv", ("\n".join([*text, ",".join(fields)]) + "\n").encode())
    assert f"drop.csv, row {len(text)}, column 'downloadsAllTime': the running total of" in page.message
    assert "simulated market" in page.source_text.object


def test_good_upload_replaces_the_source_and_its_name_is_text(market_file):
    page = ConcentrationPage(seed=1)
    _upload(page, "<b>my</b>.csv", SAMPLE.read_bytes())
    assert page.message == "" and len(page.monitor) == 30
    assert "&lt;b&gt;" in page.source_text.object and "<b>" not in page.source_text.object
    _upload(page, "<script>alert(1)</script>.csv", b"time,entity\n1,a\n")
    assert page.alert.visible and "<script>" not in page.alert.object and "&lt;script&gt;" in page.alert.object
    assert len(page.monitor) == 30


def test_server_file_too_large_or_malformed_leaves_a_running_page(tmp_path):
    huge = tmp_path / "huge.parquet"
    with open(huge, "wb") as handle:
        handle.truncate(3 * 1024**3)
    page = ConcentrationPage(huge)
    assert "huge.parquet: the file holds 3.0 GB" in page.message and len(page.monitor) == 0
    page.tick()
    fixed_later = tmp_path / "cols.csv"
    fixed_later.write_text("model,time\nm,2024-01-07\n")
    page = ConcentrationPage(fixed_later)
    assert "column 'downloadsAllTime'" in page.message
    fixed_later.write_text("time,entity,value\n1,a,3\n1,b,1\n2,a,1\n2,b,1\n")  # corrected: watched, so read again
    assert page.poll() and page.message == ""
    assert page.monitor.series()["hhi"].tolist() == [0.625, 0.5] and not page.charts.datetime


def test_no_path_is_taken_from_the_url(market_file):
    concentration.configure(None)
    layout = ROUTES["/concentration"]({"market-data": str(market_file), "path": "/etc/passwd"})
    texts = " ".join(str(getattr(m, "text", "")) for m in pn.panel(layout).get_root(Document()).references())
    assert "simulated market" in texts and "downloads.csv" not in texts
    with pytest.raises(ValueError, match="no file"):
        concentration.configure(market_file.parent / "absent.csv")
    concentration.configure(market_file)
    try:
        layout = ROUTES["/concentration"]({})
        texts = " ".join(str(getattr(m, "text", "")) for m in pn.panel(layout).get_root(Document()).references())
        assert "downloads.csv" in texts
    finally:
        concentration.configure(None)


def test_upload_limit_is_the_servers(market_file):
    default = pn.widgets.FileDropper.max_file_size
    pn.widgets.FileDropper.max_file_size = "1MB"  # as `phasescope serve --max-upload-mb 1` sets it
    try:
        assert upload_limit_bytes() == 2**20
        page = ConcentrationPage(market_file)
        _upload(page, "big.parquet", b"\0" * (2**20 + 1))
        assert "big.parquet: 1.0 MB is more than the upload limit of 1 MB" in page.message
        assert len(page.monitor) == 30
    finally:
        pn.widgets.FileDropper.max_file_size = default
