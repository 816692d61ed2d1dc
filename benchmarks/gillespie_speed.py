"""Gillespie direct method: reactions per second, Phasescope against gillespy2, in one process.

Birth-death 0 -> X (rate k omega), X -> 0 (rate gamma per molecule) at
k omega = 1,000 and gamma = 1, started at its stationary mean of 1,000
molecules, so about 2,000 reactions fire per unit time. Every solver samples
one path on the grid t = 0, 1, 2, ... and is timed after a warm-up run (which
for gillespy2's C++ solver includes building it: that compile time is
printed, not counted).

* Phasescope: :class:`engine.kinetics.gillespie.Ensemble`, the numba kernel
  shared by every network, which counts the reactions it fires;
* gillespy2 ``SSACSolver`` (compiled C++; needs ``g++``) and ``NumPySSASolver``:
  they do not report their reaction count, so it is taken as the stationary
  expectation ``2 k omega T`` (Phasescope's counted figure is printed next to
  its own expectation to show the two agree).

The bars: at least as fast as the C++ solver and at least 40x the NumPy solver.

Run: ``python benchmarks/gillespie_speed.py [--repeats R] [--time T]``
"""
from __future__ import annotations

import argparse
import platform
import shutil
import time

import numpy as np
from timing import best_of

from engine.kinetics.gillespie import Ensemble

RATE = 1000.0  # k omega, molecules per unit time
GAMMA = 1.0


def phasescope(t_end: float, repeats: int) -> dict:
    def run():
        ensemble = Ensemble("Birth-death", 1, params={"k": 10.0, "gamma": GAMMA}, omega=100.0, state0=(10.0,), dt=1.0, seed=1)
        ensemble.advance(int(t_end))
        return ensemble.events

    first, best, events = best_of(run, repeats)
    return {"name": "Phasescope (numba)", "first": first, "best": best, "reactions": events, "expected": 2 * RATE * t_end}


def _gillespy2_model(t_end: float):
    import gillespy2

    model = gillespy2.Model(name="birth_death")
    k = gillespy2.Parameter(name="k", expression=RATE)
    gamma = gillespy2.Parameter(name="gamma", expression=GAMMA)
    model.add_parameter([k, gamma])
    x = gillespy2.Species(name="X", initial_value=int(RATE / GAMMA), mode="discrete")
    model.add_species([x])
    model.add_reaction(
        [
            gillespy2.Reaction(name="birth", reactants={}, products={x: 1}, rate=k),
            gillespy2.Reaction(name="death", reactants={x: 1}, products={}, rate=gamma),
        ]
    )
    model.timespan(np.linspace(0.0, t_end, int(t_end) + 1))
    return model


def gillespy2_c(t_end: float, repeats: int) -> dict:
    import gillespy2

    model = _gillespy2_model(t_end)
    began = time.perf_counter()
    solver = gillespy2.SSACSolver(model=model)  # builds the C++ simulation
    build = time.perf_counter() - began
    first, best, result = best_of(lambda: solver.run(number_of_trajectories=1, seed=1), repeats)
    return {"name": "gillespy2 SSACSolver (C++)", "first": first, "best": best, "expected": 2 * RATE * t_end, "build": build,
            "mean": float(np.mean(result[0]["X"]))}


def gillespy2_numpy(t_end: float, repeats: int) -> dict:
    import gillespy2

    model = _gillespy2_model(t_end)
    solver = gillespy2.NumPySSASolver(model=model)
    first, best, result = best_of(lambda: solver.run(number_of_trajectories=1, seed=1), repeats)
    return {"name": "gillespy2 NumPySSASolver", "first": first, "best": best, "expected": 2 * RATE * t_end,
            "mean": float(np.mean(result[0]["X"]))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed runs after the warm-up (default 3)")
    parser.add_argument("--time", type=float, default=5000.0, help="simulated time for Phasescope and the C++ solver (default 5000)")
    args = parser.parse_args()
    numpy_time = args.time / 100.0
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}; birth-death, k omega = {RATE:g}, gamma = {GAMMA:g}")

    rows = [phasescope(args.time, args.repeats)]
    if shutil.which("g++") is None:
        print("gillespy2 SSACSolver: not run, no g++ on PATH")
    else:
        try:
            rows.append(gillespy2_c(args.time, args.repeats))
        except Exception as error:  # noqa: BLE001  (report any build failure and go on)
            print(f"gillespy2 SSACSolver could not run here: {type(error).__name__}: {error}")
    rows.append(gillespy2_numpy(numpy_time, args.repeats))

    print(f"\n{'solver':30s} {'sim. time':>10s} {'first s':>9s} {'best s':>9s} {'reactions':>12s} {'reactions/s':>13s}")
    rates = {}
    for row in rows:
        reactions = row.get("reactions", row["expected"])
        rates[row["name"]] = reactions / row["best"]
        sim_time = row["expected"] / (2 * RATE)
        print(f"{row['name']:30s} {sim_time:10g} {row['first']:9.3f} {row['best']:9.3f} {reactions:12,.0f} {rates[row['name']]:13,.0f}")
    ours = rows[0]
    print(f"\nPhasescope counted {ours['reactions']:,} reactions, expected {ours['expected']:,.0f} (stationary 2 k omega T)")
    for row in rows[1:]:
        extra = f", C++ build {row['build']:.1f} s (not counted)" if "build" in row else ""
        print(f"{row['name']}: mean X {row['mean']:.1f} (expected {RATE / GAMMA:g}){extra}")
    phasescope_rate = rates[ours["name"]]
    print()
    for name, bar in (("gillespy2 SSACSolver (C++)", 1.0), ("gillespy2 NumPySSASolver", 40.0)):
        if name in rates:
            ratio = phasescope_rate / rates[name]
            print(f"Phasescope / {name}: {ratio:.2f}x  (bar >= {bar:g}x: {'met' if ratio >= bar else 'NOT met'})")


if __name__ == "__main__":
    main()
