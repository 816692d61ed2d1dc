"""A page's widgets: a person's changes act, the page's own do not."""
from __future__ import annotations

import panel as pn
import pytest

from dashboard.widget_sync import WidgetSync


def test_a_persons_change_acts_and_the_pages_own_does_not():
    sync, seen = WidgetSync(), []
    text = pn.widgets.TextInput(value="a")
    sync.on_change(text, seen.append)
    text.value = "typed"
    sync.show(text, value="shown", placeholder="p")
    with sync.showing():
        text.value = "shown again"
    text.value = "typed again"
    assert seen == ["typed", "typed again"]
    assert text.placeholder == "p" and not sync.active


def test_another_parameter_is_watched_and_a_failure_inside_the_block_ends_it():
    sync, seen = WidgetSync(), []
    text = pn.widgets.TextInput()
    sync.on_change(text, seen.append, "placeholder")
    text.placeholder = "a"
    with pytest.raises(RuntimeError), sync.showing():
        with sync.showing():
            text.placeholder = "b"
        assert sync.active  # an inner block leaves the outer one showing
        text.placeholder = "c"
        raise RuntimeError
    text.placeholder = "d"
    assert seen == ["a", "d"] and not sync.active
