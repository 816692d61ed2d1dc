"""Serving the pages: one Bokeh server, per-session apps, kernels warmed at start."""
from __future__ import annotations

import threading
from typing import Sequence

import panel as pn

import engine

from .apps import ROUTES
from .navigation import PAGES

__all__ = ["build_server", "warm_kernels"]

DEFAULT_SYSTEM = "Lorenz"


def warm_kernels(names: Sequence[str] | None = None) -> None:
    """Compile (first run) or load from numba's cache the solvers of ``names``
    (default: every system in the catalog) by integrating a few steps of each."""
    systems = engine.catalog() if names is None else [engine.get_system(n) for n in names]
    for system in systems:
        for solver in system.solvers:
            engine.simulate(system, steps=2, solver=solver, seed=0)


def _warm_datashader() -> None:
    import numpy as np

    from .views.phase_portrait import rasterize

    line = np.linspace(0.0, 1.0, 10)[None, :]
    rasterize(line, line, connect=True)
    rasterize(line, line, connect=False)


def _warm_rest() -> None:
    _warm_datashader()
    warm_kernels()


def build_server(
    *,
    port: int = 5006,
    address: str = "127.0.0.1",
    websocket_origin: Sequence[str] | None = None,
    show: bool = False,
    warm: bool = True,
):
    """A Bokeh server (not started) with every page of :data:`~dashboard.apps.ROUTES`.

    The default system's kernels are loaded before the server answers; the rest
    of the catalog and datashader warm in a background thread.
    """
    if warm:
        warm_kernels([DEFAULT_SYSTEM])
        threading.Thread(target=_warm_rest, name="phasescope-warm", daemon=True).start()
    origins = list(websocket_origin) if websocket_origin else [f"localhost:{port}", f"127.0.0.1:{port}"]
    return pn.serve(
        {path: factory for path, factory in ROUTES.items()},
        port=port,
        address=address,
        websocket_origin=origins,
        show=show,
        start=False,
        title={path: f"Phasescope · {title}" for path, title in PAGES.items()},
        verbose=False,
        check_unused_sessions=10_000,
        unused_session_lifetime=60_000,
    )
