"""The bifurcation page: an orbit diagram drawn progressively, a linked live portrait,
and the phase plane of two-dimensional flows."""
from __future__ import annotations

import html
import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import panel as pn
from bokeh.document import Document

import engine
from engine.system import System, check_integer, check_number

from ..background import Background, Job
from ..frame_loop import FrameLoop
from ..messages import MessageArea
from ..page_layout import page_layout
from ..session import session_document, session_query
from ..state import ExplorerState
from ..views.orbit_diagram import (
    COARSE_SHAPE,
    SHAPE,
    DiagramCounts,
    OrbitDiagramView,
    equilibrium_branches,
)
from ..views.phase_plane import PhasePlaneView, phase_plane_data, trajectory
from ..views.phase_portrait import PhasePortrait, import_shading
from ..widget_sync import WidgetSync

__all__ = ["BifurcationPage", "create"]

PATH = "/bifurcation"
CHUNKS = 20
"""Parts of the parameter range computed (and shown) one after the other."""
RESOLUTION_BOUNDS = (20, 4000)
SAMPLES_BOUNDS = (10, 2000)
DENSITY_PERIOD_S = 0.5
FAMILY_TITLES = {"flow": "Flows", "map": "Maps"}
FLOW_STEPS = (100_000, 200_000)
"""At most so many RK4 steps of transient and of search per parameter value of a flow: a stiff
system with a tiny step still draws in seconds (its diagram then shows a shorter run)."""
_QUERY = ("system", "parameter", "start", "stop", "variable", "resolution", "samples")


def _systems() -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for system in engine.catalog():
        if system.family in FAMILY_TITLES and system.parameters:
            groups.setdefault(FAMILY_TITLES[system.family], []).append(system.name)
    return groups


def _defaults(system: System) -> tuple[int, int]:
    """Parameter values and samples per value of a first diagram: cheap for flows."""
    return (800, 300) if system.family == "map" else (160, 40)


def _has_plane(system: System) -> bool:
    """Whether the page shows a phase plane: two-dimensional autonomous flows."""
    return system.family == "flow" and system.dimension == 2 and not system.nonautonomous


def _padded(low: float, high: float) -> tuple[float, float]:
    if not (math.isfinite(low) and math.isfinite(high)):
        return 0.0, 1.0
    pad = 0.04 * (high - low) if high > low else 0.05 * max(1.0, abs(low))
    return low - pad, high + pad


class LinkedPortrait:
    """The live portrait beside the diagram: the explorer's state and portrait for one system,
    whose parameter the diagram sets."""

    def __init__(self, system: System, schedule: Callable | None) -> None:
        self.state = ExplorerState(system.name)
        self.portrait = PhasePortrait(self.state, self.state.set_initial_point, schedule)
        self.state.param.watch(lambda *events: self.portrait.restart(), ["generation", "x_axis", "y_axis"])
        self._last_density = time.monotonic()

    def show(self, system: System, params: dict[str, float]) -> bool:
        """Run ``system`` with ``params`` from its initial state; False (and the state's message) when refused."""
        state = self.state
        if not state.select_system(system.name):
            return False
        for name, value in params.items():
            if not state.set_param(name, value):
                return False
        state.reset()
        return True

    def tick(self, budget_s: float | None = None) -> None:
        frame = self.state.tick(budget_s)
        if frame is not None:
            self.portrait.push(frame)
        now = time.monotonic()
        if now - self._last_density >= DENSITY_PERIOD_S:
            self._last_density = now
            self.portrait.refresh_density()


