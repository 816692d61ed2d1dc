"""The synchronization page: all-to-all Kuramoto live, r against K, and a ring of oscillators as a growing interface."""
from __future__ import annotations

import time

import numpy as np
import panel as pn
from bokeh.document import Document

from engine.manybody import REGIMES, MeanFieldKuramoto, PhaseRing, order_parameter_sweep
from engine.manybody.kuramoto import DISTRIBUTIONS
from engine.manybody.phase_ring import DISORDERS
from engine.system import check_integer, check_number

from ..background import Background
from ..frame_loop import FrameLoop
from ..messages import MessageArea
from ..page_layout import page_layout
from ..session import session_document, session_query
from ..step_budget import StepBudget
from ..views.sync_kuramoto import KuramotoView
from ..views.sync_ring import RingView
from ..views.sync_sweep import SweepView

__all__ = ["DRAW_PERIOD_S", "SyncPage", "create"]

DRAW_PERIOD_S = 0.1
"""Pictures (circle, interface, W(t)) are redrawn at most this often; r(t) streams every frame."""
POPULATIONS = [1_000, 5_000, 20_000, 100_000]
RINGS = [256, 1024, 4096, 16384]
SWEEP_OSCILLATORS = 10_000
SWEEP_TRANSIENT = 30.0
SWEEP_AVERAGE = 10.0
SWEEP_DT = 0.1


