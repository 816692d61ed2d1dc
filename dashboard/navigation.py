"""Pages of the app and the navigation bar they share."""
from __future__ import annotations

import html

__all__ = ["PAGES", "navigation_html"]

PAGES = {
    "/": "Explorer",
    "/catalog": "Catalog",
    "/bifurcation": "Bifurcation",
    "/gallery": "Chaos gallery",
    "/school": "Fish school",
    "/sync": "Synchronization",
    "/fields": "Fields",
    "/concentration": "Concentration",
    "/kinetics": "Kinetics",
}
"""URL path -> title of every page, in navigation order."""


def navigation_html(current: str) -> str:
    """The navigation bar with ``current`` (a path of :data:`PAGES`) marked."""
    links = "".join(
        f"<a href='{'.' if path == '/' else '.' + path}' class='ps-nav-link{' ps-nav-current' if path == current else ''}'>"
        f"{html.escape(title)}</a>"
        for path, title in PAGES.items()
    )
    return f"<nav class='ps-nav'><span class='ps-brand'>Phasescope</span>{links}</nav>"
