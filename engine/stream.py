"""A live simulation: advanced in chunks, bounded history, parameter changes between chunks."""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Mapping, NamedTuple, Sequence

import numpy as np

from .solvers import STEP_UNDERFLOW, advance
from .system import System, check_integer, check_number
from .systems import get_system

if TYPE_CHECKING:  # xarray is imported where it is used: it costs start-up time
    import xarray as xr

__all__ = ["MAX_MEMBERS", "MAX_STEPS", "Change", "Simulation", "resolve_dt", "resolve_solver"]

MAX_MEMBERS = 64
"""Most trajectories one :class:`Simulation` advances together."""

MAX_STEPS = 5_000_000
"""Most steps one call to :meth:`Simulation.advance` (or :func:`engine.simulate`) takes;
the history keeps at most this many samples plus the initial one."""


class Change(NamedTuple):
    """A parameter or the step changed during a run: from time ``t`` on, ``name`` is ``new`` instead of ``old``."""

    t: float
    name: str
    old: float
    new: float

    def __str__(self) -> str:
        return f"t={self.t:.10g} {self.name} {self.old!r} -> {self.new!r}"


def resolve_solver(system: System, solver: str) -> str:
    """The solver name to use: ``"auto"`` picks the system's default; others must apply to it."""
    if solver == "auto":
        return system.solver
    if solver not in system.solvers:
        raise ValueError(f"solver {solver!r} does not apply to {system.name}; choose from {', '.join(system.solvers)}")
    return solver


def resolve_dt(system: System, dt: float | None) -> float:
    """The step to use: ``None`` picks the system's; a map always steps by 1.

    Raises
    ------
    ValueError
        When ``dt`` is not a finite number in [1e-9, 10].
    """
    if system.family == "map":
        return 1.0
    if dt is None:
        return system.dt
    return check_number(dt, "dt", (1e-9, 10.0))


