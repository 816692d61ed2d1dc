"""Fuzzing what a person can give the pages: typed text, slider values and URL
query parameters. Every input is either taken (maybe clamped) or answered by a
message; the page keeps running, and nothing typed comes back as markup."""
from __future__ import annotations

import math

import numpy as np
import panel as pn
import pytest
from bokeh.document import Document
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dashboard.apps import ROUTES
from dashboard.apps.explorer import Explorer

MARKERS = ("<script>alert('ps-fuzz')</script>", "<img src=x onerror=alert('ps-fuzz')>")
"""Markup a person might type; it must never reach a page's models unescaped."""

FUZZ = settings(
    deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)

typed_text = st.one_of(
    st.sampled_from([
        *MARKERS, "nan", "inf", "-inf", "1e999", "-1e308", "0", "-0", "1e-320", "", " ", "3,5", "1 2 3", "0x1F",
        "1_000", "9" * 400, "Lorenz", "lorenz", "%00", "../../etc/passwd", "{{7*7}}", "'; DROP TABLE x; --",
    ]),
    st.text(max_size=40),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(-50, 50).map(lambda x: f"{x:g}"),  # often a value the page takes
    st.lists(st.floats(-5, 5).map(lambda x: f"{x:g}"), min_size=1, max_size=4).map(", ".join),
    st.integers(-(10**40), 10**40).map(str),
)


def _texts(viewable) -> list[str]:
    """Every text the page's Bokeh models would show (markup included)."""
    models = pn.panel(viewable).get_root(Document()).references()
    return [str(getattr(m, name)) for m in models for name in ("text", "title") if isinstance(getattr(m, name, None), str)]


def _no_markup_from(texts: list[str]) -> None:
    for text in texts:
        for marker in MARKERS:
            assert marker not in text, f"typed markup shown as markup: {text[:200]}"


@pytest.fixture(scope="module")
def explorer() -> Explorer:
    return Explorer()


@settings(FUZZ, max_examples=350)
@given(data=st.data())
def test_explorer_takes_any_typed_value_or_says_why(explorer, data):
    state = explorer.state
    entry = data.draw(st.sampled_from(["parameter", "slider", "dt", "initial", "search", "speed", "trajectories"]))
    text = data.draw(typed_text)
    before = dict(state.simulation.params)
    if entry == "parameter":
        name = data.draw(st.sampled_from(sorted(explorer._typed)))
        explorer._typed[name].value = text
        taken = state.message == ""
        assert taken or state.simulation.params[name] == before[name]  # a refused value changes nothing
    elif entry == "slider":
        name = data.draw(st.sampled_from(sorted(explorer._sliders)))
        value = data.draw(st.floats(allow_nan=True, allow_infinity=True))
        explorer._parameter_moved(name, value)  # what the slider's watcher calls with the browser's number
        taken = state.message == ""
    elif entry == "dt":
        explorer.dt.value = text
        taken = state.message == ""
    elif entry == "initial":
        explorer.initial.value = text
        taken = state.message == ""
    elif entry == "search":
        explorer.search.value = text
        taken = state.message == ""
    else:
        taken = state.apply_query({entry: text})
    event("taken" if taken else "refused with a message")
    assert taken or (explorer.alert.visible and explorer.alert.object)
    for marker in MARKERS:
        assert marker not in explorer.alert.object
    assert all(math.isfinite(v) for v in state.simulation.params.values())
    if not state.playing and not state.status:
        state.playing = True
    explorer.tick()  # still running
    _, points = state.simulation.history()
    assert np.isfinite(points).all()


QUERY_KEYS = st.one_of(
    st.sampled_from(["system", "speed", "trajectories", "rho", "sigma", "r", "K", "n", "N", "seed", "dt", "noise",
                     "parameter", "start", "stop", "network", "market", "source", "field", "model"]),
    st.text(min_size=1, max_size=10),
)


@pytest.mark.parametrize("path", sorted(p for p in ROUTES if p != "/catalog"))
@settings(FUZZ, max_examples=12)
@given(query=st.dictionaries(QUERY_KEYS, typed_text, min_size=1, max_size=3))
def test_url_query_of_every_page_builds_a_page_that_shows_markup_as_text(path, query):
    page = ROUTES[path](query)
    _no_markup_from(_texts(page))


@pytest.mark.parametrize("path", sorted(ROUTES))
@settings(FUZZ, max_examples=8)
@given(data=st.data())
def test_every_text_input_of_every_page_takes_any_text(path, data):
    page = ROUTES[path]() if path == "/catalog" else ROUTES[path]({})
    inputs = pn.panel(page).select(pn.widgets.TextInput) + pn.panel(page).select(pn.widgets.TextAreaInput)
    for widget in inputs:
        widget.value = data.draw(typed_text)
    _no_markup_from(_texts(page))
