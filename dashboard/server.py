"""Serving the pages: one Bokeh server, per-session apps, kernels warmed at start."""
from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Sequence

import numpy as np
import panel as pn
from tornado.ioloop import PeriodicCallback
from tornado.process import task_id

from .apps import ROUTES
from .capacity import (
    DEFAULT_MAX_SESSIONS,
    DEFAULT_MAX_UPLOAD_MB,
    DEFAULT_SESSION_LIFETIME_S,
    SessionLimit,
)
from .memory import map_large_blocks, release_memory
from .navigation import PAGES
from .views.phase_portrait import import_shading, rasterize, shade_in_background
from .warmup import compile_catalog_in_background, end_with_parent, start_default

__all__ = ["build_server"]

BACKGROUND_WARM_DELAY_S = 3.0
RELEASE_CHECK_MS = 5000

_LOG = logging.getLogger(__name__)


def _warm_shading() -> None:
    """On the event-loop thread: import datashader, then compile its kernels on the shading thread."""
    import_shading()
    shade_in_background(_compile_shading)


def _compile_shading() -> None:
    line = np.linspace(0.0, 1.0, 10)[None, :]
    try:
        for connect in (True, False):
            rasterize(line, line, connect=connect)
    except Exception:  # the live view works without it; the first picture then compiles
        _LOG.exception("warming datashader failed")


def _release_memory_after_sessions_end(limit: SessionLimit) -> PeriodicCallback:
    """A check every :data:`RELEASE_CHECK_MS` that, once sessions have ended since
    the previous check, gives their memory back (:func:`~dashboard.memory.release_memory`)."""
    seen = {"live": 0, "ended": False}

    def check() -> None:
        if seen["ended"]:  # the ended sessions' documents have been cleaned up by now
            release_memory()
        live = limit.live
        seen["ended"], seen["live"] = live < seen["live"], live

    return PeriodicCallback(check, RELEASE_CHECK_MS)


def build_server(
    *,
    port: int = 5006,
    address: str = "127.0.0.1",
    websocket_origin: Sequence[str] | None = None,
    show: bool = False,
    warm: bool = True,
    unused_session_lifetime_ms: int = DEFAULT_SESSION_LIFETIME_S * 1000,
    check_unused_sessions_ms: int = 5_000,
    max_sessions: int = DEFAULT_MAX_SESSIONS,
    max_upload_mb: int = DEFAULT_MAX_UPLOAD_MB,
    basic_auth: str | None = None,
    cookie_secret: str | None = None,
    num_procs: int = 1,
):
    """A Bokeh server (not started) with every page of :data:`~dashboard.apps.ROUTES`.

    Parameters
    ----------
    port, address : int, str
        Where to listen (port 0 picks a free one). The default address is
        this machine only.
    websocket_origin : sequence of str, optional
        ``host[:port]`` values whose pages may open the websocket; default
        this server's own port on ``localhost`` and ``127.0.0.1``.
    show : bool
        Open a browser tab once started.
    warm : bool
        The default system's kernel loads in a thread once the server is
        bound; once the first page had time to load, datashader is imported
        on the event loop and compiled on the shading thread, and the rest of
        the catalog compiles into the disk cache in a separate process.
        Without it, datashader is imported at once and nothing else is warmed.
    unused_session_lifetime_ms, check_unused_sessions_ms : int
        A session without a browser (closed tab, or a plain HTTP request) is
        destroyed, its frame loop stopped and its simulation freed, this long
        after, checked this often.
    max_sessions : int
        Sessions one process holds at once; past it visitors get a page
        saying the server is full (:mod:`dashboard.capacity`).
    max_upload_mb : int
        Largest file a page accepts, in MiB: websocket messages and HTTP
        bodies are capped accordingly and file droppers refuse larger files
        in the browser.
    basic_auth : str, optional
        Panel's basic authentication: one shared password (a class token,
        any user name) or the path of a JSON file ``{"user": "password"}``;
        pages then open after a login page.
    cookie_secret : str, optional
        Signs the login cookie; a random one per start when not given (give
        the same one to every process behind a proxy).
    num_procs : int
        Processes serving the same port (forked; 0 means one per core). Each
        process holds its own sessions and ``max_sessions``.
    """
    origins = list(websocket_origin) if websocket_origin else None
    if origins is None and port != 0:  # (for port 0 Bokeh allows localhost at the port it binds)
        origins = [f"localhost:{port}", f"127.0.0.1:{port}"]
    if basic_auth and not cookie_secret:
        cookie_secret = secrets.token_urlsafe(32)
    upload_bytes = max_upload_mb * 2**20
    pn.widgets.FileDropper.max_file_size = f"{max_upload_mb}MB"  # refused in the browser, before sending
    limit = SessionLimit(max_sessions)
    server = pn.serve(
        {path: limit.guard(factory) for path, factory in ROUTES.items()},
        port=port,
        address=address,
        websocket_origin=origins,
        show=show,
        start=False,
        title={path: f"Phasescope · {title}" for path, title in PAGES.items()},
        verbose=False,
        check_unused_sessions_milliseconds=check_unused_sessions_ms,
        unused_session_lifetime_milliseconds=unused_session_lifetime_ms,
        websocket_max_message_size=upload_bytes * 4 // 3 + 2**20,  # a file travels base64-encoded
        http_server_kwargs={"max_body_size": upload_bytes, "max_buffer_size": upload_bytes + 2**20},
        basic_auth=basic_auth,
        cookie_secret=cookie_secret,
        num_procs=num_procs,
    )
    # from here on this is one of the serving processes (num_procs forks in pn.serve)
    map_large_blocks()
    server.io_loop.add_callback(_release_memory_after_sessions_end(limit).start)
    if num_procs != 1:
        end_with_parent()
    if warm:
        start_default()
        if task_id() in (None, 0):  # one background compile for all processes
            timer = threading.Timer(BACKGROUND_WARM_DELAY_S, compile_catalog_in_background)
            timer.daemon = True
            timer.start()
    server.io_loop.call_later(BACKGROUND_WARM_DELAY_S if warm else 0.0, _warm_shading)
    return server
