"""Live time series of every state variable of the first trajectory."""
from __future__ import annotations

from bokeh.models import ColumnDataSource
from bokeh.palettes import Dark2_8

from ..state import ExplorerState, Frame
from .figures import house_figure

__all__ = ["TimeSeries"]

WINDOW = 2000


class TimeSeries:
    """The variables against time, streamed with a rolling window of :data:`WINDOW` samples;
    one Bokeh figure for the session's lifetime."""

    def __init__(self, state: ExplorerState) -> None:
        self.state = state
        self._system = None
        fig = house_figure(height=220, sizing_mode="stretch_width", output_backend="webgl")
        self.figure = fig
        self.restart()

    def restart(self) -> None:
        """Clear the series for the state's current run; new lines only for a new system."""
        system = self.state.system
        empty = {"t": [], **{v: [] for v in system.variables}}
        if system is self._system:
            self.source.data = empty
            return
        self._system = system
        fig = self.figure
        fig.xaxis.axis_label = "n" if system.family == "map" else "t"
        fig.renderers = []
        if fig.legend:
            fig.legend.items = []
        self.source = ColumnDataSource(empty)
        for j, name in enumerate(system.variables):
            color = Dark2_8[j % 8]
            fig.line("t", name, source=self.source, color=color, legend_label=name, line_width=1.4)
            if system.family == "map":
                fig.scatter("t", name, source=self.source, color=color, size=3)
        fig.legend.location = "top_left"
        fig.legend.orientation = "horizontal"
        fig.legend.background_fill_alpha = 0.6

    def push(self, frame: Frame) -> None:
        if frame.times.size == 0:
            return
        new = {"t": frame.times.tolist()}  # lists: inside the frame's message, not one binary message each
        for j, name in enumerate(self.state.system.variables):
            new[name] = frame.points[0, :, j].tolist()
        self.source.stream(new, rollover=WINDOW)
