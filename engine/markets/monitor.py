"""Concentration of a market period by period, updated as periods are appended.

:class:`ConcentrationMonitor` takes checked rows (:class:`~.table.MarketRows`
from a file, or from :class:`~.simulated.SimulatedMarket`), turns running
totals into the amounts of each period, aggregates them by entity or by a
group column over a rolling window of periods, and computes the indices of
:func:`~.indices.share_indices` for each new period only. Appending a week
costs the rows of that week (plus a pass over the held amounts); changing
the grouping or the window recomputes every period from the rows it keeps.
"""
from __future__ import annotations

import itertools
import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from ..system import check_integer
from .indices import INDICES, lorenz_curve, share_indices
from .table import Layout, MarketDataError, MarketRows
from .vocabulary import Vocabulary

__all__ = ["MAX_K", "MAX_WINDOW", "ConcentrationMonitor"]

MAX_WINDOW = 520
"""Longest rolling window, in periods (ten years of weeks)."""
MAX_K = 100
"""Largest ``k`` of the concentration ratio CR_k."""


@dataclass
class _Period:
    time: int
    entities: np.ndarray  # entity codes of the rows
    amounts: np.ndarray | None  # amount of each row in this period; None for the baseline of running totals
    groups: dict[str, np.ndarray]  # group codes of the rows, per group column
    rows: np.ndarray  # row number of each row in its file, for messages
    source: str
    distinct: bool  # no entity twice


