"""Figures in the house style: the house tools, no Bokeh logo, options passed on."""
from __future__ import annotations

from bokeh.models import BoxZoomTool, PanTool, ResetTool, SaveTool, WheelZoomTool

from dashboard.views.figures import house_figure


def test_house_tools_no_logo_and_the_options_reach_the_figure():
    fig = house_figure(height=200, title="r(t)", x_axis_label="t", y_axis_label="r")
    assert fig.toolbar.logo is None and fig.height == 200 and fig.title.text == "r(t)"
    assert [type(tool) for tool in fig.toolbar.tools] == [PanTool, WheelZoomTool, BoxZoomTool, ResetTool, SaveTool]
    assert fig.xaxis[0].axis_label == "t" and fig.yaxis[0].axis_label == "r"
    assert [type(tool) for tool in house_figure(tools="save").toolbar.tools] == [SaveTool]
