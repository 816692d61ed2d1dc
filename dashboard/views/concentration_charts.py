"""Bokeh figures of a market's concentration over time, fed by an engine ConcentrationMonitor.

:class:`ConcentrationCharts` keeps one set of figures for a session:
HHI on the 0-10,000 scale of the merger guidelines with its 1,500 / 2,500
bands; normalised HHI, CR_k and Gini; Shannon entropy; effective number
of holders; a stacked area of the leading holders' shares; the Lorenz
curve of one period. :meth:`~ConcentrationCharts.update` streams only the
periods the monitor added since the last call.
"""
from __future__ import annotations

import numpy as np
from bokeh.models import BoxAnnotation, ColumnDataSource, Legend, LegendItem, Span
from bokeh.palettes import Category10_10
from bokeh.plotting import figure

from engine.markets.monitor import ConcentrationMonitor

from .figures import house_figure

__all__ = ["GUIDELINE_BANDS", "TOP_HOLDERS", "ConcentrationCharts"]

GUIDELINE_BANDS = (1500.0, 2500.0)
"""HHI thresholds (0-10,000 scale) of the 2010 US horizontal merger guidelines:
below 1,500 unconcentrated, 1,500-2,500 moderately, above 2,500 highly concentrated."""
TOP_HOLDERS = 8
"""Holders drawn one by one in the stacked area; the rest are summed as "others"."""
_COLUMNS = ("time", "hhi", "normalized_hhi", "concentration_ratio", "gini", "shannon", "effective_number", "holders")


def _figure(title: str, y_label: str, *, datetime: bool, height: int = 210, **options) -> figure:
    return house_figure(
        title=title, height=height, sizing_mode="stretch_width", y_axis_label=y_label,
        x_axis_type="datetime" if datetime else "linear", **options,
    )


