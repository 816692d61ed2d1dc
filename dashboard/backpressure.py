"""Is a session's browser keeping up? Frames for a client that has not taken the
previous ones are dropped rather than queued. And a frame's websocket messages
leave in one TCP segment."""
from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

from bokeh.document import Document

__all__ = ["client_backlogged", "corked", "websocket_streams"]

_CORK = getattr(socket, "TCP_CORK", None)
"""Linux's option holding partial segments back until it is cleared (None elsewhere)."""


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


@contextmanager
def corked(document: Document | None) -> Iterator[None]:
    """Hold back what is written to ``document``'s websockets inside the block and send it
    in as few TCP segments as it fills when the block ends.

    A Bokeh message is three websocket frames (header, metadata, content),
    each written at once as its own segment (Tornado sets ``TCP_NODELAY``): on
    loopback every segment costs the server a system call's full send path and
    wakes the client. Corked, a frame of the page costs one. Does nothing
    where ``TCP_CORK`` does not exist or the socket is gone.
    """
    sockets = [stream.socket for stream in websocket_streams(document)] if _CORK is not None else []
    held = []
    for sock in sockets:
        try:
            sock.setsockopt(socket.IPPROTO_TCP, _CORK, 1)
        except (OSError, AttributeError):
            continue
        held.append(sock)
    try:
        yield
    finally:
        for sock in held:
            try:
                sock.setsockopt(socket.IPPROTO_TCP, _CORK, 0)
            except OSError:
                pass  # closed meanwhile: nothing left to send
