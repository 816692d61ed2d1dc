"""Files a person downloads from a page."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import engine

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["netcdf_bytes"]


def netcdf_bytes(dataset: xr.Dataset) -> bytes:
    """The bytes of ``dataset`` saved as NetCDF by :func:`engine.save` (written to a scratch folder, then read back)."""
    with tempfile.TemporaryDirectory() as folder:
        return engine.save(dataset, Path(folder) / "run.nc").read_bytes()
