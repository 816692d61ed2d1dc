"""Live monitors beside a phase portrait: running Lyapunov spectrum, entropies of the
visited distribution, order parameters of the ensemble.

Each monitor is a small Bokeh line plot whose title carries the current
values. The numbers come from :class:`engine.diagnostics.monitor.TrajectoryMonitor`,
fed every frame with the new samples, which it counts at each refresh. The
plots are refreshed every :data:`EVERY` frames (more apart when many sessions
share the process, like the pictures: :func:`~dashboard.frame_loop.load_scale`),
when the running Lyapunov estimate also advances within :data:`LYAPUNOV_SHARE`
of the time the live view spent on those frames, never more than that share of
their compute budget. Their cost so follows what the view itself costs, not
the budget it may use: at the default speed a view spends a small part of its
budget, and a share of the budget would cost more than the view's frames.
"""
from __future__ import annotations

import math
import threading

import numpy as np
from bokeh.layouts import row
from bokeh.models import ColumnDataSource, Range1d
from bokeh.palettes import Dark2_8
from bokeh.plotting import figure

from engine.diagnostics.lyapunov import lyapunov_kernel_cached
from engine.diagnostics.monitor import TrajectoryMonitor

from ..frame_loop import load_scale
from ..state import ExplorerState, Frame

__all__ = ["EVERY", "LYAPUNOV_SHARE", "WINDOW", "Monitors"]

EVERY = 10
"""Frames between two refreshes of the monitors (3 per second at 30 frames per second): a
refresh costs about a millisecond (counting the samples, entropies, three streams, titles)."""
LYAPUNOV_SHARE = 0.05
"""Share of the live view's frame time (at most of its budget) the running Lyapunov estimate
may use: about a hundred time units of Lorenz per second in a served page, within 0.01 of
its value after a few seconds."""
WINDOW = 600
"""Points kept in each monitor plot."""

_ENTROPIES = (("shannon", "Shannon"), ("renyi_2", "Renyi 2"), ("permutation", "permutation"))
_ORDER = (("coherence", "coherence r"), ("spread", "spread"))


def _small_figure(title: str) -> figure:
    fig = figure(height=190, sizing_mode="stretch_width", tools="", toolbar_location=None)  # small: no tools
    fig.title.text = title
    fig.title.text_font_size = "12px"
    fig.xaxis.major_label_text_font_size = fig.yaxis.major_label_text_font_size = "10px"
    return fig


def _draw(fig: figure, source: ColumnDataSource, lines) -> None:
    """Replace the lines of ``fig`` by one per ``(column, legend label)`` of ``source``."""
    fig.renderers = []
    if fig.legend:
        fig.legend.items = []
    for j, (key, name) in enumerate(lines):
        fig.line("t", key, source=source, color=Dark2_8[j % 8], line_width=1.6, legend_label=name)
    if lines:
        fig.legend.location = "bottom_left"
        fig.legend.orientation = "horizontal"
        fig.legend.label_text_font_size = "10px"
        fig.legend.background_fill_alpha = 0.5


def _text(value: float) -> str:
    return "-" if not math.isfinite(value) else f"{value:.4g}"


