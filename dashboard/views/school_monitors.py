"""Monitors of a school: polarization and milling over time, the seven entropies and the OSI."""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from bokeh.models import ColumnDataSource, FactorRange, LabelSet

from engine.diagnostics.schooling import ENTROPY_NAMES

from .figures import house_figure

__all__ = ["SchoolMonitors"]

ROLLOVER = 2000
"""Samples of the order parameters kept in the browser."""
_ORDER = list(ENTROPY_NAMES)


class SchoolMonitors:
    """Two figures: P and M (and the OSI) against time; the entropies as bars labelled with their weights."""

    def __init__(self) -> None:
        series = house_figure(height=230, sizing_mode="stretch_width", title="Order parameters", y_range=(-0.02, 1.3),
                              tools="pan,wheel_zoom,reset,save", x_axis_label="t")
        self.order = ColumnDataSource({"t": [], "polarization": [], "milling": []}, name="ps-school-order")
        series.line("t", "polarization", source=self.order, color="#08306b", line_width=2, legend_label="polarization P")
        series.line("t", "milling", source=self.order, color="#d62728", line_width=2, legend_label="milling M")
        self.index = ColumnDataSource({"t": [], "osi": []}, name="ps-school-osi")
        series.line("t", "osi", source=self.index, color="#2ca02c", line_width=2, line_dash="dashed",
                    legend_label="OSI")
        series.legend.location = "top_left"
        series.legend.orientation = "horizontal"
        self.series = series

        labels = [ENTROPY_NAMES[k] for k in _ORDER] + ["OSI"]
        bars = house_figure(height=280, sizing_mode="stretch_width", title="Schooling entropies (weight in the OSI)",
                            y_range=FactorRange(*reversed(labels)), x_range=(0, 1.25), tools="save")
        self.entropies = ColumnDataSource({"name": labels, "value": [0.0] * len(labels), "text": [""] * len(labels),
                                           "color": ["#6baed6"] * len(_ORDER) + ["#2ca02c"]}, name="ps-school-entropies")
        bars.hbar(y="name", right="value", height=0.7, color="color", source=self.entropies)
        bars.add_layout(LabelSet(x="value", y="name", text="text", source=self.entropies, x_offset=4, y_offset=-6,
                                 text_font_size="11px"))
        bars.xaxis.axis_label = "normalised entropy (0 order, 1 disorder)"
        self.bars = bars

    def restart(self) -> None:
        """A new run: clear the time series."""
        self.order.data = {"t": [], "polarization": [], "milling": []}
        self.index.data = {"t": [], "osi": []}

    def push_order(self, t: float, polarization: float, milling: float) -> None:
        """Append one sample of P and M."""
        self.order.stream({"t": [t], "polarization": [polarization], "milling": [milling]}, rollover=ROLLOVER)

    def show_entropies(self, t: float, entropies: Mapping[str, float], weights: Mapping[str, float], osi: float) -> None:
        """Show the seven entropies and the OSI; append the OSI to its series."""
        total = sum(weights.values())
        values = [float(entropies[k]) for k in _ORDER] + [osi]
        texts = [f"{v:.3f}  (w {weights.get(k, 0.0) / total:.2f})" for k, v in zip(_ORDER, values)] + [f"{osi:.3f}"]
        self.entropies.data = {**self.entropies.data, "value": values, "text": texts}
        self.index.stream({"t": [t], "osi": [osi]}, rollover=ROLLOVER)

    @property
    def shown(self) -> np.ndarray:
        """The values the bars show now (entropies in the paper's order, then the OSI)."""
        return np.array(self.entropies.data["value"])
