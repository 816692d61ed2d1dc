"""A school in three linked projections: top (x, y), side (x, z) and front (y, z), with headings."""
from __future__ import annotations

import numpy as np
from bokeh.models import ColumnDataSource, Range1d

from .figures import house_figure

__all__ = ["SchoolProjections"]

PANELS = (("x", "y", "top view"), ("x", "z", "side view"), ("y", "z", "front view"))
HEADING_LENGTH = 0.6
"""Drawn length of a heading, in units of the repulsion radius."""
_MARGIN = 1.3


class SchoolProjections:
    """Three figures sharing one data source and linked ranges (pan one, the others follow).

    The source holds float32 columns ``x, y, z`` (positions) and ``hx, hy, hz``
    (ends of the heading strokes); :meth:`show` replaces them in one message.
    In a periodic box the ranges are the box; in open space they follow the
    school, moving only when it leaves the window or fills little of it.
    """

    def __init__(self, size: int = 330) -> None:
        self.source = ColumnDataSource({k: np.zeros(0, np.float32) for k in ("x", "y", "z", "hx", "hy", "hz")},
                                       name="ps-school-positions")
        self.ranges = {axis: Range1d(0.0, 1.0) for axis in "xyz"}
        self.figures = []
        for a, b, title in PANELS:
            fig = house_figure(width=size, height=size, title=title, x_range=self.ranges[a], y_range=self.ranges[b],
                               tools="pan,wheel_zoom,reset,save", output_backend="webgl", match_aspect=True,
                               x_axis_label=a, y_axis_label=b)
            fig.segment(a, b, f"h{a}", f"h{b}", source=self.source, line_color="#6baed6", line_width=1.2)
            fig.scatter(a, b, source=self.source, size=3.5, color="#08306b", line_color=None)
            self.figures.append(fig)
        self._window: tuple[np.ndarray, float] | None = None
        self._periodic = False

    def restart(self, box_size: float | None) -> None:
        """A new run: a periodic box fixes the ranges to it; open space recentres on the next frame."""
        self._window = None
        if box_size is not None:
            for r in self.ranges.values():
                r.update(start=0.0, end=box_size)
            self._window = (np.full(3, box_size / 2), box_size / 2)
        self._periodic = box_size is not None

    def show(self, positions: np.ndarray, headings: np.ndarray, stroke: float) -> None:
        """Draw ``positions`` (N, 3) with heading strokes of length ``stroke``."""
        ends = positions + stroke * headings
        self.source.data = {
            "x": positions[:, 0].astype(np.float32), "y": positions[:, 1].astype(np.float32),
            "z": positions[:, 2].astype(np.float32), "hx": ends[:, 0].astype(np.float32),
            "hy": ends[:, 1].astype(np.float32), "hz": ends[:, 2].astype(np.float32),
        }
        if not self._periodic:
            self._follow(positions, stroke)

    def _follow(self, positions: np.ndarray, stroke: float) -> None:
        low, high = positions.min(axis=0), positions.max(axis=0)
        centre = (low + high) / 2
        half = max(float((high - low).max()) / 2, stroke) * _MARGIN
        if self._window is not None:
            old_centre, old_half = self._window
            inside = bool(np.all(low >= old_centre - old_half) and np.all(high <= old_centre + old_half))
            if inside and half > 0.4 * old_half:
                return
        self._window = (centre, half)
        for k, axis in enumerate("xyz"):
            self.ranges[axis].update(start=float(centre[k] - half), end=float(centre[k] + half))
