"""Session lifecycle on a real in-process server: a closed session's callback stops and its simulation is freed."""
from __future__ import annotations

import asyncio
import gc
import threading
import time

import pytest
from bokeh.client import pull_session

from dashboard.apps.explorer import Explorer
from dashboard.server import build_server


@pytest.fixture
def short_lived_server():
    ready = threading.Event()
    holder = {}

    def run() -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())
        server = build_server(port=0, warm=False, unused_session_lifetime_ms=300, check_unused_sessions_ms=200)
        server.start()
        holder["server"] = server
        ready.set()
        server.io_loop.start()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(60)
    server = holder["server"]
    yield server
    server.io_loop.add_callback(server.io_loop.stop)
    thread.join(10)


def _live_explorers() -> list[Explorer]:
    gc.collect()
    return [o for o in gc.get_objects() if isinstance(o, Explorer)]


def test_closed_sessions_stop_their_callback_and_free_the_simulation(short_lived_server):
    server = short_lived_server
    url = f"http://localhost:{server.port}/"
    sessions = [pull_session(url=url) for _ in range(3)]
    running = [e for e in _live_explorers() if e._callback is not None]
    assert len(running) >= 3
    assert len(server.get_sessions("/")) == 3
    for session in sessions:
        session.close()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and server.get_sessions("/"):
        time.sleep(0.1)
    assert server.get_sessions("/") == []
    time.sleep(0.5)
    for explorer in running:
        assert explorer._callback is None
        assert explorer.state.simulation is None