class ConcentrationCharts:
    """The concentration figures of one session (Bokeh models built once, data replaced or streamed).

    Parameters
    ----------
    datetime : bool
        The periods are dates (a datetime axis) rather than numbers.
    """

    def __init__(self, *, datetime: bool = True) -> None:
        self.datetime = datetime
        self.source = ColumnDataSource({name: [] for name in _COLUMNS}, name="ps-concentration")
        self._shown = 0
        self._generation = None

        self.hhi = _figure("Herfindahl-Hirschman index (HHI x 10,000)", "HHI", datetime=datetime, y_range=(0, 10_000))
        low, high = GUIDELINE_BANDS
        for bottom, top, color in ((0, low, "#a1d99b"), (low, high, "#fdd49e"), (high, 10_000, "#fc9272")):
            self.hhi.add_layout(BoxAnnotation(bottom=bottom, top=top, fill_color=color, fill_alpha=0.25, level="underlay"))
        self.hhi.line("time", "hhi", source=self.source, line_width=2, color="#08306b", legend_label="HHI")
        self.hhi.legend.location = "top_left"

        self.ratios = _figure("Normalised HHI, concentration ratio, Gini", "index (0-1)", datetime=datetime, y_range=(0, 1.02))
        self._ratio_lines = {}
        for column, label, color in (
            ("normalized_hhi", "normalised HHI", Category10_10[0]),
            ("concentration_ratio", "CR_k", Category10_10[1]),
            ("gini", "Gini", Category10_10[2]),
        ):
            self._ratio_lines[column] = self.ratios.line("time", column, source=self.source, line_width=2, color=color, legend_label=label)
        self.ratios.legend.location = "bottom_left"
        self.ratios.legend.orientation = "horizontal"

        self.entropy = _figure("Shannon entropy of the shares", "nats", datetime=datetime)
        self.entropy.line("time", "shannon", source=self.source, line_width=2, color=Category10_10[4])
        self.effective = _figure("Effective number of holders (1/HHI) and holders", "holders", datetime=datetime)
        self.effective.line("time", "effective_number", source=self.source, line_width=2, color=Category10_10[3], legend_label="1/HHI")
        self.effective.line("time", "holders", source=self.source, line_width=1, color="#888888", line_dash="dashed", legend_label="holders")
        self.effective.legend.location = "top_left"

        self.stack_source = ColumnDataSource(self._empty_stack())
        self.stack = _figure("Shares of the leading holders", "share of the window", datetime=datetime, height=260, y_range=(0, 1))
        names = [f"s{j}" for j in range(TOP_HOLDERS)] + ["others"]
        colors = [*Category10_10[:TOP_HOLDERS], "#d9d9d9"]
        renderers = self.stack.varea_stack(names, x="time", source=self.stack_source, color=colors)
        self._stack_legend = Legend(items=[LegendItem(label=name, renderers=[r]) for name, r in zip(names, renderers, strict=True)],
                                    location="top_left", label_text_font_size="11px")
        self.stack.add_layout(self._stack_legend, "right")

        self.lorenz_source = ColumnDataSource({"x": [], "y": []}, name="ps-lorenz")
        self.lorenz = house_figure(title="Lorenz curve", height=300, width=320, x_range=(0, 1), y_range=(0, 1),
                                   x_axis_label="share of holders (smallest first)", y_axis_label="share of the amount")
        self.lorenz.line([0, 1], [0, 1], color="#888888", line_dash="dashed")
        self.lorenz.line("x", "y", source=self.lorenz_source, line_width=2, color="#08306b")
        self.week_marker = Span(location=0, dimension="height", line_color="#444444", line_dash="dotted", visible=False)
        self.hhi.add_layout(self.week_marker)

    def _empty_stack(self) -> dict:
        return {"time": [], **{f"s{j}": [] for j in range(TOP_HOLDERS)}, "others": []}

    def _times(self, monitor: ConcentrationMonitor) -> np.ndarray:
        times = monitor.times
        return times.astype("datetime64[ms]").astype(np.int64).astype(np.float64) if self.datetime else times.astype(np.float64)

    def set_k(self, k: int) -> None:
        """Name the concentration-ratio line after its ``k``."""
        for item in self.ratios.legend[0].items:
            if self._ratio_lines["concentration_ratio"] in item.renderers:
                item.label = {"value": f"CR_{k}"}

    def update(self, monitor: ConcentrationMonitor, generation: int) -> None:
        """Show the monitor's indices: stream the new periods, or redraw all when ``generation``
        (a count of view changes) differs from the last call's."""
        series = monitor.series()
        scale = {"hhi": 10_000.0}
        n = len(monitor)
        if generation != self._generation or n < self._shown:
            times = self._times(monitor)
            self.source.data = {"time": times, **{c: series[c] * scale.get(c, 1.0) for c in _COLUMNS[1:]}}
            self._generation, self._shown = generation, n
            return
        if self._shown:  # the last period shown may have grown by late rows
            last = self._shown - 1
            self.source.patch({c: [(last, float(series[c][last] * scale.get(c, 1.0)))] for c in _COLUMNS[1:]})
        if n > self._shown:
            times = self._times(monitor)[self._shown :]
            self.source.stream({"time": times, **{c: series[c][self._shown :] * scale.get(c, 1.0) for c in _COLUMNS[1:]}})
            self._shown = n

    def update_stack(self, monitor: ConcentrationMonitor) -> None:
        """Redraw the stacked area of the leading holders' shares."""
        if not len(monitor):
            self.stack_source.data = self._empty_stack()
            return
        labels, shares = monitor.top_shares(TOP_HOLDERS)
        shares = np.nan_to_num(shares)
        data = {"time": self._times(monitor)}
        for j in range(TOP_HOLDERS):
            data[f"s{j}"] = shares[:, j] if j < shares.shape[1] else np.zeros(len(monitor))
        data["others"] = np.clip(1.0 - shares.sum(axis=1), 0.0, 1.0) * (monitor.series()["total"] > 0)
        self.stack_source.data = data
        for j, item in enumerate(self._stack_legend.items[:TOP_HOLDERS]):
            item.label = {"value": labels[j] if j < len(labels) else ""}
            item.visible = j < len(labels)

    def update_lorenz(self, monitor: ConcentrationMonitor, period: int) -> None:
        """Draw the Lorenz curve of ``period`` and mark it on the HHI chart."""
        if not len(monitor):
            self.lorenz_source.data = {"x": [], "y": []}
            self.week_marker.visible = False
            return
        x, y = monitor.lorenz(period)
        self.lorenz_source.data = {"x": x, "y": y}
        self.week_marker.location = float(self._times(monitor)[period])
        self.week_marker.visible = True
