"""Downloaded files read back as what was saved."""
from __future__ import annotations

import numpy as np
import xarray as xr

import engine
from dashboard.downloads import netcdf_bytes


def test_netcdf_bytes_read_back_as_the_dataset(tmp_path):
    dataset = xr.Dataset({"x": ("t", np.linspace(0.0, 1.0, 5))}, coords={"t": np.arange(5.0)}, attrs={"system": "Lorenz"})
    data = netcdf_bytes(dataset)
    assert data[:4] == b"\x89HDF"  # NetCDF-4
    path = tmp_path / "run.nc"
    path.write_bytes(data)
    xr.testing.assert_identical(engine.load(path), dataset)
