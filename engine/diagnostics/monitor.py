"""Online diagnostics of a live run: what the monitors beside a phase portrait show.

A :class:`TrajectoryMonitor` takes the samples of each frame as they arrive
(:meth:`~TrajectoryMonitor.observe`) and keeps, at a cost independent of the
length of the run (the samples are counted in one batch when a value is read,
not frame by frame):

* the running Lyapunov spectrum (its own copy of the trajectory advanced by
  a budgeted number of steps per update, :class:`~.lyapunov.RunningLyapunov`),
  averaged from the end of the transient :func:`~.lyapunov.lyapunov_spectrum`
  skips (20 time units, 1,000 iterations), so the approach to the attractor
  does not bias it;
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
from .entropy import OrdinalPatterns, RunningHistogram, renyi, shannon
from .lyapunov import RunningLyapunov, _defaults
from .order import interface_width, kuramoto_order

__all__ = ["BATCH_FRAMES", "LYAPUNOV_STEPS", "PERMUTATION_ORDER", "TrajectoryMonitor"]

PERMUTATION_ORDER = 4
"""Embedding dimension of the running permutation entropy."""
LYAPUNOV_STEPS = (10, 200_000)
"""Fewest and most steps of the running Lyapunov estimate per update."""
BATCH_FRAMES = 16
"""Frames of samples held before they are counted even if no value is read."""


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
        self._transient = float(_defaults(self.system, None, None)[1])  # in the estimate's elapsed units
        self.restart(state0)

    def restart(self, state0: Sequence[float] | None = None) -> None:
        """Forget everything observed; the Lyapunov estimate restarts from ``state0`` (if given)."""
        self._visited = RunningHistogram(min(self.system.dimension, 3), self._bins)
        self._patterns = OrdinalPatterns(PERMUTATION_ORDER)
        self._pending: list[np.ndarray] = []
        self._latest: np.ndarray | None = None
        self._coherence = math.nan
        self._spread = math.nan
        self._settled = False  # the Lyapunov averages restart once past the transient
        if self.lyapunov is not None:
            self.lyapunov.restart(state0)

    def set_params(self, params: Mapping[str, Any]) -> None:
        """The run's parameters changed: every average starts again (the states go on)."""
        self._pending = []  # samples of the previous parameters are forgotten with them
        self.params = dict(params)
        self._settled = False
        if self.lyapunov is not None:
            self.lyapunov.set_params(self.params)
        self._visited = RunningHistogram(min(self.system.dimension, 3), self._bins)
        self._patterns.reset()

    def observe(self, points: np.ndarray) -> None:
        """Take a frame's new samples, shape ``(members, k, dimension)``.

        They are held and counted together when a value is next read (or
        after :data:`BATCH_FRAMES` frames): one histogram update for several
        frames costs about what one frame's did."""
        if points.shape[1] == 0:
            return
        self._pending.append(points[0])
        if points.shape[0] > 1:
            self._latest = points[:, -1, :]
        if len(self._pending) >= BATCH_FRAMES:
            self._count()

    def _count(self) -> None:
        """Count the held samples, then the order parameters of the members' latest states."""
        if self._pending:
            first = np.concatenate(self._pending) if len(self._pending) > 1 else self._pending[0]
            self._pending = []
            self._visited.update(first[:, : self._visited.dimension])
            self._patterns.update(first[:, 0])
        if self._latest is not None:
            self._ensemble(self._latest)
            self._latest = None

    @property
    def visited(self) -> RunningHistogram:
        """Histogram of the visited states (every sample observed so far counted)."""
        self._count()
        return self._visited

    @property
    def patterns(self) -> OrdinalPatterns:
        """Ordinal patterns of the first variable (every sample observed so far counted)."""
        self._count()
        return self._patterns

    @property
    def coherence(self) -> float:
        """Kuramoto coherence of the ensemble's phases around the centre of the visited distribution."""
        self._count()
        return self._coherence

    @property
    def spread(self) -> float:
        """Interface width of the ensemble relative to the size of the visited distribution."""
        self._count()
        return self._spread

    def _ensemble(self, latest: np.ndarray) -> None:
        """Order parameters of the members' latest states ``(members, dimension)``."""
        visited = self._visited
        size = float(np.linalg.norm(visited.width)) if visited.low is not None else 0.0
        self._spread = float(np.linalg.norm(interface_width(latest.T))) / size if size > 0 else math.nan
        if latest.shape[1] >= 2 and visited.low is not None:
            centre = visited.low[:2] + 0.5 * visited.width[:2]
            phases = np.arctan2(latest[:, 1] - centre[1], latest[:, 0] - centre[0])
            self._coherence = float(kuramoto_order(phases)[0])

    def warm(self) -> None:
        """Compile (or load from the disk cache) the Lyapunov kernel, on a throwaway copy of the
        estimate; call it off the event loop before the first :meth:`advance_lyapunov`."""
        if self.lyapunov is not None:
            RunningLyapunov(self.system, self.params, self.lyapunov.state, dt=self._dt).advance(1)

    def advance_lyapunov(self, budget_s: float) -> None:
        """Advance the running Lyapunov estimate by about ``budget_s`` seconds of compute
        (the step count adapts to the time the previous update took); the averages start
        again once, at the end of the transient."""
        if self.lyapunov is None:
            return
        low, high = LYAPUNOV_STEPS
        steps = low if self._seconds_per_step == 0.0 else min(high, max(low, int(budget_s / self._seconds_per_step)))
        started = time.perf_counter()
        left = steps
        if not self._settled:
            transient = max(0, round((self._transient - self.lyapunov.elapsed) / self.lyapunov.dt))
            if transient < steps:
                self.lyapunov.advance(transient)
                self.lyapunov.restart()  # keeps the state, now on the attractor
                self._settled = True
                left = steps - transient
        self.lyapunov.advance(left)
        self._seconds_per_step = max((time.perf_counter() - started) / steps, 1e-9)

    def values(self) -> dict[str, float]:
        """Current values by name: ``lambda_1 ..`` (Lyapunov exponents), ``shannon`` and
        ``renyi_2`` (nats, visited distribution), ``permutation`` (normalised),
        ``coherence`` and ``spread`` (ensemble); NaN where not defined (yet)."""
        values: dict[str, float] = {}
        if self.lyapunov is not None:
            for i, exponent in enumerate(self.lyapunov.exponents, start=1):
                values[f"lambda_{i}"] = float(exponent)
        self._count()
        occupied = self._visited.counts[self._visited.counts > 0]  # empty cells add nothing to either entropy
        values["shannon"] = shannon(occupied) if occupied.size else math.nan
        values["renyi_2"] = renyi(occupied, 2) if occupied.size else math.nan
        values["permutation"] = self._patterns.entropy()
        values["coherence"] = self._coherence
        values["spread"] = self._spread
        return values