class BifurcationPage:
    """One session's bifurcation page.

    Every value a person gives enters through a ``set_*`` method or
    :meth:`apply_query`, which validates it: a bad value leaves the page as
    it was and shows a message. Long work (the diagram, the phase plane,
    trajectories) runs on :class:`~dashboard.background.Background` pools and
    arrives on the event loop; :meth:`tick` is the frame of the linked portrait.
    """

    def __init__(self, document: Document | None = None, query: dict[str, Any] | None = None) -> None:
        schedule = document.add_next_tick_callback if document is not None else None
        self.diagram_work = Background(document)
        self.plane_work = Background(document)
        self.branch_work = Background(document)
        self.system = engine.get_system("Logistic")
        self.parameter = "r"
        self.variable = "x"
        self.kind = "iterates"
        self.start, self.stop = 2.5, 4.0
        self.resolution, self.samples = _defaults(self.system)
        self.y_range: tuple[float, float] | None = None
        self.selected: float | None = None
        self._home = True
        self.diagram = OrbitDiagramView(self.select_value, self.zoomed)
        self.plane = PhasePlaneView(self.start_trajectory)
        self.linked = LinkedPortrait(self.system, schedule)
        self.loop = FrameLoop(self.tick, document, on_destroyed=self._free) if document is not None else None
        self._widget_sync = WidgetSync()
        self._batching = True
        self._build_widgets()
        self._build_layout()
        self._system_changed()
        if query:
            self.apply_query(query)
        self._batching = False
        self.redraw()
        self._show_plane()

    # ----------------------------------------------------------------- widgets
    def _build_widgets(self) -> None:
        self.picker = pn.widgets.Select(label="System", groups=_systems(), value=self.system.name, css_classes=["ps-picker"])
        self.parameter_select = pn.widgets.Select(label="Parameter", css_classes=["ps-parameter"])
        self.variable_select = pn.widgets.Select(label="Variable", css_classes=["ps-variable"])
        self.kind_select = pn.widgets.Select(label="Samples", css_classes=["ps-kind"])
        self.start_input = pn.widgets.TextInput(label="From", width=120, css_classes=["ps-from"])
        self.stop_input = pn.widgets.TextInput(label="To", width=120, css_classes=["ps-to"])
        self.resolution_slider = pn.widgets.IntSlider(label="Parameter values", start=RESOLUTION_BOUNDS[0], end=RESOLUTION_BOUNDS[1], step=10)
        self.samples_slider = pn.widgets.IntSlider(label="Samples per value", start=SAMPLES_BOUNDS[0], end=SAMPLES_BOUNDS[1], step=10)
        self.progress = pn.indicators.Progress(value=0, max=100, sizing_mode="stretch_width", css_classes=["ps-progress"])
        self.progress_text = pn.pane.Str("", css_classes=["ps-progress-text"])
        self.messages = MessageArea()
        self.alert = self.messages.alert
        self.status = pn.pane.Markdown("", css_classes=["ps-linked-status"])
        self.branch_text = pn.pane.Str("", styles={"font-size": "12px", "color": "#666"})
        self.title = pn.pane.Markdown("")
        on = self._widget_sync.on_change
        on(self.picker, self.set_system)
        on(self.parameter_select, self.set_parameter)
        on(self.variable_select, self.set_variable)
        on(self.kind_select, self.set_kind)
        on(self.start_input, lambda text: self.set_range(text, self.stop))
        on(self.stop_input, lambda text: self.set_range(self.start, text))
        on(self.resolution_slider, self.set_resolution)
        on(self.samples_slider, self.set_samples)

    def _build_layout(self) -> None:
        sidebar = pn.Column(
            self.picker, self.parameter_select, self.variable_select, self.kind_select,
            pn.Row(self.start_input, self.stop_input), self.resolution_slider, self.samples_slider,
            pn.pane.Markdown("Drag or wheel to zoom: the diagram is computed again there. "
                             "Click a parameter value to run it in the portrait below."),
            width=330, css_classes=["ps-sidebar"],
        )
        self.portrait_pane = pn.pane.Bokeh(self.linked.portrait.figure, sizing_mode="stretch_width")
        self.plane_pane = pn.pane.Bokeh(self.plane.figure, sizing_mode="stretch_width")
        self.views = pn.Row(self.portrait_pane, sizing_mode="stretch_width")
        main = pn.Column(
            self.title, self.alert, pn.Row(self.progress, self.progress_text, sizing_mode="stretch_width"),
            pn.pane.Bokeh(self.diagram.figure, sizing_mode="stretch_width"), self.branch_text, self.status,
            self.views,
            sizing_mode="stretch_width",
        )
        self.layout = page_layout(PATH, sidebar, main)

    def _sync(self) -> None:
        """Show the page's settings in its widgets without acting on them."""
        system = self.system
        with self._widget_sync.showing():
            self.picker.value = system.name
            self.parameter_select.param.update(options=[p.name for p in system.parameters], value=self.parameter)
            self.variable_select.param.update(options=list(system.variables), value=self.variable)
            kinds = ["iterates"] if system.family == "map" else ["maxima", "section"]
            self.kind_select.param.update(options=kinds, value=self.kind, disabled=len(kinds) == 1)
            self.start_input.value, self.stop_input.value = f"{self.start:g}", f"{self.stop:g}"
            self.resolution_slider.value, self.samples_slider.value = self.resolution, self.samples

    # ------------------------------------------------------------ person input
    def _fail(self, error: Exception) -> bool:
        self.messages.show(str(error))
        return False

    def set_system(self, name: str) -> bool:
        """Show the catalog system called ``name`` (a map or a flow with parameters)."""
        try:
            system = engine.get_system(name)
        except (KeyError, TypeError) as error:
            return self._fail(error)
        if system.family not in FAMILY_TITLES or not system.parameters:
            return self._fail(ValueError(f"{system.name} has no orbit diagram: pick a map or a flow with parameters"))
        self.system = system
        self.parameter = system.parameters[0].name
        self.start, self.stop = system.parameters[0].bounds
        self._system_changed()
        return True

    def _system_changed(self) -> None:
        system = self.system
        self.variable = system.plot[1] if system.family == "flow" and system.dimension > 1 else system.variables[0]
        self.kind = "iterates" if system.family == "map" else "maxima"
        self.resolution, self.samples = _defaults(system)
        self.selected = None
        self.linked.show(system, {})
        self.views[:] = [self.portrait_pane, self.plane_pane] if _has_plane(system) else [self.portrait_pane]
        self.title.object = f"### {html.escape(system.name)}\n{html.escape(system.title)}"
        self._sync()
        self.messages.show("")
        self._refresh(plane=True)

    def set_parameter(self, name: str) -> bool:
        """Sweep parameter ``name`` over its whole range."""
        try:
            declared = self.system.parameter(name)
        except KeyError as error:
            return self._fail(error)
        self.parameter = name
        self.start, self.stop = declared.bounds
        return self._changed()

    def set_variable(self, name: str) -> bool:
        if name not in self.system.variables:
            return self._fail(ValueError(f"{self.system.name} has no variable {name!r}"))
        self.variable = name
        return self._changed()

    def set_kind(self, kind: str) -> bool:
        usable = ("iterates",) if self.system.family == "map" else ("maxima", "section")
        if kind not in usable:
            return self._fail(ValueError(f"samples of {self.system.name} are one of {', '.join(usable)}"))
        self.kind = kind
        return self._changed()

    def set_range(self, start: Any, stop: Any) -> bool:
        """Sweep from ``start`` to ``stop`` (numbers or typed text inside the parameter's bounds)."""
        declared = self.system.parameter(self.parameter)
        try:
            low = check_number(start, f"start of {self.parameter}", declared.bounds)
            high = check_number(stop, f"end of {self.parameter}", declared.bounds)
        except ValueError as error:
            return self._fail(error)
        if not low < high:
            return self._fail(ValueError(f"the range of {self.parameter} must increase, got {low:g} to {high:g}"))
        self.start, self.stop = low, high
        return self._changed()

    def set_resolution(self, value: Any) -> bool:
        try:
            self.resolution = check_integer(value, "parameter values", RESOLUTION_BOUNDS)
        except ValueError as error:
            return self._fail(error)
        return self._changed()

    def set_samples(self, value: Any) -> bool:
        try:
            self.samples = check_integer(value, "samples per value", SAMPLES_BOUNDS)
        except ValueError as error:
            return self._fail(error)
        return self._changed()

    def _changed(self) -> bool:
        self.y_range = None
        self._sync()
        self.messages.show("")
        self._refresh()
        return True

    def _refresh(self, plane: bool = False) -> None:
        """Draw the diagram (and the phase plane) again, once a batch of settings is complete."""
        if self._batching:
            return
        self.redraw()
        if plane:
            self._show_plane()

    def apply_query(self, query: dict[str, Any]) -> bool:
        """Apply URL arguments (``system``, ``parameter``, ``start``, ``stop``,
        ``variable``, ``resolution``, ``samples``); all messages are joined."""
        problems = []
        batching, self._batching = self._batching, True

        def run(ok: bool) -> None:
            if not ok:
                problems.append(self.messages.text)

        unknown = sorted(set(query) - set(_QUERY))
        if unknown:
            problems.append(f"unknown URL parameter {unknown[0]!r}")
        if "system" in query:
            run(self.set_system(str(query["system"])))
        if "parameter" in query:
            run(self.set_parameter(str(query["parameter"])))
        if "start" in query or "stop" in query:
            run(self.set_range(query.get("start", self.start), query.get("stop", self.stop)))
        if "variable" in query:
            run(self.set_variable(str(query["variable"])))
        if "resolution" in query:
            run(self.set_resolution(query["resolution"]))
        if "samples" in query:
            run(self.set_samples(query["samples"]))
        self.messages.show("; ".join(problems))
        self._batching = batching
        self._refresh(plane=True)
        return not problems

    # ----------------------------------------------------------------- diagram
    def redraw(self, *, home: bool = True) -> Job:
        """Compute the orbit diagram of the current settings in chunks, off the event loop;
        ``home`` makes its ranges those the reset tool returns to."""
        system, parameter, variable, kind = self.system, self.parameter, self.variable, self.kind
        values = np.linspace(self.start, self.stop, self.resolution)
        samples, y_range = self.samples, self.y_range
        x_range = (self.start, self.stop)
        self.diagram.reset(f"{system.name}: {variable} against {parameter}", parameter, variable, x_range, home=home)
        self._home = home
        self.progress.value = 0
        self.progress_text.object = "starting"
        settings = {"variable": variable, "kind": kind, "keep": samples}
        if system.family == "flow":
            settings.update(transient=min(FLOW_STEPS[0], round(200 / system.dt)), max_steps=min(FLOW_STEPS[1], 50 * samples * max(1, round(1 / system.dt))))

        def work(job: Job) -> int:
            limits = y_range
            if limits is None:  # a coarse first look fixes the picture's value range
                coarse = engine.orbit_diagram(system, parameter, values[:: max(1, values.size // 48)], **settings)[variable].values
                limits = _padded(float(np.nanmin(coarse)), float(np.nanmax(coarse))) if np.isfinite(coarse).any() else (0.0, 1.0)
            counts = DiagramCounts(x_range, limits, SHAPE if system.family == "map" else COARSE_SHAPE)
            for k, chunk in enumerate(np.array_split(values, min(CHUNKS, values.size))):
                counts.add(chunk, engine.orbit_diagram(system, parameter, chunk, **settings)[variable].values)
                job.progress((k + 1) / min(CHUNKS, values.size), (counts.image(), limits, counts.points))
            return counts.points

        if home:
            self._show_branches(system, parameter, variable, x_range)
        return self.diagram_work.run(work, on_progress=self._chunk_arrived, on_done=self._diagram_done, on_error=self._failed)

    def _show_branches(self, system: System, parameter: str, variable: str, x_range: tuple[float, float]) -> None:
        """Continue the equilibria over the range in the background and draw them on the diagram."""
        self.diagram.show_branches(None)
        self.branch_text.object = ""
        if system.nonautonomous:
            return

        def failed(error: Exception) -> None:
            self.branch_text.object = f"equilibria not continued: {error}"

        def done(branches: dict) -> None:
            self.diagram.show_branches(branches)
            if not (branches["stable"]["xs"] or branches["unstable"]["xs"]):
                self.branch_text.object = f"no isolated equilibria at {parameter} = {x_range[0]:g} to continue"

        self.branch_work.run(
            lambda job: equilibrium_branches(system, parameter, variable, *x_range, {}), on_done=done, on_error=failed
        )

    def _chunk_arrived(self, fraction: float, payload) -> None:
        image, limits, points = payload
        self.progress.value = round(100 * fraction)
        self.progress_text.object = f"{points:,} points"
        if self.y_range is None or self.y_range != limits:
            self.y_range = limits
            self.diagram.show_values(limits, home=self._home)
        if image is not None:
            self.diagram.show(image, (self.start, self.stop), limits)

    def _diagram_done(self, points: int) -> None:
        self.progress.value = 100
        self.progress_text.object = f"{points:,} points" if points else "no finite samples: every run diverged"

    def _failed(self, error: Exception) -> None:
        self.progress_text.object = "stopped"
        self.messages.show(f"{type(error).__name__}: {error}")

    def zoomed(self, x_range: tuple[float, float], y_range: tuple[float, float]) -> None:
        """A zoom or pan: compute the diagram again over the visible parameter range."""
        try:
            low, high = self.system.parameter(self.parameter).bounds
            start, stop = max(low, check_number(x_range[0], "x")), min(high, check_number(x_range[1], "x"))
            bottom, top = check_number(y_range[0], "y"), check_number(y_range[1], "y")
        except ValueError:
            return  # a range not yet known to the browser
        current = (self.start, self.stop, *(self.y_range or (math.nan, math.nan)))
        if not (start < stop and bottom < top) or np.allclose((start, stop, bottom, top), current, rtol=1e-9, atol=1e-12):
            return
        self.start, self.stop, self.y_range = start, stop, (bottom, top)
        self._sync()
        self.redraw(home=False)

    # ------------------------------------------------------- linked portrait
    def select_value(self, value: Any) -> bool:
        """Run the linked portrait (and phase plane) at ``parameter = value``, a clicked point."""
        declared = self.system.parameter(self.parameter)
        try:
            value = check_number(value, self.parameter, declared.bounds)
        except ValueError as error:
            return self._fail(error)
        if not self.linked.show(self.system, {self.parameter: value}):
            return self._fail(ValueError(self.linked.state.message))
        self.selected = value
        self.diagram.mark(value)
        self.status.object = f"Portrait at **{html.escape(self.parameter)} = {value:.6g}**"
        self._show_plane()
        return True

    def _params(self) -> dict[str, float]:
        return {} if self.selected is None else {self.parameter: self.selected}

    def _show_plane(self) -> None:
        system = self.system
        if not _has_plane(system):
            return
        params = self._params()
        title = f"{system.name} phase plane" + (f" at {self.parameter} = {self.selected:.6g}" if params else "")
        self.plane_work.run(
            lambda job: phase_plane_data(system, params),
            on_done=lambda data: self.plane.show(system, title, data),
            on_error=self._failed,
        )

    def start_trajectory(self, x: Any, y: Any) -> bool:
        """Draw a trajectory of the phase plane from a clicked point."""
        system = self.system
        try:
            start = system.check_state((check_number(x, system.variables[0]), check_number(y, system.variables[1])))
        except ValueError as error:
            return self._fail(error)
        params = self._params()
        self.plane_work.run(lambda job: trajectory(system, params, *start), on_done=self.plane.add_trajectory, on_error=self._failed)
        return True

    # ----------------------------------------------------------------- frames
    def tick(self, budget_s: float | None = None) -> None:
        """One frame of the linked portrait."""
        self.linked.tick(budget_s)

    def _free(self) -> None:
        self.linked.state.simulation = None

    def __panel__(self):
        return self.layout


def create(query: dict | None = None) -> pn.viewable.Viewable:
    """Build the bifurcation page for the current session, applying URL query arguments."""
    query = session_query(query)
    import_shading()  # on the event loop, before any background thread shades
    page = BifurcationPage(session_document(), query)
    page.tick()
    if page.loop is not None:
        pn.state.onload(page.loop.start)
    return page.layout
