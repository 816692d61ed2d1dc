"""One session's stochastic-kinetics run: paths, rate equations and moment closure advanced together.

No Panel import: the page binds widgets to :class:`KineticsState`, and tests
drive it headlessly. Every value from a person goes through a ``set_*``
method, which checks it and puts a message in :attr:`KineticsState.message`
instead of raising; the current run goes on.
"""
from __future__ import annotations

import math
import time
from typing import Any, NamedTuple

import numpy as np
import param

from engine import Simulation
from engine.kinetics import get_network, networks
from engine.kinetics.gillespie import Ensemble
from engine.kinetics.moments import (
    oscillation_flags,
    unpack_moments,
    unphysical_moments,
)
from engine.system import check_integer

__all__ = ["DISPLAYED_PATHS", "FLAG_PERIOD_S", "KineticsFrame", "KineticsState"]

DISPLAYED_PATHS = 20
"""Paths drawn as lines; the statistics use every path."""
FLAG_PERIOD_S = 0.5
"""How often the closure is checked against the paths."""
FRAMES_PER_RUN = 300
"""A run of the network's ``t_end`` takes about this many frames (10 s at 30 frames/s)."""


class KineticsFrame(NamedTuple):
    """What one frame adds, on the grid ``times`` (``k`` points), in concentrations."""

    times: np.ndarray  # (k,)
    paths: np.ndarray  # (paths, k, d)
    ode: np.ndarray  # (k, d)
    closure_mean: np.ndarray  # (k, d)
    closure_cov: np.ndarray  # (k, d, d)
    ssa_mean: np.ndarray  # (k, d)
    ssa_var: np.ndarray  # (k, d)


