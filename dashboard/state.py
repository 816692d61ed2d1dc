"""Per-session state of the explorer: a param model around one live Simulation.

No Panel import: the model is driven headlessly in tests and by the views.
Every value a person gives (slider, typed text, click, URL query) enters
through a method here that validates it; a bad value leaves everything as it
was and sets :attr:`ExplorerState.message`.
"""
from __future__ import annotations

import time
from typing import Any, Mapping, NamedTuple

import numpy as np
import param

import engine
from engine.stream import Simulation
from engine.system import System, check_integer, check_number

__all__ = ["Frame", "ExplorerState", "TIME_AXIS"]

TIME_AXIS = "t"
NEXT_SUFFIX = "'"  # "x'" is the next iterate of x, for return maps
HISTORY = 200_000
"""Samples kept per session, shared among its trajectories."""
MAX_FRAME_POINTS = 600
_QUERY_COUNTS = {"speed": "steps_per_frame", "trajectories": "members"}
"""URL arguments that set whole-number settings, by the name a person uses."""


class Frame(NamedTuple):
    """New points of one frame, ready for the plots."""

    times: np.ndarray
    """Sample times, shape ``(k,)``."""
    points: np.ndarray
    """Samples, shape ``(members, k, dimension)``."""
    previous: np.ndarray
    """The sample before the first new one, shape ``(members, dimension)``."""


