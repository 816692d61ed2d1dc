"""Couzin school speed against the dewi-kadita package, measured in one process.

1. dewi-kadita's "highly parallel" case (250 agents in a periodic cube of 35,
   its rule and parameters) run for 2,000 steps with every step kept, then
   the polarization, milling and seven schooling entropies of every kept
   step, once through ``dewi_kadita`` (``CouzinSolver.solve`` and
   ``compute_metrics_timeseries``, its numba kernel with its default threads)
   and once through Phasescope (``engine.manybody.School``, one thread, and
   ``engine.diagnostics.schooling``). Bars: Phasescope's simulation under 3 s,
   and at least 10x faster than dewi-kadita, simulation and metrics alike.
2. 5,000 agents: steps per second of the live path (``School.advance``) in
   Couzin's 2002 open-space setting and in the dewi-kadita cube. Bar: 5 steps/s.

Each Phasescope time is the best of ``--repeats`` runs after a warm-up run
(which compiles the kernels once per process); dewi-kadita runs once after a
short warm-up that compiles its kernel. Wall and CPU seconds are printed: on a
shared machine the CPU time of the single-threaded runs is the steadier one.

Run: ``python benchmarks/couzin_speed.py [--steps 2000] [--repeats 3] [--skip-dewi]``
"""
from __future__ import annotations

import argparse
import os
import platform
import time

import numba
import numpy as np

from engine.diagnostics.schooling import (
    oceanic_schooling_index,
    order_parameters,
    schooling_entropies,
)
from engine.manybody.couzin import COUZIN_2002, DEWI_KADITA_CASES, School

CASE = DEWI_KADITA_CASES["highly parallel"]


def _timed(run) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = run()
    return time.perf_counter() - wall, time.process_time() - cpu, value


def _best(run, repeats: int) -> tuple[float, float, object]:
    run()  # warm-up: compiles once per process
    results = [_timed(run) for _ in range(repeats)]
    return min(r[0] for r in results), min(r[1] for r in results), results[-1][2]


def phasescope_simulation(steps: int):
    params = CASE["params"]
    school = School(params, seed=CASE["seed"], record_every=1, capacity=steps + 1)
    school.advance(steps)
    return school.history()


def phasescope_metrics(history, box: float) -> float:
    _, positions, velocities = history
    index = []
    for x, v in zip(positions, velocities):
        order_parameters(x, v, box)
        index.append(oceanic_schooling_index(schooling_entropies(x, v, box)))
    return float(np.mean(index[len(index) // 2 :]))


def dewi_kadita(steps: int) -> tuple[float, float, float, float, float]:
    from dewi_kadita.core.metrics import compute_metrics_timeseries
    from dewi_kadita.core.solver import CouzinSolver
    from dewi_kadita.core.systems import CouzinSystem

    p = CASE["params"]

    def system(n: int) -> CouzinSystem:
        return CouzinSystem(
            n_fish=n, box_size=p.box_size, speed=p.speed, r_repulsion=p.repulsion, r_orientation=p.r_orientation,
            r_attraction=p.r_attraction, max_turn=p.turning_rate * p.dt, noise=p.noise, blind_angle=p.blind_angle,
            seed=CASE["seed"],
        )

    solver = CouzinSolver(dt=p.dt)
    solver.solve(system(10), n_steps=5, verbose=False)  # compiles its kernel
    wall, cpu, result = _timed(lambda: solver.solve(system(p.n), n_steps=steps, verbose=False))
    metrics_wall, metrics_cpu, metrics = _timed(
        lambda: compute_metrics_timeseries(result["positions"], result["velocities"], result["time"], p.box_size, verbose=False)
    )
    return wall, cpu, metrics_wall, metrics_cpu, float(metrics["oceanic_schooling_index_mean"])


def steps_per_second(params, repeats: int, steps: int = 10) -> tuple[float, float]:
    school = School(params, seed=1)
    school.advance(2)  # compiles, and the school starts to gather
    wall, cpu, _ = _best(lambda: school.advance(steps), repeats)
    return steps / wall, steps / cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-dewi", action="store_true", help="only Phasescope's figures")
    args = parser.parse_args()
    print(f"python {platform.python_version()}, numba {numba.__version__}, {os.cpu_count()} cores, "
          f"numba threads {numba.config.NUMBA_NUM_THREADS}")
    p = CASE["params"]
    print(f"\n1. dewi-kadita 'highly parallel': N = {p.n}, L = {p.box_size:g}, {args.steps} steps, every step kept")
    sim_wall, sim_cpu, history = _best(lambda: phasescope_simulation(args.steps), args.repeats)
    met_wall, met_cpu, osi = _best(lambda: phasescope_metrics(history, p.box_size), 1)
    print(f"{'':28s}{'wall s':>9s}{'cpu s':>9s}")
    print(f"{'phasescope simulation':28s}{sim_wall:9.3f}{sim_cpu:9.3f}   bar: under 3 s")
    print(f"{'phasescope metrics':28s}{met_wall:9.3f}{met_cpu:9.3f}   mean OSI (2nd half) {osi:.4f}")
    if not args.skip_dewi:
        d_wall, d_cpu, dm_wall, dm_cpu, d_osi = dewi_kadita(args.steps)
        print(f"{'dewi-kadita simulation':28s}{d_wall:9.3f}{d_cpu:9.3f}   (its numba kernel, parallel)")
        print(f"{'dewi-kadita metrics':28s}{dm_wall:9.3f}{dm_cpu:9.3f}   mean OSI (2nd half) {d_osi:.4f}")
        print(f"speed-up, simulation (wall)         {d_wall / sim_wall:7.1f}x   bar: >= 10x")
        print(f"speed-up, metrics (wall)            {dm_wall / met_wall:7.1f}x")
        print(f"speed-up, simulation + metrics      {(d_wall + dm_wall) / (sim_wall + met_wall):7.1f}x   bar: >= 10x")
    print("\n2. N = 5,000, School.advance (one thread)")
    for label, params in (
        ("Couzin 2002, open space, parallel", COUZIN_2002.replace(n=5000, box_size=40.0, orientation_width=10.0)),
        ("dewi-kadita highly parallel cube", p.replace(n=5000)),
    ):
        wall, cpu = steps_per_second(params, args.repeats)
        print(f"{label:36s}{wall:7.1f} steps/s wall {cpu:7.1f} steps/s cpu   bar: >= 5")


if __name__ == "__main__":
    main()
