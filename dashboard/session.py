"""The Bokeh session a page is built for: its URL arguments and its document."""
from __future__ import annotations

import panel as pn
from bokeh.document import Document

__all__ = ["session_document", "session_query"]


def session_query(query: dict | None) -> dict:
    """``query`` when given (tests), else this session's URL arguments as text.

    Parameters
    ----------
    query : dict, optional
        Arguments given by the caller; they win over the session's.

    Returns
    -------
    dict
        Name -> text: the first value of each URL argument, decoded as UTF-8
        (undecodable bytes replaced); empty without a session.
    """
    if query is not None:
        return query
    return {k: v[0].decode("utf-8", "replace") for k, v in (pn.state.session_args or {}).items()}


def session_document() -> Document | None:
    """The document of the server session being built, or None (headless, a test, a notebook)."""
    document = pn.state.curdoc
    return document if document is not None and document.session_context else None