class Monitors:
    """The monitors of one live view (one session), fed by :meth:`push` and refreshed by :meth:`tick`.

    Parameters
    ----------
    state : ExplorerState
        The session's state: its system, parameters and run.
    background : bool
        Compile a missing Lyapunov kernel in a background thread (a served
        page). Without it (headless) the running Lyapunov estimate starts once
        its kernel is compiled, in the disk cache or by :meth:`warm`.
    """

    def __init__(self, state: ExplorerState, *, background: bool = True) -> None:
        self.state = state
        self._background = background
        self.lyapunov_figure = _small_figure("Lyapunov spectrum")
        self.entropy_figure = _small_figure("Entropies")
        self.order_figure = _small_figure("Ensemble")
        self.entropy_source = ColumnDataSource({"t": [], **{key: [] for key, _ in _ENTROPIES}}, name="ps-monitor-entropy")
        self.order_source = ColumnDataSource({"t": [], **{key: [] for key, _ in _ORDER}}, name="ps-monitor-order")
        for fig, source, lines in ((self.entropy_figure, self.entropy_source, _ENTROPIES), (self.order_figure, self.order_source, _ORDER)):
            fig.y_range = Range1d(0.0, 1.05)
            _draw(fig, source, lines)
        self.lyapunov_source = ColumnDataSource({"t": []}, name="ps-monitor-lyapunov")
        self.layout = row(self.lyapunov_figure, self.entropy_figure, self.order_figure, sizing_mode="stretch_width")
        self._system = None
        self.restart()

    # ------------------------------------------------------------------ runs
    def restart(self) -> None:
        """A new run (or system) started: forget every value."""
        simulation = self.state.simulation
        system = simulation.system
        compiled = system is self._system and getattr(self, "_ready", False)  # the same kernel serves the new run
        self._system = system
        self.monitor = TrajectoryMonitor(system, simulation.params, simulation.state0, dt=simulation.dt)
        self._frames = 0
        self._spent = 0.0  # seconds the view spent on its frames since the last refresh
        self._ready = self.monitor.lyapunov is None or compiled or lyapunov_kernel_cached(system)
        self._warming = False
        exponents = [f"lambda_{i}" for i in range(1, system.dimension + 1)] if self.monitor.lyapunov is not None else []
        if list(self.lyapunov_source.data) != ["t", *exponents]:  # one line per exponent
            self.lyapunov_source = ColumnDataSource({"t": [], **{name: [] for name in exponents}}, name="ps-monitor-lyapunov")
            _draw(self.lyapunov_figure, self.lyapunov_source, [(name, f"λ{name[7:]}") for name in exponents])
        for source in (self.lyapunov_source, self.entropy_source, self.order_source):
            source.data = {key: [] for key in source.data}
        for fig in (self.lyapunov_figure, self.entropy_figure, self.order_figure):
            fig.xaxis.axis_label = "n" if system.family == "map" else "t"
        self._titles(self.monitor.values())

    # ---------------------------------------------------------------- frames
    def push(self, frame: Frame) -> None:
        """Take a frame's new samples."""
        self.monitor.observe(frame.points)

    def tick(self, budget_s: float, frame_s: float | None = None) -> None:
        """Every :data:`EVERY` calls (times :func:`~dashboard.frame_loop.load_scale`): advance
        the Lyapunov estimate within its share of the frames' time, then add the current
        values to the plots.

        Parameters
        ----------
        budget_s : float
            Seconds of compute the session may spend on this frame.
        frame_s : float, optional
            Seconds the live view actually spent on this frame, the monitors
            aside (default: the whole budget). The estimate gets
            :data:`LYAPUNOV_SHARE` of ``min(frame_s, budget_s)`` summed over the
            frames since the last refresh.
        """
        self._frames += 1
        self._spent += budget_s if frame_s is None else min(frame_s, budget_s)
        if self._frames < EVERY * load_scale():
            return
        self._frames = 0
        spent, self._spent = self._spent, 0.0
        simulation = self.state.simulation
        if simulation.params != self.monitor.params:
            self.monitor.set_params(simulation.params)
        if not self._ready and self._background and not self._warming:
            self._warm_in_background()
        if self._ready:
            self.monitor.advance_lyapunov(LYAPUNOV_SHARE * spent)
        values = self.monitor.values()
        t = [simulation.t]
        # one trajectory has no ensemble, a stochastic system no Lyapunov spectrum: nothing to draw
        shown = (self.lyapunov_source, self.entropy_source, self.order_source) if self.state.members > 1 else (self.lyapunov_source, self.entropy_source)
        for source in shown:
            if len(source.data) > 1:
                source.stream({"t": t, **{key: [self._plotted(key, values)] for key in source.data if key != "t"}}, rollover=WINDOW)
        self._titles(values)

    def _plotted(self, key: str, values: dict[str, float]) -> float:
        """The value drawn for ``key``: entropies of the visited distribution divided by
        their maximum, ln(number of cells), so every entropy lies in [0, 1]."""
        value = values[key]
        if key in ("shannon", "renyi_2"):
            value /= math.log(self.monitor.visited.counts.size)
        return value if math.isfinite(value) else np.nan

    def warm(self) -> None:
        """Compile (or load) the Lyapunov kernel now, so the estimate runs from the next refresh."""
        self.monitor.warm()
        self._ready = True

    def _warm_in_background(self) -> None:
        self._warming = True
        monitor = self.monitor

        def compile_kernel() -> None:
            monitor.warm()
            if monitor is self.monitor:  # not restarted meanwhile
                self._ready = True

        threading.Thread(target=compile_kernel, daemon=True).start()

    def _titles(self, values: dict[str, float]) -> None:
        if self.monitor.lyapunov is None:
            self.lyapunov_figure.title.text = "Lyapunov spectrum: not defined for a stochastic system"
        elif not self._ready and self._warming:
            self.lyapunov_figure.title.text = "Lyapunov spectrum: compiling..."
        else:
            exponents = [values[k] for k in values if k.startswith("lambda_")]
            self.lyapunov_figure.title.text = "Lyapunov spectrum  " + "  ".join(_text(v) for v in exponents)
        self.entropy_figure.title.text = (
            f"Entropies  H = {_text(values['shannon'])}  H2 = {_text(values['renyi_2'])} nats"
            f"  perm. = {_text(values['permutation'])}"
        )
        if self.state.members > 1:
            self.order_figure.title.text = f"Ensemble  r = {_text(values['coherence'])}  spread = {_text(values['spread'])}"
        else:
            self.order_figure.title.text = "Ensemble: add trajectories to follow their coherence and spread"
