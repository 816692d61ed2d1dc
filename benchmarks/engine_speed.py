"""Engine integration speed as ratios, measured in one process.

Lorenz (sigma 10, rho 28, beta 8/3) at dt = 0.01 with the state written out
at every step, through:

* the engine's generic RK4 kernel with the registered Lorenz right-hand side,
  called through ``engine.solvers.advance`` (one call per run, so its few
  microseconds of dispatch vanish), and its Dormand-Prince 5(4) kernel;
* a hand-written numba RK4 loop for Lorenz alone (scalar locals, no bound
  check): the ceiling a generic kernel can reach;
* scipy ``solve_ivp`` RK45 with a Python right-hand side, free-running and
  sampled with ``t_eval``, at the engine's default Dormand-Prince tolerances;
* ``Simulation.advance`` in chunks, the path the live apps take, to show what
  a chunk costs beyond the kernel (ring buffer, copies, locking).

Each rate is the best of several runs after a warm-up run, whose time (the
compilation included) is printed too.

Run: ``python benchmarks/engine_speed.py [--steps N] [--repeats R]``
"""
from __future__ import annotations

import argparse
import os
import platform

import numba
import numpy as np
import scipy
from numba import njit
from scipy.integrate import solve_ivp
from timing import best_of

from engine import Simulation, get_system
from engine.solvers import ATOL, RTOL, advance

DT = 0.01
SCIPY_TIME = 100.0
CHUNKS = (100, 1000, 10_000)


@njit(cache=True, nogil=True)
def _lorenz_rk4_by_hand(x, y, z, sigma, rho, beta, dt, n, out):
    half = 0.5 * dt
    sixth = dt / 6.0
    for i in range(n):
        k1x = sigma * (y - x)
        k1y = x * (rho - z) - y
        k1z = x * y - beta * z
        x2, y2, z2 = x + half * k1x, y + half * k1y, z + half * k1z
        k2x = sigma * (y2 - x2)
        k2y = x2 * (rho - z2) - y2
        k2z = x2 * y2 - beta * z2
        x3, y3, z3 = x + half * k2x, y + half * k2y, z + half * k2z
        k3x = sigma * (y3 - x3)
        k3y = x3 * (rho - z3) - y3
        k3z = x3 * y3 - beta * z3
        x4, y4, z4 = x + dt * k3x, y + dt * k3y, z + dt * k3z
        k4x = sigma * (y4 - x4)
        k4y = x4 * (rho - z4) - y4
        k4z = x4 * y4 - beta * z4
        x += sixth * (k1x + 2.0 * k2x + 2.0 * k3x + k4x)
        y += sixth * (k1y + 2.0 * k2y + 2.0 * k3y + k4y)
        z += sixth * (k1z + 2.0 * k2z + 2.0 * k3z + k4z)
        out[i, 0] = x
        out[i, 1] = y
        out[i, 2] = z
    return x, y, z


