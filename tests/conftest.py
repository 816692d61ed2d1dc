"""Fixtures shared by the dashboard and browser tests: a real Phasescope server on loopback."""
from __future__ import annotations

import asyncio
import contextlib
import gc
import socket
import threading
import time

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server_url():
    """``phasescope serve`` started as a person would, on a free loopback port."""
    from .websocket_sessions import ServerProcess  # it takes free_port from here

    with ServerProcess.phasescope() as server:
        yield server.url.rstrip("/")


@contextlib.contextmanager
def running_server(**options):
    """An in-process Phasescope server (``build_server(port=0, warm=False, **options)``)
    on its own event-loop thread, stopped on exit."""
    from dashboard.server import build_server

    ready = threading.Event()
    holder = {}

    def run() -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())
        server = build_server(**{"port": 0, "warm": False} | options)
        server.start()
        holder["server"] = server
        ready.set()
        server.io_loop.start()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(60)
    server = holder["server"]
    try:
        yield server
    finally:
        server.io_loop.add_callback(server.io_loop.stop)
        thread.join(10)


@pytest.fixture
def short_lived_server():
    """An in-process Phasescope server whose closed sessions are destroyed after 0.3 s."""
    with running_server(unused_session_lifetime_ms=300, check_unused_sessions_ms=200) as server:
        yield server


def live_explorers() -> list:
    """Every Explorer still in memory."""
    from dashboard.apps.explorer import Explorer

    gc.collect()
    return [o for o in gc.get_objects() if isinstance(o, Explorer)]


def wait_until(condition, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()
