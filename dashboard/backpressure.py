"""Is a session's browser keeping up? Frames for a client that has not taken the
previous ones are dropped rather than queued."""
from __future__ import annotations

from bokeh.document import Document

__all__ = ["client_backlogged"]


def client_backlogged(document: Document | None) -> bool:
    """True while a websocket of ``document``'s session still holds unsent bytes.

    Bokeh keeps no public handle on a session's connections, so this looks
    through its server session to Tornado's stream (``IOStream.writing()``);
    where that path does not exist (no server, another Bokeh) it answers False
    and frames flow as usual.
    """
    context = getattr(document, "session_context", None)
    session = getattr(context, "_session", None)
    for connection in getattr(session, "_subscribed_connections", ()):
        stream = getattr(getattr(getattr(connection, "_socket", None), "ws_connection", None), "stream", None)
        if stream is not None and stream.writing():
            return True
    return False
