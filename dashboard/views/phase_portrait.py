"""Live phase portrait: a streamed trace over a datashader-rasterized history."""
from __future__ import annotations

import io
import logging
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

import numpy as np
from bokeh.events import Tap
from bokeh.models import ColumnDataSource
from bokeh.palettes import Category10_10

from ..state import ExplorerState, Frame
from .figures import house_figure

__all__ = ["PhasePortrait", "TRAIL", "import_shading", "rasterize", "shade_in_background"]

TRAIL = 1500
DENSITY_SHAPE = (360, 360)
DENSITY_COLORS = ["#c6dbef", "#6baed6", "#2171b5", "#08306b"]
_LOG = logging.getLogger(__name__)
_RASTERIZER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="phasescope-density")
"""Shades portraits off the event loop (numba releases the GIL while aggregating)."""


def import_shading() -> None:
    """Import datashader and pandas on the calling thread, which must be the
    server's event-loop thread: importing them first in the shading thread races
    with Bokeh's own lazy pandas import on the event loop. Kept off start-up
    (they cost about half a second): the server calls this shortly after it
    starts, and live portraits shade their history from then on."""
    import datashader  # noqa: F401
    import pandas  # noqa: F401


def shade_in_background(work: Callable[[], None]) -> None:
    """Run ``work`` on the shading thread."""
    _RASTERIZER.submit(work)


def _padded(values: np.ndarray) -> tuple[float, float]:
    low, high = float(np.min(values)), float(np.max(values))
    pad = 0.05 * (high - low) if high > low else max(1.0, abs(low)) * 0.05
    return low - pad, high + pad


def rasterize(x: np.ndarray, y: np.ndarray, *, connect: bool, shape: tuple[int, int] = DENSITY_SHAPE):
    """Shade the density of trajectories ``x``, ``y`` (shape ``(members, k)``) with datashader.

    ``connect`` draws each trajectory as a line (flows); otherwise as points
    (maps). Returns the shaded ``datashader.transfer_functions.Image`` (packed
    RGBA, first row at the lowest y) and its x and y ranges.
    """
    import datashader as ds
    import datashader.transfer_functions as tf
    import pandas as pd

    # a NaN between trajectories keeps datashader from joining them
    gap = np.full((x.shape[0], 1), np.nan)
    frame = pd.DataFrame({"x": np.hstack([x, gap]).ravel(), "y": np.hstack([y, gap]).ravel()})
    x_range, y_range = _padded(x), _padded(y)
    canvas = ds.Canvas(plot_width=shape[1], plot_height=shape[0], x_range=x_range, y_range=y_range)
    glyph = canvas.line if connect else canvas.points
    counts = glyph(frame, "x", "y", agg=ds.count())
    return tf.shade(counts, cmap=DENSITY_COLORS, how="eq_hist", min_alpha=90), x_range, y_range


