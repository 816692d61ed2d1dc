"""Phase plane of a two-dimensional flow: nullclines, vector field, classified fixed points,
trajectories started by clicking."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import numpy as np
from bokeh.events import Tap
from bokeh.models import ColumnDataSource, HoverTool

import engine
from engine.system import System

from .figures import house_figure

__all__ = ["TYPE_COLORS", "PhasePlaneData", "PhasePlaneView", "phase_plane_data", "trajectory"]

FIELD_POINTS = 21
NULLCLINE_POINTS = 160
TRAJECTORY_TIME = 40.0
TYPE_COLORS = {
    "stable node": "#1a9850", "stable focus": "#66bd63", "unstable node": "#d73027", "unstable focus": "#f46d43",
    "saddle": "#762a83", "saddle focus": "#9970ab", "centre": "#2166ac", "non-hyperbolic": "#636363",
}


class PhasePlaneData(NamedTuple):
    """Everything drawn for one parameter set, computed off the event loop."""

    x_range: tuple[float, float]
    y_range: tuple[float, float]
    arrows: dict
    nullclines: list[dict]
    points: dict


def _velocity(system: System, p: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    u, v = np.empty(x.size), np.empty(x.size)
    for k, (a, b) in enumerate(zip(x.ravel(), y.ravel())):
        u[k], v[k] = system.rhs(0.0, (float(a), float(b)), p)
    return u.reshape(x.shape), v.reshape(x.shape)


def _ranges(system: System, params: Mapping[str, Any], points) -> tuple[tuple[float, float], tuple[float, float]]:
    run = engine.simulate(system, params=params, t_end=60.0)
    xs = np.concatenate([run[system.variables[0]].values, points[system.variables[0]].values])
    ys = np.concatenate([run[system.variables[1]].values, points[system.variables[1]].values])
    xs, ys = xs[np.isfinite(xs)], ys[np.isfinite(ys)]

    def padded(values):
        low, high = float(values.min()), float(values.max())
        pad = 0.15 * (high - low) + 0.1 * max(1.0, abs(low), abs(high)) * (high - low < 1e-9)
        return low - pad, high + pad

    return padded(xs), padded(ys)


def phase_plane_data(system: System, params: Mapping[str, Any]) -> PhasePlaneData:
    """Nullclines (zero contours of each component of the velocity, by contourpy), a grid of
    velocity arrows scaled to the grid spacing, and the fixed points with their type and eigenvalues."""
    import contourpy

    p = system.parameter_array(params)
    points = engine.fixed_points(system, params, seeds=24)
    x_range, y_range = _ranges(system, params, points)
    gx, gy = np.meshgrid(np.linspace(*x_range, FIELD_POINTS), np.linspace(*y_range, FIELD_POINTS))
    u, v = _velocity(system, p, gx, gy)
    # arrows of equal length (the direction), at most 0.8 grid cells
    cell = np.array([(x_range[1] - x_range[0]) / FIELD_POINTS, (y_range[1] - y_range[0]) / FIELD_POINTS])
    norm = np.hypot(u / cell[0], v / cell[1])
    norm[norm == 0] = 1.0
    scale = 0.8 / norm
    arrows = {
        "x0": gx.ravel(), "y0": gy.ravel(), "x1": (gx + u * scale).ravel(), "y1": (gy + v * scale).ravel(),
        # direction in grid cells, about square on screen: the angle of the arrowhead
        "angle": (np.arctan2(v / cell[1], u / cell[0]) - np.pi / 2).ravel(),
    }
    nx, ny = np.meshgrid(np.linspace(*x_range, NULLCLINE_POINTS), np.linspace(*y_range, NULLCLINE_POINTS))
    nu, nv = _velocity(system, p, nx, ny)
    nullclines = []
    for component, name in ((nu, system.variables[0]), (nv, system.variables[1])):
        lines = contourpy.contour_generator(nx, ny, component, line_type="Separate").lines(0.0)
        nullclines.append({"xs": [line[:, 0] for line in lines], "ys": [line[:, 1] for line in lines], "name": name})
    eig = points["eigenvalue_real"].values + 1j * points["eigenvalue_imag"].values
    kinds = points["type"].values.tolist()
    shown = {
        "x": points[system.variables[0]].values, "y": points[system.variables[1]].values, "type": kinds,
        "color": [TYPE_COLORS.get(kind, "#636363") for kind in kinds],
        "eigenvalues": [", ".join(f"{value:.4g}" for value in row) for row in eig],
    }
    return PhasePlaneData(x_range, y_range, arrows, nullclines, shown)


def trajectory(system: System, params: Mapping[str, Any], x: float, y: float) -> dict:
    """A trajectory from ``(x, y)``, forward for :data:`TRAJECTORY_TIME`, as line coordinates."""
    run = engine.simulate(system, params=params, state0=(x, y), t_end=TRAJECTORY_TIME)
    return {"x": run[system.variables[0]].values, "y": run[system.variables[1]].values}


class PhasePlaneView:
    """The Bokeh figure of a phase plane; ``on_tap(x, y)`` receives a clicked point."""

    def __init__(self, on_tap: Callable[[float, float], None]) -> None:
        fig = house_figure(height=420, sizing_mode="stretch_width", tools="pan,wheel_zoom,reset,save", css_classes=["ps-phase-plane"])
        self.arrows = ColumnDataSource({"x0": [], "y0": [], "x1": [], "y1": [], "angle": []})
        fig.segment("x0", "y0", "x1", "y1", source=self.arrows, color="#9ecae1", line_width=1.2)
        fig.scatter("x1", "y1", source=self.arrows, marker="triangle", angle="angle", size=5, color="#6baed6")
        self.nullclines = [ColumnDataSource({"xs": [], "ys": []}) for _ in range(2)]
        self._nullcline_renderers = [
            fig.multi_line("xs", "ys", source=source, line_width=2.2, color=color, legend_label=label)
            for source, color, label in zip(self.nullclines, ("#e6550d", "#31a354"), ("first nullcline", "second nullcline"))
        ]
        self.trajectories = ColumnDataSource({"xs": [], "ys": []}, name="ps-phase-trajectories")
        fig.multi_line("xs", "ys", source=self.trajectories, line_width=1.6, color="#08306b", alpha=0.8)
        self.points = ColumnDataSource({"x": [], "y": [], "type": [], "color": [], "eigenvalues": []}, name="ps-fixed-points")
        dots = fig.scatter("x", "y", source=self.points, size=12, color="color", line_color="black")
        fig.add_tools(HoverTool(renderers=[dots], tooltips=[("type", "@type"), ("eigenvalues", "@eigenvalues"), ("at", "(@x, @y)")]))
        fig.legend.location = "top_right"
        fig.legend.background_fill_alpha = 0.6
        fig.on_event(Tap, lambda event: on_tap(event.x, event.y))
        self.figure = fig

    def show(self, system: System, title: str, data: PhasePlaneData) -> None:
        """Draw ``data`` (clearing the trajectories)."""
        fig = self.figure
        fig.title.text = title
        fig.xaxis.axis_label, fig.yaxis.axis_label = system.variables[0], system.variables[1]
        fig.x_range.update(start=data.x_range[0], end=data.x_range[1])
        fig.y_range.update(start=data.y_range[0], end=data.y_range[1])
        self.arrows.data = data.arrows
        for source, renderer, lines in zip(self.nullclines, self._nullcline_renderers, data.nullclines):
            source.data = {"xs": lines["xs"], "ys": lines["ys"]}
            label = f"d{lines['name']}/dt = 0"
            for item in fig.legend.items:
                if renderer in item.renderers:
                    item.label = {"value": label}
        self.points.data = data.points
        self.trajectories.data = {"xs": [], "ys": []}

    def add_trajectory(self, line: dict) -> None:
        self.trajectories.stream({"xs": [line["x"]], "ys": [line["y"]]}, rollover=12)
