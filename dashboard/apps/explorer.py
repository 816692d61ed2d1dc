"""The explorer page: pick a system, watch it move, drag its parameters."""
from __future__ import annotations

import html
import io
import time

import panel as pn
import param
from bokeh.document import Document

import engine
from engine.system import System
from engine.systems.gallery import GALLERY_TAG

from ..downloads import netcdf_bytes
from ..frame_loop import FrameLoop, load_scale
from ..messages import MessageArea
from ..page_layout import page_layout
from ..session import session_document, session_query
from ..state import ExplorerState, Frame
from ..views.equations import equations_latex
from ..views.monitors import Monitors
from ..views.phase_portrait import PhasePortrait
from ..views.time_series import TimeSeries
from ..widget_sync import WidgetSync

__all__ = ["Explorer", "create"]

DENSITY_PERIOD_S = 0.5
STATUS_PERIOD_S = 0.25
FAMILY_TITLES = {"flow": "Flows", "map": "Maps", "sde": "Stochastic"}
GALLERY_TITLE = "Chaos gallery (dysts)"


def _grouped_names(systems: list[System]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for s in systems:
        groups.setdefault(GALLERY_TITLE if GALLERY_TAG in s.tags else FAMILY_TITLES[s.family], []).append(s.name)
    return groups


class Explorer:
    """One session's explorer: the state model, its widgets and live plots.

    :meth:`tick` is the frame of the session's :class:`~dashboard.frame_loop.FrameLoop`
    (:attr:`loop`, None without a server session); it can also be called
    directly (tests tick the page headlessly).
    """

    def __init__(self, state: ExplorerState | None = None, document: Document | None = None) -> None:
        self.state = state or ExplorerState()
        self._document = document
        schedule = document.add_next_tick_callback if document is not None else None
        self.portrait = PhasePortrait(self.state, self.state.set_initial_point, schedule)
        self.series = TimeSeries(self.state)
        self.monitors = Monitors(self.state, background=document is not None)
        self._last_density = time.monotonic()  # the first picture waits for some history
        self._last_status = 0.0
        self.loop = FrameLoop(self.tick, document, on_destroyed=self._free) if document is not None else None
        self._widget_sync = WidgetSync()
        self._build_widgets()
        self._build_layout()
        self.state.param.watch(self._restarted, ["generation", "x_axis", "y_axis"])
        self.state.param.watch(self._show_message, "message")
        self.state.param.watch(self._show_status, "status")
        self.state.param.watch(self._playing_changed, "playing")

    # ----------------------------------------------------------------- widgets
    def _build_widgets(self) -> None:
        state = self.state
        self.search = pn.widgets.TextInput(label="Search the catalog", placeholder="name, family or tag (e.g. chaotic)")
        self.picker = pn.widgets.Select(
            label="System", groups=_grouped_names(engine.catalog()), value=state.system_name, size=1,
            css_classes=["ps-picker"],
        )
        self.play = pn.widgets.Toggle(label="Pause", value=state.playing, color="primary", width=90)
        self.step_button = pn.widgets.Button(label="Step", width=70)
        self.reset_button = pn.widgets.Button(label="Reset", width=70)
        speed_bounds, member_bounds = state.param.steps_per_frame.bounds, state.param.members.bounds
        self.speed = pn.widgets.IntSlider(
            label="Steps per frame", start=speed_bounds[0], end=speed_bounds[1], value=state.steps_per_frame
        )
        self.members = pn.widgets.IntSlider(
            label="Trajectories", start=member_bounds[0], end=member_bounds[1], value=state.members
        )
        self.solver = pn.widgets.Select(label="Solver", options=list(state.param.solver.objects), value=state.solver)
        self.dt = pn.widgets.TextInput(
            label="Step dt", value=f"{state.simulation.dt:g}", disabled=state.system.family == "map"
        )
        self.initial = pn.widgets.TextInput(
            label="Initial state", value=_state_text(state.simulation.state0), css_classes=["ps-initial"]
        )
        self.x_axis = pn.widgets.Select(label="Horizontal axis", options=state.param.x_axis.objects, value=state.x_axis, width=165,
            css_classes=["ps-x-axis"],)
        self.y_axis = pn.widgets.Select(label="Vertical axis", options=state.param.y_axis.objects, value=state.y_axis, width=165,
            css_classes=["ps-y-axis"],)
        self.messages = MessageArea()
        self.stop_notice = MessageArea("warning", "ps-status")
        self.alert, self.stopped = self.messages.alert, self.stop_notice.alert
        self.messages.show(state.message)
        self.stop_notice.show(state.status)
        self.status = pn.pane.Str("", styles={"font-family": "monospace", "font-size": "12px"})
        self.equations = pn.pane.LaTeX(equations_latex(state.system), renderer="katex", styles={"font-size": "15px"})
        self.title = pn.pane.Markdown("")
        self.parameters = pn.Column(sizing_mode="stretch_width")
        self.save_run = pn.widgets.FileDownload(
            callback=self._netcdf, filename="run.nc", label="Save run (NetCDF)", color="success", width=170
        )
        self.save_picture = pn.widgets.FileDownload(
            callback=self._png, filename="portrait.png", label="Save picture (PNG)", width=170, disabled=True
        )
        on = self._widget_sync.on_change
        on(self.search, self._searched)
        on(self.picker, self.state.select_system)
        on(self.play, lambda playing: setattr(self.state, "playing", playing))
        on(self.speed, lambda speed: setattr(self.state, "steps_per_frame", speed))
        on(self.members, lambda members: setattr(self.state, "members", members))
        on(self.solver, self._solver_chosen)
        on(self.dt, self.state.set_dt)
        on(self.initial, self.state.set_state_text)
        on(self.x_axis, lambda axis: setattr(self.state, "x_axis", axis))
        on(self.y_axis, lambda axis: setattr(self.state, "y_axis", axis))
        self.step_button.on_click(lambda event: self._push(self.state.step()))
        self.reset_button.on_click(lambda event: self.state.reset())
        self._build_parameter_widgets()

    def _build_parameter_widgets(self) -> None:
        rows = []
        self._built_for = self.state.system
        self._sliders = {}
        self._typed = {}
        values = self.state.simulation.params
        for p in self.state.system.parameters:
            label = f"{p.name} ({p.unit})" if p.unit else p.name
            slider = pn.widgets.FloatSlider(
                label=label,
                start=p.bounds[0],
                end=p.bounds[1],
                step=p.step,
                value=values[p.name],
                sizing_mode="stretch_width",
                format="0[.]000",
                css_classes=[f"ps-slider-{p.name}"],
            )
            typed = pn.widgets.TextInput(
                value=f"{values[p.name]:g}", width=90, margin=(22, 5, 5, 5), css_classes=[f"ps-typed-{p.name}"]
            )
            self._widget_sync.on_change(slider, lambda value, name=p.name: self._parameter_moved(name, value))
            self._widget_sync.on_change(typed, lambda text, name=p.name: self._parameter_typed(name, text))
            self._sliders[p.name] = slider
            self._typed[p.name] = typed
            rows.append(pn.Row(slider, typed, sizing_mode="stretch_width"))
        self.parameters[:] = rows or [pn.pane.Markdown("*no parameters*")]
        self.title.object = f"### {html.escape(self.state.system.name)}\n{html.escape(self.state.system.title)}"
        self.equations.object = equations_latex(self.state.system)

    def _build_layout(self) -> None:
        sidebar = pn.Column(
            self.search,
            self.picker,
            pn.Row(self.play, self.step_button, self.reset_button),
            self.speed,
            self.members,
            self.solver,
            self.dt,
            pn.pane.Markdown("**Parameters**", margin=(10, 5, 0, 5)),
            self.parameters,
            self.initial,
            pn.Row(self.x_axis, self.y_axis),
            pn.Row(self.save_run, self.save_picture),
            width=370,
            css_classes=["ps-sidebar"],
        )
        self.portrait_pane = pn.pane.Bokeh(self.portrait.figure, sizing_mode="stretch_width")
        self.series_pane = pn.pane.Bokeh(self.series.figure, sizing_mode="stretch_width")
        self.monitors_pane = pn.pane.Bokeh(self.monitors.layout, sizing_mode="stretch_width")
        main = pn.Column(
            pn.Row(self.title, self.equations, sizing_mode="stretch_width"),
            self.alert,
            self.stopped,
            self.status,
            self.portrait_pane,
            self.monitors_pane,
            self.series_pane,
            sizing_mode="stretch_width",
        )
        self.layout = page_layout("/", sidebar, main)

    # --------------------------------------------------------------- reactions
    def _searched(self, text: str) -> None:
        found = engine.search(text) if text.strip() else engine.catalog()
        if not found:
            self.state.message = f"no system matches {text!r}"
            return
        self.state.message = ""
        keep = self.state.system_name in [s.name for s in found]
        self._widget_sync.show(self.picker, groups=_grouped_names(found), value=self.state.system_name if keep else found[0].name)
        if not keep:
            self.state.select_system(found[0].name)

    def _solver_chosen(self, solver: str) -> None:
        if solver in self.state.param.solver.objects:
            self.state.solver = solver

    def _parameter_moved(self, name: str, value: float) -> None:
        if self.state.set_param(name, value):
            self._widget_sync.show(self._typed[name], value=f"{value:g}")

    def _parameter_typed(self, name: str, text: str) -> None:
        if self.state.set_param(name, text):
            self._widget_sync.show(self._sliders[name], value=self.state.simulation.params[name])

    def _restarted(self, *events: param.parameterized.Event) -> None:
        """The run restarted or the axes changed: bring widgets and plots in line with the state.

        Options and value change together: a browser given new options alone
        would pick their first entry and send it back as a person's choice."""
        state, show = self.state, self._widget_sync.show
        show(self.picker, value=state.system_name)
        show(self.solver, options=list(state.param.solver.objects), value=state.solver)
        show(self.speed, value=state.steps_per_frame)
        show(self.dt, value=f"{state.simulation.dt:g}", disabled=state.system.family == "map")
        show(self.x_axis, options=state.param.x_axis.objects, value=state.x_axis)
        show(self.y_axis, options=state.param.y_axis.objects, value=state.y_axis)
        if self._built_for is not state.system:
            self._build_parameter_widgets()
        show(self.initial, value=_state_text(state.simulation.state0))
        show(self.save_picture, disabled=True)
        self.portrait.restart()
        self.series.restart()
        self.monitors.restart()
        self._last_density = 0.0

    def _playing_changed(self, event: param.parameterized.Event) -> None:
        self._widget_sync.show(self.play, value=event.new, label="Pause" if event.new else "Play")

    def _show_message(self, event: param.parameterized.Event) -> None:
        self.messages.show(event.new)

    def _show_status(self, event: param.parameterized.Event) -> None:
        self.stop_notice.show(event.new)

    # ----------------------------------------------------------------- frames
    def _push(self, frame: Frame | None) -> None:
        if frame is None:
            return
        self.portrait.push(frame)
        self.series.push(frame)
        self.monitors.push(frame)

    def tick(self, budget_s: float | None = None) -> None:
        """One frame: advance within ``budget_s`` seconds of compute (default: the
        state's own budget), stream the new points, refresh the density and status now and then.
        The monitors are told what the frame took, to keep their share of it."""
        started = time.perf_counter()
        self._push(self.state.tick(budget_s))
        if self.state.playing:
            self.monitors.tick(self.state.frame_budget if budget_s is None else budget_s, time.perf_counter() - started)
        now = time.monotonic()
        slower = load_scale()  # many sessions: the picture and the status line refresh less often
        if now - self._last_density >= DENSITY_PERIOD_S * slower:
            self._last_density = now
            self.portrait.refresh_density()
        if now - self._last_status >= STATUS_PERIOD_S * slower:
            self._last_status = now
            self.status.object = self.state.status_text()
            if self.save_picture.disabled and self.state.simulation.t > 0:
                self.save_picture.disabled = False  # there is a history to draw

    def _free(self) -> None:
        """The session ended: drop the simulation and its history."""
        self.state.simulation = None

    # -------------------------------------------------------------- downloads
    def _netcdf(self) -> io.BytesIO:
        dataset = self.state.simulation.to_dataset()
        self.save_run.filename = f"{self.state.system.name.lower()}.nc"
        return io.BytesIO(netcdf_bytes(dataset))

    def _png(self) -> io.BytesIO:
        self.save_picture.filename = f"{self.state.system.name.lower()}.png"
        return self.portrait.png()

    def __panel__(self):
        return self.layout


def _state_text(values) -> str:
    return ", ".join(f"{v:g}" for v in values)


def create(query: dict | None = None) -> pn.viewable.Viewable:
    """Build the explorer for the current session, applying URL query arguments."""
    state = ExplorerState()
    query = session_query(query)
    if query:
        state.apply_query(query)
    explorer = Explorer(state, session_document())
    explorer.tick()  # the page's first paint already shows the start of the trajectory
    if explorer.loop is not None:
        pn.state.onload(explorer.loop.start)  # a browser loaded the page: run
    return explorer.layout
