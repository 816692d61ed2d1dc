"""The fish-school page: a Couzin school live in three projections, its order and entropies, the hysteresis sweep."""
from __future__ import annotations

import io
import math
import time
from typing import Any

import numpy as np
import panel as pn
from bokeh.document import Document

from engine.diagnostics.schooling import (
    ENTROPY_NAMES,
    OSI_WEIGHTS,
    oceanic_schooling_index,
    order_parameters,
    schooling_entropies,
)
from engine.manybody.couzin import (
    BOUNDARIES,
    COUZIN_2002,
    DEWI_KADITA_CASES,
    RULES,
    CouzinParams,
    School,
    orientation_sweep,
)
from engine.system import check_integer, check_number

from ..background import Background
from ..downloads import netcdf_bytes
from ..frame_loop import FrameLoop
from ..messages import MessageArea
from ..page_layout import page_layout
from ..session import session_document, session_query
from ..step_budget import StepBudget
from ..views.school_monitors import SchoolMonitors
from ..views.school_projections import HEADING_LENGTH, SchoolProjections
from ..views.school_sweep import SchoolSweep
from ..widget_sync import WidgetSync

__all__ = ["PRESETS", "SchoolPage", "create"]

PRESETS: dict[str, tuple[CouzinParams, int]] = {
    "Couzin 2002, open space": (COUZIN_2002, 1),
    **{f"dewi-kadita {name}": (case["params"], case["seed"]) for name, case in DEWI_KADITA_CASES.items()},
}
"""Preset name -> (parameters, seed)."""
DEFAULT_PRESET = "Couzin 2002, open space"
DRAW_PERIOD_S = 0.05
ENTROPY_PERIOD_S = 0.5
ENTROPY_SHARE = 0.1
"""Largest share of the page's time the entropies may take (they cost O(N^2))."""
STATUS_PERIOD_S = 0.25
HISTORY_VALUES = 3_000_000
"""Floats a session keeps for the NetCDF export (snapshots of positions and velocities)."""
SWEEP_AGENTS = 100
SWEEP_TRANSIENT = 600
SWEEP_MEASURE = 300
MAX_AGENTS = 5000
DEFAULT_STEPS_PER_FRAME = 2
"""At most this many steps per frame (about 60 steps per second: twice Couzin's real time)."""
_SLIDERS = {  # parameter: (label, start, end, step, shown from value, value from shown)
    "repulsion": ("Repulsion radius r_r", 0.1, 5.0, 0.1, float, float),
    "orientation_width": ("Orientation width Δr_o", 0.0, 20.0, 0.25, float, float),
    "attraction_width": ("Attraction width Δr_a", 0.0, 30.0, 0.5, float, float),
    "speed": ("Speed", 0.1, 10.0, 0.1, float, float),
    "turning_rate": ("Turning rate (degrees per time unit)", 5.0, 400.0, 1.0, math.degrees, math.radians),
    "noise": ("Angular noise σ (rad)", 0.0, 1.0, 0.01, float, float),
    "blind_angle": ("Blind half-angle (degrees)", 0.0, 170.0, 5.0, float, float),
    "box_size": ("Box side L (start cube in open space)", 5.0, 100.0, 1.0, float, float),
}


