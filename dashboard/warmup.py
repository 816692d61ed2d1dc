"""Compiled kernels ready before anyone waits for them.

Free of Panel at import, so that loading the default kernel costs only the
engine; the background compile process imports the pages to build each once.
"""
from __future__ import annotations

import atexit
import ctypes
import hashlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import engine
from engine.diagnostics.monitor import TrajectoryMonitor
from engine.solvers import kernel_cached
from engine.solvers.specialize import cache_folder
from engine.stream import Simulation

__all__ = ["DEFAULT_SYSTEM", "compile_catalog_in_background", "end_with_parent", "start_default", "warm_kernels", "warm_pages"]

DEFAULT_SYSTEM = "Lorenz"
_PR_SET_PDEATHSIG = 1
_default_started = False
_default_lock = threading.Lock()


def warm_kernels(names: Sequence[str] | None = None, *, every_solver: bool = True) -> None:
    """Compile (first run) or load from the disk cache the solver kernels of
    ``names`` (default: the whole catalog) by advancing each a few steps, and
    with ``every_solver`` the Lyapunov kernel its monitors run."""
    systems = engine.catalog() if names is None else [engine.get_system(n) for n in names]
    for system in systems:
        for solver in system.solvers if every_solver else (system.solver,):
            Simulation(system, solver=solver, seed=0, capacity=2).advance(2)
        if every_solver:
            TrajectoryMonitor(system).warm()


def warm_pages() -> None:
    """Build every page once, headlessly, so the kernels of its default view
    (a school, a field, a reaction network, a diagram...) are compiled and the
    pictures it caches are drawn."""
    from .apps import ROUTES

    for factory in ROUTES.values():
        factory()


def start_default() -> None:
    """Load the default system's kernel in a background thread, once per process."""
    global _default_started
    with _default_lock:
        if _default_started:
            return
        _default_started = True
    threading.Thread(target=warm_kernels, args=([DEFAULT_SYSTEM],), kwargs={"every_solver": False}, daemon=True).start()


def _missing_kernels() -> bool:
    return any(not kernel_cached(s, solver) for s in engine.catalog() for solver in s.solvers)


def _warm_stamp() -> Path:
    """A file in the kernel cache that says the pages were warmed with these very sources."""
    digest = hashlib.sha256(engine.__version__.encode())
    root = Path(__file__).resolve().parents[1]
    for package in ("engine", "dashboard"):
        for path in sorted((root / package).rglob("*.py")):
            digest.update(path.read_bytes())
    return cache_folder() / f"pages-warm-{digest.hexdigest()[:16]}"


def compile_catalog_in_background() -> None:
    """Fill the disk cache with every kernel of the catalog and of the pages in
    a separate, low-priority process (only when some are missing or the
    sources changed), so no session waits for a compile and the server's own
    interpreter stays free. Blocks until that process ends; the process is
    ended when this one exits."""
    if not _missing_kernels() and _warm_stamp().exists():
        return
    process = subprocess.Popen(
        [sys.executable, "-c", f"from dashboard.warmup import _compile_as_child; _compile_as_child({os.getpid()})"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    atexit.register(process.terminate)
    process.wait()


def end_with_parent() -> None:
    """Have this process sent SIGTERM when the thread that started it ends, even
    when that one is killed (Linux; elsewhere nothing happens)."""
    try:
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def _compile_as_child(server_pid: int) -> None:
    """The background compile, at low priority, ending with the server even when
    the server is killed."""
    os.nice(10)
    end_with_parent()
    if os.getppid() != server_pid:  # the server ended before we could ask
        return
    warm_kernels()
    warm_pages()
    stamp = _warm_stamp()
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.touch()
