"""Messages to a person: shown as text, hidden when empty; a refused change shows why."""
from __future__ import annotations

import pytest

from dashboard.messages import MessageArea
from engine.system import check_number


def test_text_is_escaped_and_an_empty_text_hides_the_alert():
    area = MessageArea("warning", "ps-status")
    assert not area.alert.visible and area.alert.alert_type == "warning" and area.alert.css_classes == ["ps-status"]
    area.show("<script>alert(1)</script> & more")
    assert area.alert.visible and area.text == "<script>alert(1)</script> & more"
    assert area.alert.object == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"
    area.show("")
    assert not area.alert.visible and area.text == ""


def test_a_refused_change_shows_its_message_and_one_that_goes_through_clears_it():
    area, taken = MessageArea(), []
    assert not area.act(lambda value, name: taken.append(check_number(value, name, (0.0, 1.0))), "2", name="rho")
    assert taken == [] and area.alert.visible and "rho" in area.text
    assert area.act(lambda value, name: taken.append(check_number(value, name, (0.0, 1.0))), "0.5", name="rho")
    assert taken == [0.5] and not area.alert.visible
    with pytest.raises(ZeroDivisionError):  # not a refused value: a bug, which is not hidden
        area.act(lambda: 1 / 0)
