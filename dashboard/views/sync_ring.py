"""The ring of phase oscillators as a growing interface: heights now, and W(t) on log-log axes."""
from __future__ import annotations

import html

import numpy as np
from bokeh.models import ColumnDataSource

from engine.manybody import GROWTH_EXPONENTS, PhaseRing, growth_exponent

from .figures import house_figure

__all__ = ["FIT_DECADES", "RingView"]

SHOWN = 1024
"""Heights drawn (the ring subsampled evenly beyond this)."""
FIT_DECADES = 1.5
"""The growth exponent is fitted over the last this many decades of time."""
SHOWN_WIDTHS = 400
"""Samples of W(t) drawn, log-spaced in their index."""
REFERENCE_COLORS = {"random deposition": "#9e9ac8", "Edwards-Wilkinson": "#74c476", "KPZ": "#fd8d3c"}


class RingView:
    """The interface theta_j - mean (unwrapped phases) and its width W(t) with the fitted and reference slopes."""

    def __init__(self) -> None:
        interface = house_figure(height=260, sizing_mode="stretch_width", title="Unwrapped phases as an interface",
                                 x_axis_label="oscillator j", y_axis_label="θ_j − mean")
        self.heights = ColumnDataSource({"j": [], "h": []}, name="ps-ring-interface")
        interface.line("j", "h", source=self.heights, color="#08306b")
        self.interface = interface
        width = house_figure(height=300, sizing_mode="stretch_width", x_axis_type="log", y_axis_type="log",
                             title="Interface width W(t)", x_axis_label="t", y_axis_label="W")
        self.widths = ColumnDataSource({"t": [], "w": []}, name="ps-ring-width")
        width.scatter("t", "w", source=self.widths, size=3, color="#08306b", legend_label="W(t)")
        self.references = {}
        for name, beta in GROWTH_EXPONENTS.items():
            source = ColumnDataSource({"t": [], "w": []})
            width.line("t", "w", source=source, line_dash="dashed", line_width=2, color=REFERENCE_COLORS[name],
                       legend_label=f"{name} β = {beta:.3g}")
            self.references[name] = source
        self.fit = ColumnDataSource({"t": [], "w": []})
        width.line("t", "w", source=self.fit, line_width=3, color="#d62728", legend_label="fit")
        width.legend.location = "top_left"
        width.legend.background_fill_alpha = 0.6
        self.width = width
        self.fit_text = ""

    def restart(self) -> None:
        for source in (self.heights, self.widths, self.fit, *self.references.values()):
            source.data = {key: [] for key in source.data}
        self.fit_text = "β: waiting for a decade of growth"

    def draw(self, ring: PhaseRing) -> None:
        """Show the current interface, the recorded widths, the fit and the reference slopes."""
        take = np.unique(np.linspace(0, ring.size - 1, min(SHOWN, ring.size)).astype(int))
        self.heights.data = {"j": take.astype(np.int32), "h": (ring.theta[take] - ring.theta.mean()).astype(np.float32)}
        times, widths = ring.history()
        shown = np.unique(np.geomspace(1, times.size, min(SHOWN_WIDTHS, times.size)).astype(int) - 1) if times.size else times
        self.widths.data = {"t": times[shown], "w": widths[shown]}
        if times.size < 3 or widths[-1] <= 0:
            return
        start = times[-1] / 10**FIT_DECADES
        try:
            fit = growth_exponent(times, widths, start)
        except ValueError:
            return
        span = np.array([fit.t_min, fit.t_max])
        self.fit.data = {"t": span, "w": fit.prefactor * span**fit.beta}
        anchor_t, anchor_w = fit.t_min, fit.prefactor * fit.t_min**fit.beta
        for name, beta in GROWTH_EXPONENTS.items():
            self.references[name].data = {"t": span, "w": anchor_w * (span / anchor_t) ** beta}
        self.fit_text = html.escape(
            f"fitted β = {fit.beta:.3f} over t ∈ [{fit.t_min:.3g}, {fit.t_max:.3g}] "
            "(random deposition 1/2, Edwards-Wilkinson 1/4, KPZ 1/3)"
        )
