"""Long market tables: read through DuckDB, every malformed file named by file, row and column, growth re-read only."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from dashboard.style import ASSETS
from engine.markets.monitor import ConcentrationMonitor
from engine.markets.table import (
    LONG_LAYOUT,
    MAX_FILE_BYTES,
    PAPER_LAYOUT,
    MarketDataError,
    WatchedTable,
    read_rows,
)
from engine.markets.vocabulary import Vocabulary

SAMPLE_CSV = Path(ASSETS / "market_sample.csv")
SAMPLE_PARQUET = Path(ASSETS / "market_sample.parquet")
HEADER = "time,entity,value,country\n"
GOOD = "2024-01-07,a,1,US\n2024-01-07,b,2,FR\n"


def _write(folder: Path, text: str, name: str = "market.csv") -> Path:
    path = folder / name
    path.write_text(text)
    return path


def test_sample_reads_the_same_from_csv_and_parquet():
    csv, parquet = read_rows(SAMPLE_CSV), read_rows(SAMPLE_PARQUET)
    assert csv.layout == parquet.layout == PAPER_LAYOUT
    assert csv.time_kind == parquet.time_kind == "date"
    assert len(csv) == len(parquet) > 300
    assert np.array_equal(csv.time, parquet.time) and np.array_equal(csv.value, parquet.value)
    assert csv.entity.to_pylist() == parquet.entity.to_pylist()
    assert list(csv.groups) == ["organisation", "organisation_type", "country"]
    assert csv.time[0] == np.datetime64("2020-06-07", "s").astype(np.int64)


def test_long_layout_with_integer_periods(tmp_path):
    rows = read_rows(_write(tmp_path, "time,entity,value\n1,a,2.5\n2,b,3\n"))
    assert rows.layout == LONG_LAYOUT and rows.time_kind == "number"
    assert rows.time.tolist() == [1, 2] and rows.value.tolist() == [2.5, 3.0]


MALFORMED = {
    "missing column": ("time,entity,amount\n2024-01-07,a,1\n", None, "value", "header has no such column"),
    "bad date": (HEADER + GOOD + "2024-13-07,c,3,US\n", 3, "time", "'2024-13-07' is not a date"),
    "text in a number": (HEADER + GOOD + "2024-01-07,c,12x,US\n", 3, "value", "'12x' is not a number"),
    "negative value": (HEADER + GOOD + "2024-01-07,c,-4,US\n", 3, "value", "the value -4 is negative"),
    "infinite value": (HEADER + GOOD + "2024-01-07,c,inf,US\n", 3, "value", "'inf' is not a finite number"),
    "missing value": (HEADER + "2024-01-07,a,,US\n", 1, "value", "the value is missing"),
    "missing entity": (HEADER + GOOD + "2024-01-07,,4,US\n", 3, "entity", "the entity is missing"),
    "header only": (HEADER, None, None, "a header but no rows"),
    "empty file": ("", None, None, "the file is empty"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_each_malformed_file_is_named_by_file_row_and_column(tmp_path, case):
    text, row, column, problem = MALFORMED[case]
    path = _write(tmp_path, text, "prices.csv")
    with pytest.raises(MarketDataError) as caught:
        read_rows(path)
    error = caught.value
    assert str(path) in str(error) and problem in str(error)
    assert (error.row, error.column) == (row, column)


def test_first_offending_row_is_named_when_several_are_bad(tmp_path):
    path = _write(tmp_path, HEADER + "2024-01-07,a,1,US\n2024-01-07,b,x,US\nnot-a-date,c,y,US\n")
    with pytest.raises(MarketDataError, match="row 2, column 'value'"):
        read_rows(path)


def test_bad_created_date_in_the_paper_layout(tmp_path):
    text = "model,time,created,downloadsAllTime\nm,2024-01-07,2023-01-01,5\nm,2024-01-14,yesterday,7\n"
    with pytest.raises(MarketDataError, match="row 2, column 'created': 'yesterday' is not a date"):
        read_rows(_write(tmp_path, text))


def test_huge_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.parquet"
    with open(path, "wb") as handle:  # sparse: no disk space used
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(MarketDataError, match=r"huge\.parquet: the file holds 2\.0 GB, more than the limit of 2\.0 GB"):
        read_rows(path)
    small = _write(tmp_path, HEADER + GOOD)
    with pytest.raises(MarketDataError, match="more than the limit of 10 bytes"):
        read_rows(small, max_bytes=10)


def test_unreadable_and_unknown_files(tmp_path):
    path = tmp_path / "garbage.parquet"
    path.write_bytes(b"\x00\x01 not parquet at all" * 10)
    with pytest.raises(MarketDataError, match="garbage.parquet: not a readable PARQUET table"):
        read_rows(path)
    with pytest.raises(MarketDataError, match="unknown format '.xlsx'"):
        read_rows(_write(tmp_path, "x", "book.xlsx"))
    with pytest.raises(MarketDataError, match="no such file"):
        read_rows(tmp_path / "absent.csv")


def test_negative_step_of_a_running_total_names_its_row(tmp_path):
    text = ("model,time,downloadsAllTime\n"
            "a,2024-01-07,10\nb,2024-01-07,5\na,2024-01-14,12\nb,2024-01-14,3\n")
    monitor = ConcentrationMonitor()
    with pytest.raises(MarketDataError, match=r"row 4, column 'downloadsAllTime': the running total of 'b' fell from 5 to 3"):
        monitor.append(read_rows(_write(tmp_path, text)))
    assert len(monitor) == 0  # nothing half-taken


def test_watched_table_reads_only_appended_rows(tmp_path):
    path = _write(tmp_path, HEADER + GOOD)
    table = WatchedTable(path)
    first = table.poll()
    assert len(first) == 2 and first.first_row == 1
    table.commit(first)
    assert table.poll() is None  # unchanged file: not read
    with open(path, "a") as handle:
        handle.write("2024-01-14,a,3,US\n2024-01-14,c")  # the last line is still being written
    assert table.poll() is None
    with open(path, "a") as handle:
        handle.write(",4,DE\n")
    new = table.poll()
    assert new.first_row == 3 and new.entity.to_pylist() == ["a", "c"] and new.value.tolist() == [3.0, 4.0]
    table.commit(new)
    with open(path, "a") as handle:
        handle.write("2024-01-21,a,oops,US\n")
    with pytest.raises(MarketDataError, match="row 5, column 'value'"):
        table.poll()
    path.write_text(HEADER)
    with pytest.raises(MarketDataError, match="shrank"):
        table.poll()


def test_watched_parquet_reads_appended_row_groups(tmp_path):
    import pyarrow.parquet as pq

    path = tmp_path / "market.parquet"
    shutil.copy(SAMPLE_PARQUET, path)
    table = WatchedTable(path)
    rows = table.poll()
    table.commit(rows)
    whole = pq.read_table(path)
    more = whole.slice(whole.num_rows - 3)
    pq.write_table(pa.concat_tables([whole, more]), path)
    os.utime(path, ns=(1, 1))  # a new signature even within the clock's resolution
    new = table.poll()
    assert new.first_row == len(rows) + 1 and len(new) == 3
    assert new.entity.to_pylist() == more.column("model").to_pylist()


def test_vocabulary_codes_persist_across_reads():
    vocabulary = Vocabulary()
    first = vocabulary.encode(pa.chunked_array([pa.array(["b", "a", "b"]), pa.array(["ç", "a"])]))
    assert first.tolist() == [0, 1, 0, 2, 1]
    again = vocabulary.encode(pa.array(["x", "ç", "b", ""]).slice(1))
    assert again.tolist() == [2, 0, 3]
    assert vocabulary.labels() == ["b", "a", "ç", ""]
    many = pa.array([f"org/model-{i}" for i in range(5000)])
    codes = vocabulary.encode(many)  # grows its table several times
    assert np.array_equal(vocabulary.encode(many), codes)
    assert vocabulary.label(int(codes[4321])) == "org/model-4321" and len(vocabulary) == 5004


def test_an_entity_twice_in_a_snapshot_of_running_totals_names_the_repeating_row(tmp_path):
    text = "model,time,downloadsAllTime\nx,2024-01-07,1\ny,2024-01-07,2\ny,2024-01-07,3\nx,2024-01-07,4\n"
    monitor = ConcentrationMonitor()
    with pytest.raises(MarketDataError, match=r"row 3, column 'model': 'y' appears twice in period 2024-01-07"):
        monitor.append(read_rows(_write(tmp_path, text)))
    assert len(monitor) == 0
