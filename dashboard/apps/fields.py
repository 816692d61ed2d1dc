"""The fields page: a nonlinear Klein-Gordon field live, as a space-time image, a profile, a probe's phase plane and monitors."""
from __future__ import annotations

import io
import time

import panel as pn
from bokeh.document import Document

from engine.fields import (
    INITIAL_CONDITIONS,
    INITIAL_PARAMETERS,
    PARAMETERS,
    POTENTIALS,
    FieldSimulation,
)
from engine.system import check_number

from ..downloads import netcdf_bytes
from ..frame_loop import FrameLoop
from ..messages import MessageArea
from ..page_layout import page_layout
from ..session import session_document, session_query
from ..step_budget import StepBudget
from ..views.field_monitors import FieldMonitors
from ..views.field_profile import FieldProfile, ProbePhasePlane
from ..views.field_spacetime import IMAGE_PERIOD_S, SpaceTimeImage
from ..widget_sync import WidgetSync

__all__ = ["SNAPSHOT_INTERVAL", "FieldsPage", "create"]

DRAW_PERIOD_S = 0.1
"""The profile and the status are redrawn at most this often; the probe and the monitors stream every frame."""
SNAPSHOT_INTERVAL = 0.2
"""Time between two rows of the space-time image (rounded to whole steps)."""
GRIDS = [256, 512, 1024, 2048]
SLIDERS = {
    "mass": 0.05, "lam": 0.05, "v": 0.05, "amplitude": 0.1, "width": 0.1, "wavenumber": 0.1, "center": 1.0,
    "separation": 0.5, "speed": 0.01, "omega": 0.01,
}
"""Slider step of every potential and initial-condition parameter."""
SLIDER_RANGES = {"center": (-100.0, 100.0), "separation": (1.0, 100.0), "width": (0.1, 20.0), "wavenumber": (-10.0, 10.0)}
"""Slider ranges narrower than the engine's bounds (typed values through the URL may use the full bounds)."""


