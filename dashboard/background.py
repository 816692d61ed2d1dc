"""Long work off the event loop: a worker pool shared by every session of the process.

A sweep, a parameter map or a long integration must never block a session's
event loop (the page would freeze, and so would every other session of the
server). A page gives such work to its session's :class:`Background`; the
work runs on a thread of the shared pool (numba kernels release the GIL), and
its progress and result come back on the session's event loop through
``document.add_next_tick_callback``, where Bokeh models may change::

    background = Background(pn.state.curdoc)

    def work(job):
        for k, chunk in enumerate(chunks):
            job.progress((k + 1) / len(chunks), compute(chunk))  # raises Cancelled once superseded
        return "done"

    background.run(work, on_progress=show_chunk, on_done=finished, on_error=show_message)

Starting new work supersedes the session's previous work (a zoom that
arrives while the last one is computing); the work still running stops at
its next :meth:`Job.progress`, and nothing it sends afterwards is delivered.
Everything stops when the session ends.
"""
from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bokeh.document import Document
from panel.io.state import set_curdoc

__all__ = ["WORKERS", "Background", "Cancelled", "Job"]

WORKERS = max(2, os.cpu_count() or 2)
"""Threads of the shared pool. Pages cut their work in chunks, so work of
another session waits for a free thread at most about one chunk."""

_POOL = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="phasescope-background")
_LOG = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside the work by :meth:`Job.progress` once the job is cancelled."""


class Job:
    """One piece of work given to :meth:`Background.run`."""

    def __init__(self) -> None:
        self._cancelled = threading.Event()
        self._finished = threading.Event()
        self._deliver: Callable[[Callable[[], None]], Any] = _inline
        self._on_progress: Callable[[float, Any], None] | None = None

    @property
    def cancelled(self) -> bool:
        """True once :meth:`cancel` was called (by a newer job, the page or the end of the session)."""
        return self._cancelled.is_set()

    @property
    def finished(self) -> bool:
        """True once the work returned, failed or stopped, and its last callback was delivered or dropped."""
        return self._finished.is_set()

    def cancel(self) -> None:
        """Stop the work at its next :meth:`progress`; nothing more is delivered."""
        self._cancelled.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until :attr:`finished` (tests, scripts; never on an event loop); False on timeout."""
        return self._finished.wait(timeout)

    def progress(self, fraction: float, payload: Any = None) -> None:
        """Called by the work: report ``fraction`` done (0 to 1) and a ``payload``
        (a chunk of results), delivered to ``on_progress`` on the event loop.

        Raises
        ------
        Cancelled
            When the job has been cancelled: the work should let it propagate.
        """
        if self.cancelled:
            raise Cancelled
        if self._on_progress is not None:
            callback = self._on_progress
            self._send(lambda: callback(fraction, payload))

    def _send(self, callback: Callable[[], None]) -> None:
        def guarded() -> None:
            if not self.cancelled:
                callback()

        self._deliver(guarded)


class Background:
    """The long work of one session: at most one job at a time, the newest.

    Parameters
    ----------
    document : bokeh.document.Document, optional
        The session's document. Callbacks are delivered on its event loop
        and every job is cancelled when its session is destroyed. Without a
        document (a page built headlessly) work runs at once in the calling
        thread and callbacks are called directly.
    deliver : callable, optional
        ``deliver(callback)`` schedules ``callback()`` on the loop that owns
        the page (default ``document.add_next_tick_callback``); for code that
        drives its own loop.
    """

    def __init__(self, document: Document | None = None, *, deliver: Callable[[Callable[[], None]], Any] | None = None) -> None:
        self._job: Job | None = None
        self._ended = False
        if deliver is not None:
            self._deliver = deliver
        elif document is not None:
            self._deliver = lambda callback: document.add_next_tick_callback(_in_document(document, callback))
        else:
            self._deliver = None
        if document is not None:
            document.on_session_destroyed(self._destroyed)

    @property
    def job(self) -> Job | None:
        """The newest job (running, finished or cancelled), None before the first."""
        return self._job

    def run(
        self,
        work: Callable[[Job], Any],
        *,
        on_progress: Callable[[float, Any], None] | None = None,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> Job:
        """Cancel the previous job and run ``work(job)`` on the shared pool.

        Parameters
        ----------
        work : callable
            ``work(job) -> result``; calls ``job.progress(fraction, payload)``
            between chunks (that is where it stops once cancelled). It must not
            touch Bokeh or Panel objects: it runs on a pool thread.
        on_progress : callable, optional
            ``on_progress(fraction, payload)`` on the event loop, for every
            progress report, in order.
        on_done : callable, optional
            ``on_done(result)`` on the event loop when the work returns.
        on_error : callable, optional
            ``on_error(exception)`` on the event loop when the work raises
            (logged when not given).

        Returns
        -------
        Job
            Cancelled already when the session has ended.
        """
        self.cancel()
        job = Job()
        job._on_progress = on_progress
        self._job = job
        if self._ended:
            job.cancel()
            job._finished.set()
            return job
        if self._deliver is None:
            _execute(job, work, on_done, on_error)
        else:
            job._deliver = self._deliver
            _POOL.submit(_execute, job, work, on_done, on_error)
        return job

    def cancel(self) -> None:
        """Cancel the current job, if any."""
        if self._job is not None:
            self._job.cancel()

    def _destroyed(self, session_context) -> None:
        self._ended = True
        self.cancel()


def _in_document(document: Document, callback: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        with set_curdoc(document):
            callback()

    return run


def _execute(job: Job, work: Callable[[Job], Any], on_done, on_error) -> None:
    try:
        if job.cancelled:
            return
        try:
            result = work(job)
        except Cancelled:
            return
        except Exception as error:  # noqa: BLE001 (the page shows it; the pool thread and the session go on)
            if on_error is None:
                _LOG.exception("background work failed")
            else:
                job._send(lambda error=error: on_error(error))
            return
        if on_done is not None:
            job._send(lambda: on_done(result))
    finally:
        if job.cancelled:
            job._finished.set()
        else:
            job._deliver(job._finished.set)  # after the callbacks delivered before it


def _inline(callback: Callable[[], None]) -> None:
    callback()
