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
  of the frame they take), headless but paced as a served session: one frame
  per frame period at the budget a session alone gets, the shading of the
  density (off the event loop when served) counted apart.

Each time is the best of ``--repeats`` runs after a warm-up run (which compiles).

Run: ``python benchmarks/diagnostics_speed.py [--repeats R]``
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import time
from pathlib import Path
from typing import NamedTuple

import numpy as np
from timing import best_of

import engine
from dashboard.frame_loop import FRAME_PERIOD_MS, frame_budget
from engine.diagnostics import permutation_entropy

LORENZ = np.array([0.9056, 0.0, -14.5723])
T_END = 1000.0
TRANSIENT = 20.0
SAMPLES = 10_000
DT = 0.01
PERMUTATION_SAMPLES = 1_000_000
FRAMES = 300


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

    ours = best_of(lambda: engine.lyapunov_spectrum("Lorenz", t_end=T_END, transient=TRANSIENT), repeats)
    peer = ContinuousDynamicalSystem(model="lorenz system")
    peer.integrator("rk4", time_step=DT)
    theirs = best_of(lambda: peer.lyapunov([1.0, 1.0, 1.0], T_END, parameters=[10.0, 28.0, 8.0 / 3.0], transient_time=TRANSIENT), repeats)
    return [("Phasescope lyapunov_spectrum", *ours), ("pynamicalsys lyapunov", *theirs)]


def rosenstein_rows(repeats: int) -> list[tuple]:
    x = engine.simulate("Lorenz", steps=SAMPLES + 1000, dt=DT)["x"].values[1000 + 1 :]
    ours = best_of(lambda: engine.max_lyapunov_from_series(x, DT), repeats)
    nolds = _nolds_measures()
    theirs = best_of(lambda: nolds.lyap_r(x) / DT, max(1, repeats // 3))  # nolds' exponent is per sample
    return [("Phasescope max_lyapunov_from_series", *ours), ("nolds lyap_r", *theirs)]


def permutation_rows(repeats: int) -> list[tuple]:
    import antropy

    x = np.random.default_rng(0).standard_normal(PERMUTATION_SAMPLES)
    ours = best_of(lambda: permutation_entropy(x, 3, 1), repeats)
    theirs = best_of(lambda: antropy.perm_entropy(x, order=3, delay=1, normalize=True), repeats)
    return [("Phasescope permutation_entropy", *ours), ("antropy perm_entropy", *theirs)]


class MonitorShare(NamedTuple):
    """Seconds per explorer frame, from :func:`monitor_share`."""

    view: float
    """The view's own work on the event loop: advancing, streaming, status (monitors and shading aside)."""
    shading: float
    """Datashader shading of the density (in a served page it runs on a thread, off the event loop)."""
    monitors: float
    """The monitors: taking the samples, the running Lyapunov estimate, values and plots."""


def monitor_share(frames: int) -> MonitorShare:
    """Explorer frames (Lorenz, headless, default speed) as a session alone on its server
    gets them: one every ``FRAME_PERIOD_MS`` with the compute budget :func:`frame_budget`
    gives it, so what the page refreshes by the clock (density, status) comes as often
    per frame as in a browser. Datashader is compiled and the density shaded once during
    the warm-up, so no one-time compile lands among the timed frames."""
    from dashboard.apps.explorer import Explorer

    explorer = Explorer()
    explorer.monitors.warm()
    spent = {"monitors": 0.0, "shading": 0.0}

    def timed(method, key):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                spent[key] += time.perf_counter() - started

        return wrapper

    explorer.monitors.push = timed(explorer.monitors.push, "monitors")
    explorer.monitors.tick = timed(explorer.monitors.tick, "monitors")
    explorer.portrait.refresh_density = timed(explorer.portrait.refresh_density, "shading")
    period, budget = FRAME_PERIOD_MS / 1000.0, frame_budget(FRAME_PERIOD_MS)

    def run(count: int) -> float:
        busy = 0.0
        for _ in range(count):
            started = time.perf_counter()
            explorer.tick(budget)
            took = time.perf_counter() - started
            busy += took
            time.sleep(max(0.0, period - took))
        return busy

    run(30)
    explorer.portrait.refresh_density()  # datashader's compile, once per process
    spent.update(monitors=0.0, shading=0.0)
    busy = run(frames)
    return MonitorShare(
        view=(busy - spent["monitors"] - spent["shading"]) / frames,
        shading=spent["shading"] / frames,
        monitors=spent["monitors"] / frames,
    )


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
    share = monitor_share(FRAMES)
    print(f"Explorer frames with monitors (Lorenz, headless, one frame per {FRAME_PERIOD_MS} ms, a session's budget alone)")
    print(f"  per frame: view {1e3 * share.view:.3f} ms, density shading {1e3 * share.shading:.3f} ms, "
          f"monitors {1e3 * share.monitors:.3f} ms ({FRAMES} frames)")
    print(f"  monitors add {100 * share.monitors / share.view:.1f} % to the frame's event-loop work (bar: < 20 %); "
          f"{100 * share.monitors / (share.view + share.shading):.1f} % with the shading counted in the frame")


if __name__ == "__main__":
    main()
