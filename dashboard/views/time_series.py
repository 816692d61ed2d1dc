"""Live time series of every state variable of the first trajectory."""
from __future__ import annotations

from bokeh.models import ColumnDataSource
from bokeh.palettes import Dark2_8
from bokeh.plotting import figure

from ..state import ExplorerState, Frame

__all__ = ["TimeSeries"]

WINDOW = 2000


class TimeSeries:
    """The variables against time, streamed with a rolling window of :data:`WINDOW` samples."""

    def __init__(self, state: ExplorerState) -> None:
        self.state = state
        self.rebuild()

    def rebuild(self):
        system = self.state.system
        fig = figure(
            height=220,
            sizing_mode="stretch_width",
            x_axis_label="n" if system.family == "map" else "t",
            tools="pan,wheel_zoom,box_zoom,reset,save",
            output_backend="webgl",
        )
        fig.toolbar.logo = None
        self.source = ColumnDataSource({"t": [], **{v: [] for v in system.variables}})
        for j, name in enumerate(system.variables):
            color = Dark2_8[j % 8]
            fig.line("t", name, source=self.source, color=color, legend_label=name, line_width=1.4)
            if system.family == "map":
                fig.scatter("t", name, source=self.source, color=color, size=3)
        fig.legend.location = "top_left"
        fig.legend.orientation = "horizontal"
        fig.legend.background_fill_alpha = 0.6
        self.figure = fig
        return fig

    def push(self, frame: Frame) -> None:
        if frame.times.size == 0:
            return
        new = {"t": frame.times}
        for j, name in enumerate(self.state.system.variables):
            new[name] = frame.points[0, :, j]
        self.source.stream(new, rollover=WINDOW)
