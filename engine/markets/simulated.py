"""A simulated market: entrants arrive, grow by preferential attachment with fitness and ageing, and exit.

Each period (a week) ``Poisson(entry_rate)`` entrants arrive with a
log-normal fitness :math:`\\eta_i`; the period's ``volume`` of downloads is
shared out multinomially with probabilities proportional to

.. math:: w_i = \\eta_i \\, (1 + k_i)^{\\alpha} \\, e^{-\\lambda a_i}

(:math:`k_i` downloads so far, :math:`a_i` age in periods, :math:`\\alpha` the
attachment exponent, :math:`\\lambda` the ageing rate), then each entity
leaves with probability ``exit_rate``. With :math:`\\alpha > 1` the leader
runs away (winner takes all); entry, ageing and exit bring concentration
down. With no entry, exit or ageing, equal fitness, :math:`\\alpha = 1` and one
download per period it is a Polya urn of ``initial`` colours, whose shares
tend to Dirichlet(1, ..., 1), so that the expected limiting HHI is
:math:`2/(K+1)`.

The rows come out in the layout of the paper's dataset
(:data:`~.table.PAPER_LAYOUT`: running totals per model and weekly
snapshot, with developer, developer type and country), so a simulated
market and a file take the same path through :class:`~.monitor.ConcentrationMonitor`;
:func:`write_sample` writes the sample shipped in ``assets/``.

References
----------
H. A. Simon, On a class of skew distribution functions, Biometrika 42 (1955) 425-440;
G. Bianconi and A.-L. Barabasi, Competition and multiscaling in evolving networks,
Europhys. Lett. 54 (2001) 436; S. N. Dorogovtsev and J. F. F. Mendes, Evolution of networks
with aging of sites, Phys. Rev. E 62 (2000) 1842; N. L. Johnson and S. Kotz, Urn Models and
Their Application (Wiley, 1977).
"""
from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

import numba
import numpy as np
import pyarrow as pa

from ..jit import CACHED_JIT
from ..system import Parameter, check_integer
from .table import PAPER_LAYOUT, MarketRows

__all__ = ["DEVELOPERS", "GROUP_COLUMNS", "PARAMETERS", "SimulatedMarket", "write_sample"]

PARAMETERS = (
    Parameter("entry_rate", 1.5, (0.0, 20.0), 0.1, "mean number of entrants per period"),
    Parameter("attachment", 0.9, (0.0, 2.0), 0.05, "preferential attachment exponent alpha", symbol=r"\alpha"),
    Parameter("ageing", 0.05, (0.0, 0.5), 0.005, "ageing rate lambda: attractiveness decays as exp(-lambda age)",
              unit="1/period", symbol=r"\lambda"),
    Parameter("exit_rate", 0.01, (0.0, 0.5), 0.005, "probability that an entity leaves in a period", unit="1/period"),
)
"""The parameters a person may change while the market runs (sliders on the page)."""

DEVELOPERS = (
    ("meta-llama", "company", "United States"),
    ("google", "company", "United States"),
    ("qwen", "company", "China"),
    ("deepseek-ai", "company", "China"),
    ("mistralai", "company", "France"),
    ("stabilityai", "company", "United Kingdom"),
    ("allenai", "non-profit", "United States"),
    ("tsinghua", "academic", "China"),
    ("stanford-crfm", "academic", "United States"),
    ("eleutherai", "non-profit", "United States"),
    ("bigscience", "community", "France"),
    ("unsloth", "community", "United States"),
)
"""Developers entrants belong to: (organisation, organisation type, country)."""
GROUP_COLUMNS = ("organisation", "organisation_type", "country")
"""The group columns of the rows, one per entry of a :data:`DEVELOPERS` tuple."""
_DEVELOPER_COLUMNS = np.array(DEVELOPERS, dtype=object)

_START = np.datetime64("2020-06-07", "s")
_WEEK = 7 * 24 * 3600


