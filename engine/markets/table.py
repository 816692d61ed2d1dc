"""Long tables of market values (time, entity, value, group columns) read and checked through DuckDB.

A table is read with DuckDB (embedded, no server) from CSV or Parquet. Every
row is checked before anything is handed on: a missing column, a bad date, a
value that is not a number, negative or not finite, an empty or oversized
file raise :class:`MarketDataError`, whose message names the file, the row
and the column. Reading from a row onwards (:func:`read_rows` with
``after_row``) lets :class:`WatchedTable` re-read only what was appended.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

__all__ = [
    "LONG_LAYOUT",
    "MAX_FILE_BYTES",
    "PAPER_LAYOUT",
    "Layout",
    "MarketDataError",
    "MarketRows",
    "WatchedTable",
    "detect_layout",
    "read_rows",
]

MAX_FILE_BYTES = 2 * 1024**3
"""Largest file :func:`read_rows` opens unless told otherwise (2 GiB)."""

_FORMATS = {".csv": "csv", ".txt": "csv", ".parquet": "parquet", ".pq": "parquet"}


class MarketDataError(ValueError):
    """A table that cannot be used as it is; the message names the file, row and column."""

    def __init__(self, source: str, problem: str, *, row: int | None = None, column: str | None = None) -> None:
        where = [source]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {problem}")
        self.source, self.row, self.column = source, row, column


@dataclass(frozen=True)
class Layout:
    """Which columns of a long table hold the time, the entity and the value.

    Every other column (except the ``dates`` it only checks) is a group
    column: an attribute of the entity to aggregate by (developer, country ...).

    Parameters
    ----------
    time, entity, value : str
        Column names.
    cumulative : bool
        The value is a running total per entity (downloads so far), so the
        value of a period is the difference between consecutive snapshots.
    dates : tuple of str
        Further date columns that are checked but not used (``created``).
    """

    time: str = "time"
    entity: str = "entity"
    value: str = "value"
    cumulative: bool = False
    dates: tuple[str, ...] = ()

    @property
    def required(self) -> tuple[str, ...]:
        return (self.time, self.entity, self.value)


LONG_LAYOUT = Layout()
"""A plain long table: ``time``, ``entity``, ``value`` (the value of the period), group columns."""

PAPER_LAYOUT = Layout(time="time", entity="model", value="downloadsAllTime", cumulative=True, dates=("created",))
"""The public dataset of "Economies of Open Intelligence": one row per model and
weekly snapshot, ``downloadsAllTime`` a running total, ``created`` a date, and
group columns such as ``organisation``, ``organisation_type`` and ``country``."""


def detect_layout(columns: list[str]) -> Layout:
    """The paper's layout when the columns hold ``model`` or ``downloadsAllTime``, else :data:`LONG_LAYOUT`."""
    return PAPER_LAYOUT if {PAPER_LAYOUT.entity, PAPER_LAYOUT.value} & set(columns) else LONG_LAYOUT


@dataclass
class MarketRows:
    """Checked rows of a long table, in file order.

    Attributes
    ----------
    source : str
        The file (or label) the rows came from, for messages.
    layout : Layout
    first_row : int
        1-based row number in the file of the first row here (the header is
        not a row); the others follow in order.
    time : ndarray of int64
        Seconds since 1970-01-01 (``time_kind == "date"``) or the period
        number as given (``"number"``).
    time_kind : {"date", "number"}
    entity : pyarrow string array (chunked)
    value : ndarray of float64
        Finite and non-negative.
    groups : dict of str to pyarrow string arrays
        Group columns; a missing value reads as ``"(none)"``.
    """

    source: str
    layout: Layout
    first_row: int
    time: np.ndarray
    time_kind: str
    entity: pa.ChunkedArray | pa.Array
    value: np.ndarray
    groups: dict[str, pa.ChunkedArray | pa.Array] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.value)

    @property
    def last_row(self) -> int:
        """Row number of the last row (``first_row - 1`` when there is none)."""
        return self.first_row + len(self) - 1

    def error(self, index: int, column: str, problem: str) -> MarketDataError:
        """A :class:`MarketDataError` about the row at position ``index`` here."""
        return MarketDataError(self.source, problem, row=self.first_row + int(index), column=column)


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _size_text(size: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def _check_file(path: Path, source: str, max_bytes: int) -> str:
    if not path.is_file():
        raise MarketDataError(source, "no such file")
    kind = _FORMATS.get(path.suffix.lower())
    if kind is None:
        raise MarketDataError(source, f"unknown format {path.suffix!r}: give a .csv or .parquet file")
    size = path.stat().st_size
    if size == 0:
        raise MarketDataError(source, "the file is empty")
    if size > max_bytes:
        raise MarketDataError(source, f"the file holds {_size_text(size)}, more than the limit of {_size_text(max_bytes)}")
    return kind


def _relation(kind: str, path: Path) -> str:
    """The table function reading ``path`` (text as text for CSV: every value is checked here)."""
    literal = _sql_text(str(path))
    if kind == "csv":
        return f"read_csv({literal}, header=true, all_varchar=true)"
    return f"read_parquet({literal})"


_INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "HUGEINT")