class FieldsPage:
    """One session's fields page. :meth:`tick` is its frame (also called directly by tests)."""

    def __init__(self, document: Document | None = None) -> None:
        self.simulation = FieldSimulation("phi4", "collision", 1024, -50.0, 50.0)
        self.image = SpaceTimeImage()
        self.profile = FieldProfile()
        self.phase_plane = ProbePhasePlane()
        self.monitors = FieldMonitors()
        self.messages = MessageArea()
        self._budget = StepBudget(most=1000)
        self._last_draw = 0.0
        self._last_image = 0.0
        self._widget_sync = WidgetSync()
        self.loop = FrameLoop(self.tick, document, on_destroyed=self._free) if document is not None else None
        self._build_widgets()
        self._build_layout()
        self._restarted()

    # ----------------------------------------------------------------- widgets
    def _build_widgets(self) -> None:
        sim = self.simulation
        self.potential = pn.widgets.Select(label="Potential", options=list(POTENTIALS), value=sim.potential, css_classes=["ps-field-potential"])
        self.initial = pn.widgets.Select(label="Initial condition", options=list(INITIAL_CONDITIONS), value=sim.initial,
                                         css_classes=["ps-field-initial"])
        self.points = pn.widgets.Select(label="Grid points", options=GRIDS, value=sim.grid.n)
        self.length = pn.widgets.FloatSlider(label="Domain length L", start=20.0, end=400.0, step=10.0, value=sim.grid.length)
        self.dt = pn.widgets.TextInput(label="Step dt", value=f"{sim.dt:.6g}", css_classes=["ps-field-dt"])
        self.probe = pn.widgets.FloatSlider(label="Probe x", start=sim.grid.x_min, end=sim.grid.x_max, step=0.1,
                                            value=float(sim.x[sim.probe]), css_classes=["ps-field-probe"])
        self.speed = pn.widgets.IntSlider(label="Image rows per frame", start=1, end=20, value=2)
        self.play = pn.widgets.Toggle(label="Pause", value=True, color="primary", width=90)
        self.restart = pn.widgets.Button(label="Restart", width=90)
        self.save_run = pn.widgets.FileDownload(callback=self._netcdf, filename="field.nc", label="Save run (NetCDF)",
                                                color="success", width=170)
        tables = {**{k: v for table in PARAMETERS.values() for k, v in table.items()},
                  **{k: v for table in INITIAL_PARAMETERS.values() for k, v in table.items()}}
        self.sliders = {}
        for name, (default, bounds) in tables.items():
            low, high = SLIDER_RANGES.get(name, bounds)
            slider = pn.widgets.FloatSlider(label=name, start=low, end=high, step=SLIDERS[name], value=default,
                                            css_classes=[f"ps-field-{name}"])
            self._widget_sync.on_change(slider, lambda value, name=name: self._slider_moved(name, value))
            self.sliders[name] = slider
        self.status = pn.pane.Str("", styles={"font-family": "monospace", "font-size": "12px"})
        for widget in (self.potential, self.points, self.length):
            widget.param.watch(lambda e: self._rebuild(), "value")
        self.initial.param.watch(lambda e: self._initial_chosen(e.new), "value")
        self._widget_sync.on_change(self.probe, self._probe_moved)
        self._widget_sync.on_change(self.dt, self._dt_typed)
        self.play.param.watch(lambda e: setattr(self.play, "label", "Pause" if e.new else "Play"), "value")
        self.restart.on_click(lambda e: self._rebuild())

    def _build_layout(self) -> None:
        self.parameter_column = pn.Column(sizing_mode="stretch_width")
        sidebar = pn.Column(
            self.potential, self.initial, self.points, self.length, self.dt, self.probe, self.speed,
            pn.Row(self.play, self.restart), pn.pane.Markdown("**Parameters**", margin=(10, 5, 0, 5)), self.parameter_column,
            self.save_run, width=330,
        )
        main = pn.Column(
            self.messages.alert, self.status,
            pn.pane.Bokeh(self.image.figure, sizing_mode="stretch_width"),
            pn.Row(pn.pane.Bokeh(self.profile.figure, sizing_mode="stretch_width"), pn.pane.Bokeh(self.phase_plane.figure),
                   sizing_mode="stretch_width"),
            *(pn.pane.Bokeh(fig, sizing_mode="stretch_width") for fig in self.monitors.figures),
            sizing_mode="stretch_width",
        )
        self.layout = page_layout("/fields", sidebar, main)

    # --------------------------------------------------------------- reactions
    def _current(self, names) -> dict[str, float]:
        return {name: self.sliders[name].value for name in names}

    def _rebuild(self) -> None:
        """A new simulation from the widgets; a refused combination keeps the running one and says why."""
        def build() -> None:
            half = 0.5 * check_number(self.length.value, "domain length", (1.0, 1e5))
            self.simulation = FieldSimulation(
                self.potential.value, self.initial.value, self.points.value, -half, half,
                params=self._current(PARAMETERS[self.potential.value]),
                initial_params=self._current(INITIAL_PARAMETERS[self.initial.value]),
            )

        if self.messages.act(build):
            self._budget.forget()
            self._restarted()

    def _restarted(self) -> None:
        sim = self.simulation
        self._widget_sync.show(self.dt, value=f"{sim.dt:.6g}")
        self._widget_sync.show(self.probe, start=sim.grid.x_min, end=sim.grid.x_max, value=float(sim.x[sim.probe]))
        shown = [*PARAMETERS[sim.potential], *INITIAL_PARAMETERS[sim.initial]]
        self.parameter_column[:] = [self.sliders[name] for name in shown]
        self.phase_plane.restart()
        self.monitors.restart()
        self._push_monitors()
        self._last_image = 0.0  # the new run's image at once
        self._draw()

    def _initial_chosen(self, initial: str) -> None:
        """Another initial condition: its parameters start from their defaults (``speed`` differs
        between a resting pair and a collision), then a new run."""
        for name, (default, _) in INITIAL_PARAMETERS.get(initial, {}).items():
            self._widget_sync.show(self.sliders[name], value=default)
        self._rebuild()

    def _slider_moved(self, name: str, value: float) -> None:
        if name in PARAMETERS[self.simulation.potential]:
            self.messages.act(lambda: self.simulation.set_params(**{name: value}))
        elif name in INITIAL_PARAMETERS[self.simulation.initial]:
            self._rebuild()  # a new initial condition starts a new run

    def _probe_moved(self, x: float) -> None:
        if self.messages.act(self.simulation.set_probe, x):
            self.phase_plane.restart()

    def _dt_typed(self, text: str) -> None:
        self.messages.act(self.simulation.set_dt, text)

    # ----------------------------------------------------------------- frames
    def _steps_per_row(self) -> int:
        return max(1, round(SNAPSHOT_INTERVAL / self.simulation.dt))

    def _advance_rows(self, rows: int) -> None:
        """``rows`` chunks of one image row each; the probe's states stream to the phase plane."""
        for _ in range(min(rows, self.speed.value)):
            _, phi, phi_t = self.simulation.advance(self._steps_per_row())
            self.phase_plane.push(phi, phi_t)

    def tick(self, budget_s: float = 0.012) -> None:
        """One frame: image rows within ``budget_s`` seconds, the monitors, the pictures now and then."""
        if not self.play.value:
            return
        self._budget.run(self._advance_rows, budget_s)
        self._push_monitors()
        if time.monotonic() - self._last_draw >= DRAW_PERIOD_S:
            self._draw()

    def _push_monitors(self) -> None:
        sim = self.simulation
        self.monitors.push(sim.t, sim.energy_error, sim.momentum(), sim.entropies())

    def _draw(self) -> None:
        """Profile and status; the space-time image every :data:`IMAGE_PERIOD_S` (it is the heavy message)."""
        now = self._last_draw = time.monotonic()
        sim = self.simulation
        density = sim.energy_density()
        if now - self._last_image >= IMAGE_PERIOD_S:
            self._last_image = now
            self.image.draw(sim)
        self.profile.draw(sim, density)
        self.status.object = (
            f"t = {sim.t:.2f}   E = {sim.energy():.8g}   energy error = {sim.energy_error:.2e}   "
            f"dt = {sim.dt:.4g} (CFL bound {sim.max_dt:.4g})   grid {sim.grid.n} points, dx = {sim.grid.dx:.4g}"
        )

    def _free(self) -> None:
        """The session ended: drop the simulation and its snapshots."""
        self.simulation = None

    def _netcdf(self) -> io.BytesIO:
        self.save_run.filename = f"klein_gordon_{self.simulation.potential}_{self.simulation.initial}.nc"
        return io.BytesIO(netcdf_bytes(self.simulation.to_dataset()))

    def __panel__(self):
        return self.layout


def create(query: dict | None = None) -> pn.viewable.Viewable:
    """Build the fields page for the current session (URL ``?potential=sine_gordon&initial=breather``)."""
    page = FieldsPage(session_document())
    query = session_query(query)
    refused = []
    for key, widget in (("potential", page.potential), ("initial", page.initial)):
        if key in query:
            if query[key] in widget.options:
                widget.value = query[key]
            else:
                refused.append(f"{key} must be one of {', '.join(widget.options)}, got {query[key]!r}")
    if refused:
        page.messages.show("; ".join(refused))
    page.tick()  # the first paint already shows the field moving
    if page.loop is not None:
        pn.state.onload(page.loop.start)
    return page.layout
