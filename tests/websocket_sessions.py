"""Real websocket sessions of a page, each driven on its own thread by bokeh.client,
counting the frames of the live trace that reach it; and a server's memory.

Used by the load test and by the classroom and soak benchmarks. A session
pulls the page's document over the websocket like a browser and then sends
Bokeh's ``document_ready`` event, as BokehJS does once it has rendered the
page: that is what starts the page's frame loop (``pn.state.onload``).
"""
from __future__ import annotations

import importlib
import os
import pkgutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Self

from .conftest import free_port

ROOT = Path(__file__).resolve().parents[1]
TRACE = "ps-trace"
"""Name of the streamed source whose frames are counted (the explorer's trace, and the bare page's)."""

_models_loaded = False


def _load_panel_models() -> None:
    """Import every Panel Bokeh model, so documents of Panel pages deserialize on the client."""
    global _models_loaded
    if _models_loaded:
        return
    import panel.models

    for module in pkgutil.iter_modules(panel.models.__path__):
        importlib.import_module(f"panel.models.{module.name}")
    _models_loaded = True


class PageSession:
    """One session of the page at ``url``, opened by :meth:`start` on a thread of its own.

    ``frames`` holds the arrival time (``time.monotonic()``) of every frame
    streamed into the page's trace; ``error`` says why the session failed
    (could not open, or lost its connection before :meth:`close`).
    """

    def __init__(self, url: str, arguments: dict[str, str] | None = None) -> None:
        self.url = url
        self.arguments = arguments or {}
        self.frames: list[float] = []
        self.error: str | None = None
        self._session = None
        self._opened = threading.Event()
        self._closing = False
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"client {url}")

    def start(self) -> None:
        _load_panel_models()
        self._thread.start()

    def wait_open(self, timeout: float) -> bool:
        """True once the document arrived (or the session failed: see :attr:`error`)."""
        return self._opened.wait(timeout)

    def rate(self, since: float, until: float) -> float:
        """Frames per second received between two ``time.monotonic()`` instants."""
        return sum(since <= t < until for t in self.frames) / (until - since)

    def close(self, timeout: float = 20.0) -> None:
        """Close the websocket, as closing the browser tab would, and wait for the thread."""
        self._closing = True
        session = self._session
        if session is not None:
            session._connection.io_loop.add_callback(session.close)
        self._thread.join(timeout)
        if self._thread.is_alive() and self.error is None:
            self.error = "did not close"

    def _run(self) -> None:
        from bokeh.client import pull_session
        from bokeh.document.events import ColumnsStreamedEvent
        from bokeh.events import DocumentReady

        try:
            session = pull_session(url=self.url, arguments=self.arguments)
        except Exception as error:  # noqa: BLE001 (whatever it is, it is this session's failure)
            self.error = f"could not open: {error!r}"
            self._opened.set()
            return
        document = session.document
        trace = document.select_one({"name": TRACE})
        frames = self.frames

        def changed(event) -> None:
            if isinstance(event, ColumnsStreamedEvent) and event.model is trace:
                frames.append(time.monotonic())

        document.on_change(changed)
        document.callbacks.send_event(DocumentReady())
        self._session = session
        self._opened.set()
        connection = session._connection

        async def receive() -> None:
            # bokeh.client's own loop recurses once per message and overflows the stack
            # after a few hundred frames: read them in a plain loop instead
            while (message := await connection._pop_message()) is not None:
                if message.msgtype == "PATCH-DOC":
                    session._handle_patch(message)

        try:
            connection.io_loop.run_sync(receive)
        except Exception as error:  # noqa: BLE001 (a frame the client could not apply fails this session)
            self.error = f"failed on a frame: {error!r}"
        if not self._closing and self.error is None:
            self.error = "connection lost"


def open_sessions(url: str, count: int, arguments: dict[str, str] | None = None, timeout: float = 120.0) -> list[PageSession]:
    """Open ``count`` sessions of ``url`` at once (a class arriving) and wait until each has its page."""
    sessions = [PageSession(url, arguments) for _ in range(count)]
    for session in sessions:
        session.start()
    deadline = time.monotonic() + timeout
    for session in sessions:
        session.wait_open(max(0.0, deadline - time.monotonic()))
    return sessions


def first_page(url: str, timeout: float = 60.0) -> PageSession:
    """One session of ``url`` opened until it streams, then closed: the imports and
    kernels a first page loads, which stay for the life of the server process."""
    (session,) = open_sessions(url, 1)
    deadline = time.monotonic() + timeout
    while not session.frames and session.error is None and time.monotonic() < deadline:
        time.sleep(0.2)
    session.close()
    return session


def rss_mb(pid: int) -> float:
    """Resident memory of process ``pid`` in MiB (Linux ``/proc``)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


class ServerProcess:
    """A page server started as its own process on a free loopback port (a context manager).

    ``command`` gets the port appended by :meth:`phasescope` and
    :meth:`bare_stream`; ``url`` is the page's address.
    """

    def __init__(self, command: list[str], port: int) -> None:
        self.port = port
        self.url = f"http://localhost:{port}/"
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the server; a pipe nobody reads would stall it)
        self.process = subprocess.Popen(
            command, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )

    @classmethod
    def phasescope(cls, *options: str) -> ServerProcess:
        port = free_port()
        return cls([sys.executable, "-m", "dashboard.cli", "serve", "--port", str(port), "--no-show", *options], port)

    @classmethod
    def bare_stream(cls) -> ServerProcess:
        port = free_port()
        return cls([sys.executable, str(ROOT / "benchmarks" / "bare_stream_page.py"), str(port)], port)

    def rss_mb(self) -> float:
        return rss_mb(self.process.pid)

    def log_tail(self, size: int = 3000) -> str:
        """The end of what the server printed."""
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-size:]

    def __enter__(self) -> Self:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}: {self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url, timeout=5) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise TimeoutError(f"{self.url} did not answer within 120 s")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
