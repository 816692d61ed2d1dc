"""The orientation-width sweep of a school: polarization and milling, sweeping up and down."""
from __future__ import annotations

from bokeh.models import ColumnDataSource

from .figures import house_figure

__all__ = ["SchoolSweep"]

_BRANCHES = (("up", "triangle", "solid"), ("down", "inverted_triangle", "dashed"))


class SchoolSweep:
    """One figure: P (blue) and M (red) against the orientation width, up (solid) and down (dashed)."""

    def __init__(self) -> None:
        fig = house_figure(height=280, sizing_mode="stretch_width", y_range=(-0.02, 1.02), tools="pan,wheel_zoom,reset,save",
                           title="Sweep of the orientation width: swarm, torus, parallel, and the way back",
                           x_axis_label="orientation-zone width Δr_o", y_axis_label="time-averaged order")
        self.sources = []
        for branch, marker, dash in _BRANCHES:
            source = ColumnDataSource({"width": [], "polarization": [], "milling": []}, name=f"ps-school-sweep-{branch}")
            for column, color, name in (("polarization", "#08306b", "P"), ("milling", "#d62728", "M")):
                label = f"{name}, sweep {branch}"
                fig.line("width", column, source=source, color=color, line_dash=dash, line_width=2, legend_label=label)
                fig.scatter("width", column, source=source, marker=marker, size=9, color=color, legend_label=label)
            self.sources.append(source)
        fig.legend.location = "center_right"
        fig.legend.click_policy = "hide"
        self.figure = fig

    def clear(self) -> None:
        """Remove the points of the last sweep."""
        for source in self.sources:
            source.data = {"width": [], "polarization": [], "milling": []}

    def add(self, branch: int, width: float, polarization: float, milling: float) -> None:
        """Add one measured point of ``branch`` (0 up, 1 down)."""
        self.sources[branch].stream({"width": [width], "polarization": [polarization], "milling": [milling]})
