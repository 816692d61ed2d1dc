"""The orbit diagram: millions of (parameter, sample) points shaded by datashader, built chunk by chunk."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
from bokeh.events import RangesUpdate, Tap
from bokeh.models import ColumnDataSource, HoverTool, Range1d, Span

from engine.system import System

from .figures import house_figure

__all__ = ["COARSE_SHAPE", "SHAPE", "DiagramCounts", "OrbitDiagramView", "equilibrium_branches"]

SHAPE = (420, 900)
"""Rows and columns of the shaded image (about the figure's size in pixels)."""
COARSE_SHAPE = (210, 450)
"""A canvas for sparse diagrams (flows): the browser stretches each cell over about 2 x 2 pixels,
so isolated samples stay visible without datashader's spreading (compiled on first use, seconds)."""
COLORS = ["#c6dbef", "#6baed6", "#2171b5", "#08306b"]


class DiagramCounts:
    """How many samples fall in each pixel of a fixed canvas, summed over chunks.

    Counts add, so a chunk of parameter values is aggregated once (in a
    background thread) and the picture of all chunks so far is shaded from
    the running sum.
    """

    def __init__(self, x_range: tuple[float, float], y_range: tuple[float, float], shape: tuple[int, int] = SHAPE) -> None:
        self.x_range, self.y_range, self.shape = x_range, y_range, shape
        self.total = None
        self.points = 0

    def add(self, parameter_values: np.ndarray, samples: np.ndarray) -> None:
        """Aggregate samples of shape ``(len(parameter_values), k)`` (NaN ignored)."""
        import datashader as ds
        import pandas as pd

        x = np.repeat(parameter_values, samples.shape[1])
        y = samples.ravel()
        keep = np.isfinite(y)
        frame = pd.DataFrame({"p": x[keep], "v": y[keep]})
        canvas = ds.Canvas(plot_width=self.shape[1], plot_height=self.shape[0], x_range=self.x_range, y_range=self.y_range)
        counts = canvas.points(frame, "p", "v", agg=ds.count())
        self.total = counts if self.total is None else self.total + counts
        self.points += int(keep.sum())

    def image(self) -> np.ndarray | None:
        """The shaded picture so far (packed RGBA, first row at the lowest value), None when empty."""
        if self.total is None or self.points == 0:
            return None
        import datashader.transfer_functions as tf

        return tf.shade(self.total, cmap=COLORS, how="eq_hist", min_alpha=90).data


def equilibrium_branches(system: System | str, parameter: str, variable: str, start: float, stop: float, params: dict) -> dict:
    """Branches of equilibria (fixed points of maps) over ``[start, stop]`` by
    :func:`engine.continuation`, cut into stable and unstable runs, with the special points."""
    import engine

    ds = engine.continuation(system, parameter, start, stop, params=params, max_points=400)
    lines: dict[str, dict] = {"stable": {"xs": [], "ys": []}, "unstable": {"xs": [], "ys": []}}
    for number in np.unique(ds["branch"].values):
        on = ds["branch"].values == number
        x, y, stable = ds[parameter].values[on], ds[variable].values[on], ds["stable"].values[on]
        cuts = np.flatnonzero(np.diff(stable.astype(int))) + 1
        for run in np.split(np.arange(x.size), cuts):
            if run.size:
                ends = slice(run[0], min(run[-1] + 2, x.size))  # joined to the next run's first point
                kind = "stable" if stable[run[0]] else "unstable"
                lines[kind]["xs"].append(x[ends])
                lines[kind]["ys"].append(y[ends])
    special = {"x": ds["special_value"].values, "y": ds[f"special_{variable}"].values,
               "kind": ds["special_kind"].values.tolist()}
    return {**lines, "special": special}


class OrbitDiagramView:
    """One Bokeh figure for a session's orbit diagram.

    ``on_tap(value)`` receives the parameter value a person clicks;
    ``on_zoom(x_range, y_range)`` the ranges after a zoom, pan or reset by a
    tool (Bokeh sends ``RangesUpdate`` for those only, not for ranges the
    server sets): the page recomputes the diagram there.
    """

    def __init__(self, on_tap: Callable[[float], None], on_zoom: Callable[[tuple[float, float], tuple[float, float]], None]) -> None:
        fig = house_figure(
            height=SHAPE[0] + 40,
            sizing_mode="stretch_width",
            tools="xpan,box_zoom,xwheel_zoom,reset,save",
            x_range=Range1d(0.0, 1.0),
            y_range=Range1d(0.0, 1.0),
            active_scroll="xwheel_zoom",
            css_classes=["ps-orbit-diagram"],
        )
        self.source = ColumnDataSource({"image": [], "x": [], "y": [], "dw": [], "dh": []}, name="ps-orbit-image")
        fig.image_rgba(image="image", x="x", y="y", dw="dw", dh="dh", source=self.source)
        self.marker = Span(location=0.0, dimension="height", line_color="#d62728", line_width=2, visible=False)
        fig.add_layout(self.marker)
        self.stable = ColumnDataSource({"xs": [], "ys": []}, name="ps-stable-branches")
        self.unstable = ColumnDataSource({"xs": [], "ys": []}, name="ps-unstable-branches")
        self.special = ColumnDataSource({"x": [], "y": [], "kind": []}, name="ps-special-points")
        fig.multi_line("xs", "ys", source=self.stable, line_width=2.5, color="#31a354", legend_label="stable equilibria")
        fig.multi_line("xs", "ys", source=self.unstable, line_width=2, color="#e6550d", line_dash="dashed",
                       legend_label="unstable equilibria")
        dots = fig.scatter("x", "y", source=self.special, size=10, marker="diamond", color="black")
        fig.add_tools(HoverTool(renderers=[dots], tooltips=[("", "@kind"), ("at", "@x{0.00000}")]))
        fig.legend.location = "top_left"
        fig.legend.background_fill_alpha = 0.6
        fig.legend.click_policy = "hide"
        fig.on_event(Tap, lambda event: on_tap(event.x))
        fig.on_event(RangesUpdate, lambda event: on_zoom((event.x0, event.x1), (event.y0, event.y1)))
        self.figure = fig

    def reset(self, title: str, x_label: str, y_label: str, x_range: tuple[float, float], *, home: bool) -> None:
        """Clear the picture for a new diagram over ``x_range``; with ``home`` the reset
        tool returns to it (a new setting, not a zoom)."""
        fig = self.figure
        fig.title.text = title
        fig.xaxis.axis_label = x_label
        fig.yaxis.axis_label = y_label
        self.source.data = {"image": [], "x": [], "y": [], "dw": [], "dh": []}
        fig.x_range.update(start=x_range[0], end=x_range[1], **({"reset_start": x_range[0], "reset_end": x_range[1]} if home else {}))

    def show_values(self, y_range: tuple[float, float], *, home: bool) -> None:
        """Show the value axis over ``y_range`` (and return there on reset with ``home``)."""
        self.figure.y_range.update(start=y_range[0], end=y_range[1], **({"reset_start": y_range[0], "reset_end": y_range[1]} if home else {}))

    def show(self, image: np.ndarray, x_range: tuple[float, float], y_range: tuple[float, float]) -> None:
        """Show a shaded ``image`` covering ``x_range`` by ``y_range``."""
        self.source.data = {
            "image": [image], "x": [x_range[0]], "y": [y_range[0]],
            "dw": [x_range[1] - x_range[0]], "dh": [y_range[1] - y_range[0]],
        }

    def show_branches(self, branches: dict | None) -> None:
        """Draw branches of equilibria (``stable``, ``unstable``: line coordinates) and their
        ``special`` points, as :func:`equilibrium_branches` gives them; None clears them."""
        branches = branches or {"stable": {"xs": [], "ys": []}, "unstable": {"xs": [], "ys": []},
                                "special": {"x": [], "y": [], "kind": []}}
        self.stable.data = branches["stable"]
        self.unstable.data = branches["unstable"]
        self.special.data = branches["special"]

    def mark(self, value: float) -> None:
        """Draw the vertical marker at the parameter value shown in the linked portrait."""
        self.marker.update(location=value, visible=True)