class SchoolPage:
    """One session's fish-school page. :meth:`tick` is its frame (tests call it directly)."""

    def __init__(self, document: Document | None = None, preset: str = DEFAULT_PRESET) -> None:
        self.projections = SchoolProjections()
        self.monitors = SchoolMonitors()
        self.sweep_view = SchoolSweep()
        self.weights = dict(OSI_WEIGHTS)
        self.budget = StepBudget(most=DEFAULT_STEPS_PER_FRAME)
        self.playing = True
        self._widget_sync = WidgetSync()
        self._last_draw = self._next_entropy = self._last_status = -math.inf
        self.background = Background(document)
        self.loop = FrameLoop(self.tick, document, on_destroyed=self._free) if document is not None else None
        params, seed = PRESETS[preset]
        self.school = School(params, seed=seed, record_every=10, capacity=_capacity(params.n))
        self._build_widgets(preset)
        self._build_layout()
        self._restarted()

    # ----------------------------------------------------------------- widgets
    def _build_widgets(self, preset: str) -> None:
        p = self.school.params
        self.preset = pn.widgets.Select(label="Preset", options=list(PRESETS), value=preset, css_classes=["ps-school-preset"])
        self.agents = pn.widgets.IntSlider(label="Agents N", start=10, end=MAX_AGENTS, step=10, value=p.n,
                                           css_classes=["ps-school-n"])
        self.sliders = {}
        for name, (label, start, end, step, shown, _) in _SLIDERS.items():
            self.sliders[name] = pn.widgets.FloatSlider(label=label, start=start, end=end, step=step,
                                                        value=shown(getattr(p, name)), css_classes=[f"ps-school-{name}"])
        self.boundary = pn.widgets.RadioButtonGroup(options=list(BOUNDARIES), value=p.boundary)
        self.rule = pn.widgets.Select(label="Update rule", options=list(RULES), value=p.rule)
        self.play = pn.widgets.Toggle(label="Pause", value=True, color="primary", width=90)
        self.reset_button = pn.widgets.Button(label="Restart", width=90)
        self.steps = pn.widgets.IntSlider(label="Steps per frame (at most)", start=1, end=100, value=self.budget.most,
                                          css_classes=["ps-school-steps"])
        self.weight_sliders = {
            key: pn.widgets.FloatSlider(label=f"w {ENTROPY_NAMES[key]}", start=0.0, end=1.0, step=0.01, value=w,
                                        css_classes=[f"ps-school-w-{key}"])
            for key, w in OSI_WEIGHTS.items()
        }
        self.published = pn.widgets.Button(label="Published weights", width=150)
        self.sweep_range = pn.widgets.RangeSlider(label="Sweep Δr_o from, to", start=0.0, end=20.0, step=0.25, value=(0.0, 8.0))
        self.sweep_points = pn.widgets.IntSlider(label="Sweep points", start=3, end=30, value=9)
        self.sweep_button = pn.widgets.Button(label="Sweep up and down", color="primary", width=170,
                                              css_classes=["ps-school-sweep"])
        self.sweep_progress = pn.indicators.Progress(value=0, max=100, width=300, visible=False)
        self.sweep_status = pn.pane.Str("", styles={"font-size": "12px"})
        self.messages = MessageArea()
        self.alert = self.messages.alert
        self.status = pn.pane.Str("", styles={"font-family": "monospace", "font-size": "12px"}, css_classes=["ps-school-status"])
        self.save_run = pn.widgets.FileDownload(callback=self._netcdf, filename="school.nc", label="Save run (NetCDF)",
                                                color="success", width=170)

        on, act = self._widget_sync.on_change, self.messages.act
        on(self.preset, lambda name: act(self.load_preset, name))
        on(self.agents, lambda n: act(self._set, n=n), "value_throttled")
        for name, slider in self.sliders.items():
            on(slider, lambda value, name=name: act(self._set, **{name: _SLIDERS[name][5](value)}))
        on(self.boundary, lambda value: act(self._set, boundary=value))
        on(self.rule, lambda value: act(self._set, rule=value))
        on(self.play, self._play)
        on(self.steps, lambda value: act(self._set_steps, value))
        self.reset_button.on_click(lambda e: act(self._restart))
        for key, slider in self.weight_sliders.items():
            on(slider, lambda value, key=key: act(self.set_weight, key, value))
        self.published.on_click(lambda e: act(self._published_weights))
        self.sweep_button.on_click(lambda e: act(self.sweep))

    def _build_layout(self) -> None:
        sidebar = pn.Column(
            self.preset,
            pn.Row(self.play, self.reset_button),
            self.steps,
            self.agents,
            *self.sliders.values(),
            self.boundary,
            self.rule,
            pn.pane.Markdown("**Oceanic Schooling Index weights**", margin=(10, 5, 0, 5)),
            *self.weight_sliders.values(),
            self.published,
            self.save_run,
            width=340,
            css_classes=["ps-sidebar"],
        )
        main = pn.Column(
            self.alert,
            self.status,
            pn.Row(*(pn.pane.Bokeh(f) for f in self.projections.figures)),
            pn.Row(pn.pane.Bokeh(self.monitors.series, sizing_mode="stretch_width"),
                   pn.pane.Bokeh(self.monitors.bars, sizing_mode="stretch_width"), sizing_mode="stretch_width"),
            pn.Row(self.sweep_range, self.sweep_points, self.sweep_button),
            pn.Row(self.sweep_progress, self.sweep_status),
            pn.pane.Bokeh(self.sweep_view.figure, sizing_mode="stretch_width"),
            sizing_mode="stretch_width",
        )
        self.layout = page_layout("/school", sidebar, main)

    # --------------------------------------------------------------- reactions
    def message(self, text: str) -> None:
        """Show ``text`` (escaped) above the pictures; empty hides it."""
        self.messages.show(text)

    def _set(self, **values: Any) -> None:
        restart = any(k in values for k in ("n", "boundary", "rule"))
        if "n" in values:
            values["n"] = check_integer(values["n"], "n", (2, MAX_AGENTS))
        self.school.set_params(**values)
        if restart:
            self.school.capacity = _capacity(self.school.params.n)
            self._restarted()
        elif "box_size" in values and self.school.params.periodic:
            self.projections.restart(self.school.params.box_size)

    def apply(self, values: dict[str, Any]) -> None:
        """Set parameters by name (values as a person typed them), checked all together: all or nothing."""
        typed = {}
        for name, value in values.items():
            if name == "n":
                typed[name] = check_integer(value, "n", (2, MAX_AGENTS))
            elif name in ("boundary", "rule"):
                typed[name] = str(value)
            else:
                typed[name] = check_number(value, name)
        self.school.params.replace(**typed)  # raises before anything changes
        self._set(**typed)
        self._show_params()

    def load_preset(self, name: str) -> None:
        """Start a new run with a preset's parameters and seed."""
        if name not in PRESETS:
            raise ValueError(f"unknown preset {name!r}; choose from {', '.join(PRESETS)}")
        params, seed = PRESETS[name]
        self.school = School(params, seed=seed, record_every=10, capacity=_capacity(params.n))
        self._restarted()
        self._widget_sync.show(self.preset, value=name)
        self._show_params()

    def _restart(self) -> None:
        self.school.reset()
        self._restarted()

    def _restarted(self) -> None:
        p = self.school.params
        self.budget.forget()
        self.projections.restart(p.box_size if p.periodic else None)
        self.monitors.restart()
        self._last_draw = self._next_entropy = self._last_status = -math.inf

    def _show_params(self) -> None:
        p = self.school.params
        show = self._widget_sync.show
        show(self.agents, value=p.n)
        for name, slider in self.sliders.items():
            show(slider, value=_SLIDERS[name][4](getattr(p, name)))
        show(self.boundary, value=p.boundary)
        show(self.rule, value=p.rule)

    def _set_steps(self, value: Any) -> None:
        self.budget.most = check_integer(value, "steps per frame", (1, 100))

    def _play(self, playing: bool) -> None:
        self.playing = bool(playing)
        self._widget_sync.show(self.play, label="Pause" if self.playing else "Play")

    def set_weight(self, key: str, value: float) -> None:
        """Change one OSI weight; the weights may not all be zero."""
        weights = {**self.weights, key: check_number(value, f"weight of {key}", (0.0, 1.0))}
        oceanic_schooling_index(dict.fromkeys(weights, 0.0), weights)  # refuses all-zero weights
        self.weights = weights
        self._next_entropy = -math.inf

    def _published_weights(self) -> None:
        self.weights = dict(OSI_WEIGHTS)
        for key, slider in self.weight_sliders.items():
            self._widget_sync.show(slider, value=OSI_WEIGHTS[key])
        self._next_entropy = -math.inf

    def sweep(self) -> None:
        """Sweep the orientation width up, then down, on the shared background pool; points arrive as measured."""
        low, high = (check_number(v, "sweep width", (0.0, 50.0)) for v in self.sweep_range.value)
        count = check_integer(self.sweep_points.value, "sweep points", (3, 100))
        if high <= low:
            raise ValueError("the sweep needs a range of widths: 'to' must exceed 'from'")
        widths = np.linspace(low, high, count)
        params = self.school.params.replace(n=SWEEP_AGENTS)
        self.sweep_view.clear()
        self.sweep_progress.param.update(value=0, visible=True)
        self.sweep_status.object = f"sweeping {count} widths up, then down, with N = {SWEEP_AGENTS} ..."

        def work(job):
            return orientation_sweep(params, widths, transient=SWEEP_TRANSIENT, measure=SWEEP_MEASURE, seed=0,
                                     progress=job.progress)

        def arrived(fraction: float, point: tuple) -> None:
            self.sweep_view.add(*point)
            self.sweep_progress.value = round(100 * fraction)

        def done(result) -> None:
            self.sweep_progress.visible = False
            self.sweep_status.object = (f"{count} widths up and down, N = {SWEEP_AGENTS}, {SWEEP_TRANSIENT} steps to settle, "
                                        f"then averaged over {SWEEP_MEASURE}")

        self.background.run(work, on_progress=arrived, on_done=done,
                            on_error=lambda error: self.message(f"sweep failed: {error}"))

    # ----------------------------------------------------------------- frames
    def tick(self, budget_s: float = 0.012) -> None:
        """One frame: advance within ``budget_s`` seconds, draw, stream P and M, entropies now and then."""
        school = self.school
        if self.playing:
            self.budget.run(school.advance, budget_s)
        now = time.monotonic()
        if now - self._last_draw < DRAW_PERIOD_S:
            return
        self._last_draw = now
        p = school.params
        positions, headings = school.positions, school.headings
        velocities = headings * p.speed
        box = p.box_size if p.periodic else None
        self.projections.show(positions, headings, HEADING_LENGTH * max(p.repulsion, 0.5))
        polarization, milling = order_parameters(positions, velocities, box)
        self.monitors.push_order(school.t, polarization, milling)
        if now >= self._next_entropy:
            entropies = schooling_entropies(positions, velocities, p.box_size, periodic=p.periodic)
            self.monitors.show_entropies(school.t, entropies, self.weights, oceanic_schooling_index(entropies, self.weights))
            cost = time.monotonic() - now  # O(N^2) pairs: a large school refreshes them less often
            self._next_entropy = now + max(ENTROPY_PERIOD_S, cost / ENTROPY_SHARE)
        if now - self._last_status >= STATUS_PERIOD_S:
            self._last_status = now
            self.status.object = (f"t = {school.t:.1f}  steps = {school.steps:,}  N = {p.n:,}  P = {polarization:.3f}  "
                                  f"M = {milling:.3f}  r_o = {p.r_orientation:.2f}  r_a = {p.r_attraction:.2f}  "
                                  f"{p.rule}, {p.boundary}")

    def _free(self) -> None:
        """The session ended: stop the sweep, drop the school and its history."""
        self.background.cancel()
        self.school = None

    def _netcdf(self) -> io.BytesIO:
        return io.BytesIO(netcdf_bytes(self.school.to_dataset()))

    def __panel__(self):
        return self.layout


def _capacity(n: int) -> int:
    """Snapshots kept for the export: about :data:`HISTORY_VALUES` floats, between 20 and 1000."""
    return int(min(1000, max(20, HISTORY_VALUES // (6 * n))))


def create(query: dict | None = None) -> pn.viewable.Viewable:
    """Build the fish-school page for the current session.

    URL arguments: ``preset`` (a name of :data:`PRESETS`) and any school
    parameter by name (``?n=2000&orientation_width=5``); a refused value is
    shown in the page and the defaults stay.
    """
    document = session_document()
    query = dict(session_query(query))
    preset = query.pop("preset", DEFAULT_PRESET)
    refused = []
    if preset not in PRESETS:
        refused.append(f"unknown preset {preset!r}; choose from {', '.join(PRESETS)}")
        preset = DEFAULT_PRESET
    page = SchoolPage(document, preset)
    if query:
        try:
            page.apply(query)
        except ValueError as error:
            refused.append(str(error))
    page.message("; ".join(refused))
    page.tick()  # the first paint already shows the school
    if page.loop is not None:
        pn.state.onload(page.loop.start)
    return page.layout
