"""Fixtures shared by the dashboard and browser tests: a real Phasescope server on loopback."""
from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {process.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@pytest.fixture(scope="session")
def server_url():
    """``phasescope serve`` started as a person would, on a free loopback port."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "serve", "--port", str(port), "--no-show"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://localhost:{port}"
    try:
        wait_for(url + "/", process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


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
