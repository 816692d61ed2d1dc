"""The reference for the explorer's start-up and frame-rate bars: a bare Panel
page that streams one line with a periodic callback, nothing else.

    python benchmarks/bare_stream_page.py PORT
"""
import math
import sys

import panel as pn
from bokeh.models import ColumnDataSource
from bokeh.plotting import figure


def page():
    source = ColumnDataSource({"x0": [], "y0": []}, name="ps-trace")  # found like the explorer's trace
    fig = figure(height=500, sizing_mode="stretch_width")
    fig.line("x0", "y0", source=source)
    counter = {"i": 0}

    def tick():
        i = counter["i"] = counter["i"] + 1
        source.stream({"x0": [i * 0.05], "y0": [math.sin(i * 0.05)]}, rollover=1500)

    pn.state.add_periodic_callback(tick, period=33)
    return pn.pane.Bokeh(fig, sizing_mode="stretch_width")


if __name__ == "__main__":
    port = int(sys.argv[1])
    pn.serve({"/": page}, port=port, address="127.0.0.1", show=False, websocket_origin=[f"localhost:{port}"])
