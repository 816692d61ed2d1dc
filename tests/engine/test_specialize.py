"""Solver kernels compile once per system and hit numba's disk cache in the next process."""
from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
from numba import njit

import engine
from engine.solvers import kernel

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