class ConcentrationMonitor:
    """Per-period concentration indices of a long table, appended period by period.

    Parameters
    ----------
    group_by : str, optional
        A group column to aggregate entities by (developer, country ...);
        ``None`` (default) takes the entities themselves.
    window : int
        Rolling window: the amounts of the last ``window`` periods are summed
        before the shares are taken (1 = each period on its own).
    k : int
        Number of leading holders in CR_k.

    Notes
    -----
    For running totals (:attr:`Layout.cumulative`, the paper's
    ``downloadsAllTime``) the amount of a period is the difference from the
    entity's previous snapshot; the first period of the table is the
    baseline and has no indices, and an entity first seen later brings its
    whole total into the period it appears in. A period's indices cover the
    holders with a positive amount in the window.
    """

    def __init__(self, *, group_by: str | None = None, window: int = 1, k: int = 4) -> None:
        self.layout: Layout | None = None
        self.time_kind: str | None = None
        self.group_columns: tuple[str, ...] = ()
        self._entities = Vocabulary()
        self._group_vocabularies: dict[str, Vocabulary] = {}
        self._periods: list[_Period] = []
        self._last_total = np.zeros(0)
        self._group_by: str | None = None
        self._window = 1
        self._k = 4
        self._requested = (group_by, window, k)
        self._reset_view()

    # ----------------------------------------------------------------- view
    @property
    def group_by(self) -> str | None:
        return self._group_by

    @property
    def window(self) -> int:
        return self._window

    @property
    def k(self) -> int:
        return self._k

    def set_view(self, *, group_by: str | None = ..., window: int | None = None, k: int | None = None) -> None:
        """Change the grouping, the rolling window or ``k``, and recompute every period.

        Raises
        ------
        ValueError
            For a group column the table does not have, a window outside
            ``[1, MAX_WINDOW]`` or ``k`` outside ``[1, MAX_K]``; nothing changes then.
        """
        group_by = self._group_by if group_by is ... else group_by
        window = self._window if window is None else window
        k = self._k if k is None else k
        if self.layout is None:  # checked against the columns once the first rows arrive
            self._requested = (group_by, window, k)
            self._check_view(group_by, window, k, check_group=False)
            return
        self._check_view(group_by, window, k)
        self._group_by, self._window, self._k = group_by, int(window), int(k)
        self._reset_view()
        for j in range(len(self._periods)):
            self._compute(j, new=True)

    def _check_view(self, group_by, window, k, *, check_group: bool = True) -> None:
        check_integer(window, "window", (1, MAX_WINDOW))
        check_integer(k, "k", (1, MAX_K))
        if check_group and group_by is not None and group_by not in self.group_columns:
            options = ", ".join(self.group_columns) or "none"
            raise ValueError(f"no group column {group_by!r} (the table has: {options})")

    def _reset_view(self) -> None:
        self._window_sum = np.zeros(0)
        self._window_count = np.zeros(0, dtype=np.int64)
        self._window_parts: deque[tuple[np.ndarray, np.ndarray]] = deque()
        self._results: dict[str, list[float]] = {name: [] for name in (*INDICES, "total")}
        self._group_totals = np.zeros(0)
        self._top: tuple[tuple[int, ...], np.ndarray] | None = None

    # --------------------------------------------------------------- appending
    def __len__(self) -> int:
        return len(self._periods)

    @property
    def times(self) -> np.ndarray:
        """Time of each period (``datetime64[s]`` for dates, else int64)."""
        times = np.array([p.time for p in self._periods], dtype=np.int64)
        return times.astype("datetime64[s]") if self.time_kind == "date" else times

    def append(self, rows: MarketRows) -> int:
        """Add checked rows; returns the number of new periods.

        Rows must come in time order across calls: rows of the last period
        held join it (it is recomputed), rows of an earlier period are refused.
        Nothing changes when a row is refused.

        Raises
        ------
        MarketDataError
            Naming the file, row and column: another layout or kind of time
            than the rows before, a period before the last one held, an
            entity twice in a period of running totals, or a running total
            that decreases.
        """
        if len(rows) == 0:
            return 0
        first = self.layout is None
        try:
            return self._append(rows)
        except Exception:
            if first:  # the layout is the first good read's, not a refused one's
                self.layout, self.time_kind, self.group_columns = None, None, ()
            raise

    def _append(self, rows: MarketRows) -> int:
        self._check_layout(rows)
        entities = self._entities.encode(rows.entity)
        groups = {column: self._group_vocabularies.setdefault(column, Vocabulary()).encode(rows.groups[column])
                  for column in self.group_columns}
        order = np.argsort(rows.time, kind="stable") if np.any(np.diff(rows.time) < 0) else np.arange(len(rows))
        times = rows.time[order]
        if self._periods and times[0] < self._periods[-1].time:
            index = int(order[np.flatnonzero(times < self._periods[-1].time)].min())
            raise rows.error(index, rows.layout.time, f"period {self._time_text(rows.time[index])} comes before "
                             f"{self._time_text(self._periods[-1].time)}, already read: rows must arrive in time order")
        starts = np.concatenate(([0], np.flatnonzero(np.diff(times)) + 1, [len(times)]))
        last_total = np.zeros(len(self._entities))
        last_total[: self._last_total.size] = self._last_total
        baseline = self._periods[0].time if self._periods else int(times[0])  # running totals start here
        pieces = []
        for a, b in itertools.pairwise(starts):
            take = order[a:b]
            time = int(times[a])
            pieces.append(self._period(rows, time, take, entities[take], {c: g[take] for c, g in groups.items()},
                                       last_total, baseline=time == baseline))
        merged = self._periods and pieces[0].time == self._periods[-1].time
        if merged:
            pieces[0] = self._merge(self._periods[-1], pieces[0])
        self._last_total = last_total
        if merged:
            self._periods[-1] = pieces.pop(0)
            self._compute(len(self._periods) - 1, new=False)
        for piece in pieces:
            self._periods.append(piece)
            self._compute(len(self._periods) - 1, new=True)
        return len(pieces)

    def _check_layout(self, rows: MarketRows) -> None:
        groups = tuple(rows.groups)
        if self.layout is None:
            self.layout, self.time_kind, self.group_columns = rows.layout, rows.time_kind, groups
            group_by, window, k = self._requested
            self._check_view(group_by, window, k)
            self._group_by, self._window, self._k = group_by, int(window), int(k)
            return
        if rows.layout != self.layout or groups != self.group_columns:
            raise MarketDataError(rows.source, "the columns differ from the rows already read")
        if rows.time_kind != self.time_kind:
            raise MarketDataError(rows.source, f"the times are {rows.time_kind}s but the rows already read have {self.time_kind}s",
                                  column=rows.layout.time)

    def _period(self, rows: MarketRows, time: int, take: np.ndarray, entities: np.ndarray, groups: dict,
                last_total: np.ndarray, *, baseline: bool) -> _Period:
        """One period's rows; running totals become amounts against ``last_total``, which is updated
        (the ``baseline`` period of running totals has none)."""
        by_entity = np.argsort(entities, kind="stable")  # within an entity, rows stay in file order
        repeats = entities[by_entity[1:]] == entities[by_entity[:-1]]
        distinct = not repeats.any()
        value = rows.value[take]
        amounts: np.ndarray | None = value
        if self.layout.cumulative:
            if not distinct:
                index = int(take[by_entity[1:][repeats]].min())  # the first row that repeats an entity
                raise rows.error(index, self.layout.entity, f"{rows.entity[index].as_py()!r} appears twice in period "
                                 f"{self._time_text(time)}")
            amounts = None if baseline else value - last_total[entities]
            if amounts is not None and (amounts < 0).any():
                bad = np.flatnonzero(amounts < 0)
                first = bad[np.argmin(take[bad])]
                index = int(take[first])
                raise rows.error(index, self.layout.value, f"the running total of {rows.entity[index].as_py()!r} fell from "
                                 f"{last_total[entities[first]]:g} to {value[first]:g} (a cumulative count never decreases)")
            last_total[entities] = value
        return _Period(time, entities.astype(np.int32), amounts, {c: g.astype(np.int32) for c, g in groups.items()},
                       rows.first_row + take, rows.source, distinct)

    def _merge(self, held: _Period, late: _Period) -> _Period:
        if self.layout.cumulative and np.intersect1d(held.entities, late.entities).size:
            code = int(np.intersect1d(held.entities, late.entities)[0])
            row = int(late.rows[np.flatnonzero(late.entities == code)[0]])
            raise MarketDataError(late.source, f"{self._entities.label(code)!r} appears twice in period "
                                  f"{self._time_text(held.time)}", row=row, column=self.layout.entity)
        amounts = None if held.amounts is None else np.concatenate((held.amounts, late.amounts))
        return _Period(
            held.time,
            np.concatenate((held.entities, late.entities)),
            amounts,
            {c: np.concatenate((held.groups[c], late.groups[c])) for c in held.groups},
            np.concatenate((held.rows, late.rows)),
            late.source,
            held.distinct and late.distinct and not np.intersect1d(held.entities, late.entities).size,
        )

    def _time_text(self, time: int) -> str:
        return str(np.datetime64(int(time), "s").astype("datetime64[D]")) if self.time_kind == "date" else str(int(time))

    # -------------------------------------------------------------- computing
    def _holders(self) -> int:
        return len(self._entities) if self._group_by is None else len(self._group_vocabularies[self._group_by])

    def _part(self, period: _Period) -> tuple[np.ndarray, np.ndarray]:
        """The period's positive amounts per holder of the current grouping: (codes, amounts)."""
        if period.amounts is None:
            return np.empty(0, dtype=np.int64), np.empty(0)
        codes = period.entities if self._group_by is None else period.groups[self._group_by]
        if self._group_by is None and period.distinct:
            held = period.amounts > 0
            return codes[held].astype(np.int64), period.amounts[held]
        summed = np.bincount(codes, weights=period.amounts)
        held = np.flatnonzero(summed > 0)
        return held, summed[held]

    def _compute(self, j: int, *, new: bool) -> None:
        """Indices of period ``j``: the last one held, just appended (``new``) or grown by late rows."""
        size = self._holders()
        if self._window_sum.size < size:
            self._window_sum = np.concatenate((self._window_sum, np.zeros(size - self._window_sum.size)))
            self._window_count = np.concatenate((self._window_count, np.zeros(size - self._window_count.size, np.int64)))
            self._group_totals = np.concatenate((self._group_totals, np.zeros(size - self._group_totals.size)))
        if not new:
            codes, amounts = self._window_parts.pop()
            self._subtract(codes, amounts)
            self._group_totals[codes] -= amounts
            for results in self._results.values():
                results.pop()
            if self._top is not None and self._top[1].shape[0] > j:
                self._top = (self._top[0], self._top[1][:j])
        elif len(self._window_parts) == self._window:
            self._subtract(*self._window_parts.popleft())
        part = self._part(self._periods[j])
        codes, amounts = part
        self._window_parts.append(part)
        self._window_sum[codes] += amounts
        self._window_count[codes] += 1
        self._group_totals[codes] += amounts
        if self._periods[j].amounts is None:
            values = {name: math.nan for name in INDICES}
            values["total"] = math.nan
        else:
            held = self._held()
            values = share_indices(held, self._k)
            values["total"] = float(held.sum())
        for name, value in values.items():
            self._results[name].append(value)

    def _held(self) -> np.ndarray:
        """The positive amounts of the window's holders (without a pass over every holder ever seen)."""
        if self._window == 1:
            return self._window_parts[-1][1]
        return self._window_sum[np.unique(np.concatenate([codes for codes, _ in self._window_parts]))]

    def _subtract(self, codes: np.ndarray, amounts: np.ndarray) -> None:
        self._window_sum[codes] -= amounts
        self._window_count[codes] -= 1
        self._window_sum[codes[self._window_count[codes] == 0]] = 0.0  # exact zero: no rounding residue

    # ----------------------------------------------------------------- reading
    def series(self) -> dict[str, np.ndarray]:
        """Every index per period (NaN where undefined), keyed by :data:`~.indices.INDICES` and ``"total"``."""
        return {name: np.asarray(values, dtype=np.float64) for name, values in self._results.items()}

    def holder_label(self, code: int) -> str:
        """The label of holder ``code`` in the current grouping."""
        vocabulary = self._entities if self._group_by is None else self._group_vocabularies[self._group_by]
        return vocabulary.label(code)

    def window_amounts(self, j: int) -> np.ndarray:
        """Amount per holder (dense, by code) summed over the window that ends at period ``j``."""
        j = check_integer(j, "period", (0, len(self._periods) - 1)) if self._periods else None
        amounts = np.zeros(self._holders())
        if j is None:
            return amounts
        for period in self._periods[max(0, j - self._window + 1) : j + 1]:
            codes, values = self._part(period)
            amounts += np.bincount(codes, weights=values, minlength=amounts.size)
        return amounts

    def lorenz(self, j: int, points: int = 256) -> tuple[np.ndarray, np.ndarray]:
        """Lorenz curve of the window ending at period ``j`` (see :func:`~.indices.lorenz_curve`)."""
        return lorenz_curve(self.window_amounts(j), points)

    def top_shares(self, m: int) -> tuple[list[str], np.ndarray]:
        """Shares per period of the ``m`` holders with the largest amount over all periods.

        Returns
        -------
        labels : list of str
            The holders, largest first.
        shares : ndarray, shape (periods, m)
            Each holder's share of the window's total (NaN where nothing was held).
        """
        m = check_integer(m, "m", (1, MAX_K))
        top = tuple(int(c) for c in np.argsort(self._group_totals)[::-1][:m] if self._group_totals[c] > 0)
        held = np.zeros((0, len(top))) if self._top is None or self._top[0] != top else self._top[1]
        if held.shape[0] < len(self._periods):
            position = np.full(self._holders(), -1)
            position[list(top)] = np.arange(len(top))
            rows = [held]
            for period in self._periods[held.shape[0]:]:
                codes, amounts = self._part(period)
                where = position[codes]
                keep = where >= 0
                rows.append(np.bincount(where[keep], weights=amounts[keep], minlength=len(top))[None, :])
            held = np.concatenate(rows)
            self._top = (top, held)
        cumulative = np.concatenate((np.zeros((1, len(top))), np.cumsum(held, axis=0)))
        ends = np.arange(1, len(self._periods) + 1)
        in_window = cumulative[ends] - cumulative[np.maximum(ends - self._window, 0)]
        total = self.series()["total"]
        with np.errstate(invalid="ignore", divide="ignore"):
            shares = in_window / total[:, None]
        return [self.holder_label(c) for c in top], shares