class ExplorerState(param.Parameterized):
    """What one person is looking at and how the simulation runs.

    The simulation advances ``steps_per_frame`` steps on each :meth:`tick`,
    fewer when a frame would take longer than its compute budget (the share
    the session's frame loop gives it, or :attr:`frame_budget` when ticked
    alone): the loop adapts so the page keeps moving, and never takes more
    steps than the person asked.
    """

    system_name = param.Selector(objects=[], doc="catalog name of the system shown")
    solver = param.Selector(objects=["rk4"], doc="integration method")
    playing = param.Boolean(default=True, doc="advance on every tick")
    steps_per_frame = param.Integer(default=10, bounds=(1, 20_000), doc="integration steps per frame (speed)")
    members = param.Integer(default=1, bounds=(1, 16), doc="trajectories from nearby initial conditions")
    x_axis = param.Selector(objects=[], doc="variable on the horizontal axis of the portrait")
    y_axis = param.Selector(objects=[], doc="variable on the vertical axis of the portrait")
    message = param.String(default="", doc="last validation message for the person, plain text")
    status = param.String(default="", doc="why the run stopped (divergence), plain text; cleared by a restart")
    frame_budget = param.Number(default=0.012, bounds=(0.001, 1.0), doc="seconds of compute per frame when no budget is given")
    generation = param.Integer(default=0, doc="bumped whenever the run restarts, so views clear their traces")

    def __init__(self, system: str = "Lorenz", **params: Any) -> None:
        super().__init__(**params)
        self.param.system_name.objects = [s.name for s in engine.catalog()]
        self.simulation: Simulation | None = None
        self._effective_steps = self.steps_per_frame
        self._load(engine.get_system(system))

    # ------------------------------------------------------------------ system
    @property
    def system(self) -> System:
        return self.simulation.system

    def axis_options(self, system: System | None = None) -> list[str]:
        """Names a portrait axis can show: the variables, time, and next iterates for maps."""
        system = system or self.system
        names = list(system.variables) + [TIME_AXIS]
        if system.family == "map":
            names += [v + NEXT_SUFFIX for v in system.variables]
        return names

    def _default_axes(self, system: System) -> tuple[str, str]:
        if system.dimension > 1:
            return system.plot
        only = system.variables[0]
        return (only, only + NEXT_SUFFIX) if system.family == "map" else (TIME_AXIS, only)

    def _load(self, system: System, params: Mapping[str, Any] | None = None) -> None:
        simulation = Simulation(system, params, members=self.members, capacity=self._capacity())
        self.simulation = simulation
        options = self.axis_options(system)
        x, y = self._default_axes(system)
        with param.parameterized.batch_call_watchers(self):
            self.param.solver.objects = list(system.solvers)
            self.param.x_axis.objects = options
            self.param.y_axis.objects = options
            self.param.update(
                system_name=system.name,
                solver=simulation.solver,
                x_axis=x,
                y_axis=y,
                steps_per_frame=self._default_speed(system),
                message="",
            )
            self._announce_restart()
        self._effective_steps = self.steps_per_frame

    def _capacity(self) -> int:
        return HISTORY // self.members

    @staticmethod
    def _default_speed(system: System) -> int:
        return 1 if system.family == "map" else max(1, int(round(0.1 / system.dt)))

    def select_system(self, name: str) -> bool:
        """Switch to the system called ``name``; an unknown name sets the message."""
        try:
            system = engine.get_system(name)
        except (KeyError, TypeError) as error:
            self.message = str(error)
            return False
        if self.simulation is None or system is not self.system:
            self._load(system)
        return True

    @param.depends("solver", watch=True)
    def _solver_changed(self) -> None:
        if self.simulation is not None and self.solver != self.simulation.solver:
            self._restart(solver=self.solver)

    @param.depends("members", watch=True)
    def _members_changed(self) -> None:
        if self.simulation is not None and self.members != self.simulation.members:
            self._restart()

    @param.depends("steps_per_frame", watch=True)
    def _speed_changed(self) -> None:
        self._effective_steps = self.steps_per_frame

    def _restart(self, state0: Any = None, **overrides: Any) -> None:
        old = self.simulation
        options = dict(
            solver=old.solver, dt=old.dt, members=self.members, capacity=self._capacity(), seed=old.seed
        ) | overrides
        self.simulation = Simulation(old.system, old.params, old.state0 if state0 is None else state0, **options)
        self._announce_restart()

    def _announce_restart(self) -> None:
        with param.parameterized.batch_call_watchers(self):
            # a run stopped by divergence plays again once restarted; a paused one stays paused
            self.param.update(status="", playing=self.playing or bool(self.status), generation=self.generation + 1)

    # ------------------------------------------------------------ person input
    def _fail(self, error: Exception) -> bool:
        self.message = str(error)
        return False

    def _ok(self, text: str = "") -> bool:
        self.message = text
        return True

    def set_param(self, name: str, value: Any) -> bool:
        """Set parameter ``name`` (a number or typed text) for the next chunk.

        Returns False and sets :attr:`message` when the value is rejected; the
        run goes on with the previous value.
        """
        try:
            self.system.parameter(name)
            self.simulation.set_params(**{name: value})
        except (KeyError, ValueError) as error:
            return self._fail(error)
        return self._ok()

    def set_dt(self, value: Any) -> bool:
        """Set the integration step (typed text or number)."""
        try:
            self.simulation.set_dt(value)
        except ValueError as error:
            return self._fail(error)
        return self._ok()

    def set_state_text(self, text: str) -> bool:
        """Restart from an initial state typed as comma- or space-separated numbers."""
        try:
            self._restart(self.system.check_state(str(text)))
        except ValueError as error:
            return self._fail(error)
        return self._ok()

    def set_initial_point(self, x: Any, y: Any) -> bool:
        """Restart from a point clicked on the portrait: the two plotted
        variables take the clicked values, the others keep their current ones."""
        if self.x_axis not in self.system.variables or self.y_axis not in self.system.variables:
            return self._fail(
                ValueError("clicking sets an initial condition only when both axes show state variables")
            )
        try:
            state = self.simulation.state[0].copy()
            state[self.system.variables.index(self.x_axis)] = check_number(x, self.x_axis)
            state[self.system.variables.index(self.y_axis)] = check_number(y, self.y_axis)
            self._restart(self.system.check_state(state))
        except ValueError as error:
            return self._fail(error)
        return self._ok()

    def apply_query(self, query: Mapping[str, Any]) -> bool:
        """Apply URL query arguments (``system``, parameter names, ``speed``,
        ``trajectories``); every value is validated, all messages are joined."""
        problems = []
        if "system" in query and not self.select_system(str(query["system"])):
            problems.append(self.message)
        for key, value in query.items():
            if key == "system":
                continue
            if key in _QUERY_COUNTS:
                ok = self._set_count(_QUERY_COUNTS[key], key, value)
            elif key in self.system.defaults:
                ok = self.set_param(key, value)
            else:
                ok = self._fail(ValueError(f"unknown URL parameter {key!r}"))
            if not ok:
                problems.append(self.message)
        self.message = "; ".join(problems)
        return not problems

    def _set_count(self, name: str, label: str, value: Any) -> bool:
        try:
            setattr(self, name, check_integer(value, label, self.param[name].bounds))
        except ValueError as error:
            return self._fail(error)
        return self._ok()

    # ---------------------------------------------------------------- playback
    def reset(self) -> None:
        """Restart from the current initial state."""
        self._restart()

    def step(self) -> Frame:
        """Advance one frame even when paused."""
        return self._advance(self.steps_per_frame)

    def tick(self, budget_s: float | None = None) -> Frame | None:
        """One frame of the frame loop: advance when playing, within ``budget_s``
        seconds of compute (default :attr:`frame_budget`, a session alone).

        The steps of the next frame shrink in proportion when this one took
        longer than the budget, and double back towards ``steps_per_frame``
        while frames fit."""
        if not self.playing or self.status:
            return None
        budget = self.frame_budget if budget_s is None else budget_s
        started = time.perf_counter()
        frame = self._advance(self._effective_steps)
        elapsed = time.perf_counter() - started
        if elapsed > budget:
            self._effective_steps = max(1, int(self._effective_steps * budget / elapsed))
        elif self._effective_steps < self.steps_per_frame:
            self._effective_steps = min(self.steps_per_frame, self._effective_steps * 2)
        return frame

    def _advance(self, n: int) -> Frame:
        simulation = self.simulation
        previous = simulation.state
        try:
            times, points = simulation.advance(n)
        except Exception as error:  # a kernel that fails must not take the session down
            self.playing = False
            self.status = f"{simulation.system.name} stopped at t = {simulation.t:.6g}: {error}"
            return Frame(times=np.empty(0), points=np.empty((simulation.members, 0, simulation.system.dimension)), previous=previous)
        if not simulation.running:
            self.playing = False
            self.status = f"{simulation.system.name} {simulation.status}"
        if times.size > MAX_FRAME_POINTS:
            if simulation.system.family == "map":
                # a return map needs consecutive pairs: keep the latest unbroken run
                previous = points[:, -MAX_FRAME_POINTS - 1]
                times, points = times[-MAX_FRAME_POINTS:], points[:, -MAX_FRAME_POINTS:]
            else:
                keep = np.unique(np.linspace(0, times.size - 1, MAX_FRAME_POINTS).round().astype(int))
                times, points = times[keep], points[:, keep]
        return Frame(times=times, points=points, previous=previous)

    @property
    def effective_steps(self) -> int:
        """Steps the next frame will take after time budgeting."""
        return self._effective_steps

    # -------------------------------------------------------------- geometry
    def axis_values(self, axis: str, times: np.ndarray, points: np.ndarray, previous: np.ndarray) -> np.ndarray:
        """Values of ``axis`` for samples ``points (members, k, d)``; ``previous`` is
        the sample before them (needed for the next-iterate axes of return maps)."""
        if axis == TIME_AXIS:
            return np.broadcast_to(times, points.shape[:2])
        variables = self.system.variables
        if axis.endswith(NEXT_SUFFIX):
            j = variables.index(axis[: -len(NEXT_SUFFIX)])
            return points[:, :, j]
        j = variables.index(axis)
        if self.x_axis.endswith(NEXT_SUFFIX) or self.y_axis.endswith(NEXT_SUFFIX):
            # pair x_n with x_{n+1}: the current variable lags by one sample
            return np.concatenate([previous[:, None, j], points[:, :-1, j]], axis=1)
        return points[:, :, j]

    def portrait_history(self) -> tuple[np.ndarray, np.ndarray]:
        """All kept samples projected on the portrait axes: ``x``, ``y`` of shape ``(members, k)``."""
        times, points = self.simulation.history()
        previous, times, points = points[:, 0], times[1:], points[:, 1:]
        return (
            self.axis_values(self.x_axis, times, points, previous),
            self.axis_values(self.y_axis, times, points, previous),
        )

    def status_text(self) -> str:
        """A one-line status: time, state of the first trajectory."""
        simulation = self.simulation
        state = ", ".join(f"{name} = {value:.5g}" for name, value in zip(simulation.system.variables, simulation.state[0]))
        label = "n" if simulation.system.family == "map" else "t"
        return f"{label} = {simulation.t:.6g}   {state}"

