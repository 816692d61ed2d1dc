"""Online diagnostics of a live run: what the monitors beside a phase portrait show.

A :class:`TrajectoryMonitor` takes the samples of each frame as they arrive
(:meth:`~TrajectoryMonitor.observe`) and keeps, at a cost independent of the
length of the run:

* the running Lyapunov spectrum (its own copy of the trajectory advanced by
  a budgeted number of steps per update, :class:`~.lyapunov.RunningLyapunov`);
* entropies of the visited distribution (:class:`~.entropy.RunningHistogram`
  over up to three state variables) and the permutation entropy of the first
  variable (:class:`~.entropy.OrdinalPatterns`);
* order parameters of the ensemble of trajectories started nearby: the
  Kuramoto coherence of their phases around the centre of the visited
  distribution and their spread relative to its size.
"""
from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..system import System
from ..systems import get_system
from .entropy import OrdinalPatterns, RunningHistogram
from .lyapunov import RunningLyapunov
from .order import interface_width, kuramoto_order

__all__ = ["LYAPUNOV_STEPS", "PERMUTATION_ORDER", "TrajectoryMonitor"]

PERMUTATION_ORDER = 4
"""Embedding dimension of the running permutation entropy."""
LYAPUNOV_STEPS = (10, 200_000)
"""Fewest and most steps of the running Lyapunov estimate per update."""


class TrajectoryMonitor:
    """Running diagnostics of a live run of ``system``.

    Parameters
    ----------
    system : System or str
    params : mapping, optional
        Parameter values of the run.
    state0 : sequence of float, optional
        Where the run (and the Lyapunov estimate) starts.
    dt : float, optional
        Step of the run (flows).
    bins : int
        Cells per axis of the visited-distribution histogram.
    """

    def __init__(
        self,
        system: System | str,
        params: Mapping[str, Any] | None = None,
        state0: Sequence[float] | None = None,
        *,
        dt: float | None = None,
        bins: int = 32,
    ) -> None:
        self.system = get_system(system)
        self.params = dict(self.system.defaults if params is None else params)
        self._bins = bins
        self._dt = dt
        self.lyapunov = (
            RunningLyapunov(self.system, self.params, state0, dt=dt) if self.system.family != "sde" else None
        )
        self._seconds_per_step = 0.0
        self.restart(state0)

    def restart(self, state0: Sequence[float] | None = None) -> None:
        """Forget everything observed; the Lyapunov estimate restarts from ``state0`` (if given)."""
        self.visited = RunningHistogram(min(self.system.dimension, 3), self._bins)
        self.patterns = OrdinalPatterns(PERMUTATION_ORDER)
        self.coherence = math.nan
        self.spread = math.nan
        if self.lyapunov is not None:
            self.lyapunov.restart(state0)

    def set_params(self, params: Mapping[str, Any]) -> None:
        """The run's parameters changed: every average starts again (the states go on)."""
        self.params = dict(params)
        if self.lyapunov is not None:
            self.lyapunov.set_params(self.params)
        self.visited = RunningHistogram(min(self.system.dimension, 3), self._bins)
        self.patterns.reset()

    def observe(self, points: np.ndarray) -> None:
        """Take a frame's new samples, shape ``(members, k, dimension)``."""
        if points.shape[1] == 0:
            return
        first = points[0]
        self.visited.update(first[:, : self.visited.dimension])
        self.patterns.update(first[:, 0])
        if points.shape[0] > 1:
            self._ensemble(points[:, -1, :])

    def _ensemble(self, latest: np.ndarray) -> None:
        """Order parameters of the members' latest states ``(members, dimension)``."""
        size = float(np.linalg.norm(self.visited.width)) if self.visited.low is not None else 0.0
        self.spread = float(np.linalg.norm(interface_width(latest.T))) / size if size > 0 else math.nan
        if latest.shape[1] >= 2 and self.visited.low is not None:
            centre = self.visited.low[:2] + 0.5 * self.visited.width[:2]
            phases = np.arctan2(latest[:, 1] - centre[1], latest[:, 0] - centre[0])
            self.coherence = float(kuramoto_order(phases)[0])

    def warm(self) -> None:
        """Compile (or load from the disk cache) the Lyapunov kernel, on a throwaway copy of the
        estimate; call it off the event loop before the first :meth:`advance_lyapunov`."""
        if self.lyapunov is not None:
            RunningLyapunov(self.system, self.params, self.lyapunov.state, dt=self._dt).advance(1)

    def advance_lyapunov(self, budget_s: float) -> None:
        """Advance the running Lyapunov estimate by about ``budget_s`` seconds of compute
        (the step count adapts to the time the previous update took)."""
        if self.lyapunov is None:
            return
        low, high = LYAPUNOV_STEPS
        steps = low if self._seconds_per_step == 0.0 else min(high, max(low, int(budget_s / self._seconds_per_step)))
        started = time.perf_counter()
        self.lyapunov.advance(steps)
        self._seconds_per_step = max((time.perf_counter() - started) / steps, 1e-9)

    def values(self) -> dict[str, float]:
        """Current values by name: ``lambda_1 ..`` (Lyapunov exponents), ``shannon`` and
        ``renyi_2`` (nats, visited distribution), ``permutation`` (normalised),
        ``coherence`` and ``spread`` (ensemble); NaN where not defined (yet)."""
        values: dict[str, float] = {}
        if self.lyapunov is not None:
            for i, exponent in enumerate(self.lyapunov.exponents, start=1):
                values[f"lambda_{i}"] = float(exponent)
        values["shannon"] = self.visited.shannon()
        values["renyi_2"] = self.visited.renyi(2)
        values["permutation"] = self.patterns.entropy()
        values["coherence"] = self.coherence
        values["spread"] = self.spread
        return values
