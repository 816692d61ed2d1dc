"""A real server on loopback answers every page; the CLI lists and runs systems."""
from __future__ import annotations

import subprocess
import sys
import urllib.request

import pytest

import engine
from dashboard.cli import main
from dashboard.navigation import PAGES


@pytest.mark.parametrize("path", sorted(PAGES))
def test_server_answers_every_page(server_url, path):
    with urllib.request.urlopen(server_url + path, timeout=30) as response:
        assert response.status == 200
        body = response.read().decode()
    assert "Phasescope" in body
    assert "bokeh" in body.lower()


def test_list_filters(capsys):
    assert main(["list", "--family", "map"]) == 0
    out = capsys.readouterr().out
    assert "Logistic" in out and "Lorenz" not in out


def test_run_writes_netcdf(tmp_path, capsys):
    out = tmp_path / "lorenz.nc"
    assert main(["run", "lorenz", "--param", "rho=24.5", "--steps", "500", "--out", str(out)]) == 0
    dataset = engine.load(out)
    assert dataset.sizes["time"] == 501
    assert dataset.attrs["param_rho"] == 24.5


@pytest.mark.parametrize(
    "arguments, fragment",
    [
        (["run", "lorenz", "--param", "rho=nan"], "rho"),
        (["run", "lorenz", "--param", "rho=500"], "bounds"),
        (["run", "lorentz"], "did you mean"),
        (["run", "lorenz", "--steps", "-3"], "steps"),
        (["run", "lorenz", "--steps", "2.5"], "whole"),
        (["run", "lorenz", "--solver", "euler"], "solver"),
        (["run", "lorenz", "--state", "1,2"], "initial state"),
    ],
)
def test_run_rejects_bad_input_with_a_message(tmp_path, capsys, arguments, fragment):
    assert main([*arguments, "--out", str(tmp_path / "x.nc")]) == 2
    assert fragment in capsys.readouterr().err


def test_serve_rejects_a_bad_port():
    result = subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "serve", "--port", "99999", "--no-show"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "port" in result.stderr