def _ratio(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def _rate(value: float) -> str:
    for scale, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= scale:
            return f"{value / scale:7.2f} {suffix}"
    return f"{value:7.2f}  "


def measure(steps: int, repeats: int) -> None:
    lorenz = get_system("Lorenz")
    p = lorenz.parameter_array()
    sigma, rho, beta = (float(v) for v in p)
    state0 = lorenz.state0
    out = np.empty((steps, 3))
    rows: list[tuple[str, int, float, float, str]] = []

    def engine_rk4() -> int:
        return advance(lorenz, "rk4", state0, 0.0, DT, steps, p, out).done

    def by_hand() -> int:
        _lorenz_rk4_by_hand(*state0, sigma, rho, beta, DT, steps, out)
        return steps

    def engine_dopri5() -> int:
        return advance(lorenz, "dopri5", state0, 0.0, DT, steps, p, out).done

    def lorenz_python(t, u):
        x, y, z = u
        return [sigma * (y - x), x * (rho - z) - y, x * y - beta * z]

    def scipy_free() -> int:
        solution = solve_ivp(lorenz_python, (0.0, SCIPY_TIME), state0, method="RK45", rtol=RTOL, atol=ATOL)
        return solution.t.size - 1

    samples = np.arange(1, round(SCIPY_TIME / DT) + 1) * DT

    def scipy_sampled() -> int:
        solution = solve_ivp(lorenz_python, (0.0, samples[-1]), state0, method="RK45", t_eval=samples, rtol=RTOL, atol=ATOL)
        return solution.t.size

    measured = {}
    for key, label, unit, run in (
        ("engine", "engine rk4 (engine.solvers, Lorenz)", "steps", engine_rk4),
        ("hand", "hand-written numba rk4 (Lorenz only)", "steps", by_hand),
        ("dopri5", f"engine dopri5, rtol {RTOL:g}, sample every dt", "samples", engine_dopri5),
        ("scipy", f"scipy solve_ivp RK45, Python rhs, rtol {RTOL:g}", "steps", scipy_free),
        ("scipy_t_eval", "scipy solve_ivp RK45 + t_eval every dt", "samples", scipy_sampled),
    ):
        first, seconds, count = best_of(run, repeats)
        measured[key] = count / seconds
        rows.append((label, count, first, seconds, f"{_rate(count / seconds)} {unit}/s"))

    simulation = Simulation(lorenz)
    overhead = {}
    for chunk in CHUNKS:
        calls = max(1, steps // chunk)

        def chunked() -> int:
            simulation.reset()
            for _ in range(calls):
                simulation.advance(chunk)
            return calls * chunk

        first, seconds, count = best_of(chunked, repeats)
        measured[chunk] = count / seconds
        overhead[chunk] = (seconds - count / measured["engine"]) / calls
        rows.append((f"Simulation.advance({chunk}) x {calls}", count, first, seconds, f"{_rate(count / seconds)} steps/s"))

    print(f"Phasescope engine speed: Lorenz, dt = {DT}, state stored every step, best of {repeats} after a warm-up")
    print(
        f"Python {platform.python_version()}, numpy {np.__version__}, numba {numba.__version__}, "
        f"scipy {scipy.__version__}, {os.cpu_count()} CPUs, {platform.machine()}"
    )
    print()
    print(f"{'benchmark':<50}{'count':>12}{'first s':>10}{'best s':>10}   {'rate':<20}")
    print("-" * 106)
    for label, count, first, seconds, rate in rows:
        print(f"{label:<50}{count:>12,}{first:>10.3f}{seconds:>10.4f}   {rate:<20}")
    print()
    print(f"{'ratio':<78}{'value':>10}")
    print("-" * 88)
    ratios = [
        ("engine rk4 / hand-written numba rk4 (steps/s)", measured["engine"] / measured["hand"]),
        ("engine rk4 / scipy RK45 (steps/s)", measured["engine"] / measured["scipy"]),
        ("engine rk4 / scipy RK45 + t_eval (stored samples/s)", measured["engine"] / measured["scipy_t_eval"]),
        ("engine dopri5 / scipy RK45 + t_eval (same method and tolerances, samples/s)", measured["dopri5"] / measured["scipy_t_eval"]),
    ]
    ratios += [(f"Simulation.advance({chunk}) / engine rk4 (steps/s)", measured[chunk] / measured["engine"]) for chunk in CHUNKS]
    for label, value in ratios:
        print(f"{label:<78}{_ratio(value):>10}")
    print()
    print("cost of one Simulation.advance call beyond the kernel: " + ", ".join(
        f"chunks of {chunk}: {overhead[chunk] * 1e6:.1f} us" for chunk in CHUNKS
    ))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=1_000_000, help="RK4 steps per timed run (default 1,000,000)")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per benchmark; the best counts (default 5)")
    args = parser.parse_args()
    if args.steps < max(CHUNKS) or args.repeats < 1:
        parser.error(f"--steps must be at least {max(CHUNKS)} and --repeats at least 1")
    measure(args.steps, args.repeats)


if __name__ == "__main__":
    main()
