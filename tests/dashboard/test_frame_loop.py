"""The frame loop shares the compute budget among the live sessions of the process."""
from __future__ import annotations

import pytest
from bokeh.document import Document

from dashboard.frame_loop import (
    LOAD_SHARE,
    MAX_BUDGET_S,
    MIN_BUDGET_S,
    FrameLoop,
    frame_budget,
    live_loops,
)


def test_budget_is_split_among_live_loops_within_its_bounds():
    frames = []
    loops = [FrameLoop(frames.append, Document()) for _ in range(30)]
    base = live_loops()
    try:
        loops[0].start()
        assert loops[0].running and live_loops() == base + 1
        assert frame_budget(33) == min(MAX_BUDGET_S, LOAD_SHARE * 0.033 / (base + 1))
        for loop in loops[1:]:
            loop.start()
        n = base + 30
        assert frame_budget(33) == pytest.approx(max(MIN_BUDGET_S, LOAD_SHARE * 0.033 / n))
        assert frame_budget(33) * n <= LOAD_SHARE * 0.033 * 1.0001  # together within the share of a frame
        assert frame_budget(1000) == MAX_BUDGET_S  # a slow loop is capped
    finally:
        for loop in loops:
            loop.stop()
    assert live_loops() == base and not loops[0].running


def test_a_frame_passes_the_budget_to_the_tick():
    budgets = []
    loop = FrameLoop(budgets.append, Document())
    loop._frame()  # what the periodic callback runs
    assert budgets == [frame_budget(33)]


@pytest.mark.parametrize("period", [0, -5, 2.5, "33", True])
def test_bad_period_is_rejected(period):
    with pytest.raises(ValueError, match="period_ms"):
        FrameLoop(lambda budget: None, Document(), period_ms=period)
