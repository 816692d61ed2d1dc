"""The simulated market: the Polya urn limit, its parameters, and the sample it writes."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dashboard.style import ASSETS
from engine.concentration import hhi
from engine.markets.monitor import ConcentrationMonitor
from engine.markets.simulated import SimulatedMarket, write_sample
from engine.markets.table import PAPER_LAYOUT, read_rows


@pytest.mark.parametrize("colours", [2, 4])
def test_polya_urn_limit_of_the_expected_hhi(colours):
    """No entry, exit or ageing, equal fitness, attachment 1, one download a period: a Polya urn of
    K colours, one ball each, whose shares tend to Dirichlet(1, ..., 1) with E[HHI] = 2/(K+1).
    After 1000 draws the exact expectation differs from the limit by under 0.2 %."""
    values = []
    for seed in range(1000):
        urn = SimulatedMarket(entry_rate=0, attachment=1, ageing=0, exit_rate=0, fitness_spread=0, volume=1,
                              initial=colours, seed=seed)
        urn.step(1000)
        values.append(hhi(urn.totals + 1.0))  # the balls: the first one of each colour and the draws
    mean, error = np.mean(values), np.std(values) / np.sqrt(len(values))
    assert abs(mean - 2 / (colours + 1)) < 4 * error + 0.002 * 2 / (colours + 1)
    assert error < 0.01  # the test can tell 2/(K+1) from its neighbours


def test_attachment_exponent_drives_concentration():
    def final_hhi(attachment):
        market = SimulatedMarket(attachment=attachment, entry_rate=1.0, ageing=0.0, exit_rate=0.0, seed=11)
        monitor = ConcentrationMonitor()
        monitor.append(market.step(150))
        return monitor.series()["hhi"][-1]

    low, high = final_hhi(0.3), final_hhi(1.6)
    assert high > 0.9  # winner takes all
    assert low < 0.1  # close to equal shares among the entrants


def test_entry_and_exit_change_the_population():
    market = SimulatedMarket(entry_rate=3.0, exit_rate=0.2, initial=5, seed=4)
    rows = market.step(40)
    assert market.count > 60  # about 5 + 3 x 40 arrived
    assert market.alive < market.count / 2  # most have left again
    last_week = rows.time == rows.time.max()
    assert market.alive <= last_week.sum()  # some left after the last snapshot
    entities = np.array(rows.entity.to_pylist())
    week = (rows.time - rows.time.min()) // (7 * 24 * 3600)
    for entity in set(entities):  # listed from entry to exit without a gap: an exit is for good
        listed = np.sort(week[entities == entity])
        assert np.array_equal(listed, np.arange(listed[0], listed[0] + listed.size))


def test_parameters_are_checked():
    market = SimulatedMarket(seed=1)
    market.set_params(attachment=1.5, entry_rate="2")
    assert market.params["attachment"] == 1.5 and market.params["entry_rate"] == 2.0
    for bad in ({"attachment": 5.0}, {"entry_rate": float("nan")}, {"ageing": "fast"}, {"gravity": 1.0}):
        with pytest.raises(ValueError):
            market.set_params(**bad)
    assert market.params["attachment"] == 1.5
    with pytest.raises(ValueError):
        market.step(0)


def test_shipped_sample_is_what_write_sample_makes(tmp_path):
    for name in ("market_sample.csv", "market_sample.parquet"):
        made = read_rows(write_sample(tmp_path / name))
        shipped = read_rows(Path(ASSETS / name))
        assert shipped.layout == PAPER_LAYOUT
        assert np.array_equal(made.value, shipped.value) and np.array_equal(made.time, shipped.time)
        assert made.entity.to_pylist() == shipped.entity.to_pylist()
    assert (Path(ASSETS / "market_sample.csv")).stat().st_size < 100_000