class PhasePortrait:
    """The portrait of one explorer session, one Bokeh figure for its lifetime.

    :meth:`restart` clears it for a restarted run (new axes, system or
    ensemble); :meth:`push` streams a frame's new points (rolled over after
    :data:`TRAIL` per trajectory); :meth:`refresh_density` redraws the
    accumulated history as a datashader image under the trace.
    """

    def __init__(
        self,
        state: ExplorerState,
        on_tap: Callable[[float, float], None],
        schedule: Callable[[Callable[[], None]], None] | None = None,
    ) -> None:
        self.state = state
        self._schedule = schedule
        self._pending = False
        self._epoch = 0
        self._shape = None
        fig = house_figure(
            height=520,
            sizing_mode="stretch_width",
            active_scroll="wheel_zoom",
            output_backend="webgl",
            css_classes=["ps-portrait"],
        )
        self.density = ColumnDataSource({"image": [], "x": [], "y": [], "dw": [], "dh": []})
        self._density_glyph = fig.image_rgba(image="image", x="x", y="y", dw="dw", dh="dh", source=self.density)
        self.head = ColumnDataSource({"x": [], "y": [], "color": []})
        self._head_glyph = fig.scatter("x", "y", source=self.head, size=9, color="color", line_color="white")
        fig.on_event(Tap, lambda event: on_tap(event.x, event.y))
        self.figure = fig
        self.restart()

    def restart(self) -> None:
        """Clear the picture for the state's current run; the trace glyphs are
        made anew only when the number or kind (line, points) of trajectories changed."""
        state = self.state
        fig = self.figure
        self._epoch += 1  # shading still under way belongs to the old run
        fig.title.text = f"{state.system.name}: {state.y_axis} against {state.x_axis}"
        fig.xaxis.axis_label = state.x_axis
        fig.yaxis.axis_label = state.y_axis
        self.density.data = {"image": [], "x": [], "y": [], "dw": [], "dh": []}
        self.head.data = {"x": [], "y": [], "color": []}
        members, is_map = state.simulation.members, state.system.family == "map"
        self._columns = [(f"x{m}", f"y{m}") for m in range(members)]
        empty = {name: [] for pair in self._columns for name in pair}
        if self._shape == (members, is_map):
            self.trace.data = empty
            return
        self._shape = (members, is_map)
        self.trace = ColumnDataSource(empty, name="ps-trace")
        fig.renderers = [self._density_glyph]
        for m, (cx, cy) in enumerate(self._columns):
            color = Category10_10[m % 10]
            if is_map:
                fig.scatter(cx, cy, source=self.trace, size=3, color=color, alpha=0.7)
            else:
                fig.line(cx, cy, source=self.trace, line_width=1.6, color=color, alpha=0.9)
        fig.renderers = [*fig.renderers, self._head_glyph]

    def push(self, frame: Frame) -> None:
        if frame.times.size == 0:
            return
        state = self.state
        xs = state.axis_values(state.x_axis, frame.times, frame.points, frame.previous)
        ys = state.axis_values(state.y_axis, frame.times, frame.points, frame.previous)
        new = {}
        for m, (cx, cy) in enumerate(self._columns):  # (lists travel inside the frame's one message;
            new[cx] = xs[m].tolist()  # arrays would each add a binary websocket message)
            new[cy] = ys[m].tolist()
        self.trace.stream(new, rollover=TRAIL)
        members = xs.shape[0]
        self.head.stream(  # a small patch: the newest point of each trajectory replaces the last
            {"x": xs[:, -1].tolist(), "y": ys[:, -1].tolist(), "color": [Category10_10[m % 10] for m in range(members)]},
            rollover=members,
        )

    def _shader(self, shape: tuple[int, int] = DENSITY_SHAPE) -> Callable[[], tuple | None]:
        """Take the history now; the returned function shades it (None while it is too short)."""
        x, y = self.state.portrait_history()
        connect = self.state.system.family != "map"
        return lambda: rasterize(x, y, connect=connect, shape=shape) if x.shape[1] >= 2 else None

    def refresh_density(self) -> None:
        """Redraw the accumulated history under the trace.

        With a ``schedule`` (a running server), datashader works in a
        background thread and the image is applied on the session's event
        loop; a refresh asked for while one is pending is dropped, and one
        that finishes after a restart is discarded.
        """
        if self._schedule is None:
            self._apply(self._shader()())
            return
        if self._pending or "datashader" not in sys.modules:
            return  # the server imports datashader on its event loop shortly after start
        self._pending = True
        shade = self._shader()
        epoch = self._epoch

        def work() -> None:
            shaded = None
            try:
                shaded = shade()
            except Exception:  # a failed picture must not stop the live view
                _LOG.exception("shading the portrait failed")
            finally:
                self._schedule(lambda: self._finish(epoch, shaded))

        shade_in_background(work)

    def _finish(self, epoch: int, shaded) -> None:
        self._pending = False
        if epoch == self._epoch:
            self._apply(shaded)

    def _apply(self, shaded: tuple | None) -> None:
        if shaded is None:
            return
        image, (x0, x1), (y0, y1) = shaded
        self.density.data = {"image": [image.data], "x": [x0], "y": [y0], "dw": [x1 - x0], "dh": [y1 - y0]}

    def png(self) -> io.BytesIO:
        """The accumulated portrait as PNG bytes."""
        shaded = self._shader(shape=(800, 800))()
        if shaded is None:
            raise ValueError("nothing to draw yet: run the simulation first")
        buffer = io.BytesIO()
        shaded[0].to_pil().save(buffer, format="PNG")
        buffer.seek(0)
        return buffer
