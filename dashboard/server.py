"""Serving the pages: one Bokeh server, per-session apps, kernels warmed at start."""
from __future__ import annotations

import atexit
import subprocess
import sys
import threading
from typing import Sequence

import numpy as np
import panel as pn

import engine
from engine.solvers import kernel_cached
from engine.stream import Simulation

from .apps import ROUTES
from .navigation import PAGES

__all__ = ["build_server", "warm_kernels"]

DEFAULT_SYSTEM = "Lorenz"
BACKGROUND_WARM_DELAY_S = 3.0


def warm_kernels(names: Sequence[str] | None = None, *, every_solver: bool = True) -> None:
    """Compile (first run) or load from the disk cache the solver kernels of
    ``names`` (default: the whole catalog) by advancing each a few steps."""
    systems = engine.catalog() if names is None else [engine.get_system(n) for n in names]
    for system in systems:
        for solver in system.solvers if every_solver else (system.solver,):
            Simulation(system, solver=solver, seed=0, capacity=2).advance(2)


def _warm_datashader() -> None:
    from .views.phase_portrait import rasterize

    line = np.linspace(0.0, 1.0, 10)[None, :]
    rasterize(line, line, connect=True)
    rasterize(line, line, connect=False)


def _missing_kernels() -> bool:
    return any(not kernel_cached(s, solver) for s in engine.catalog() for solver in s.solvers)


def _compile_catalog_in_background() -> None:
    """Fill the disk cache with every kernel of the catalog in a separate,
    low-priority process (only when some are missing), so no session waits
    for a compile and the server's own interpreter stays free. The process
    is ended when the server exits."""
    if not _missing_kernels():
        return
    process = subprocess.Popen(
        [sys.executable, "-c", "import os; os.nice(10); from dashboard.server import warm_kernels; warm_kernels()"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    atexit.register(process.terminate)
    process.wait()


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
    once the first page had time to load, datashader warms in a thread and the
    rest of the catalog compiles into the disk cache in a separate process.
    A session whose browser has gone is destroyed (its callback stopped, its
    simulation freed) ``unused_session_lifetime_ms`` after, checked every
    ``check_unused_sessions_ms``.
    """
    if warm:
        threading.Thread(target=warm_kernels, args=([DEFAULT_SYSTEM],), kwargs={"every_solver": False}, daemon=True).start()
        for task in (_warm_datashader, _compile_catalog_in_background):
            timer = threading.Timer(BACKGROUND_WARM_DELAY_S, task)
            timer.daemon = True
            timer.start()
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
        check_unused_sessions_milliseconds=check_unused_sessions_ms,
        unused_session_lifetime_milliseconds=unused_session_lifetime_ms,
    )