@numba.njit(**CACHED_JIT)
def _advance(totals, fitness, age, alive, arrivals, first_new, attachment, ageing, exit_rate, volume, seed, snapshots):
    """Run ``arrivals.size`` periods; ``snapshots[p, i]`` is entity i's running total after
    period p, or -1 when it is not in the market. Returns the number of entities after the last period."""
    np.random.seed(seed)
    count = first_new
    weights = np.zeros(totals.size)
    for p in range(arrivals.size):
        for i in range(count, count + arrivals[p]):
            alive[i] = True
        count += arrivals[p]
        total = 0.0
        last = -1
        for i in range(count):
            weights[i] = fitness[i] * (1.0 + totals[i]) ** attachment * np.exp(-ageing * age[i]) if alive[i] else 0.0
            total += weights[i]
            if weights[i] > 0.0:
                last = i
        remaining = volume  # multinomial(volume, weights / total) by conditional binomials
        for i in range(last):
            if remaining == 0:
                break
            if weights[i] > 0.0:
                drawn = np.random.binomial(remaining, min(1.0, weights[i] / total))
                totals[i] += drawn
                remaining -= drawn
                total -= weights[i]
        if last >= 0:
            totals[last] += remaining
        for i in range(count):
            snapshots[p, i] = totals[i] if alive[i] else -1.0
            if alive[i]:
                age[i] += 1.0
                if np.random.random() < exit_rate:
                    alive[i] = False
    return count


