"""Bokeh figures in the house style: the same tools on every picture and no Bokeh logo."""
from __future__ import annotations

from typing import Any

from bokeh.plotting import figure

__all__ = ["TOOLS", "house_figure"]

TOOLS = "pan,wheel_zoom,box_zoom,reset,save"
"""The tools of a picture that can be explored: pan, wheel and box zoom, reset, save as PNG."""


def house_figure(*, tools: str = TOOLS, **options: Any) -> figure:
    """A Bokeh figure with ``tools`` and no Bokeh logo in its toolbar.

    Parameters
    ----------
    tools : str
        Bokeh's tool names, comma-separated; :data:`TOOLS` by default.
    **options
        Passed to :func:`bokeh.plotting.figure` (``height``, ``title``,
        ``x_axis_label``, ``y_range`` ...).
    """
    fig = figure(tools=tools, **options)
    fig.toolbar.logo = None
    return fig
