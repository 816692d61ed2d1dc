"""Klein-Gordon speed and energy error: Phasescope's field solver against the amangkurat package, in one process.

Two of amangkurat's cases on the same grids (same number of points, same
domain, same initial field, same final time):

* linear potential (m = 1), a Gaussian packet, 512 points on [-30, 30], T = 50;
* phi^4 (lambda = v = 1), a kink-antikink collision at v = 0.3, 1024 points
  on [-50, 50], T = 100.

amangkurat (``KGSolver.solve``, its adaptive step starting at dt = 0.005)
runs as installed, on one numba thread (its parallel loop over a few
hundred points only adds thread hand-offs, worst on a busy machine);
Phasescope (``engine.fields.FieldSimulation``) takes the fixed step 0.005 in
chunks of 0.2 time units, as the live page does (each chunk keeps a snapshot
with its energy and momentum). The printed figures:

* microseconds per step (wall time of the whole run over its steps, best of
  the repeats after a warm-up run that compiles) and the run's seconds
  (amangkurat's adaptive step ends at its own step count);
* the largest relative energy error over the run. amangkurat keeps only
  snapshots of phi, so its energy is evaluated from snapshots with phi_t
  taken by central differences between neighbouring snapshots; the same
  estimate is printed for Phasescope (from an untimed run with snapshots as
  dense) beside its exact value (from phi_t), so the estimate's own floor
  is visible. Energies are the semi-discrete
  Hamiltonian of each solver's own spectral operator (amangkurat's grid
  repeats its end point, so its period is L n/(n-1)).

Run: ``python benchmarks/klein_gordon_speed.py [--repeats R] [--snapshots S]``
"""
from __future__ import annotations

import argparse
import os
import platform
import warnings

import numpy as np
from timing import best_of

from engine.fields import FieldSimulation, PeriodicGrid, energy, initial_field

DT = 0.005
PAGE_ROW_TIME = 0.2
"""Time Phasescope advances per call, as the fields page does (one image row, ``SNAPSHOT_INTERVAL``)."""
CASES = [
    # label, potential, our parameters, amangkurat's parameters, initial, initial parameters, points, x_min, x_max, T
    ("linear, Gaussian packet", "linear", {"mass": 1.0}, {"mass": 1.0}, "wave_packet", {"width": 2.0}, 512, -30.0, 30.0, 50.0),
    ("phi^4, kink-antikink v = 0.3", "phi4", {"lam": 1.0, "v": 1.0}, {"lambda": 1.0, "vacuum": 1.0}, "collision",
     {"separation": 20.0, "speed": 0.3}, 1024, -50.0, 50.0, 100.0),
]


def snapshot_energy_error(times: np.ndarray, phis: np.ndarray, grid: PeriodicGrid, potential: str, params: dict) -> float:
    """Largest relative energy error over snapshots, phi_t by central differences (non-uniform spacing)."""
    energies = []
    for i in range(1, times.size - 1):
        h0, h1 = times[i] - times[i - 1], times[i + 1] - times[i]
        phi_t = (h0**2 * phis[i + 1] - h1**2 * phis[i - 1] + (h1**2 - h0**2) * phis[i]) / (h0 * h1 * (h0 + h1))
        energies.append(energy(phis[i], phi_t, grid, potential, params))
    energies = np.array(energies)
    return float(np.abs(energies - energies[0]).max() / abs(energies[0]))


def measure_case(case: tuple, repeats: int, snapshots: int) -> None:
    """Time both solvers on one case and print two rows and the speed-up."""
    from amangkurat.core.solver import KGSolver

    label, potential, ours, theirs, initial, initial_params, n, x_min, x_max, t_end = case
    solver = KGSolver(n, x_min, x_max, verbose=False, n_cores=1, adaptive_dt=True)
    their_grid = PeriodicGrid(n, x_min, x_min + n * solver.dx)  # x = linspace(x_min, x_max, n), as amangkurat's
    phi0, phi_t0 = initial_field(their_grid, initial, potential, ours, initial_params)

    def amangkurat_run():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return solver.solve(phi0, phi_t0, DT, t_end, potential, n_snapshots=snapshots, **theirs)

    _, their_time, result = best_of(amangkurat_run, repeats)
    their_steps = result["params"]["n_steps"]
    their_error = snapshot_energy_error(result["t"], result["phi"], their_grid, potential, ours)

    def phasescope_run(per_chunk: int):
        chunks = round(t_end / DT / per_chunk)
        sim = FieldSimulation(potential, initial, n, x_min, x_max, dt=DT, params=ours, initial_params=initial_params,
                              capacity=chunks + 1)
        largest = 0.0
        for _ in range(chunks):
            sim.advance(per_chunk)
            largest = max(largest, sim.energy_error)
        return sim, largest

    page_chunk = round(PAGE_ROW_TIME / DT)
    _, our_time, (_, our_error) = best_of(lambda: phasescope_run(page_chunk), repeats)
    our_steps = round(t_end / DT / page_chunk) * page_chunk
    estimated, _ = phasescope_run(max(1, round(t_end / snapshots / DT)))  # snapshots as dense as amangkurat's
    times, phis, _, _ = estimated.history()
    our_estimate = snapshot_energy_error(times, phis, estimated.grid, potential, ours)
    print(f"{label:<32}{'amangkurat':<13}{their_steps:>8}{their_time:>8.2f}{their_time / their_steps * 1e6:>10.1f}{'-':>15}{their_error:>20.2e}")
    print(f"{'':<32}{'Phasescope':<13}{our_steps:>8}{our_time:>8.2f}{our_time / our_steps * 1e6:>10.1f}{our_error:>15.2e}{our_estimate:>20.2e}")
    print(f"{'':<32}per-step speed-up of Phasescope over amangkurat: {(their_time / their_steps) / (our_time / our_steps):.2f}x")


def measure(repeats: int, snapshots: int) -> None:
    print("Klein-Gordon (1+1)D: Phasescope fixed-step Verlet against amangkurat (adaptive leapfrog), one process")
    print(f"Python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs; best of {repeats} after a warm-up")
    print()
    header = f"{'case':<32}{'solver':<13}{'steps':>8}{'run s':>8}{'us/step':>10}{'energy error':>15}{'snapshot estimate':>20}"
    print(header)
    print("-" * len(header))
    for case in CASES:
        measure_case(case, repeats, snapshots)
    print()
    print("bar: at least as fast per step as amangkurat on the same grid, energy error no larger")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per solver; the best counts (default 3)")
    parser.add_argument("--snapshots", type=int, default=2000, help="snapshots kept for the energy estimate (default 2000)")
    args = parser.parse_args()
    if args.repeats < 1 or args.snapshots < 10:
        parser.error("--repeats must be at least 1 and --snapshots at least 10")
    measure(args.repeats, args.snapshots)


if __name__ == "__main__":
    main()
