"""Trajectories to and from NetCDF."""
from __future__ import annotations

import os
from pathlib import Path

import xarray as xr

__all__ = ["load", "save"]

_ENGINE = "netcdf4"


def save(dataset: xr.Dataset, path: str | os.PathLike) -> Path:
    """Write ``dataset`` to a NetCDF-4 file at ``path`` (``.nc``); returns the path.

    Values and attributes round-trip exactly through :func:`load`.
    """
    path = Path(path)
    if path.suffix != ".nc":
        raise ValueError(f"{path}: a NetCDF file name ends in .nc")
    if not isinstance(dataset, xr.Dataset):
        raise TypeError(f"save takes an xarray.Dataset, got {type(dataset).__name__}")
    dataset.to_netcdf(path, engine=_ENGINE, format="NETCDF4")
    return path


def load(path: str | os.PathLike) -> xr.Dataset:
    """Read a trajectory written by :func:`save` fully into memory."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no file at {path}")
    return xr.load_dataset(path, engine=_ENGINE)
