"""Mean-field Kuramoto speed: the engine's kernel against a hand-written numba kernel, in one process.

N = 10^5 oscillators with Lorentzian quantile frequencies (gamma = 0.5) at
K = 1.5, RK4 at dt = 0.05 with the mean field recomputed at every stage and r
recorded after every step, through:

* ``engine.manybody.MeanFieldKuramoto.advance`` (the path the live page takes:
  argument checks, the kernel, the times array);
* a hand-written ``njit(cache=True, nogil=True)`` RK4 loop for the same
  equations and the same outputs, written the direct way (four rate arrays,
  sines and cosines stored once per stage).

Each rate is the best of several runs after a warm-up (compiling) run. The bar
is engine / hand-written >= 0.8.

Run: ``python benchmarks/kuramoto_speed.py [--oscillators N] [--steps S] [--repeats R]``
"""
from __future__ import annotations

import argparse
import math
import os
import platform

import numba
import numpy as np
from numba import njit
from timing import best_of

from engine.manybody import MeanFieldKuramoto

COUPLING = 1.5
GAMMA = 0.5
DT = 0.05


@njit(cache=True, nogil=True)
def _rates(y, omega, coupling, rate, sines, cosines):
    n = y.size
    c = 0.0
    s = 0.0
    for j in range(n):
        sines[j] = math.sin(y[j])
        cosines[j] = math.cos(y[j])
        c += cosines[j]
        s += sines[j]
    c /= n
    s /= n
    for j in range(n):
        rate[j] = omega[j] + coupling * (s * cosines[j] - c * sines[j])
    return math.sqrt(c * c + s * s)


@njit(cache=True, nogil=True)
def _kuramoto_rk4_by_hand(theta, omega, coupling, dt, steps, r_out):
    n = theta.size
    k1 = np.empty(n)
    k2 = np.empty(n)
    k3 = np.empty(n)
    k4 = np.empty(n)
    y = np.empty(n)
    sines = np.empty(n)
    cosines = np.empty(n)
    for i in range(steps):
        r = _rates(theta, omega, coupling, k1, sines, cosines)
        if i > 0:
            r_out[i - 1] = r
        for j in range(n):
            y[j] = theta[j] + 0.5 * dt * k1[j]
        _rates(y, omega, coupling, k2, sines, cosines)
        for j in range(n):
            y[j] = theta[j] + 0.5 * dt * k2[j]
        _rates(y, omega, coupling, k3, sines, cosines)
        for j in range(n):
            y[j] = theta[j] + dt * k3[j]
        _rates(y, omega, coupling, k4, sines, cosines)
        for j in range(n):
            theta[j] += dt / 6.0 * (k1[j] + 2.0 * k2[j] + 2.0 * k3[j] + k4[j])
    c = 0.0
    s = 0.0
    for j in range(n):
        c += math.cos(theta[j])
        s += math.sin(theta[j])
    r_out[steps - 1] = math.sqrt(c * c + s * s) / n


def measure(oscillators: int, steps: int, repeats: int) -> None:
    population = MeanFieldKuramoto(oscillators, COUPLING, "lorentzian", GAMMA, dt=DT, seed=0)
    theta0 = population.theta.copy()
    omega = population.omega
    theta = theta0.copy()
    r_hand = np.empty(steps)
    results = {}

    def engine_run() -> None:
        population.reset()
        results["engine"] = population.advance(steps)[1]

    def hand_run() -> None:
        theta[:] = theta0
        _kuramoto_rk4_by_hand(theta, omega, COUPLING, DT, steps, r_hand)

    rows = []
    rates = {}
    for key, label, run in (
        ("engine", "engine MeanFieldKuramoto.advance", engine_run),
        ("hand", "hand-written numba RK4 mean-field kernel", hand_run),
    ):
        first, best, _ = best_of(run, repeats)
        rates[key] = steps / best
        rows.append((label, first, best, oscillators * steps / best))
    agreement = float(np.abs(results["engine"] - r_hand).max())
    print(f"Mean-field Kuramoto, N = {oscillators:,}, {steps} RK4 steps at dt = {DT}, K = {COUPLING}, Lorentzian gamma = {GAMMA}")
    print(f"Python {platform.python_version()}, numpy {np.__version__}, numba {numba.__version__}, {os.cpu_count()} CPUs")
    print()
    print(f"{'benchmark':<46}{'first s':>10}{'best s':>10}{'oscillator-steps/s':>22}")
    print("-" * 88)
    for label, first, best, rate in rows:
        print(f"{label:<46}{first:>10.3f}{best:>10.4f}{rate / 1e6:>18.1f} M/s")
    print()
    print(f"engine / hand-written (steps/s): {rates['engine'] / rates['hand']:.3f}   (bar: >= 0.8)")
    print(f"largest difference in r(t) between the two: {agreement:.2e}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--oscillators", type=int, default=100_000, help="N (default 100,000)")
    parser.add_argument("--steps", type=int, default=200, help="RK4 steps per timed run (default 200)")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per benchmark; the best counts (default 5)")
    args = parser.parse_args()
    if args.oscillators < 1 or args.steps < 1 or args.repeats < 1:
        parser.error("--oscillators, --steps and --repeats must be at least 1")
    measure(args.oscillators, args.steps, args.repeats)


if __name__ == "__main__":
    main()
