"""Concentration indices on the loaded-data path: closed forms, running totals, windows, groups, incremental = from scratch."""
from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pytest

from engine.concentration import gini
from engine.markets.indices import lorenz_curve, share_indices
from engine.markets.monitor import ConcentrationMonitor
from engine.markets.table import MarketDataError, read_rows


def _table(folder: Path, rows: list[tuple], header: str = "time,entity,value,country", name: str = "m.csv") -> Path:
    path = folder / name
    path.write_text(header + "\n" + "".join(",".join(str(v) for v in row) + "\n" for row in rows))
    return path


def _load(path: Path, **view) -> ConcentrationMonitor:
    monitor = ConcentrationMonitor(**view)
    monitor.append(read_rows(path))
    return monitor


@pytest.mark.parametrize("n", [1, 2, 7, 40])
def test_equal_shares_from_a_file(tmp_path, n):
    path = _table(tmp_path, [("2024-01-07", f"e{i}", 3.0, "US") for i in range(n)])
    last = {name: values[-1] for name, values in _load(path, k=3).series().items()}
    assert last["hhi"] == pytest.approx(1 / n, rel=1e-12)
    assert last["effective_number"] == pytest.approx(n, rel=1e-12)
    assert last["shannon"] == pytest.approx(math.log(n), abs=1e-12)
    assert last["gini"] == pytest.approx(0.0, abs=1e-12)
    assert last["concentration_ratio"] == pytest.approx(min(3, n) / n, rel=1e-12)
    assert last["holders"] == n and last["total"] == 3.0 * n
    if n >= 2:
        assert last["normalized_hhi"] == pytest.approx(0.0, abs=1e-12)
    else:
        assert math.isnan(last["normalized_hhi"])


def test_unequal_shares_closed_forms(tmp_path):
    """Amounts 1, 2, 3, 4 (and a zero, which is no holder): shares 0.1 ... 0.4."""
    path = _table(tmp_path, [("2024-01-07", name, value, "US") for name, value in zip("abcde", (1, 2, 0, 3, 4), strict=True)])
    last = {name: values[-1] for name, values in _load(path, k=2).series().items()}
    shares = np.array([0.1, 0.2, 0.3, 0.4])
    assert last["hhi"] == pytest.approx(0.30, rel=1e-12)
    assert last["normalized_hhi"] == pytest.approx((0.30 - 0.25) / 0.75, rel=1e-12)
    assert last["concentration_ratio"] == pytest.approx(0.7, rel=1e-12)
    assert last["gini"] == pytest.approx(0.25, rel=1e-12)  # sum |xi - xj| = 20 over 2 n^2 mean = 80
    assert last["shannon"] == pytest.approx(-np.sum(shares * np.log(shares)), rel=1e-12)
    assert last["effective_number"] == pytest.approx(1 / 0.30, rel=1e-12)
    assert last["holders"] == 4


def test_running_totals_are_differenced_week_by_week(tmp_path):
    """downloadsAllTime 10, 30, 60 for a and 10, 20, 20 for b: weeks 2 and 3 have amounts (20, 10) and (30, 0)."""
    header = "model,time,created,downloadsAllTime,organisation"
    rows = [
        ("a", "2024-01-07", "2023-05-01", 10, "X"), ("b", "2024-01-07", "2023-05-01", 10, "Y"),
        ("a", "2024-01-14", "2023-05-01", 30, "X"), ("b", "2024-01-14", "2023-05-01", 20, "Y"),
        ("c", "2024-01-21", "2024-01-20", 30, "X"), ("a", "2024-01-21", "2023-05-01", 60, "X"),
    ]
    series = _load(_table(tmp_path, rows, header)).series()
    assert math.isnan(series["hhi"][0])  # the first snapshot is the baseline
    assert series["hhi"][1] == pytest.approx((2 / 3) ** 2 + (1 / 3) ** 2)
    assert series["hhi"][2] == pytest.approx(0.5)  # a gained 30, the new c brings its 30, b nothing
    assert series["holders"].tolist()[1:] == [2, 2]
    grouped = _load(_table(tmp_path, rows, header), group_by="organisation").series()
    assert grouped["hhi"][2] == pytest.approx(1.0)  # X holds all of week 3


def _random_rows(rng, weeks=12, entities=30):
    rows = []
    for week in range(weeks):
        present = rng.choice(entities, size=rng.integers(5, entities), replace=False)
        for e in present:
            rows.append((f"2024-{1 + week // 4:02d}-{1 + 7 * (week % 4):02d}", f"e{e}", float(rng.integers(0, 50)),
                         ("US", "CN", "FR")[e % 3]))
    return rows


