"""The frame loop of a live page: one periodic callback per session, a compute
budget shared fairly by every live session of the process, frames skipped
while the browser is behind, everything stopped when the session ends.

A page builds one :class:`FrameLoop` per session and starts it once the page
has loaded in a browser::

    loop = FrameLoop(view.tick, pn.state.curdoc, on_destroyed=view.free)
    pn.state.onload(loop.start)

``view.tick(budget_s)`` then runs every ``period_ms`` and spends at most about
``budget_s`` seconds computing (for example by adapting its steps per frame).
"""
from __future__ import annotations

import threading
from collections.abc import Callable

from bokeh.document import Document
from panel.io.callbacks import PeriodicCallback
from panel.io.document import unlocked
from panel.io.state import set_curdoc

from .backpressure import client_backlogged, corked

__all__ = [
    "FRAME_PERIOD_MS",
    "LOAD_SHARE",
    "MAX_BUDGET_S",
    "MIN_BUDGET_S",
    "SHARED_EASILY",
    "FrameLoop",
    "frame_budget",
    "live_loops",
    "load_scale",
]

FRAME_PERIOD_MS = 33
"""Default period of a frame (about 30 frames per second)."""
LOAD_SHARE = 0.5
"""Share of each frame period the process spends computing, all sessions together;
the rest is left for sending the frames and answering the browsers."""
MAX_BUDGET_S = 0.012
"""Compute budget of a frame for a session that has the process to itself."""
MIN_BUDGET_S = 0.0005
"""Floor of a session's budget, however many sessions share the process: each keeps moving."""
SHARED_EASILY = 4
"""Sessions a process serves at full detail; beyond, :func:`load_scale` grows."""

_live: set[FrameLoop] = set()
_live_lock = threading.Lock()


def live_loops() -> int:
    """Number of frame loops running in this process (one per live session of a live page)."""
    with _live_lock:
        return len(_live)


def frame_budget(period_ms: float = FRAME_PERIOD_MS) -> float:
    """Seconds of compute one session may spend in a frame of ``period_ms``.

    The :data:`LOAD_SHARE` of the period is split evenly among the
    :func:`live_loops`, capped at :data:`MAX_BUDGET_S` and floored at
    :data:`MIN_BUDGET_S`: with ``n`` live sessions each gets
    ``clip(LOAD_SHARE * period / n, MIN_BUDGET_S, MAX_BUDGET_S)``.
    """
    share = LOAD_SHARE * period_ms / 1000.0 / max(1, live_loops())
    return min(MAX_BUDGET_S, max(MIN_BUDGET_S, share))


def load_scale() -> float:
    """How many times less often than alone a session should refresh what is not
    its live trace (pictures, status lines): ``max(1, live_loops() / SHARED_EASILY)``.

    The frames themselves keep their period; the costly extras thin out so
    that thirty sessions still each see their trajectory move."""
    return max(1.0, live_loops() / SHARED_EASILY)


class FrameLoop:
    """One session's periodic frame, budgeted, backpressured and freed with the session.

    Parameters
    ----------
    tick : callable
        ``tick(budget_s)``: the page's frame. ``budget_s`` (float, seconds) is
        the compute this session may spend in this frame, shared fairly among
        the live sessions of the process (see :func:`frame_budget`).
    document : bokeh.document.Document
        The session's document (``pn.state.curdoc``).
    period_ms : int, optional
        Time between frames in milliseconds (default 33, about 30 frames/s).
    on_destroyed : callable, optional
        ``on_destroyed()``, called once when the session ends, after the
        periodic callback stopped: drop the simulation and buffers there.

    Notes
    -----
    :meth:`start` is meant for ``pn.state.onload(loop.start)``: the loop runs
    only once a browser has loaded the page, so a plain HTTP request (a
    reload, a link preview) never leaves a simulation running. While the
    session's websocket still holds unsent bytes (a slow client) the frame
    is skipped before ``tick`` is called, so frames are dropped rather than
    queued and the run waits for the client. Every change ``tick`` makes to
    the page's models is sent in one message per frame.
    """

    def __init__(
        self,
        tick: Callable[[float], object],
        document: Document,
        *,
        period_ms: int = FRAME_PERIOD_MS,
        on_destroyed: Callable[[], object] | None = None,
    ) -> None:
        if not callable(tick):
            raise TypeError("tick must be callable")
        if not isinstance(period_ms, int) or isinstance(period_ms, bool) or period_ms < 1:
            raise ValueError(f"period_ms must be a whole number of milliseconds >= 1, got {period_ms!r}")
        self._tick = tick
        self._document = document
        self._on_destroyed = on_destroyed
        self.period_ms = period_ms
        self._callback = None
        self._ended = False

    @property
    def running(self) -> bool:
        """True between :meth:`start` and the end of the session (or :meth:`stop`)."""
        return self._callback is not None

    def start(self) -> None:
        """Start the periodic callback and watch for the end of the session.

        Does nothing when already running or when the session has ended.
        """
        if self._callback is not None or self._ended:
            return
        with set_curdoc(self._document):
            # background: a frame is not "busy" work; Panel's busy bookkeeping (three
            # updates of pn.state, each editing all its parameters) cost about a tenth of a frame
            self._callback = PeriodicCallback(callback=self._frame, period=self.period_ms, background=True)
            self._callback.start()
            self._document.on_session_destroyed(self._destroyed)
        with _live_lock:
            _live.add(self)

    def stop(self) -> None:
        """Stop the periodic callback (the session goes on; :meth:`start` resumes)."""
        with _live_lock:
            _live.discard(self)
        if self._callback is not None:
            self._callback.stop()
            self._callback = None

    def _frame(self) -> None:
        if client_backlogged(self._document):
            return
        with corked(self._document), unlocked():  # everything the frame changed goes out as one message
            self._tick(frame_budget(self.period_ms))

    def _destroyed(self, session_context) -> None:
        self._ended = True
        self.stop()
        if self._on_destroyed is not None:
            self._on_destroyed()
        self._tick = self._on_destroyed = None  # the page and its buffers can go