class Simulation:
    """Advance a system (an ensemble of ``members`` trajectories) in chunks.

    The simulation keeps the last ``capacity`` samples in a ring buffer, takes
    parameter and state changes between chunks, and stops at the first state
    that is not finite or exceeds the system's bound, keeping the last finite
    sample (so :attr:`state`, :attr:`t` and the end of the history agree) and
    a message (:attr:`status`) naming its time and the variable.

    Parameters
    ----------
    system : System or str
        A declaration or a catalog name.
    params : mapping, optional
        Parameter values by name; missing ones take their defaults.
    state0 : sequence of float, optional
        Initial state of the first member (default: the system's).
    solver : str
        ``"auto"`` or one of the system's :attr:`~engine.system.System.solvers`.
    dt : float, optional
        Step (output interval for ``dopri5``; ignored for maps).
    members : int
        Number of trajectories started at ``state0`` plus small offsets.
    spread : float
        Size of those offsets, relative to ``max(1, |state0|)``.
    capacity : int
        Samples kept in the history.
    seed : int, optional
        Seed for the member offsets and for the noise of stochastic systems.
    """

    def __init__(
        self,
        system: System | str,
        params: Mapping[str, Any] | None = None,
        state0: Sequence[float] | None = None,
        *,
        solver: str = "auto",
        dt: float | None = None,
        members: int = 1,
        spread: float = 1e-3,
        capacity: int = 100_000,
        seed: int | None = None,
    ) -> None:
        self.system = get_system(system)
        self.solver = resolve_solver(self.system, solver)
        self._p = self.system.parameter_array(params)
        self.dt = resolve_dt(self.system, dt)
        self.members = check_integer(members, "members", (1, MAX_MEMBERS))
        self.spread = check_number(spread, "spread", (0.0, 1.0))
        self.capacity = check_integer(capacity, "capacity", (2, MAX_STEPS + 1))
        self.seed = None if seed is None else check_integer(seed, "seed", (0, 2**63 - 1))
        self._lock = threading.RLock()  # reentrant: to_dataset holds it across history()
        self.reset(state0)

    @property
    def params(self) -> dict[str, float]:
        """Current parameter values by name."""
        return {p.name: float(v) for p, v in zip(self.system.parameters, self._p)}

    @property
    def state0(self) -> tuple[float, ...]:
        """Initial state of the first member of the current run."""
        return tuple(float(v) for v in self._initial[0])

    @property
    def state(self) -> np.ndarray:
        """Current states, shape ``(members, dimension)``."""
        return np.array(self._states)

    @property
    def running(self) -> bool:
        """False once the run has diverged."""
        return self.status is None

    @property
    def changes(self) -> tuple[Change, ...]:
        """Parameter and step changes since the run started (:meth:`reset` clears them), in time order."""
        return tuple(self._changes)

    def set_params(self, **values: Any) -> None:
        """Change parameters; takes effect at the next chunk. Invalid values raise ``ValueError`` and change nothing.

        Each changed value is logged in :attr:`changes` at the current time.
        """
        with self._lock:
            new = self.system.parameter_array({**self.params, **values})
            for p, before, after in zip(self.system.parameters, self._p, new):
                self._log(p.name, float(before), float(after))
            self._p = new

    def set_dt(self, dt: float) -> None:
        """Change the step, logged in :attr:`changes`; fixed-step solvers restart cleanly from the current state."""
        dt = resolve_dt(self.system, dt)
        with self._lock:
            self._log("dt", self.dt, dt)
            self.dt = dt
            self._h = [0.0] * self.members

    def _log(self, name: str, old: float, new: float) -> None:
        """Record ``name`` going from ``old`` to ``new`` at :attr:`t`. Moves at one time (a slider
        dragged while paused) merge into one change, dropped when it comes back to where it was.
        Before the first step nothing has run with the old value: the new one is the start."""
        if self._count <= 1:
            return
        for i in range(len(self._changes) - 1, -1, -1):
            change = self._changes[i]
            if change.t != self.t:
                break
            if change.name == name:
                old = change.old
                del self._changes[i]
                break
        if old != new:
            self._changes.append(Change(self.t, name, old, new))

    def _at_start(self, name: str, current: float) -> float:
        """The value ``name`` had when the run started, ``current`` if it never changed."""
        return next((change.old for change in self._changes if change.name == name), current)

    def reset(self, state0: Sequence[float] | None = None) -> None:
        """Restart from ``state0`` (default: the system's) at time zero, clearing the history
        and :attr:`changes`; the current parameters and step are the new run's."""
        first = np.array(self.system.check_state(self.system.state0 if state0 is None else state0))
        self._rng = np.random.default_rng(self.seed)
        scale = self.spread * np.maximum(1.0, np.abs(first))
        offsets = self._rng.uniform(-1.0, 1.0, size=(self.members, first.size)) * scale
        offsets[0] = 0.0
        initial = first + offsets
        with self._lock:
            self._initial = initial
            self._states = [tuple(float(v) for v in row) for row in initial]
            self._h = [0.0] * self.members
            self.t = 0.0
            self.status: str | None = None
            self._changes: list[Change] = []
            self._times = np.empty(self.capacity)
            self._buffer = np.empty((self.members, self.capacity, self.system.dimension))
            self._count = 0
            self._scratch = np.empty((self.members, 0, self.system.dimension))
            self._record(np.array([0.0]), initial[:, None, :])

    def _record(self, times: np.ndarray, points: np.ndarray) -> None:
        k = times.size
        if k >= self.capacity:
            times, points, k = times[-self.capacity :], points[:, -self.capacity :], self.capacity
        start = self._count % self.capacity
        first = min(k, self.capacity - start)
        self._times[start : start + first] = times[:first]
        self._buffer[:, start : start + first] = points[:, :first]
        self._times[: k - first] = times[first:]
        self._buffer[:, : k - first] = points[:, first:]
        self._count += k

    def advance(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Advance every member by ``n`` steps.

        Returns
        -------
        times : ndarray, shape (k,)
        points : ndarray, shape (members, k, dimension)
            The new samples; ``k < n`` when the run diverged (see :attr:`status`).
        """
        n = check_integer(n, "steps", (0, MAX_STEPS))
        if n == 0 or not self.running:
            return np.empty(0), np.empty((self.members, 0, self.system.dimension))
        with self._lock:
            if self._scratch.shape[1] < n:
                self._scratch = np.empty((self.members, n, self.system.dimension))
            p = self._p
            results = [
                advance(self.system, self.solver, self._states[m], self.t, self.dt, n, p, self._scratch[m], h=self._h[m], rng=self._rng)
                for m in range(self.members)
            ]
            done = min(r.done for r in results)
            times = self.t + self.dt * np.arange(1, done + 1)
            if done:
                self.t = float(times[-1])
                # every member stays on the last common sample, so state, t and the history agree
                # (a diverged dopri5 member returns a state between samples; others ran ahead)
                self._states = [tuple(float(v) for v in self._scratch[m, done - 1]) for m in range(self.members)]
            self._h = [r.h for r in results]
            if done < n:
                self.status = self._divergence_message(results, done)
            points = self._scratch[:, :done].copy()
            self._record(times, points)
        return times, points

    def _divergence_message(self, results: list, done: int) -> str:
        """Why the run stopped, named by the time of the last sample kept (:attr:`t`)."""
        member = next(m for m, r in enumerate(results) if r.done == done and r.bad != -1)
        r = results[member]
        who = f" (trajectory {member + 1} of {self.members})" if self.members > 1 else ""
        if r.bad == STEP_UNDERFLOW:
            return (
                f"stopped after t = {self.t:.6g}{who}: the adaptive step size collapsed at t = {r.t:.6g} "
                "(stiff or singular); try rk4 or a smaller dt; the last finite sample is kept"
            )
        name = self.system.variables[r.bad]
        return (
            f"diverged after t = {self.t:.6g}{who}: {name} left the range |{name}| <= {self.system.bound:g} "
            "or stopped being finite; the last finite sample is kept"
        )

    def history(self) -> tuple[np.ndarray, np.ndarray]:
        """The kept samples in time order: ``times (k,)`` and ``points (members, k, dimension)``."""
        with self._lock:
            k = min(self._count, self.capacity)
            start = self._count % self.capacity if self._count > self.capacity else 0
            order = (np.arange(k) + start) % self.capacity
            return self._times[order].copy(), self._buffer[:, order].copy()

    def to_dataset(self) -> xr.Dataset:
        """The kept history as an ``xarray.Dataset`` with provenance in its attributes.

        One data variable per state variable over ``time`` (and ``member`` for
        an ensemble). The attributes, all NetCDF-safe:

        ``system``, ``family``, ``solver``, ``variables``, ``parameters``
            What ran (names joined by ``", "``).
        ``dt``, ``param_<name>``
            Step and parameter values at the start of the run (t = 0).
        ``final_dt``, ``final_param_<name>``
            The same at export; equal to the start values when nothing changed.
        ``changes``
            Every change during the run, one per line, ``"t=12.3 rho 28.0 -> 24.5"``
            (from time 12.3 on, rho is 24.5); empty when nothing changed.
        ``state0``, ``seed``, ``status``, ``phasescope_version``
            Initial state of the first member, seed (-1 for none), ``"ok"`` or
            why the run stopped, and the package version.

        The start values and the change log describe the whole run since the
        last :meth:`reset`, also when the history kept only its latest samples.
        """
        with self._lock:  # data and attributes from one moment
            times, points = self.history()
            attrs = self._provenance()
        single = self.members == 1
        dims = ("time",) if single else ("member", "time")
        data = {
            name: (dims, points[0, :, j] if single else points[:, :, j], {"long_name": name})
            for j, name in enumerate(self.system.variables)
        }
        coords = {"time": ("time", times, {"units": "iterations" if self.system.family == "map" else "time units"})}
        if not single:
            coords["member"] = ("member", np.arange(self.members))
        import xarray as xr

        return xr.Dataset(data, coords=coords, attrs=attrs)

    def _provenance(self) -> dict:
        """The dataset attributes described in :meth:`to_dataset` (call with the lock held)."""
        from ._version import __version__

        params = self.params
        return {
            "system": self.system.name,
            "family": self.system.family,
            "solver": self.solver,
            "dt": self._at_start("dt", self.dt),
            "parameters": ", ".join(params),
            **{f"param_{name}": self._at_start(name, value) for name, value in params.items()},
            "final_dt": self.dt,
            **{f"final_param_{name}": value for name, value in params.items()},
            "changes": "\n".join(str(change) for change in self._changes),
            "state0": np.array(self.state0),
            "variables": ", ".join(self.system.variables),
            "seed": -1 if self.seed is None else self.seed,
            "status": self.status or "ok",
            "phasescope_version": __version__,
        }
