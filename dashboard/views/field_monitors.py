"""Monitors of a field run: relative energy error, momentum and entropies of the energy density against time."""
from __future__ import annotations

from bokeh.models import ColumnDataSource
from bokeh.palettes import Dark2_8

from .figures import house_figure

__all__ = ["ENTROPIES", "WINDOW", "FieldMonitors"]

WINDOW = 3000
"""Samples kept in the browser."""
ENTROPIES = {"shannon": "Shannon", "renyi": "Rényi (q = 2)", "tsallis": "Tsallis (q = 2)"}


class FieldMonitors:
    """Three figures over one streamed source: energy error (log scale), momentum, entropies."""

    def __init__(self) -> None:
        self.source = ColumnDataSource(self._empty(), name="ps-field-monitor")
        error = house_figure(height=200, sizing_mode="stretch_width", y_axis_type="log", title="Relative energy error |E − E₀|/|E₀|",
                             x_axis_label="t")
        error.line("t", "energy_error", source=self.source, color="#d62728", line_width=1.5)
        momentum = house_figure(height=200, sizing_mode="stretch_width", title="Momentum P = −∫ φ_t φ_x dx", x_range=error.x_range,
                                x_axis_label="t")
        momentum.line("t", "momentum", source=self.source, color="#08306b", line_width=1.5)
        entropy = house_figure(height=220, sizing_mode="stretch_width", x_range=error.x_range,
                               title="Entropies of the normalised energy density", x_axis_label="t")
        for color, (key, label) in zip(Dark2_8, ENTROPIES.items()):
            entropy.line("t", key, source=self.source, color=color, line_width=1.5, legend_label=label)
        entropy.legend.location = "bottom_left"
        entropy.legend.background_fill_alpha = 0.6
        self.figures = (error, momentum, entropy)

    @staticmethod
    def _empty() -> dict:
        return {"t": [], "energy_error": [], "momentum": [], **{key: [] for key in ENTROPIES}}

    def restart(self) -> None:
        self.source.data = self._empty()

    def push(self, t: float, energy_error: float, momentum: float, entropies: dict[str, float]) -> None:
        """Stream one sample; the energy error is floored at 1e-16 for the log axis."""
        row = {"t": [t], "energy_error": [max(energy_error, 1e-16)], "momentum": [momentum]}
        row.update({key: [entropies[key]] for key in ENTROPIES})
        self.source.stream(row, rollover=WINDOW)
