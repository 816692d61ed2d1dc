"""Live all-to-all Kuramoto: the phases on the unit circle with the mean field, and r(t)."""
from __future__ import annotations

import numpy as np
from bokeh.models import ColumnDataSource, LinearColorMapper
from bokeh.palettes import Viridis256
from bokeh.plotting import figure

from engine.manybody import MeanFieldKuramoto

from .figures import house_figure

__all__ = ["SHOWN", "WINDOW", "KuramotoView"]

SHOWN = 1500
"""Oscillators drawn on the circle (evenly spaced in frequency rank)."""
WINDOW = 3000
"""Samples of r(t) kept in the browser."""


class KuramotoView:
    """Two figures for one session: phases on the circle coloured by natural frequency, and r(t)."""

    def __init__(self) -> None:
        circle = figure(
            height=330, width=330, x_range=(-1.15, 1.15), y_range=(-1.15, 1.15), match_aspect=True,
            tools="save", toolbar_location=None, title="Phases on the unit circle",
        )
        circle.axis.visible = False
        circle.grid.visible = False
        circle.ellipse(0, 0, 2, 2, fill_alpha=0, line_color="#bbbbbb")
        self.phases = ColumnDataSource({"x": [], "y": [], "omega": []}, name="ps-sync-phases")
        self._colors = LinearColorMapper(palette=Viridis256, low=-1, high=1)
        circle.scatter("x", "y", source=self.phases, size=4, alpha=0.6, color={"field": "omega", "transform": self._colors})
        self.mean = ColumnDataSource({"x0": [0.0], "y0": [0.0], "x1": [0.0], "y1": [0.0]})
        circle.segment("x0", "y0", "x1", "y1", source=self.mean, line_width=4, color="#d62728")
        self.circle = circle
        series = house_figure(height=250, sizing_mode="stretch_width", title="Order parameter r(t)", y_range=(0, 1.02),
                              x_axis_label="t", y_axis_label="r")
        self.r = ColumnDataSource({"t": [], "r": []}, name="ps-sync-r")
        series.line("t", "r", source=self.r, line_width=1.5, color="#08306b")
        self.series = series
        self._shown = np.arange(0)

    def restart(self, population: MeanFieldKuramoto) -> None:
        """A new population: choose the drawn oscillators, clear r(t)."""
        self._shown = np.unique(np.linspace(0, population.n - 1, min(SHOWN, population.n)).astype(int))
        spread = float(np.percentile(np.abs(population.omega), 80)) or 1.0
        self._colors.update(low=-spread, high=spread)
        self.r.data = {"t": [], "r": []}
        self.draw(population)

    def push(self, times: np.ndarray, r: np.ndarray) -> None:
        """Stream new samples of r(t) (at most 200 per frame)."""
        if times.size:
            take = slice(None, None, max(1, times.size // 200))
            self.r.stream({"t": times[take], "r": r[take]}, rollover=WINDOW)

    def draw(self, population: MeanFieldKuramoto) -> None:
        """Show the current phases and the mean field r e^{i psi}."""
        theta = population.theta[self._shown]
        self.phases.data = {  # float32: half the bytes per frame, finer than the screen anyway
            "x": np.cos(theta).astype(np.float32), "y": np.sin(theta).astype(np.float32),
            "omega": population.omega[self._shown].astype(np.float32),
        }
        r, psi = population.order
        self.mean.data = {"x0": [0.0], "y0": [0.0], "x1": [r * np.cos(psi)], "y1": [r * np.sin(psi)]}
