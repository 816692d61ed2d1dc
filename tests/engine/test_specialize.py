"""Solver kernels compile once per system and hit numba's disk cache in the next process."""
from __future__ import annotations

import importlib
import inspect
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from numba import njit

import engine
from engine.solvers import _tuples, kernel
from engine.solvers.rk4 import rk4
from engine.solvers.specialize import _module_path

PROBE = """
import engine
from engine.solvers import kernel
engine.simulate("rossler", steps=10)
stats = kernel(engine.get_system("rossler"), "rk4").stats
print(sum(stats.cache_hits.values()), sum(stats.cache_misses.values()))
"""


def _probe(cache) -> tuple[int, int]:
    env = {**os.environ, "PHASESCOPE_CACHE": str(cache)}
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True, timeout=300)
    hits, misses = out.stdout.split()
    return int(hits), int(misses)


def test_second_process_loads_the_kernel_from_disk(tmp_path):
    assert _probe(tmp_path) == (0, 1)
    assert _probe(tmp_path) == (1, 0)
    assert len(list((tmp_path / "kernels").glob("rk4_*.py"))) == 1


def test_one_kernel_per_system_and_solver():
    lorenz, rossler = engine.get_system("lorenz"), engine.get_system("rossler")
    assert kernel(lorenz, "rk4") is kernel(lorenz, "rk4")
    assert kernel(lorenz, "rk4") is not kernel(rossler, "rk4")
    assert kernel(lorenz, "rk4") is not kernel(lorenz, "dopri5")


def test_a_system_defined_inside_a_function_compiles_in_memory():
    @njit
    def decay(t, y, p):
        return (-p[0] * y[0],)

    system = engine.System(
        name="decay-in-a-function",
        family="flow",
        title="exponential decay",
        equations=(r"\dot x = -k x",),
        variables=("x",),
        parameters=(engine.Parameter("k", 1.0, (0.0, 5.0), 0.1, "rate"),),
        state0=(1.0,),
        rhs=decay,
        dt=0.01,
        solver="rk4",
    )
    dataset = engine.simulate(system, steps=100)
    np.testing.assert_allclose(dataset.x.values[-1], np.exp(-1.0), rtol=1e-9)


RHS_MODULE = '''
from numba import njit

RATE = {rate}


@njit
def _rate():
    return RATE


@njit
def rhs(t, y, p):
    return (-_rate() * y[0],)
'''

TEMPLATE_MODULE = '''
GAIN = {gain}


def scaled(y, t, dt, n, p, out, bound):
    return rhs(t, y, p)[0] * GAIN
'''


@pytest.fixture
def write_module(tmp_path, monkeypatch):
    """Write ``text`` as module ``name`` under tmp_path and import it afresh."""
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # a rewrite within a second must not load stale bytecode

    def write(name: str, text: str):
        (tmp_path / f"{name}.py").write_text(text)
        monkeypatch.delitem(sys.modules, name, raising=False)
        importlib.invalidate_caches()
        return importlib.import_module(name)

    yield write


def _path(template, rhs) -> Path:
    return _module_path(template, {"rhs": rhs})[1]


def test_fingerprint_follows_the_rhs_module_not_only_the_rhs_function(write_module):
    first = write_module("phasescope_probe_rhs", RHS_MODULE.format(rate=1.0))
    first_path, first_source = _path(rk4, first.rhs), inspect.getsource(first.rhs.py_func)
    again = write_module("phasescope_probe_rhs", RHS_MODULE.format(rate=1.0))
    assert _path(rk4, again.rhs) == first_path
    changed = write_module("phasescope_probe_rhs", RHS_MODULE.format(rate=2.0))
    # the rhs itself reads the same; only a constant its helper returns changed
    assert inspect.getsource(changed.rhs.py_func) == first_source
    assert _path(rk4, changed.rhs) != first_path
    assert _path(rk4, changed.rhs).name.startswith("rk4_")


def test_fingerprint_follows_constants_of_the_template_module(write_module):
    rhs = write_module("phasescope_probe_rhs", RHS_MODULE.format(rate=1.0)).rhs
    first = write_module("phasescope_probe_template", TEMPLATE_MODULE.format(gain=1.0))
    first_path, first_source = _path(first.scaled, rhs), inspect.getsource(first.scaled)
    changed = write_module("phasescope_probe_template", TEMPLATE_MODULE.format(gain=2.0))
    assert inspect.getsource(changed.scaled) == first_source
    assert _path(changed.scaled, rhs) != first_path


def test_fingerprint_follows_the_tuple_helpers_and_the_version(monkeypatch, tmp_path):
    lorenz = engine.get_system("lorenz").rhs
    before = _path(rk4, lorenz)
    monkeypatch.setattr(engine._version, "__version__", engine.__version__ + ".post1")
    assert _path(rk4, lorenz) != before
    monkeypatch.undo()
    assert _path(rk4, lorenz) == before
    helpers = tmp_path / "_tuples.py"
    helpers.write_text(Path(inspect.getsourcefile(_tuples)).read_text() + "\n# changed\n")
    monkeypatch.setattr(_tuples, "__file__", str(helpers))
    assert _path(rk4, lorenz) != before
