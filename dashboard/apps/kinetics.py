"""The kinetics page: stochastic paths of a reaction network against its rate equations and
its moment closure, with the system size as a slider, so one sees where the closure holds."""
from __future__ import annotations

import html

import numpy as np
import panel as pn
from bokeh.document import Document

from engine.kinetics import networks

from ..frame_loop import FrameLoop
from ..messages import MessageArea
from ..page_layout import page_layout
from ..session import session_document, session_query
from ..style import html_pane
from ..views.kinetics_plots import KineticsMonitors, PathsPlot
from ..views.kinetics_state import KineticsFrame, KineticsState
from ..widget_sync import WidgetSync

__all__ = ["KineticsPage", "create"]

SIZES = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0, 10000.0, 20000.0, 50000.0, 100000.0]
"""System sizes on the slider (a 1-2-5 series); any size within the network's bounds can be typed."""
PUSH_EVERY = 3
"""Frames per push to the browser: the paths are computed at the frame rate and drawn at a third
of it, so a browser drawing dozens of long lines keeps up and stays responsive."""


def _reactions_html(state: KineticsState) -> str:
    network = state.network
    rows = "".join(
        f"<tr><td>{html.escape(str(r))}</td><td>{html.escape(r.rate)} = {state.params[r.rate]:g}</td></tr>" for r in network.reactions
    )
    return f"<p><b>{html.escape(network.name)}</b>: {html.escape(network.title)}</p><table class='ps-table'>{rows}</table>"