def _time_expression(column: str, sql_type: str, first: str | None) -> tuple[str, str]:
    """SQL giving the time as BIGINT (NULL where it does not parse), and its kind."""
    quoted = _quote(column)
    if sql_type.startswith(("DATE", "TIMESTAMP")):
        return f"CAST(epoch(CAST({quoted} AS TIMESTAMP)) AS BIGINT)", "date"
    if sql_type in _INTEGER_TYPES:
        return f"CAST({quoted} AS BIGINT)", "number"
    if first is not None and first.strip().lstrip("+-").isdigit():
        return f"TRY_CAST(trim({quoted}) AS BIGINT)", "number"
    return f"CAST(epoch(TRY_CAST(trim({quoted}) AS TIMESTAMP)) AS BIGINT)", "date"


def _quote(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0]


def read_rows(
    path: str | os.PathLike,
    *,
    layout: Layout | None = None,
    after_row: int = 0,
    max_bytes: int = MAX_FILE_BYTES,
    source: str | None = None,
) -> MarketRows:
    """Read and check the rows of a long table after row ``after_row``.

    Parameters
    ----------
    path : path-like
        A ``.csv`` (header line first) or ``.parquet`` file.
    layout : Layout, optional
        Column roles; by default :func:`detect_layout` picks one from the header.
    after_row : int
        Rows up to this 1-based row number were read before and are skipped.
    max_bytes : int
        A larger file is refused before it is opened.
    source : str, optional
        Name of the file in messages (default: ``path`` as given).

    Returns
    -------
    MarketRows
        Possibly empty when nothing follows ``after_row``.

    Raises
    ------
    MarketDataError
        The file is missing, empty, too large, unreadable, lacks a column, or
        a row holds a bad date, a missing entity, or a value that is not a
        finite non-negative number. The first offending row is named.
    """
    import duckdb

    path = Path(path)
    source = source or str(path)
    kind = _check_file(path, source, max_bytes)
    relation = _relation(kind, path)
    connection = duckdb.connect(":memory:")
    try:
        connection.execute("SET enable_progress_bar = false")
        try:
            described = connection.sql(f"DESCRIBE SELECT * FROM {relation}").fetchall()
        except duckdb.Error as error:
            raise MarketDataError(source, f"not a readable {kind.upper()} table ({_first_line(error)})") from None
        types = {name: sql_type for name, sql_type, *_ in described}
        columns = list(types)
        layout = layout or detect_layout(columns)
        for column in layout.required:
            if column not in types:
                raise MarketDataError(
                    source, f"the header has no such column (the columns are: {', '.join(columns)})", column=column
                )
        groups = [c for c in columns if c not in layout.required and c not in layout.dates]
        first = connection.sql(f"SELECT CAST({_quote(layout.time)} AS VARCHAR) FROM {relation} LIMIT 1").fetchall()
        if not first:
            raise MarketDataError(source, "the file holds a header but no rows")
        time_sql, time_kind = _time_expression(layout.time, types[layout.time], first[0][0])
        value = _quote(layout.value)
        value_sql = f"TRY_CAST(trim({value}) AS DOUBLE)" if types[layout.value] == "VARCHAR" else f"CAST({value} AS DOUBLE)"
        selected = [f"{time_sql} AS __time", f"{_quote(layout.entity)} AS __entity", f"{value_sql} AS __value"]
        dates = [c for c in layout.dates if types.get(c) == "VARCHAR"]  # typed dates are dates already
        selected += [f"TRY_CAST(trim({_quote(c)}) AS TIMESTAMP) IS NULL AND {_quote(c)} IS NOT NULL" for c in dates]
        selected += [f"coalesce(CAST({_quote(c)} AS VARCHAR), '(none)')" for c in groups]
        query = f"SELECT {', '.join(selected)} FROM {relation}" + (f" OFFSET {int(after_row)}" if after_row else "")
        try:
            table = connection.sql(query).to_arrow_table()
        except duckdb.Error as error:
            raise MarketDataError(source, f"not a readable {kind.upper()} table ({_first_line(error)})") from None
        rows = MarketRows(
            source=source,
            layout=layout,
            first_row=int(after_row) + 1,
            time=_numpy(table.column(0), np.int64),
            time_kind=time_kind,
            entity=table.column(1),
            value=_numpy(table.column(2), np.float64),
            groups={column: table.column(3 + len(dates) + j) for j, column in enumerate(groups)},
        )
        bad_dates = {c: table.column(3 + j).to_numpy() for j, c in enumerate(dates)}
        _check(rows, table, bad_dates, lambda index, column: _raw_value(connection, relation, rows.first_row + index, column))
    finally:
        connection.close()
    return rows


