"""The r versus K curve: measured points beside Kuramoto's theory and K_c."""
from __future__ import annotations

import numpy as np
from bokeh.models import ColumnDataSource, Span

from engine.manybody import critical_coupling, order_parameter_branch

from .figures import house_figure

__all__ = ["SweepView"]


class SweepView:
    """One figure: theory branch (Lorentzian), the K_c line, points arriving from a sweep."""

    def __init__(self) -> None:
        fig = house_figure(height=300, sizing_mode="stretch_width", title="Order parameter against coupling", y_range=(-0.02, 1.02),
                           x_axis_label="K", y_axis_label="time-averaged r")
        self.theory = ColumnDataSource({"k": [], "r": []})
        fig.line("k", "r", source=self.theory, color="#6baed6", line_width=2.5, legend_label="N → ∞ theory")
        self.points = ColumnDataSource({"k": [], "r": []}, name="ps-sync-sweep")
        fig.scatter("k", "r", source=self.points, size=8, color="#08306b", legend_label="measured")
        self.critical = Span(location=1.0, dimension="height", line_color="#d62728", line_dash="dashed", line_width=2)
        fig.add_layout(self.critical)
        fig.legend.location = "bottom_right"
        self.figure = fig

    def show_theory(self, distribution: str, width: float, k_max: float) -> None:
        """Draw K_c and, for Lorentzian frequencies, r = sqrt(1 - 2 gamma / K); clear the points."""
        k_c = critical_coupling(distribution, width)
        self.critical.location = k_c
        if distribution == "lorentzian":
            k = np.linspace(0.0, k_max, 400)
            self.theory.data = {"k": k, "r": order_parameter_branch(k, width)}
        else:
            self.theory.data = {"k": [], "r": []}
        self.points.data = {"k": [], "r": []}

    def add(self, points: tuple[np.ndarray, np.ndarray]) -> None:
        """Append measured (K, r) pairs."""
        k, r = points
        self.points.stream({"k": np.atleast_1d(k), "r": np.atleast_1d(r)})