class KineticsPage:
    """One session's kinetics page: the state, its widgets and live plots.

    :meth:`tick` is the frame of the session's :class:`~dashboard.frame_loop.FrameLoop`
    (:attr:`loop`, None without a server session); tests call it directly.
    """

    def __init__(self, state: KineticsState | None = None, document: Document | None = None) -> None:
        self.state = state or KineticsState()
        self.plot = PathsPlot(self.state)
        self.monitors = KineticsMonitors(self.state)
        self.loop = FrameLoop(self.tick, document, on_destroyed=self._free) if document is not None else None
        self._widget_sync = WidgetSync()
        self._pending: list[KineticsFrame] = []
        self._frames = 0
        self._build()
        self.state.param.watch(self._restarted, ["generation"])
        self.state.param.watch(self._species_changed, ["species"])
        self.state.param.watch(lambda event: self.messages.show(event.new), ["message"])
        self.state.param.watch(lambda event: self.flag_notes.show(" · ".join(event.new)), ["flags"])

    def _build(self) -> None:
        state = self.state
        self.picker = pn.widgets.Select(label="Network", options=[n.name for n in networks()], value=state.network_name, css_classes=["ps-network"])
        self.species = pn.widgets.Select(label="Species shown", options=list(state.network.species), value=state.species)
        self.size = pn.widgets.DiscreteSlider(label="System size omega", options=SIZES, value=_nearest(state.omega), css_classes=["ps-omega"])
        self.size_typed = pn.widgets.TextInput(label="omega (typed)", value=f"{state.omega:g}", width=110, css_classes=["ps-omega-typed"])
        low, high = state.param.paths.bounds
        self.paths = pn.widgets.IntSlider(label="Paths", start=low, end=high, step=10, value=state.paths)
        self.restart_button = pn.widgets.Button(label="Restart", width=90)
        self.rates = pn.Column(sizing_mode="stretch_width")
        self.reactions = html_pane("", sizing_mode="stretch_width")
        self.messages = MessageArea()
        self.flag_notes = MessageArea("warning", "ps-flags")
        self.alert, self.flags = self.messages.alert, self.flag_notes.alert
        self.messages.show(state.message)
        self.readout = pn.pane.Str("", styles={"font-family": "monospace", "font-size": "12px"}, css_classes=["ps-readout"])
        on = self._widget_sync.on_change
        on(self.picker, state.select_network)
        on(self.species, state.set_species)
        on(self.size, state.set_omega)
        on(self.size_typed, state.set_omega)
        on(self.paths, state.set_paths)
        self.restart_button.on_click(lambda event: state.restart())
        self._build_rates()
        sidebar = pn.Column(
            self.picker,
            self.species,
            pn.Row(self.size, self.size_typed),
            self.paths,
            self.restart_button,
            pn.pane.Markdown("**Rate constants**", margin=(10, 5, 0, 5)),
            self.rates,
            self.reactions,
            width=370,
            css_classes=["ps-sidebar"],
        )
        main = pn.Column(
            self.alert,
            self.flags,
            pn.pane.Bokeh(self.plot.figure, sizing_mode="stretch_width"),
            self.readout,
            pn.pane.Bokeh(self.monitors.layout, sizing_mode="stretch_width"),
            sizing_mode="stretch_width",
        )
        self.layout = page_layout("/kinetics", sidebar, main)

    def _build_rates(self) -> None:
        rows = []
        self._built_for = self.state.network
        for p in self.state.network.parameters:
            slider = pn.widgets.FloatSlider(
                label=f"{p.name}: {p.doc}", start=p.bounds[0], end=p.bounds[1], step=p.step, value=self.state.params[p.name],
                sizing_mode="stretch_width", format="0[.]000",
            )
            self._widget_sync.on_change(slider, lambda value, name=p.name: self.state.set_rate(name, value))
            rows.append(slider)
        self.rates[:] = rows
        self.reactions.object = _reactions_html(self.state)

    # --------------------------------------------------------------- reactions
    def _restarted(self, *events) -> None:
        state, show = self.state, self._widget_sync.show
        show(self.picker, value=state.network_name)
        show(self.species, options=list(state.network.species), value=state.species)
        show(self.size, value=_nearest(state.omega))
        show(self.size_typed, value=f"{state.omega:g}")
        show(self.paths, value=state.paths)
        if self._built_for is not state.network:
            self._build_rates()
        self.reactions.object = _reactions_html(state)
        self._pending = []
        self.plot.restart()
        self.monitors.restart()

    def _species_changed(self, *events) -> None:
        self._widget_sync.show(self.species, value=self.state.species)
        self._pending = []
        self.plot.restart()
        self.monitors.restart()

    # ----------------------------------------------------------------- frames
    def tick(self, budget_s: float = 0.012) -> None:
        """One frame: advance the run within ``budget_s`` seconds; every :data:`PUSH_EVERY`-th
        frame, stream what the frames since the last push added."""
        frame = self.state.tick(budget_s)
        if frame is not None:
            self._pending.append(frame)
        self._frames += 1
        if (self._frames - 1) % PUSH_EVERY == 0:  # the first frame at once: the page's first paint
            self.flush()

    def flush(self) -> None:
        """Stream the frames not yet sent to the pictures and monitors."""
        if not self._pending:
            return
        frame = KineticsFrame(
            *(np.concatenate([getattr(f, field) for f in self._pending], axis=1 if field == "paths" else 0) for field in KineticsFrame._fields)
        )
        self._pending = []
        self.plot.push(frame)
        self.monitors.push(frame)
        self.readout.object = self.monitors.summary()

    def _free(self) -> None:
        """The session ended: drop the run."""
        self.state.ensemble = self.state.ode = self.state.closure = None


def _nearest(omega: float) -> float:
    return min(SIZES, key=lambda size: abs(size - omega))


def create(query: dict | None = None) -> pn.viewable.Viewable:
    """Build the kinetics page for the current session, applying URL query arguments
    (``network``, ``omega``, ``paths``, ``species``)."""
    state = KineticsState()
    query = session_query(query)
    if query:
        state.apply_query(query)
    page = KineticsPage(state, session_document())
    page.tick()  # the first paint already shows the start of the paths
    if page.loop is not None:
        pn.state.onload(page.loop.start)
    return page.layout