def _raw_value(connection, relation: str, row: int, column: str) -> str | None:
    found = connection.sql(f"SELECT CAST({_quote(column)} AS VARCHAR) FROM {relation} LIMIT 1 OFFSET {row - 1}").fetchall()
    return found[0][0] if found else None


def _numpy(column: pa.ChunkedArray, dtype) -> np.ndarray:
    if column.null_count:
        column = column.fill_null(0 if np.dtype(dtype).kind in "iub" else np.nan)
    return np.asarray(column.to_numpy(), dtype=dtype)


def _check(rows: MarketRows, table: pa.Table, bad_dates: dict[str, np.ndarray], raw) -> None:
    """Raise about the first row that breaks a rule (the leftmost column first within a row)."""
    layout = rows.layout
    problems: list[tuple[int, int, str, object]] = []  # (index, column order, column, describe(index))

    def first(mask: np.ndarray, order: int, column: str, describe) -> None:
        hits = np.flatnonzero(mask)
        if hits.size:
            problems.append((int(hits[0]), order, column, describe))

    def unparsed(what: str, column: str):
        def describe(index: int) -> str:
            text = raw(index, column)
            return f"the {what} is missing" if text is None or not text.strip() else f"{text!r} is not {_ARTICLE[what]}"

        return describe

    value = rows.value
    first(table.column(0).is_null().to_numpy(zero_copy_only=False), 0, layout.time, unparsed("time", layout.time))
    first(table.column(1).is_null().to_numpy(zero_copy_only=False), 1, layout.entity, lambda i: "the entity is missing")
    first(np.isnan(value), 2, layout.value, unparsed("value", layout.value))
    first(np.isinf(value), 2, layout.value, lambda i: f"{raw(i, layout.value)!r} is not a finite number")
    first(value < 0, 2, layout.value, lambda i: f"the value {raw(i, layout.value)} is negative")
    for j, (column, bad) in enumerate(bad_dates.items()):
        first(bad, 3 + j, column, lambda i, c=column: f"{raw(i, c)!r} is not a date")
    if problems:
        index, _, column, describe = min(problems, key=lambda p: p[:2])
        raise rows.error(index, column, describe(index))


_ARTICLE = {"time": "a date or a period number", "value": "a number"}


class WatchedTable:
    """A table file that grows: :meth:`poll` reads only rows appended since the last :meth:`commit`.

    The file is looked at only when its size or modification time changed; a
    CSV whose last line is still being written (no final newline) is left for
    the next poll.

    Parameters
    ----------
    path : path-like
    layout : Layout, optional
        Fixed after the first read (detected from the header by default).
    max_bytes : int
    source : str, optional
        Name of the file in messages.
    """

    def __init__(
        self, path: str | os.PathLike, *, layout: Layout | None = None, max_bytes: int = MAX_FILE_BYTES, source: str | None = None
    ) -> None:
        self.path = Path(path)
        self.source = source or str(path)
        self.layout = layout
        self.max_bytes = max_bytes
        self.rows_read = 0
        self._seen: tuple[int, int] | None = None
        self._size_read = 0
        self._pending_size = 0

    def _signature(self) -> tuple[int, int]:
        stat = self.path.stat()
        return stat.st_size, stat.st_mtime_ns

    def poll(self) -> MarketRows | None:
        """Rows appended since the last commit, or ``None`` when the file did not change.

        Raises
        ------
        MarketDataError
            As :func:`read_rows`; also when the file shrank below what was read.
        """
        try:
            signature = self._signature()
        except OSError:
            raise MarketDataError(self.source, "the file is gone") from None
        if signature == self._seen:
            return None
        size = signature[0]
        if size < self._size_read:
            self._seen = signature
            raise MarketDataError(self.source, "the file shrank below the rows already read; load it again to start over")
        if self.path.suffix.lower() in (".csv", ".txt") and size and not _ends_with_newline(self.path):
            return None
        self._seen = signature
        rows = read_rows(self.path, layout=self.layout, after_row=self.rows_read, max_bytes=self.max_bytes, source=self.source)
        self.layout = rows.layout
        self._pending_size = size
        return rows

    def commit(self, rows: MarketRows) -> None:
        """Mark ``rows`` (from :meth:`poll`) as taken: the next poll starts after them."""
        if len(rows):
            self.rows_read = rows.last_row
        self._size_read = max(self._size_read, self._pending_size)


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) in (b"\n", b"\r")
