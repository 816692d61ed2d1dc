"""A cap on the sessions one server process holds, with a clear page once it is reached.

Every page of :data:`~dashboard.apps.ROUTES` is served through
:meth:`SessionLimit.guard`: a session counts from the moment its page is
built until Bokeh destroys it (its browser closed, or an HTTP-only request
whose page never connected, after the unused-session lifetime). Past the
cap, the next visitor gets a short page saying the server is full instead of
a page that hangs while the server struggles.

The serving limits' defaults live here too; this module imports the web
stack only when a page is built, so the command line reads them cheaply.
"""
from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from .navigation import navigation_html

if TYPE_CHECKING:
    import panel as pn

__all__ = [
    "DEFAULT_MAX_SESSIONS",
    "DEFAULT_MAX_UPLOAD_MB",
    "DEFAULT_SESSION_LIFETIME_S",
    "SessionLimit",
    "capacity_page",
]

DEFAULT_MAX_SESSIONS = 60
"""Sessions one process holds by default: a class of 30 with a second tab each."""
DEFAULT_MAX_UPLOAD_MB = 20
"""Largest uploaded file by default, MiB."""
DEFAULT_SESSION_LIFETIME_S = 15
"""Seconds a session whose browser has gone is kept before it is freed."""


def capacity_page(limit: int) -> pn.viewable.Viewable:
    """The page shown when all ``limit`` sessions of the server are taken."""
    import panel as pn

    from .style import html_pane

    return pn.Column(
        html_pane(navigation_html(""), sizing_mode="stretch_width"),
        html_pane(
            "<div class='ps-capacity'><h2>This Phasescope server is full</h2>"
            f"<p>All {int(limit)} places are taken. Try again in a minute: reload this page once someone has "
            "closed theirs. (Teachers: start the server with a higher <code>--max-sessions</code>, or more "
            "processes with <code>--num-procs</code>.)</p></div>",
            sizing_mode="stretch_width",
        ),
        sizing_mode="stretch_width",
    )


class SessionLimit:
    """Counts the live page sessions of this process and refuses past ``max_sessions``.

    Parameters
    ----------
    max_sessions : int
        Most sessions held at once (at least 1).
    """

    def __init__(self, max_sessions: int) -> None:
        if isinstance(max_sessions, bool) or not isinstance(max_sessions, int) or max_sessions < 1:
            raise ValueError(f"max_sessions must be a whole number >= 1, got {max_sessions!r}")
        self.max_sessions = max_sessions
        self._live = 0
        self._lock = threading.Lock()

    @property
    def live(self) -> int:
        """Sessions currently held."""
        with self._lock:
            return self._live

    def _admit(self) -> bool:
        with self._lock:
            if self._live >= self.max_sessions:
                return False
            self._live += 1
            return True

    def _release(self, session_context) -> None:
        with self._lock:
            self._live -= 1

    def guard(self, factory: Callable[[], pn.viewable.Viewable]) -> Callable[[], pn.viewable.Viewable]:
        """``factory`` for a server route, serving :func:`capacity_page` once the cap is reached."""

        import panel as pn

        @functools.wraps(factory)
        def guarded() -> pn.viewable.Viewable:
            document = pn.state.curdoc
            if document is None or document.session_context is None:
                return factory()  # built outside a server session: nothing to count
            if not self._admit():
                return capacity_page(self.max_sessions)
            try:
                page = factory()
            except BaseException:
                self._release(None)
                raise
            document.on_session_destroyed(self._release)
            return page

        return guarded
