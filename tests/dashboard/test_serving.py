"""Serving a class: flags checked with a message, the session cap's 'server full'
page, the class token's login, websocket origins limited to localhost."""
from __future__ import annotations

import asyncio
import http.cookiejar
import json
import urllib.parse
import urllib.request

import pytest
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from dashboard.cli import main

from ..conftest import running_server, wait_until


@pytest.mark.parametrize(
    "arguments, fragment",
    [
        (["--max-sessions", "0"], "max sessions must be in [1, 10000]"),
        (["--max-sessions", "many"], "max sessions must be a whole number"),
        (["--max-upload-mb", "-5"], "max upload size must be in [1, 1024]"),
        (["--num-procs", "1e3"], "number of processes must be a whole number"),
        (["--session-lifetime", "0"], "session lifetime must be in [1, 86400]"),
        (["--address", "bad host!"], "address must be an IP address"),
        (["--allow-websocket-origin", "http://class.example:5006"], "without scheme or path"),
        (["--allow-websocket-origin", "class.example:99999"], "origin port must be in [1, 65535]"),
        (["--class-token", "short"], "at least 8 characters"),
        (["--basic-auth", "/no/such/users.json"], "cannot read"),
    ],
)
def test_serve_flags_are_checked_with_a_message(capsys, arguments, fragment):
    with pytest.raises(SystemExit) as stopped:
        main(["serve", "--no-show", *arguments])
    assert stopped.value.code == 2
    assert fragment in capsys.readouterr().err


def test_a_users_file_must_map_names_to_passwords(tmp_path, capsys):
    users = tmp_path / "users.json"
    users.write_text(json.dumps(["teacher", "secret"]))
    with pytest.raises(SystemExit):
        main(["serve", "--no-show", "--basic-auth", str(users)])
    assert '{"user": "password", ...}' in capsys.readouterr().err
    users.write_text(json.dumps({"teacher": "secret"}))
    with pytest.raises(SystemExit):
        main(["serve", "--no-show", "--basic-auth", str(users), "--class-token", "12345678"])
    assert "not allowed with argument" in capsys.readouterr().err


def _get(url: str, opener=None) -> str:
    with (opener or urllib.request.build_opener()).open(url, timeout=30) as response:
        return response.read().decode()


def _full(server, before: set) -> bool:
    """Whether the one session opened since ``before`` (session ids) got the 'server full' page."""
    (session,) = [s for s in server.get_sessions() if s.id not in before]
    return any("This Phasescope server is full" in str(getattr(m, "text", "")) for m in session.document.models)


def test_past_the_session_cap_visitors_see_a_full_page_until_a_place_frees():
    # the two places must stay taken while four pages are built, a cold compile included
    with running_server(max_sessions=2, unused_session_lifetime_ms=30_000, check_unused_sessions_ms=200) as server:
        url = f"http://localhost:{server.port}/"
        opened = []
        for path in ("", "catalog", "", ""):
            before = {s.id for s in server.get_sessions()}
            _get(url + path)
            opened.append(_full(server, before))
        assert opened == [False, False, True, True]
        assert wait_until(lambda: server.get_sessions() == [], timeout=90)  # nobody connected: the places free again
        before = {s.id for s in server.get_sessions()}
        _get(url)
        assert not _full(server, before)


def test_the_class_token_opens_the_pages_after_a_login():
    with running_server(basic_auth="class-token-42") as server:
        base = f"http://localhost:{server.port}"
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        assert "password" in _get(base + "/", opener).lower()  # sent to the login page
        form = urllib.parse.urlencode({"username": "student", "password": "wrong-token"}).encode()
        opener.open(base + "/login", data=form, timeout=30).read()
        assert not any(cookie.name == "user" for cookie in jar)
        form = urllib.parse.urlencode({"username": "student", "password": "class-token-42"}).encode()
        page = opener.open(base + "/login", data=form, timeout=30).read().decode()
        assert any(cookie.name == "user" for cookie in jar)
        assert "Phasescope" in page and "bokeh" in page.lower()


async def _websocket_status(port: int, origin: str) -> int:
    request = HTTPRequest(f"ws://localhost:{port}/ws", headers={"Origin": origin})
    try:
        connection = await websocket_connect(request, subprotocols=["bokeh", "x"])
    except HTTPClientError as error:
        return error.code
    connection.close()
    return 101


def test_websockets_open_from_localhost_pages_only():
    with running_server(port=0) as server:
        port = server.port
        assert asyncio.run(_websocket_status(port, f"http://class.example:{port}")) == 403
        assert asyncio.run(_websocket_status(port, f"http://localhost:{port}")) != 403
