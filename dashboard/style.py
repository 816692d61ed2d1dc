"""The house stylesheet (assets/phasescope.css) and HTML panes that carry it.

Panel renders panes in shadow DOM, so page-wide CSS does not reach them: each
styled pane takes the stylesheet itself.
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import panel as pn

__all__ = ["ASSETS", "STYLESHEET", "html_pane"]


def _assets():
    try:  # installed: assets/ is the package data dashboard.assets
        return files("dashboard.assets")
    except ModuleNotFoundError:  # imported from a source tree, where assets/ sits beside dashboard/
        return Path(__file__).resolve().parents[1] / "assets"


ASSETS = _assets()
"""The repository's assets/ folder (stylesheet, pictures)."""
STYLESHEET = (ASSETS / "phasescope.css").read_text()


def html_pane(text: str, **options) -> pn.pane.HTML:
    """An HTML pane styled with the house stylesheet; ``text`` must already be escaped."""
    return pn.pane.HTML(text, stylesheets=[STYLESHEET], **options)
