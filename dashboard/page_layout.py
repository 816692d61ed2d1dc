"""The frame every page shares: the navigation bar on top, then the page's controls beside its pictures."""
from __future__ import annotations

import panel as pn

from .navigation import navigation_html
from .style import html_pane

__all__ = ["navigation_bar", "page_layout"]


def navigation_bar(path: str) -> pn.pane.HTML:
    """The navigation bar across the page, with ``path`` (a path of :data:`~dashboard.navigation.PAGES`) marked."""
    return html_pane(navigation_html(path), sizing_mode="stretch_width")


def page_layout(path: str, sidebar: pn.viewable.Viewable, main: pn.viewable.Viewable) -> pn.Column:
    """A page at ``path``: the navigation bar, then ``sidebar`` (controls) to the left of ``main`` (pictures, monitors)."""
    return pn.Column(
        navigation_bar(path),
        pn.Row(sidebar, main, sizing_mode="stretch_width"),
        sizing_mode="stretch_width",
    )
