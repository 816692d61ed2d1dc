"""Pictures of a kinetics run: stochastic paths against the rate equations and the closure band,
and monitors of mean, variance and Fano factor."""
from __future__ import annotations

import numpy as np
from bokeh.layouts import row
from bokeh.models import ColumnDataSource
from bokeh.palettes import Dark2_8
from bokeh.plotting import figure

from .figures import house_figure
from .kinetics_state import DISPLAYED_PATHS, KineticsFrame, KineticsState

__all__ = ["KineticsMonitors", "PathsPlot"]


class PathsPlot:
    """Stochastic paths of the shown species (thin lines), their mean, the rate equations
    and the moment-closure band mean +- 2 sd; one figure for the session's lifetime."""

    def __init__(self, state: KineticsState) -> None:
        self.state = state
        self.figure = house_figure(height=380, sizing_mode="stretch_width", x_axis_label="t")
        self.figure.yaxis.axis_label = "concentration (molecules / omega)"
        self.moments = ColumnDataSource({k: [] for k in ("t", "ode", "ssa", "closure", "lower", "upper")}, name="ps-kinetics-mean")
        fig = self.figure
        fig.varea("t", "lower", "upper", source=self.moments, fill_color="#e6550d", fill_alpha=0.18, legend_label="closure mean ± 2 sd")
        self._path_renderers = []
        self.paths = ColumnDataSource({"t": []}, name="ps-kinetics-paths")
        fig.line("t", "closure", source=self.moments, color="#e6550d", line_width=2, line_dash="dashed", legend_label="closure mean")
        self._means = [
            fig.line("t", "ode", source=self.moments, color="black", line_width=2.2, legend_label="rate equations"),
            fig.line("t", "ssa", source=self.moments, color="#3182bd", line_width=2.2, legend_label="mean of the paths"),
        ]
        fig.legend.location = "top_left"
        fig.legend.background_fill_alpha = 0.7
        fig.legend.click_policy = "hide"
        self.restart()

    def restart(self) -> None:
        """Empty the picture for the state's current run (or shown species)."""
        shown = min(self.state.paths, DISPLAYED_PATHS)
        columns = [f"p{i}" for i in range(shown)]
        others = [r for r in self.figure.renderers if r not in self._path_renderers]
        self.figure.renderers = others
        self.paths.data = {"t": [], **{c: [] for c in columns}}
        self._path_renderers = [
            self.figure.line("t", c, source=self.paths, color=Dark2_8[i % 8], alpha=0.35, line_width=1) for i, c in enumerate(columns)
        ]
        self.figure.renderers = self._path_renderers + others  # paths below the means
        # the vertical range follows the paths and the rate equations: a failing closure runs off
        # the picture (the page flags it) instead of squashing the paths into a line
        self.figure.y_range.renderers = self._path_renderers + self._means
        self.moments.data = {k: [] for k in self.moments.data}
        self.figure.title.text = f"{self.state.network.name}: {self.state.species}, omega = {self.state.omega:g}, {self.state.paths} paths"

    def push(self, frame: KineticsFrame) -> None:
        j = self.state.network.species.index(self.state.species)
        rollover = self.state.window
        paths = {f"p{i}": frame.paths[i, :, j] for i in range(len(self._path_renderers))}
        self.paths.stream({"t": frame.times, **paths}, rollover=rollover)
        sd = np.sqrt(np.clip(frame.closure_cov[:, j, j], 0.0, None))
        mean = frame.closure_mean[:, j]
        self.moments.stream(
            {"t": frame.times, "ode": frame.ode[:, j], "ssa": frame.ssa_mean[:, j], "closure": mean, "lower": mean - 2 * sd, "upper": mean + 2 * sd},
            rollover=rollover,
        )


class KineticsMonitors:
    """Mean, variance and Fano factor (variance over mean of the copy numbers) of the shown
    species over time: the paths' ensemble against the moment closure."""

    def __init__(self, state: KineticsState) -> None:
        self.state = state
        self.source = ColumnDataSource(
            {k: [] for k in ("t", "ssa_mean", "closure_mean", "ssa_var", "closure_var", "ssa_fano", "closure_fano")},
            name="ps-kinetics-monitors",
        )
        figures = []
        for key, title in (("mean", "mean"), ("var", "variance"), ("fano", "Fano factor")):
            fig = figure(height=200, sizing_mode="stretch_width", title=title, x_axis_label="t", tools="pan,wheel_zoom,reset", toolbar_location=None)
            paths = fig.line("t", f"ssa_{key}", source=self.source, color="#3182bd", line_width=2, legend_label="paths")
            fig.y_range.renderers = [paths]  # as in the paths' picture: a failing closure runs off it
            fig.line("t", f"closure_{key}", source=self.source, color="#e6550d", line_width=2, line_dash="dashed", legend_label="closure")
            fig.legend.location = "top_left"
            fig.legend.background_fill_alpha = 0.6
            figures.append(fig)
        self.layout = row(*figures, sizing_mode="stretch_width")

    def restart(self) -> None:
        self.source.data = {k: [] for k in self.source.data}

    def push(self, frame: KineticsFrame) -> None:
        j = self.state.network.species.index(self.state.species)
        omega = self.state.omega
        ssa_mean, ssa_var = frame.ssa_mean[:, j], frame.ssa_var[:, j]
        closure_mean, closure_var = frame.closure_mean[:, j], frame.closure_cov[:, j, j]
        with np.errstate(divide="ignore", invalid="ignore"):
            ssa_fano = np.where(ssa_mean > 0, omega * ssa_var / ssa_mean, np.nan)
            closure_fano = np.where(closure_mean > 0, omega * closure_var / closure_mean, np.nan)
        self.source.stream(
            {
                "t": frame.times,
                "ssa_mean": ssa_mean,
                "closure_mean": closure_mean,
                "ssa_var": ssa_var,
                "closure_var": closure_var,
                "ssa_fano": ssa_fano,
                "closure_fano": closure_fano,
            },
            rollover=self.state.window,
        )

    def summary(self) -> str:
        """The latest values as one line of text."""
        data = self.source.data
        if len(data["t"]) == 0:
            return ""
        last = {k: data[k][-1] for k in data}
        return (
            f"t = {last['t']:.3g}   mean {last['ssa_mean']:.4g} (closure {last['closure_mean']:.4g})   "
            f"variance {last['ssa_var']:.3g} ({last['closure_var']:.3g})   Fano {last['ssa_fano']:.3g} ({last['closure_fano']:.3g})"
        )
