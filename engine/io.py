"""Trajectories to and from NetCDF."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # xarray is imported where it is used: it costs start-up time
    import xarray as xr

__all__ = ["load", "save"]

_ENGINE = "netcdf4"
_ONE_ELEMENT = "phasescope_one_element_attrs"
"""Attribute naming the attributes that are one-element arrays: NetCDF hands
those back as scalars, so :func:`save` lists them and :func:`load` restores them."""


def _mark_one_element(attrs: dict) -> dict:
    names = [k for k, v in attrs.items() if isinstance(v, np.ndarray) and v.shape == (1,)]
    return {**attrs, _ONE_ELEMENT: "\n".join(names)} if names else attrs


def _restore_one_element(attrs: dict) -> None:
    for name in attrs.pop(_ONE_ELEMENT, "").split("\n"):
        if name:
            attrs[name] = np.atleast_1d(attrs[name])


def save(dataset: xr.Dataset, path: str | os.PathLike) -> Path:
    """Write ``dataset`` to a NetCDF-4 file at ``path`` (``.nc``); returns the path.

    Values and attributes round-trip exactly through :func:`load`.
    """
    path = Path(path)
    if path.suffix != ".nc":
        raise ValueError(f"{path}: a NetCDF file name ends in .nc")
    import xarray as xr

    if not isinstance(dataset, xr.Dataset):
        raise TypeError(f"save takes an xarray.Dataset, got {type(dataset).__name__}")
    marked = dataset.copy()
    marked.attrs = _mark_one_element(dataset.attrs)
    for variable in marked.variables.values():
        variable.attrs = _mark_one_element(variable.attrs)
    marked.to_netcdf(path, engine=_ENGINE, format="NETCDF4")
    return path


def load(path: str | os.PathLike) -> xr.Dataset:
    """Read a trajectory written by :func:`save` fully into memory."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no file at {path}")
    import xarray as xr

    dataset = xr.load_dataset(path, engine=_ENGINE)
    _restore_one_element(dataset.attrs)
    for variable in dataset.variables.values():
        _restore_one_element(variable.attrs)
    return dataset
