"""Serving the pages: one Bokeh server, per-session apps, kernels warmed at start."""
from __future__ import annotations

import logging
import threading
from typing import Sequence

import numpy as np
import panel as pn

from .apps import ROUTES
from .navigation import PAGES
from .views.phase_portrait import import_shading, rasterize, shade_in_background
from .warmup import compile_catalog_in_background, start_default

__all__ = ["build_server"]

BACKGROUND_WARM_DELAY_S = 3.0
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


def build_server(
    *,
    port: int = 5006,
    address: str = "127.0.0.1",
    websocket_origin: Sequence[str] | None = None,
    show: bool = False,
    warm: bool = True,
    unused_session_lifetime_ms: int = 60_000,
    check_unused_sessions_ms: int = 10_000,
):
    """A Bokeh server (not started) with every page of :data:`~dashboard.apps.ROUTES`.

    The default system's kernel loads in a thread while the server starts;
    once the first page had time to load, datashader is imported on the event
    loop and compiled on the shading thread, and the rest of the catalog
    compiles into the disk cache in a separate process (without ``warm``,
    datashader is imported at once and nothing else is warmed). A session whose browser has gone is destroyed (its callback stopped, its
    simulation freed) ``unused_session_lifetime_ms`` after, checked every
    ``check_unused_sessions_ms``.
    """
    if warm:
        start_default()
        timer = threading.Timer(BACKGROUND_WARM_DELAY_S, compile_catalog_in_background)
        timer.daemon = True
        timer.start()
    origins = list(websocket_origin) if websocket_origin else [f"localhost:{port}", f"127.0.0.1:{port}"]
    server = pn.serve(
        {path: factory for path, factory in ROUTES.items()},
        port=port,
        address=address,
        websocket_origin=origins,
        show=show,
        start=False,
        title={path: f"Phasescope · {title}" for path, title in PAGES.items()},
        verbose=False,
        check_unused_sessions_milliseconds=check_unused_sessions_ms,
        unused_session_lifetime_milliseconds=unused_session_lifetime_ms,
    )
    server.io_loop.call_later(BACKGROUND_WARM_DELAY_S if warm else 0.0, _warm_shading)
    return server
