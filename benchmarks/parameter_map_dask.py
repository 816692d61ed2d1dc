"""A 512 x 512 two-parameter Lyapunov map on a Dask LocalCluster of one worker, then of two.

The Henon map over a in [0, 1.4] and b in [-0.3, 0.3] (largest Lyapunov
exponent, ``--transient`` then ``--length`` iterations per point), through
``engine.parameter_map(..., scheduler=address)``: the grid is cut along ``a``
in chunks, each chunk runs the compiled kernel on one thread of a worker
process. The same map on numba's threads in this process is timed too, and
all three results are compared element by element. The bar: two workers at
least 1.6x faster than one.

Each cluster is started first, and every worker computes one point (it
imports the engine and loads the kernel from the disk cache) and imports
xarray and dask.array, whose functions the tasks of an ``apply_ufunc`` graph
call (0.9 s per fresh worker process, paid once in its life), so the times
are the sweep alone.

Run: ``python benchmarks/parameter_map_dask.py [--size 512] [--length 500]``
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np
from distributed import Client, LocalCluster

import engine
from engine.bifurcation.parameter_map import sweep_block


def _map(size: int, transient: int, length: int, scheduler: str | None) -> tuple[float, np.ndarray]:
    a, b = np.linspace(0.0, 1.4, size), np.linspace(-0.3, 0.3, size)
    started = time.perf_counter()
    result = engine.parameter_map("Henon", ("a", a), ("b", b), transient=transient, length=length, scheduler=scheduler)
    return time.perf_counter() - started, result.values


def _warm() -> None:
    import dask.array  # noqa: F401 (what the tasks unpickle)
    import xarray  # noqa: F401

    sweep_block(
        np.array([1.0]), np.array([0.3]), system="Henon", first="a", second="b", params=None, quantity="lyapunov",
        state0=engine.get_system("Henon").state0, transient=10, length=10, dt=1.0, max_period=16, parallel=False,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--transient", type=int, default=200)
    parser.add_argument("--length", type=int, default=500)
    args = parser.parse_args()
    print(f"Henon Lyapunov map {args.size} x {args.size}, {args.transient} + {args.length} iterations; {os.cpu_count()} cores")
    _map(8, 10, 10, None)  # compile or load the kernel here first
    seconds, local = _map(args.size, args.transient, args.length, None)
    print(f"numba threads in this process: {seconds:.2f} s")
    times = {}
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None) as cluster, Client(cluster) as client:
            client.wait_for_workers(workers)
            client.run(_warm)  # every worker imports what the tasks need and loads the serial kernel now
            times[workers], values = _map(args.size, args.transient, args.length, cluster.scheduler_address)
        same = np.array_equal(values, local, equal_nan=True)
        print(f"LocalCluster, {workers} worker(s): {times[workers]:.2f} s; equals the local map: {same}")
    print(f"2 workers / 1 worker: {times[1] / times[2]:.2f}x faster (bar >= 1.6)")


if __name__ == "__main__":
    main()
