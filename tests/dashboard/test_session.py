"""The session a page is built for, without a server: the caller's query, no document."""
from __future__ import annotations

from dashboard.session import session_document, session_query


def test_without_a_server_the_query_is_the_callers_and_there_is_no_document():
    assert session_query({"system": "Lorenz"}) == {"system": "Lorenz"}
    assert session_query(None) == {}
    assert session_document() is None
