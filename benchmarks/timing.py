"""Timing shared by the benchmarks: a first call, then the best of several."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

Result = TypeVar("Result")


def best_of(run: Callable[[], Result], repeats: int) -> tuple[float, float, Result]:
    """Seconds of a first call (it compiles, or loads from the disk cache), the best
    seconds of ``repeats`` calls after it, and the last call's result."""
    started = time.perf_counter()
    result = run()
    first = time.perf_counter() - started
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return first, best, result
