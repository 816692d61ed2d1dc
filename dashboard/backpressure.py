"""Is a session's browser keeping up? Frames for a client that has not taken the
previous ones are dropped rather than queued."""
from __future__ import annotations

from typing import Iterator

from bokeh.document import Document

__all__ = ["client_backlogged", "websocket_streams"]


def websocket_streams(document: Document | None) -> Iterator:
    """Tornado streams of the websockets connected to ``document``'s session.

    Bokeh keeps no public handle on a session's connections, so this walks
    its server session to Tornado's stream; where that path does not exist
    (no server, another Bokeh) it yields nothing. A browser test checks that
    it finds the stream of a connected page.
    """
    context = getattr(document, "session_context", None)
    session = getattr(context, "_session", None)
    for connection in getattr(session, "_subscribed_connections", ()):
        stream = getattr(getattr(getattr(connection, "_socket", None), "ws_connection", None), "stream", None)
        if stream is not None:
            yield stream


def client_backlogged(document: Document | None) -> bool:
    """True while a websocket of ``document``'s session still holds unsent bytes."""
    return any(stream.writing() for stream in websocket_streams(document))