class SimulatedMarket:
    """A market simulated period by period; :meth:`step` returns its rows.

    Parameters
    ----------
    entry_rate, attachment, ageing, exit_rate : float
        See :data:`PARAMETERS`.
    fitness_spread : float
        Standard deviation of the log of the fitness (0: all equal).
    volume : int
        Downloads shared out per period.
    initial : int
        Entities in the market at the start.
    seed : int, optional
    """

    def __init__(
        self,
        *,
        entry_rate: float = PARAMETERS[0].default,
        attachment: float = PARAMETERS[1].default,
        ageing: float = PARAMETERS[2].default,
        exit_rate: float = PARAMETERS[3].default,
        fitness_spread: float = 0.6,
        volume: int = 2000,
        initial: int = 12,
        seed: int | None = None,
    ) -> None:
        self.params: dict[str, float] = {}
        self.set_params(entry_rate=entry_rate, attachment=attachment, ageing=ageing, exit_rate=exit_rate)
        self.fitness_spread = Parameter("fitness_spread", 0.6, (0.0, 3.0), 0.1, "").check(fitness_spread)
        self.volume = check_integer(volume, "volume", (1, 10**9))
        initial = check_integer(initial, "initial", (0, 10**6))
        self._rng = np.random.default_rng(seed)
        self.totals = np.zeros(0)
        self._fitness = np.zeros(0)
        self._age = np.zeros(0)
        self._alive = np.zeros(0, dtype=np.bool_)
        self._developer = np.zeros(0, dtype=np.int64)
        self._entered = np.zeros(0, dtype=np.int64)
        self._names = np.zeros(0, dtype=object)
        self.count = 0
        self.period = 0
        self._add(initial)
        self._alive[:initial] = True
        self.count = initial

    def set_params(self, **values: float) -> None:
        """Change any of :data:`PARAMETERS` (checked; the market keeps its state)."""
        known = {p.name: p for p in PARAMETERS}
        checked = {}
        for name, value in values.items():
            if name not in known:
                raise ValueError(f"unknown market parameter {name!r} (known: {', '.join(known)})")
            checked[name] = known[name].check(value)
        self.params.update(checked)

    def _add(self, n: int) -> None:
        """Room for ``n`` more entities, with their fitness, developer and entry period drawn now."""
        self.totals = np.concatenate((self.totals, np.zeros(n)))
        self._age = np.concatenate((self._age, np.zeros(n)))
        self._alive = np.concatenate((self._alive, np.zeros(n, dtype=np.bool_)))
        self._fitness = np.concatenate((self._fitness, self._rng.lognormal(0.0, self.fitness_spread, n) if self.fitness_spread else np.ones(n)))
        self._developer = np.concatenate((self._developer, self._rng.integers(0, len(DEVELOPERS), n)))
        self._entered = np.concatenate((self._entered, np.full(n, self.period, dtype=np.int64)))
        first = self._names.size
        names = [f"{DEVELOPERS[d][0]}/model-{first + i:04d}" for i, d in enumerate(self._developer[first:])]
        self._names = np.concatenate((self._names, np.array(names, dtype=object)))

    @property
    def alive(self) -> int:
        """Entities in the market now."""
        return int(self._alive.sum())

    def step(self, periods: int = 1) -> MarketRows:
        """Run ``periods`` periods; their snapshots as rows of the paper's layout."""
        periods = check_integer(periods, "periods", (1, 100_000))
        arrivals = self._rng.poisson(self.params["entry_rate"], periods)
        first_new = self.count
        self._add(int(arrivals.sum()))
        self._entered[first_new:] = self.period + np.repeat(np.arange(periods), arrivals)
        snapshots = np.full((periods, self.totals.size), -1.0)
        self.count = _advance(
            self.totals, self._fitness, self._age, self._alive, arrivals, first_new, self.params["attachment"],
            self.params["ageing"], self.params["exit_rate"], self.volume, int(self._rng.integers(2**31)), snapshots,
        )
        period, entity = np.nonzero(snapshots >= 0.0)
        self.period += periods
        return self._rows(self.period - periods + period, entity, snapshots[period, entity])

    def _rows(self, period: np.ndarray, entity: np.ndarray, total: np.ndarray) -> MarketRows:
        developer = self._developer[entity]
        return MarketRows(
            source="simulated market",
            layout=PAPER_LAYOUT,
            first_row=1,
            time=(_START + period * np.timedelta64(_WEEK, "s")).astype(np.int64),
            time_kind="date",
            entity=pa.array(self._names[entity], pa.string()),
            value=total,
            groups={column: pa.array(_DEVELOPER_COLUMNS[:, j][developer], pa.string()) for j, column in enumerate(GROUP_COLUMNS)},
        )

    def created(self, rows: MarketRows) -> np.ndarray:
        """Entry date (``datetime64[D]``) of the entity of each row of ``rows`` from this market."""
        entity = np.array([int(name.rsplit("-", 1)[1]) for name in rows.entity.to_pylist()], dtype=np.int64)
        return (_START + self._entered[entity] * np.timedelta64(_WEEK, "s")).astype("datetime64[D]")


def write_sample(path: str | os.PathLike, *, periods: int = 30, seed: int = 2025, **market: float) -> Path:
    """Write a simulated market in the paper's column layout to ``path`` (``.csv`` or ``.parquet``).

    Columns: ``model, time, created, downloadsAllTime, organisation,
    organisation_type, country``; one row per model and weekly snapshot.
    ``assets/market_sample.csv`` and ``.parquet`` are this function's output
    with the defaults (``python -m engine.markets.simulated assets/market_sample.csv``).
    """
    path = Path(path)
    defaults = {"entry_rate": 0.8, "exit_rate": 0.02, "ageing": 0.06, "attachment": 0.9, "initial": 10, "volume": 5000}
    market = SimulatedMarket(seed=seed, **{**defaults, **market})
    rows = market.step(periods)
    table = pa.table({
        "model": rows.entity,
        "time": rows.time.astype("datetime64[s]").astype("datetime64[D]"),
        "created": market.created(rows),
        "downloadsAllTime": rows.value.astype(np.int64),
        **rows.groups,
    })
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        pq.write_table(table, path)
        return path
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(table.column_names)
        writer.writerows(zip(*(column.to_pylist() for column in table.columns), strict=True))
    return path


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(write_sample(name))
