"""A page requested without a browser never starts a simulation, and its session is discarded."""
from __future__ import annotations

import urllib.request

from ..conftest import live_explorers, wait_until


def test_plain_http_requests_start_no_callback_and_are_discarded(short_lived_server):
    server = short_lived_server
    before = {id(e) for e in live_explorers()}
    for _ in range(3):
        with urllib.request.urlopen(f"http://localhost:{server.port}/", timeout=30) as response:
            assert response.status == 200
    created = [e for e in live_explorers() if id(e) not in before]
    assert created  # (some may already be discarded and collected)
    assert all(not e.loop.running for e in created)
    assert wait_until(lambda: server.get_sessions("/") == [])
