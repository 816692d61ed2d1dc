"""NetCDF save and load."""
from __future__ import annotations

from pathlib import Path

import pytest
import xarray as xr

from engine import Simulation, load, save, simulate


def _ensemble() -> xr.Dataset:
    run = Simulation("Lorenz", members=3, seed=2)
    run.advance(200)
    return run.to_dataset()


def _diverged() -> xr.Dataset:
    run = Simulation("Logistic", {"r": 4.0}, (1.5,))
    run.advance(10)
    return run.to_dataset()


def _changed() -> xr.Dataset:
    run = Simulation("Lorenz", dt=0.01)
    run.advance(100)
    run.set_params(rho=24.5, beta=2.0)
    run.advance(100)
    run.set_dt(0.005)
    run.advance(100)
    return run.to_dataset()


TRAJECTORIES = {
    "flow": lambda: simulate("Lorenz", params={"rho": 24.5}, steps=200),
    "map": lambda: simulate("Logistic", steps=200),
    "ensemble": _ensemble,
    "sde": lambda: simulate("Ornstein-Uhlenbeck", steps=200, seed=5),
    "diverged": _diverged,
    "changed mid-run": _changed,
}


@pytest.mark.parametrize("kind", list(TRAJECTORIES))
def test_save_load_round_trip_is_exact(kind, tmp_path):
    trajectory = TRAJECTORIES[kind]()
    path = save(trajectory, tmp_path / "run.nc")
    assert path == tmp_path / "run.nc" and path.is_file()
    xr.testing.assert_identical(load(path), trajectory)
    xr.testing.assert_identical(load(str(path)), trajectory)


def test_the_change_log_survives_the_file(tmp_path):
    attrs = load(save(_changed(), tmp_path / "run.nc")).attrs
    assert attrs["changes"] == "t=1 rho 28.0 -> 24.5\nt=1 beta 2.6666666666666665 -> 2.0\nt=2 dt 0.01 -> 0.005"
    assert (attrs["param_rho"], attrs["final_param_rho"], attrs["dt"], attrs["final_dt"]) == (28.0, 24.5, 0.01, 0.005)


@pytest.mark.parametrize("name", ["run.txt", "run.nc4", "run", "run.NC.zip"])
def test_save_rejects_a_name_without_the_nc_suffix(name, tmp_path):
    with pytest.raises(ValueError, match=r"a NetCDF file name ends in \.nc"):
        save(simulate("Lorenz", steps=5), tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_save_rejects_what_is_not_a_dataset(tmp_path):
    with pytest.raises(TypeError, match=r"save takes an xarray.Dataset, got DataArray"):
        save(simulate("Lorenz", steps=5)["x"], tmp_path / "run.nc")


def test_load_of_a_missing_file_names_it(tmp_path):
    missing = tmp_path / "nowhere" / "run.nc"
    with pytest.raises(FileNotFoundError, match=f"no file at {missing}"):
        load(missing)
    with pytest.raises(FileNotFoundError, match="no file at"):
        load(tmp_path)  # a directory is not a file


def test_save_leaves_the_dataset_unchanged(tmp_path):
    trajectory = simulate("Logistic", steps=20)
    before = trajectory.copy(deep=True)
    save(trajectory, Path(tmp_path) / "run.nc")
    xr.testing.assert_identical(trajectory, before)
