"""Market concentration: long tables of shares, read and checked, and a simulated market.

* :mod:`.table`: CSV or Parquet long tables (time, entity, value, group
  columns) read through DuckDB with every row checked, and :class:`WatchedTable`
  for a file that grows;
* :mod:`.monitor`: :class:`ConcentrationMonitor`, the per-period indices of
  :mod:`engine.concentration` over entities or groups and rolling windows,
  updated as periods are appended;
* :mod:`.simulated`: :class:`SimulatedMarket` (entry, preferential attachment
  with fitness and ageing, exit) and :func:`write_sample`.
"""
from .indices import INDICES, lorenz_curve, share_indices
from .monitor import ConcentrationMonitor
from .simulated import SimulatedMarket, write_sample
from .table import (
    LONG_LAYOUT,
    PAPER_LAYOUT,
    Layout,
    MarketDataError,
    MarketRows,
    WatchedTable,
    read_rows,
)

__all__ = [
    "INDICES",
    "LONG_LAYOUT",
    "PAPER_LAYOUT",
    "ConcentrationMonitor",
    "Layout",
    "MarketDataError",
    "MarketRows",
    "SimulatedMarket",
    "WatchedTable",
    "lorenz_curve",
    "read_rows",
    "share_indices",
    "write_sample",
]