class KineticsState(param.Parameterized):
    """The run a kinetics page shows, with its checked settings."""

    network_name = param.Selector(objects=[n.name for n in networks()], default="Brusselator")
    species = param.Selector(objects=["X", "Y"], default="X")
    paths = param.Integer(default=200, bounds=(10, 1000))
    omega = param.Number(default=100.0)
    message = param.String(default="")
    flags = param.List(default=[], item_type=str)
    generation = param.Integer(default=0)

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        self.params: dict[str, float] = {}
        self._events_per_s = 5e6
        self._last_flags = 0.0
        self._select(self.network_name)

    # ----------------------------------------------------------------- settings
    @property
    def network(self):
        return get_network(self.network_name)

    def select_network(self, name: Any) -> bool:
        """Switch network (its default rates, size and species); False with a message for an unknown name."""
        try:
            network = get_network(name)
        except ValueError as error:
            self.message = str(error)
            return False
        self.message = ""
        self._select(network.name)
        return True

    def _select(self, name: str) -> None:
        network = get_network(name)
        self.params = {p.name: p.default for p in network.parameters}
        self.param.species.objects = list(network.species)
        self.param.update(network_name=name, species=network.species[0], omega=network.omega.default)
        self.restart()

    def set_omega(self, value: Any) -> bool:
        """New system size (a number or its text, within the network's bounds); restarts the run."""
        return self._checked(lambda: self.network.check_omega(value), lambda omega: setattr(self, "omega", omega))

    def set_paths(self, value: Any) -> bool:
        """New number of paths; restarts the run."""
        return self._checked(lambda: check_integer(value, "paths", self.param.paths.bounds), lambda n: setattr(self, "paths", n))

    def set_rate(self, name: str, value: Any) -> bool:
        """New rate constant ``name``; restarts the run."""
        return self._checked(
            lambda: dict(zip((p.name for p in self.network.parameters), self.network.parameter_array({**self.params, name: value}))),
            lambda params: setattr(self, "params", params),
        )

    def set_species(self, name: Any) -> bool:
        """Show species ``name`` (the run goes on)."""
        if name not in self.network.species:
            self.message = f"{self.network.name} has no species {name!r}; its species are {', '.join(self.network.species)}"
            return False
        self.message = ""
        self.species = name
        return True

    def _checked(self, check, apply) -> bool:
        try:
            value = check()
        except ValueError as error:
            self.message = str(error)
            return False
        self.message = ""
        apply(value)
        self.restart()
        return True

    def apply_query(self, query: dict[str, str]) -> None:
        """Settings from URL query arguments (``network``, ``omega``, ``paths``, ``species``), each checked."""
        if "network" in query:
            self.select_network(query["network"])
        messages = []
        for key, setter in (("omega", self.set_omega), ("paths", self.set_paths), ("species", self.set_species)):
            if key in query and not setter(query[key]):
                messages.append(self.message)
        self.message = "; ".join(messages)

    # ----------------------------------------------------------------- the run
    def restart(self) -> None:
        """Start the paths, the rate equations and the closure afresh from the network's initial state."""
        network = self.network
        self.ensemble = Ensemble(network, self.paths, params=self.params, omega=self.omega)
        start = self.ensemble.counts[0] / self.omega
        d = len(network.species)
        self.ode = Simulation(network.ode, self.params, start, capacity=2)
        self.closure = Simulation(
            network.moments, {**self.params, network.omega.name: self.omega}, (*start, *([0.0] * (d * (d + 1) // 2))), capacity=2
        )
        self.steps_per_frame = max(1, math.ceil(network.t_end / network.dt / FRAMES_PER_RUN))
        self.window = round(network.t_end / network.dt) + 1
        self._history: list[KineticsFrame] = []
        self._counted = 0
        self.flags = []
        self.closure_status = ""
        self._unphysical = ""  # the first negative variance or mean, kept for the rest of the run
        self.generation += 1

    def tick(self, budget_s: float = 0.012) -> KineticsFrame | None:
        """Advance by up to :attr:`steps_per_frame` grid steps within ``budget_s`` seconds of reactions."""
        max_events = max(1000, int(self._events_per_s * budget_s))
        began = time.perf_counter()
        times, counts = self.ensemble.advance(self.steps_per_frame, max_events)
        spent = time.perf_counter() - began
        events = self.ensemble.events - self._counted
        self._counted = self.ensemble.events
        if spent > 1e-4 and events > 1000:
            self._events_per_s = 0.7 * self._events_per_s + 0.3 * events / spent
        k = times.size
        if k == 0:
            return None
        d = len(self.network.species)
        _, ode = self.ode.advance(k) if self.ode.running else (None, np.empty((1, 0, d)))
        _, moments = self.closure.advance(k) if self.closure.running else (None, np.empty((1, 0, d + d * (d + 1) // 2)))
        if not self.closure.running and not self.closure_status:
            self.closure_status = f"moment closure {self.closure.status}"
        x = counts / self.omega
        frame = KineticsFrame(
            times,
            x,
            _pad(ode[0], k, d),
            *unpack_moments(_pad(moments[0], k, d + d * (d + 1) // 2), d),
            x.mean(axis=0),
            x.var(axis=0),
        )
        self._remember(frame)
        return frame

    def _remember(self, frame: KineticsFrame) -> None:
        self._history.append(frame._replace(paths=np.empty((0, frame.times.size, 0))))
        kept = 0
        for i in range(len(self._history) - 1, -1, -1):
            kept += self._history[i].times.size
            if kept >= self.window:
                del self._history[:i]
                break
        now = time.monotonic()
        if now - self._last_flags >= FLAG_PERIOD_S:
            self._last_flags = now
            self.flags = self.check_closure()

    def check_closure(self) -> list[str]:
        """Closure failures over the latest half window (see :func:`engine.kinetics.moments.closure_flags`):
        negative moments at once (and for the rest of the run), oscillations once a whole window has run."""
        frames = self._history
        if not frames:
            return []
        times = np.concatenate([f.times for f in frames])
        late = times >= times[-1] - 0.5 * (self.window - 1) * self.network.dt
        pick = lambda field: np.concatenate([getattr(f, field) for f in frames])[late]
        mean, cov = pick("closure_mean"), pick("closure_cov")
        finite = np.isfinite(mean).all(axis=1)
        if not self._unphysical:
            self._unphysical = unphysical_moments(times[late], mean, cov, self.network.species) or ""
        flags = [text for text in (self.closure_status, self._unphysical) if text]
        if times.size >= self.window and finite.sum() > 2:  # oscillations are judged over a whole window
            sem = np.sqrt(pick("ssa_var")[finite] / self.paths)
            flags += oscillation_flags(self.network.species, mean[finite], pick("ssa_mean")[finite], sem)
        return flags


def _pad(points: np.ndarray, k: int, width: int) -> np.ndarray:
    """``points`` (rows from a Simulation that may have stopped early) padded with NaN to ``k`` rows."""
    padded = np.full((k, width), np.nan)
    padded[: points.shape[0]] = points
    return padded
