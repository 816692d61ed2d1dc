"""The explorer in a real browser: the trace moves, sliders act, bad input gets a message."""
from __future__ import annotations

import numpy as np
import pytest

from .conftest import TRACE_LENGTH_JS, TRACE_TAIL_JS, wait_for_motion, wait_for_trace

pytestmark = pytest.mark.ui


def test_live_trace_grows(page, server_url):
    page.goto(server_url + "/?speed=1")
    wait_for_trace(page)
    before = page.evaluate(TRACE_LENGTH_JS)
    page.wait_for_timeout(1000)
    after = page.evaluate(TRACE_LENGTH_JS)
    assert after > before, (before, after)


def test_slider_changes_the_trajectory(page, server_url):
    page.goto(server_url + "/")
    wait_for_trace(page)
    # on the attractor, z stays well away from 0
    page.wait_for_function(f"(() => Math.max(...({TRACE_TAIL_JS})(50).y) > 5)()", timeout=30_000)
    base = page.locator(".ps-slider-rho .noUi-base")
    box = base.bounding_box()
    page.mouse.click(box["x"] + 1, box["y"] + box["height"] / 2)  # the left end: rho near 0
    typed = page.locator(".ps-typed-rho input")
    page.wait_for_function(
        "(el) => parseFloat(el.value) < 1.0", arg=typed.element_handle(), timeout=10_000
    )
    # below rho = 1 every trajectory falls into the origin
    page.wait_for_function(
        f"(() => {{ const t = ({TRACE_TAIL_JS})(20); return Math.max(...t.x.map(Math.abs), ...t.y.map(Math.abs)) < 0.05; }})()",
        timeout=30_000,
    )
    tail = page.evaluate(TRACE_TAIL_JS, 20)
    assert np.abs(tail["y"]).max() < 0.05


def test_invalid_typed_value_shows_a_message_and_keeps_running(page, server_url):
    page.goto(server_url + "/?speed=1")
    wait_for_trace(page)
    typed = page.locator(".ps-typed-rho input")
    typed.fill("<b>nan</b>")
    typed.press("Enter")
    message = page.locator(".ps-message").get_by_text("rho must be a finite number")
    message.wait_for(state="visible", timeout=10_000)
    assert "<b>nan</b>" in message.inner_text()  # shown as text, not markup
    before = page.evaluate(TRACE_LENGTH_JS)
    page.wait_for_timeout(700)
    assert page.evaluate(TRACE_LENGTH_JS) > before


def test_catalog_page_opens_a_system_in_the_explorer(page, server_url):
    page.goto(server_url + "/catalog")
    link = page.locator("a[href='./?system=Rossler']")
    link.wait_for(timeout=30_000)
    link.click()
    page.wait_for_url(server_url + "/?system=Rossler")
    wait_for_trace(page)
    page.get_by_text("single-scroll spiral band").first.wait_for(timeout=10_000)
    page.get_by_text("Catalog", exact=True).first.click()  # and the shared navigation goes back
    page.wait_for_url(server_url + "/catalog")


def test_clicking_the_portrait_starts_a_trajectory_there(page, server_url):
    page.goto(server_url + "/?speed=1")
    wait_for_trace(page)
    initial = page.locator(".ps-initial input")
    assert initial.input_value() == "1, 1, 1"
    canvas = page.locator(".ps-portrait canvas").first
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.3)
    page.wait_for_function("(el) => el.value !== '1, 1, 1'", arg=initial.element_handle(), timeout=10_000)
    x, y, z = (float(v) for v in initial.input_value().split(","))
    assert x != 1.0 and z != 1.0  # both plotted variables took the clicked point
    wait_for_motion(page)  # and the new trajectory runs


def test_picking_a_system_shows_its_declared_axes(page, server_url):
    page.goto(server_url + "/")
    wait_for_trace(page)
    page.locator(".ps-picker select").select_option("Double pendulum")
    x_axis, y_axis = page.locator(".ps-x-axis select"), page.locator(".ps-y-axis select")
    page.wait_for_function("(el) => el.value === 'theta1'", arg=x_axis.element_handle(), timeout=15_000)
    page.wait_for_timeout(1500)  # a browser echoing stale options would have flipped the axes by now
    assert (x_axis.input_value(), y_axis.input_value()) == ("theta1", "theta2")
    wait_for_motion(page)
