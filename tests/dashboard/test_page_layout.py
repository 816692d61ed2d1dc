"""The frame every page shares: the navigation bar on top, controls beside pictures."""
from __future__ import annotations

import panel as pn

from dashboard.page_layout import navigation_bar, page_layout


def test_the_navigation_bar_marks_the_page_and_the_controls_sit_left_of_the_pictures():
    sidebar, main = pn.Column(width=300), pn.Column()
    layout = page_layout("/sync", sidebar, main)
    bar, row = layout.objects
    assert "ps-nav-current'>Synchronization</a>" in bar.object
    assert row.objects == [sidebar, main]
    assert navigation_bar("/").object.count("ps-nav-current") == 1
