"""The current field profile phi(x) with the probe point, and the (phi, phi_t) phase plane at the probe."""
from __future__ import annotations

import numpy as np
from bokeh.models import ColumnDataSource, Span

from engine.fields import FieldSimulation

from .figures import house_figure

__all__ = ["TRAIL", "FieldProfile", "ProbePhasePlane"]

TRAIL = 4000
"""Points of the phase-plane trail kept in the browser."""


class FieldProfile:
    """phi(x) now, and the energy density e(x), on one figure."""

    def __init__(self) -> None:
        fig = house_figure(height=260, sizing_mode="stretch_width", title="Field now", x_axis_label="x")
        self.source = ColumnDataSource({"x": [], "phi": [], "e": []}, name="ps-field-profile")
        fig.line("x", "phi", source=self.source, line_width=2, color="#08306b", legend_label="φ")
        fig.line("x", "e", source=self.source, line_width=1.5, color="#fd8d3c", legend_label="energy density")
        self.probe = Span(location=0.0, dimension="height", line_color="#d62728", line_dash="dotted", line_width=2)
        fig.add_layout(self.probe)
        fig.legend.location = "top_right"
        self.figure = fig

    def draw(self, simulation: FieldSimulation, density: np.ndarray) -> None:
        self.source.data = {"x": simulation.x, "phi": simulation.phi.copy(), "e": density}
        self.probe.location = float(simulation.x[simulation.probe])


class ProbePhasePlane:
    """The trail of (phi, phi_t) at the probe point, streamed at every step."""

    def __init__(self) -> None:
        fig = house_figure(height=300, width=320, title="Phase plane at the probe", x_axis_label="φ", y_axis_label="φ_t")
        self.source = ColumnDataSource({"phi": [], "phi_t": []}, name="ps-field-phase")
        fig.line("phi", "phi_t", source=self.source, color="#08306b", line_width=1.2)
        self.figure = fig

    def restart(self) -> None:
        self.source.data = {"phi": [], "phi_t": []}

    def push(self, phi: np.ndarray, phi_t: np.ndarray) -> None:
        """Stream the probe's new states (at most 400 per frame)."""
        if phi.size:
            take = slice(None, None, max(1, phi.size // 400))
            self.source.stream({"phi": phi[take], "phi_t": phi_t[take]}, rollover=TRAIL)
