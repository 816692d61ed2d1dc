"""phi(x, t) as a space-time image (x across, time upwards) from a field simulation's kept snapshots."""
from __future__ import annotations

import numpy as np
from bokeh.models import ColorBar, ColumnDataSource, LinearColorMapper
from bokeh.palettes import RdBu11

from engine.fields import FieldSimulation

from .figures import house_figure

__all__ = ["IMAGE_PERIOD_S", "MAX_COLUMNS", "MAX_ROWS", "SpaceTimeImage"]

IMAGE_PERIOD_S = 0.5
"""The image is sent at most this often: at 256 x 256 float32 that is about 0.5 MB/s per session."""

MAX_COLUMNS = 256
"""Grid points drawn across (the grid subsampled evenly beyond this; the profile shows every point)."""
MAX_ROWS = 256
"""Snapshots drawn upwards (the latest, subsampled evenly beyond this)."""


class SpaceTimeImage:
    """One image glyph whose data is replaced at each :meth:`draw`; one figure per session."""

    def __init__(self) -> None:
        fig = house_figure(height=380, sizing_mode="stretch_width", title="φ(x, t)", x_axis_label="x", y_axis_label="t")
        self.colors = LinearColorMapper(palette=list(reversed(RdBu11)), low=-1, high=1)
        self.source = ColumnDataSource({"image": [], "x": [], "y": [], "dw": [], "dh": []}, name="ps-field-image")
        fig.image(image="image", x="x", y="y", dw="dw", dh="dh", source=self.source, color_mapper=self.colors)
        fig.add_layout(ColorBar(color_mapper=self.colors, width=10), "right")
        self.figure = fig

    def draw(self, simulation: FieldSimulation) -> None:
        """Show the kept snapshots; colours span the field's range, symmetric about zero."""
        times, phi, _, _ = simulation.history()
        rows = np.unique(np.linspace(0, times.size - 1, min(MAX_ROWS, times.size)).astype(int))
        columns = np.unique(np.linspace(0, simulation.grid.n - 1, min(MAX_COLUMNS, simulation.grid.n)).astype(int))
        image = np.ascontiguousarray(phi[np.ix_(rows, columns)], dtype=np.float32)
        reach = float(np.abs(image).max()) or 1.0
        self.colors.update(low=-reach, high=reach)
        grid = simulation.grid
        self.source.data = {
            "image": [image], "x": [grid.x_min], "y": [float(times[0])], "dw": [grid.length],
            "dh": [max(float(times[-1] - times[0]), 1e-9)],
        }
