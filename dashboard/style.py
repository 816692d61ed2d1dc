"""The house stylesheet (assets/phasescope.css) and HTML panes that carry it.

Panel renders panes in shadow DOM, so page-wide CSS does not reach them: each
styled pane takes the stylesheet itself.
"""
from __future__ import annotations

from pathlib import Path

import panel as pn

__all__ = ["ASSETS", "STYLESHEET", "html_pane"]

ASSETS = Path(__file__).resolve().parents[1] / "assets"
STYLESHEET = (ASSETS / "phasescope.css").read_text()


def html_pane(text: str, **options) -> pn.pane.HTML:
    """An HTML pane styled with the house stylesheet; ``text`` must already be escaped."""
    return pn.pane.HTML(text, stylesheets=[STYLESHEET], **options)
