"""Concentration indices of a market the size of the paper's data, from Parquet.

Generates (with DuckDB, in a temporary folder) a table in the layout of the
"Economies of Open Intelligence" dataset: ``--entities`` models over
``--weeks`` weekly snapshots, models created ever faster (an exponential
ramp, as on the Hugging Face hub), each listed from its creation for a
geometric number of weeks with mean ``--active`` (``0``: in every snapshot
to the end), a heavy-tailed popularity, ``downloadsAllTime`` a running
total, and the developer as a group column. Then times, in one process:

* reading and checking the whole file (``engine.markets.table.read_rows``);
* appending it to a ``ConcentrationMonitor``: coding the model names,
  differencing the running totals and computing HHI, normalised HHI, CR_4,
  Gini, Shannon entropy and the effective number for every week;
* the same indices by developer (a changed view recomputes every week).

The bar: reading plus per-model indices under 10 s for 1,000,000 models over
260 weeks. Usage::

    python benchmarks/concentration_speed.py                  # 1e6 models, 260 weeks, active 10 weeks on average
    python benchmarks/concentration_speed.py --active 0       # every model in every snapshot after its creation
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from engine.markets.monitor import ConcentrationMonitor
from engine.markets.table import read_rows

BAR_S = 10.0


def generate(path: Path, entities: int, weeks: int, active: float, seed: float = 0.25) -> int:
    """Write the benchmark table to ``path``; returns its number of rows."""
    import duckdb

    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = false")
    connection.execute(f"SELECT setseed({seed})")
    last = weeks - 1
    stop = f"{last}" if active <= 0 else f"least({last}, created + CAST(floor(-ln(1 - random()) * {active}) AS INTEGER))"
    connection.execute(f"""
        COPY (
            WITH models AS (
                SELECT range AS id, created, {stop} AS stop, popularity, developer FROM (
                    SELECT range,
                           CAST(greatest(0, {last} - floor(-ln(1 - random()) * {weeks / 7:.3f})) AS INTEGER) AS created,
                           1.0 / pow(random() + 1e-9, 1 / 1.2) AS popularity,
                           CAST(floor(random() * 5000) AS INTEGER) AS developer
                    FROM range({entities})
                )
            ), snapshots AS (
                SELECT id, created, popularity, developer, unnest(range(created, stop + 1)) AS week FROM models
            )
            SELECT 'org-' || developer || '/model-' || id AS model,
                   DATE '2020-06-07' + CAST(7 * week AS INTEGER) AS time,
                   DATE '2020-06-07' + CAST(7 * created AS INTEGER) AS created,
                   CAST(floor(popularity * pow(week - created + 1, 1.1)) AS BIGINT) AS downloadsAllTime,
                   'org-' || developer AS organisation
            FROM snapshots ORDER BY time
        ) TO '{path}' (FORMAT parquet)
    """)
    return connection.sql(f"SELECT count(*) FROM read_parquet('{path}')").fetchall()[0][0]


class _Clock:
    """Wall and CPU seconds of each call."""

    def __init__(self) -> None:
        self.laps: list[tuple[float, float]] = []

    def time(self, function, *args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function(*args, **kwargs)
        self.laps.append((time.perf_counter() - wall, time.process_time() - cpu))
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--weeks", type=int, default=260)
    parser.add_argument("--active", type=float, default=10.0, help="mean weeks a model keeps being listed (0: to the end)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="phasescope-bench-") as folder:
        path = Path(folder) / "downloads.parquet"
        start = time.perf_counter()
        rows = generate(path, args.entities, args.weeks, args.active)
        print(f"generated {rows:,} rows ({args.entities:,} models x {args.weeks} weeks, "
              f"{path.stat().st_size / 1024**2:.0f} MB of Parquet) in {time.perf_counter() - start:.1f} s")

        clock = _Clock()
        table = clock.time(read_rows, path)
        monitor = ConcentrationMonitor()
        clock.time(monitor.append, table)
        series = monitor.series()
        clock.time(monitor.set_view, group_by="organisation")
        (read_s, read_cpu), (append_s, append_cpu), (developer_s, developer_cpu) = clock.laps

    models = int(np.nanmax(series["holders"]))
    print(f"{'':40s} {'wall':>8s} {'CPU':>8s}   (CPU: this process, all threads)")
    print(f"{'read and check (DuckDB -> Arrow)':40s} {read_s:7.2f}s {read_cpu:7.2f}s")
    print(f"{f'per-model indices, {len(monitor)} weeks':40s} {append_s:7.2f}s {append_cpu:7.2f}s"
          f"   up to {models:,} models with downloads in a week")
    total = read_s + append_s
    print(f"{'reading + per-model indices':40s} {total:7.2f}s {read_cpu + append_cpu:7.2f}s"
          f"   bar < {BAR_S:.0f} s (wall): {'met' if total < BAR_S else 'NOT met'}")
    print(f"{'per-developer indices (view change)':40s} {developer_s:7.2f}s {developer_cpu:7.2f}s")
    print(f"last week: HHI {series['hhi'][-1] * 1e4:,.0f}, Gini {series['gini'][-1]:.3f}, "
          f"effective number {series['effective_number'][-1]:,.1f}")


if __name__ == "__main__":
    main()
