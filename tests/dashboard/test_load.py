"""A class of thirty: real websocket sessions of the explorer against a server
process on loopback, for a minute; then the server gives the memory back."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from ..websocket_sessions import ServerProcess, first_page, open_sessions

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="server memory is read from Linux /proc")

SESSIONS = 30
OPEN_S = 60.0
AFTER_CLOSE_S = 30.0
LIFETIME_S = 5
"""Unused-session lifetime of the server under test: well inside AFTER_CLOSE_S."""


def test_thirty_sessions_keep_streaming_and_memory_comes_back():
    with ServerProcess.phasescope("--session-lifetime", str(LIFETIME_S), "--max-sessions", str(SESSIONS + 5)) as server:
        first = first_page(server.url)
        assert first.error is None and first.frames, server.log_tail()
        time.sleep(3 * LIFETIME_S)  # its session expired and its memory released
        baseline = server.rss_mb()
        sessions = open_sessions(server.url, SESSIONS)
        assert [s.error for s in sessions] == [None] * SESSIONS, server.log_tail()
        opened = time.monotonic()
        time.sleep(OPEN_S)
        ended = time.monotonic()
        peak = server.rss_mb()
        for session in sessions:
            session.close()
        closed = time.monotonic()
        time.sleep(AFTER_CLOSE_S)
        after = server.rss_mb()
        assert [s.error for s in sessions] == [None] * SESSIONS, server.log_tail()
        rates = sorted(s.rate(opened, ended) for s in sessions)
        late = [s.rate(ended - 10, ended) for s in sessions]
        print(
            f"\n{SESSIONS} sessions for {ended - opened:.0f} s: frames/s per session min {rates[0]:.1f}, "
            f"median {rates[SESSIONS // 2]:.1f}, max {rates[-1]:.1f}; server RSS {baseline:.0f} MiB before, "
            f"{peak:.0f} MiB with the class, {after:.0f} MiB {time.monotonic() - closed:.0f} s after they left"
        )
        assert all(rate > 0 for rate in late)  # every session still receives frames in its last 10 s
        assert after - baseline <= 50.0
