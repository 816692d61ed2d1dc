"""Session lifecycle with real browsers: each page gets its own running simulation,
and closing the page stops its callback and frees its simulation."""
from __future__ import annotations

import pytest

from ..conftest import live_explorers, wait_until
from .conftest import wait_for_motion

pytestmark = pytest.mark.ui


def test_closed_pages_stop_their_callback_and_free_the_simulation(browser, short_lived_server):
    server = short_lived_server
    before = {id(e) for e in live_explorers()}
    contexts = [browser.new_context() for _ in range(3)]
    pages = [context.new_page() for context in contexts]
    for page in pages:
        page.goto(f"http://localhost:{server.port}/?speed=1")
        wait_for_motion(page)
    running = [e for e in live_explorers() if id(e) not in before and e.loop is not None and e.loop.running]
    assert len(running) == 3
    assert len({id(e.state.simulation) for e in running}) == 3  # nothing shared between sessions
    for context in contexts:
        context.close()
    assert wait_until(lambda: server.get_sessions("/") == [])
    assert wait_until(lambda: all(not e.loop.running and e.state.simulation is None for e in running))


def test_backpressure_sees_the_websocket_of_a_connected_page(browser, short_lived_server):
    from dashboard.backpressure import websocket_streams

    server = short_lived_server
    before = {id(e) for e in live_explorers()}
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"http://localhost:{server.port}/?speed=1")
    wait_for_motion(page)
    (explorer,) = [e for e in live_explorers() if id(e) not in before and e.loop is not None and e.loop.running]
    assert len(list(websocket_streams(explorer._document))) == 1
    context.close()