def _from_scratch(rows, window, group):
    """The reference: amounts per holder summed over the window, indices of share_indices."""
    times = sorted({r[0] for r in rows})
    out = []
    for j in range(len(times)):
        held = {}
        for r in rows:
            if r[0] in times[max(0, j - window + 1) : j + 1]:
                key = r[3] if group else r[1]
                held[key] = held.get(key, 0.0) + r[2]
        out.append(share_indices(np.array(list(held.values())), 4)["hhi"])
    return np.array(out)


@pytest.mark.parametrize("window", [1, 3])
@pytest.mark.parametrize("group", [False, True])
def test_incremental_appends_equal_the_computation_from_scratch(tmp_path, window, group):
    rows = _random_rows(np.random.default_rng(7))
    path = _table(tmp_path, rows)
    whole = read_rows(path)
    monitor = ConcentrationMonitor(window=window, group_by="country" if group else None)
    cut = [0, 40, 41, 90, len(rows)]  # chunks end inside a week: its late rows join it
    lines = path.read_text().splitlines()
    for a, b in itertools.pairwise(cut):
        part = path.parent / f"part{a}.csv"
        part.write_text("\n".join([lines[0], *lines[1 + a : 1 + b]]) + "\n")
        monitor.append(read_rows(part))
    assert len(monitor) == 12
    np.testing.assert_allclose(monitor.series()["hhi"], _from_scratch(rows, window, group), rtol=1e-12)
    direct = ConcentrationMonitor()
    direct.append(whole)
    direct.set_view(window=window, group_by="country" if group else None)  # a changed view recomputes every period
    np.testing.assert_allclose(direct.series()["hhi"], monitor.series()["hhi"], rtol=1e-12)


def test_rows_of_an_earlier_period_are_refused_and_nothing_changes(tmp_path):
    monitor = _load(_table(tmp_path, [("2024-01-07", "a", 1, "US"), ("2024-01-14", "b", 2, "US")]))
    before = monitor.series()
    late = _table(tmp_path, [("2024-01-14", "c", 2, "US"), ("2024-01-07", "d", 5, "US")], name="late.csv")
    with pytest.raises(MarketDataError, match=r"late\.csv, row 2, column 'time': period 2024-01-07 comes before 2024-01-14"):
        monitor.append(read_rows(late))
    assert len(monitor) == 2
    for name, values in monitor.series().items():
        np.testing.assert_array_equal(values, before[name])


def test_view_checks_and_group_columns(tmp_path):
    monitor = _load(_table(tmp_path, [("2024-01-07", "a", 1, "US")]))
    for bad in ({"window": 0}, {"window": 2.5}, {"k": 10_000}, {"group_by": "planet"}):
        with pytest.raises(ValueError):
            monitor.set_view(**bad)
    assert (monitor.window, monitor.k, monitor.group_by) == (1, 4, None)


def test_lorenz_curve_and_gini_agree(tmp_path):
    amounts = np.array([0.0, 1.0, 2.0, 3.0, 4.0, 10.0])
    x, y = lorenz_curve(amounts)
    assert x[0] == 0 and y[0] == 0 and x[-1] == 1 and y[-1] == pytest.approx(1)
    area = np.sum((x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2)
    assert 1 - 2 * area == pytest.approx(gini(amounts[amounts > 0]), rel=1e-12)
    x, y = lorenz_curve(np.ones(1000), points=50)
    assert len(x) == 51 and np.allclose(x, y)


def test_leading_shares_add_up_to_the_window(tmp_path):
    rows = _random_rows(np.random.default_rng(3), weeks=8, entities=12)
    monitor = _load(_table(tmp_path, rows), window=2)
    labels, shares = monitor.top_shares(12)
    assert len(labels) == len(set(labels)) == shares.shape[1] <= 12
    np.testing.assert_allclose(shares.sum(axis=1), 1.0, rtol=1e-12)
    first, _ = monitor.top_shares(3)
    assert first == labels[:3]
    np.testing.assert_allclose(monitor.series()["hhi"], np.sum(shares**2, axis=1), rtol=1e-12)


def test_a_refused_first_read_fixes_no_layout(tmp_path):
    monitor = ConcentrationMonitor()
    falling = _table(tmp_path, [("a", "2024-01-07", 5), ("a", "2024-01-14", 2)], header="model,time,downloadsAllTime")
    with pytest.raises(MarketDataError, match="fell from 5 to 2"):
        monitor.append(read_rows(falling))
    assert monitor.layout is None and len(monitor) == 0
    monitor.append(read_rows(_table(tmp_path, [(1, "a", 2.0, "US")], name="long.csv")))  # another layout is welcome
    assert monitor.time_kind == "number" and monitor.series()["hhi"].tolist() == [1.0]
