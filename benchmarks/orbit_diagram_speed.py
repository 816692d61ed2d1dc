"""Logistic orbit diagram speed as ratios, measured in one process.

2000 values of r in [2.5, 4], 1000 transient and 1000 kept iterations, through:

* ``engine.orbit_diagram`` (the generic map kernel, parallel over r with
  ``prange``, the result wrapped in an xarray Dataset);
* a hand-written numba kernel for the logistic map alone, ``prange`` over r,
  on two threads: the ceiling for the generic kernel (bar: engine within 1.5x);
* pynamical's ``simulate`` (numba per step, pandas DataFrame out) and
  pynamicalsys' ``DiscreteDynamicalSystem("logistic map").bifurcation_diagram``
  (bar: engine at least 50x faster than each).

Every time is the best of several runs after a first call (whose time,
compilation included, is printed too); the engine and the hand-written kernel
take turns in each round, so both meet the same load on a shared machine. Both engine and hand-written kernel run
on ``numba.set_num_threads(2)``.

Run: ``python benchmarks/orbit_diagram_speed.py [--repeats R]`` (R rounds of the two kernels taking turns, R/5 of the peers)
"""
from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable

import numba
import numpy as np
from numba import njit, prange

import engine

VALUES, TRANSIENT, KEEP = 2000, 1000, 1000
R = np.linspace(2.5, 4.0, VALUES)


@njit(cache=True, nogil=True, parallel=True)
def _logistic_by_hand(r, x0, transient, keep, out):
    for i in prange(r.size):
        x = x0
        rate = r[i]
        for _ in range(transient):
            x = rate * x * (1.0 - x)
        for k in range(keep):
            x = rate * x * (1.0 - x)
            out[i, k] = x


def _engine() -> np.ndarray:
    return engine.orbit_diagram("Logistic", "r", R, transient=TRANSIENT, keep=KEEP)["x"].values


def _by_hand() -> np.ndarray:
    out = np.empty((VALUES, KEEP))
    _logistic_by_hand(R, 0.2, TRANSIENT, KEEP, out)
    return out


def _pynamical() -> np.ndarray:
    import pynamical

    frame = pynamical.simulate(
        model=pynamical.logistic_map, num_gens=KEEP, rate_min=2.5, rate_max=4.0, num_rates=VALUES,
        num_discard=TRANSIENT, initial_pop=0.2,
    )
    return frame.to_numpy()


def _pynamicalsys() -> np.ndarray:
    from pynamicalsys import DiscreteDynamicalSystem

    system = DiscreteDynamicalSystem(model="logistic map")
    _, samples = system.bifurcation_diagram([0.2], 0, R, TRANSIENT + KEEP, transient_time=TRANSIENT)
    return samples


def _timed(run: Callable[[], np.ndarray]) -> tuple[float, np.ndarray]:
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def _best(rows: dict[str, Callable[[], np.ndarray]], repeats: int) -> dict[str, float]:
    """Best time of each row over ``repeats`` rounds, the rows taking turns within a round
    (on a shared machine every row then meets the same load)."""
    best = dict.fromkeys(rows, float("inf"))
    for _ in range(repeats):
        for name, run in rows.items():
            best[name] = min(best[name], _timed(run)[0])
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
    print(f"logistic orbit diagram: {VALUES} values of r, {TRANSIENT} + {KEEP} iterations; "
          f"{numba.get_num_threads()} numba threads, {os.cpu_count()} cores")
    fast = {"engine.orbit_diagram": _engine, "hand-written numba (prange)": _by_hand}
    peers = {"pynamical.simulate": _pynamical, "pynamicalsys bifurcation_diagram": _pynamicalsys}
    first, results = {}, {}
    for name, run in {**fast, **peers}.items():
        first[name], results[name] = _timed(run)  # compiles (or loads from the disk cache)
    best = _best(fast, args.repeats) | _best(peers, max(1, args.repeats // 5))
    print(f"{'':34s} {'first call (s)':>15s} {'best (s)':>10s}")
    for name, seconds in first.items():
        print(f"{name:34s} {seconds:15.4f} {best[name]:10.4f}")
    same = np.array_equal(results["engine.orbit_diagram"], results["hand-written numba (prange)"])
    print(f"engine equals the hand-written kernel: {same}")
    ours = best["engine.orbit_diagram"]
    print(f"engine / hand-written: {ours / best['hand-written numba (prange)']:.2f}x the time (bar <= 1.5)")
    for peer in ("pynamical.simulate", "pynamicalsys bifurcation_diagram"):
        print(f"{peer} / engine: {best[peer] / ours:.0f}x faster (bar >= 50)")


if __name__ == "__main__":
    main()
