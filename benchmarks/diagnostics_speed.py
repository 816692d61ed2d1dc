"""Diagnostics speed and accuracy beside their peers, measured in one process.

* Full Lorenz Lyapunov spectrum (sigma 10, rho 28, beta 8/3; Sprott: 0.9056, 0,
  -14.5723): :func:`engine.lyapunov_spectrum` (Benettin/QR on the analytic
  Jacobian, RK4 at dt = 0.01) against pynamicalsys' ``lyapunov`` (its own RK4,
  the same step, averaging time and transient).
* Largest exponent from 10,000 samples of Lorenz x (dt = 0.01):
  :func:`engine.max_lyapunov_from_series` (Rosenstein) against ``nolds.lyap_r``
  (Rosenstein too, its defaults).
* Permutation entropy of 10^6 Gaussian samples (order 3, delay 1, normalised)
  against ``antropy.perm_entropy``.
* Live monitors: the explorer's frame with and without its monitors (the share
  of the frame they take), headless.

Each time is the best of ``--repeats`` runs after a warm-up run (which compiles).

Run: ``python benchmarks/diagnostics_speed.py [--repeats R]``
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

import engine
from engine.diagnostics import permutation_entropy

LORENZ = np.array([0.9056, 0.0, -14.5723])
T_END = 1000.0
TRANSIENT = 20.0
SAMPLES = 10_000
DT = 0.01
PERMUTATION_SAMPLES = 1_000_000
FRAMES = 300


def best(run: Callable[[], object], repeats: int) -> tuple[float, float, object]:
    """First-call time, best time of ``repeats`` later calls, and the last result."""
    started = time.perf_counter()
    result = run()
    first = time.perf_counter() - started
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return first, min(times), result


def _nolds_measures():
    """nolds' measures module, loaded by file: nolds 0.6's package import fails on Python 3.11
    (its datasets module calls importlib.resources.files on a module, allowed from 3.12)."""
    spec = importlib.util.find_spec("nolds")
    path = Path(spec.submodule_search_locations[0]) / "measures.py"
    module_spec = importlib.util.spec_from_file_location("nolds_measures", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


def lyapunov_rows(repeats: int) -> list[tuple]:
    from pynamicalsys import ContinuousDynamicalSystem

    ours = best(lambda: engine.lyapunov_spectrum("Lorenz", t_end=T_END, transient=TRANSIENT), repeats)
    peer = ContinuousDynamicalSystem(model="lorenz system")
    peer.integrator("rk4", time_step=DT)
    theirs = best(lambda: peer.lyapunov([1.0, 1.0, 1.0], T_END, parameters=[10.0, 28.0, 8.0 / 3.0], transient_time=TRANSIENT), repeats)
    return [("Phasescope lyapunov_spectrum", *ours), ("pynamicalsys lyapunov", *theirs)]


def rosenstein_rows(repeats: int) -> list[tuple]:
    x = engine.simulate("Lorenz", steps=SAMPLES + 1000, dt=DT)["x"].values[1000 + 1 :]
    ours = best(lambda: engine.max_lyapunov_from_series(x, DT), repeats)
    nolds = _nolds_measures()
    theirs = best(lambda: nolds.lyap_r(x) / DT, max(1, repeats // 3))  # nolds' exponent is per sample
    return [("Phasescope max_lyapunov_from_series", *ours), ("nolds lyap_r", *theirs)]


def permutation_rows(repeats: int) -> list[tuple]:
    import antropy

    x = np.random.default_rng(0).standard_normal(PERMUTATION_SAMPLES)
    ours = best(lambda: permutation_entropy(x, 3, 1), repeats)
    theirs = best(lambda: antropy.perm_entropy(x, order=3, delay=1, normalize=True), repeats)
    return [("Phasescope permutation_entropy", *ours), ("antropy perm_entropy", *theirs)]


def monitor_share(frames: int) -> tuple[float, float, float]:
    """Explorer frames (Lorenz, headless, default speed): total seconds of the frames,
    seconds inside the monitors, and their share of the frame without them."""
    from dashboard.apps.explorer import Explorer

    explorer = Explorer()
    explorer.monitors.warm()
    inside = [0.0]

    def timed(method):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                inside[0] += time.perf_counter() - started

        return wrapper

    explorer.monitors.push = timed(explorer.monitors.push)
    explorer.monitors.tick = timed(explorer.monitors.tick)
    for _ in range(30):  # warm-up: first frames, first density shading
        explorer.tick()
    inside[0] = 0.0
    started = time.perf_counter()
    for _ in range(frames):
        explorer.tick()
    total = time.perf_counter() - started
    return total, inside[0], inside[0] / (total - inside[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"Python {platform.python_version()}, {os.cpu_count()} cores; best of {args.repeats} after a warm-up run")
    print()
    header = f"{'what':40s} {'first (s)':>10s} {'best (s)':>10s}  result"
    rows = lyapunov_rows(args.repeats)
    print(f"Lorenz spectrum, T = {T_END:g}, transient {TRANSIENT:g}, RK4 dt = {DT} (Sprott: 0.9056, 0, -14.5723)")
    print(header)
    for name, first, fastest, spectrum in rows:
        error = np.abs(np.asarray(spectrum) - LORENZ).max()
        print(f"{name:40s} {first:10.3f} {fastest:10.4f}  {np.round(spectrum, 4)}  max error {error:.4f}")
    print(f"  ratio pynamicalsys / Phasescope: {rows[1][2] / rows[0][2]:.1f}x")
    print()
    rows = rosenstein_rows(args.repeats)
    print(f"Largest exponent from {SAMPLES} samples of Lorenz x, dt = {DT} (Sprott: 0.9056)")
    print(header)
    for name, first, fastest, value in rows:
        print(f"{name:40s} {first:10.3f} {fastest:10.4f}  {value:.4f}  error {abs(value - LORENZ[0]):.4f}")
    print(f"  ratio nolds / Phasescope: {rows[1][2] / rows[0][2]:.1f}x")
    print()
    rows = permutation_rows(args.repeats)
    print(f"Permutation entropy of {PERMUTATION_SAMPLES} Gaussian samples, order 3, delay 1, normalised")
    print(header)
    for name, first, fastest, value in rows:
        print(f"{name:40s} {first:10.3f} {fastest:10.4f}  {value:.6f}")
    print(f"  ratio antropy / Phasescope: {rows[1][2] / rows[0][2]:.1f}x")
    print()
    total, inside, share = monitor_share(FRAMES)
    print(f"Explorer frames with monitors (Lorenz, headless): {FRAMES} frames in {total:.3f} s, monitors {inside:.3f} s")
    print(f"  monitors add {100 * share:.1f} % to the frame (bar: < 20 %)")


if __name__ == "__main__":
    main()