class SyncPage:
    """One session's synchronization page. :meth:`tick` is its frame (also called directly by tests)."""

    def __init__(self, document: Document | None = None) -> None:
        self.population = MeanFieldKuramoto(20_000, 1.5, "lorentzian", 0.5, dt=0.1, seed=0)
        self.ring = PhaseRing(1024, 1.0, 0.0, "noise", 0.05, dt=0.05, seed=0)
        self.kuramoto_view = KuramotoView()
        self.sweep_view = SweepView()
        self.ring_view = RingView()
        self._kuramoto_budget = StepBudget()
        self._ring_budget = StepBudget()
        self._last_draw = 0.0
        self.background = Background(document)
        self.loop = FrameLoop(self.tick, document, on_destroyed=self._free) if document is not None else None
        self._build_widgets()
        self._build_layout()
        self.kuramoto_view.restart(self.population)
        self.ring_view.restart()
        self._show_theory()

    # ----------------------------------------------------------------- widgets
    def _build_widgets(self) -> None:
        p, ring = self.population, self.ring
        self.oscillators = pn.widgets.Select(label="Oscillators N", options=POPULATIONS, value=p.n, css_classes=["ps-sync-n"])
        self.coupling = pn.widgets.FloatSlider(label="Coupling K", start=0.0, end=5.0, step=0.05, value=p.coupling,
                                               css_classes=["ps-sync-k"])
        self.distribution = pn.widgets.Select(label="Frequencies", options=list(DISTRIBUTIONS), value=p.distribution)
        self.quantiles = pn.widgets.Checkbox(label="Quantile frequencies (deterministic)", value=p.quantiles)
        self.width = pn.widgets.FloatSlider(label="Width (gamma or sigma)", start=0.05, end=2.0, step=0.05, value=p.width)
        self.restart_kuramoto = pn.widgets.Button(label="Restart oscillators", width=160)
        self.sweep_max = pn.widgets.FloatSlider(label="Sweep K up to", start=0.5, end=10.0, step=0.5, value=3.0)
        self.sweep_points = pn.widgets.IntSlider(label="Sweep points", start=3, end=40, value=15)
        self.sweep_button = pn.widgets.Button(label="Sweep r against K", color="primary", width=160,
                                              css_classes=["ps-sync-sweep"])
        self.sweep_status = pn.pane.Str("", styles={"font-size": "12px"})
        self.regime = pn.widgets.Select(label="Ring preset", options={"custom (the sliders below)": "", **{name: name for name in REGIMES}},
                                        value="", css_classes=["ps-ring-preset"])
        self.ring_size = pn.widgets.Select(label="Ring size L", options=RINGS, value=ring.size)
        self.ring_coupling = pn.widgets.FloatSlider(label="Ring coupling K", start=0.0, end=5.0, step=0.05, value=ring.coupling)
        self.alpha = pn.widgets.FloatSlider(label="Non-oddity alpha (rad)", start=-1.5, end=1.5, step=0.05, value=ring.alpha,
                                            css_classes=["ps-ring-alpha"])
        self.disorder = pn.widgets.Select(label="Randomness", options=list(DISORDERS), value=ring.disorder)
        self.strength = pn.widgets.FloatSlider(label="Noise D or frequency spread sigma", start=0.0, end=1.0, step=0.005,
                                               value=ring.strength)
        self.restart_ring = pn.widgets.Button(label="Restart ring", width=160)
        self.messages = MessageArea()
        self.alert = self.messages.alert
        self.status = pn.pane.Str("", styles={"font-family": "monospace", "font-size": "12px"})
        self.fit_text = pn.pane.HTML("", css_classes=["ps-ring-fit"])
        act = self.messages.act
        self.coupling.param.watch(lambda e: act(self.population.set_coupling, e.new), "value")
        for widget in (self.oscillators, self.distribution, self.width, self.quantiles):
            widget.param.watch(lambda e: act(self._new_population), "value")
        self.restart_kuramoto.on_click(lambda e: act(self._restart_population))
        self.sweep_button.on_click(lambda e: act(self.sweep))
        for widget in (self.ring_coupling, self.alpha):
            widget.param.watch(lambda e: act(self.ring.set_coupling, self.ring_coupling.value, self.alpha.value), "value")
        for widget in (self.ring_size, self.disorder, self.strength):
            widget.param.watch(lambda e: act(self._new_ring), "value")
        self.restart_ring.on_click(lambda e: act(self._restart_ring))
        self.regime.param.watch(lambda e: act(self._preset, e.new), "value")

    def _build_layout(self) -> None:
        sidebar = pn.Column(
            pn.pane.Markdown("**All-to-all Kuramoto**"),
            self.oscillators, self.coupling, self.distribution, self.width, self.quantiles, self.restart_kuramoto,
            pn.pane.Markdown("**r against K**"),
            self.sweep_max, self.sweep_points, self.sweep_button, self.sweep_status,
            pn.pane.Markdown("**Ring of oscillators**"),
            self.regime, self.ring_size, self.ring_coupling, self.alpha, self.disorder, self.strength, self.restart_ring,
            width=330,
        )
        main = pn.Column(
            self.alert,
            self.status,
            pn.Row(pn.pane.Bokeh(self.kuramoto_view.circle), pn.pane.Bokeh(self.kuramoto_view.series, sizing_mode="stretch_width"),
                   sizing_mode="stretch_width"),
            pn.pane.Bokeh(self.sweep_view.figure, sizing_mode="stretch_width"),
            pn.pane.Bokeh(self.ring_view.interface, sizing_mode="stretch_width"),
            pn.pane.Bokeh(self.ring_view.width, sizing_mode="stretch_width"),
            self.fit_text,
            sizing_mode="stretch_width",
        )
        self.layout = page_layout("/sync", sidebar, main)

    # --------------------------------------------------------------- reactions
    def message(self, text: str) -> None:
        """Show ``text`` (escaped) above the plots; empty hides it."""
        self.messages.show(text)

    def _new_population(self) -> None:
        self.population = MeanFieldKuramoto(
            check_integer(self.oscillators.value, "oscillators", (1, max(POPULATIONS))), self.population.coupling,
            self.distribution.value, self.width.value, dt=self.population.dt, quantiles=self.quantiles.value, seed=0,
        )
        self._kuramoto_budget.forget()
        self._restart_population()
        self._show_theory()

    def _restart_population(self) -> None:
        self.population.reset()
        self.kuramoto_view.restart(self.population)

    def _show_theory(self) -> None:
        self.sweep_view.show_theory(self.population.distribution, self.population.width, self.sweep_max.value)

    def _new_ring(self) -> None:
        self.ring = PhaseRing(
            check_integer(self.ring_size.value, "ring size", (3, max(RINGS))), self.ring.coupling, self.ring.alpha,
            self.disorder.value, self.strength.value, dt=self.ring.dt, seed=0,
        )
        self._ring_budget.forget()
        self.ring_view.restart()

    def _preset(self, name: str) -> None:
        """Settings of a tested growth regime (:data:`engine.manybody.REGIMES`), then a fresh ring."""
        if not name:
            return
        values = REGIMES[name]
        self.ring_coupling.value = values["coupling"]
        self.alpha.value = values["alpha"]
        self.disorder.value = values["disorder"]
        self.strength.value = values["strength"]
        self._new_ring()

    def _restart_ring(self) -> None:
        self.ring.reset()
        self.ring_view.restart()

    def sweep(self) -> None:
        """Start the r-against-K sweep on the shared background pool; points arrive as they are computed."""
        k_max = check_number(self.sweep_max.value, "sweep K maximum", (0.1, 100.0))
        count = check_integer(self.sweep_points.value, "sweep points", (2, 200))
        couplings = np.linspace(k_max / count, k_max, count)
        distribution, width = self.population.distribution, self.population.width
        self._show_theory()
        self.sweep_status.object = f"sweeping {count} values of K with N = {SWEEP_OSCILLATORS:,} ..."

        def work(job):
            for i, k in enumerate(couplings):
                r = order_parameter_sweep([k], SWEEP_OSCILLATORS, distribution, width, transient=SWEEP_TRANSIENT,
                                          average=SWEEP_AVERAGE, dt=SWEEP_DT)
                job.progress((i + 1) / count, (k, r[0]))
            return count

        def done(result):
            self.sweep_status.object = (
                f"{result} values of K, N = {SWEEP_OSCILLATORS:,}, r averaged over t in "
                f"[{SWEEP_TRANSIENT:g}, {SWEEP_TRANSIENT + SWEEP_AVERAGE:g}] from identical phases"
            )

        self.background.run(work, on_progress=lambda fraction, point: self.sweep_view.add(point), on_done=done,
                            on_error=lambda error: self.message(f"sweep failed: {error}"))

    # ----------------------------------------------------------------- frames
    def tick(self, budget_s: float = 0.012) -> None:
        """One frame: advance both systems within ``budget_s`` seconds, stream r(t), redraw now and then."""
        times, r = self._kuramoto_budget.run(self.population.advance, 0.5 * budget_s)
        self.kuramoto_view.push(times, r)
        self._ring_budget.run(self.ring.advance, 0.5 * budget_s)
        now = time.monotonic()
        if now - self._last_draw >= DRAW_PERIOD_S:
            self._last_draw = now
            self.kuramoto_view.draw(self.population)
            self.ring_view.draw(self.ring)
            self.fit_text.object = self.ring_view.fit_text
            r_now, _ = self.population.order
            ring_r, _ = self.ring.order
            self.status.object = (
                f"Kuramoto t = {self.population.t:.1f}  r = {r_now:.3f}  K_c = {self.population.critical_coupling:.3g}   |   "
                f"ring t = {self.ring.t:.1f}  W = {self.ring.width:.3g}  r = {ring_r:.3f}"
            )

    def _free(self) -> None:
        """The session ended: drop the populations and their histories."""
        self.background.cancel()
        self.population = self.ring = None

    def __panel__(self):
        return self.layout


def create(query: dict | None = None) -> pn.viewable.Viewable:
    """Build the synchronization page for the current session (URL ``?coupling=2&alpha=0.8`` sets K and the ring's alpha)."""
    page = SyncPage(session_document())
    query = session_query(query)
    refused = []
    for key, widget, bounds in (("coupling", page.coupling, (0.0, 5.0)), ("alpha", page.alpha, (-1.5, 1.5))):
        if key in query:
            try:
                widget.value = check_number(query[key], key, bounds)
            except ValueError as error:
                refused.append(str(error))
    page.message("; ".join(refused))
    page.tick()  # the first paint already shows the oscillators moving
    if page.loop is not None:
        pn.state.onload(page.loop.start)
    return page.layout
