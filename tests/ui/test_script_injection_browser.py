"""Markup typed into any text input or put in any URL parameter of any page is
shown as text: no script runs, no element is injected, no dialog opens."""
from __future__ import annotations

from urllib.parse import urlencode

import pytest

from dashboard.navigation import PAGES

pytestmark = pytest.mark.ui

FLAG = "window.__psInjected"
MARKUP = [
    "<script>window.__psInjected = 1; alert(1)</script>",
    "<img src=x id=ps-injected onerror=\"window.__psInjected = 1; alert(1)\">",
]
QUERY_KEYS = ["system", "rho", "speed", "n", "K", "seed", "network", "parameter", "market"]


def _not_injected(page, dialogs: list[str]) -> None:
    page.wait_for_timeout(500)  # (an onerror handler would run by now)
    assert page.evaluate(f"typeof {FLAG}") == "undefined"
    assert page.locator("#ps-injected").count() == 0  # (the locator pierces shadow roots)
    assert dialogs == []


@pytest.mark.parametrize("path", sorted(PAGES))
def test_markup_in_url_and_text_inputs_is_shown_as_text(browser, server_url, path):
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        query = urlencode({key: MARKUP[i % 2] for i, key in enumerate(QUERY_KEYS)})
        page.goto(f"{server_url}{path}?{query}")
        page.wait_for_selector(".ps-nav", timeout=60_000)
        _not_injected(page, dialogs)
        inputs = page.locator("input[type=text], textarea")
        for i in range(inputs.count()):
            field = inputs.nth(i)
            if field.is_visible() and field.is_enabled():
                field.fill(MARKUP[i % 2])
                field.press("Enter")
        _not_injected(page, dialogs)
    finally:
        context.close()

