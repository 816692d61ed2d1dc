"""Steps per frame learnt from the cost of the last ones."""
from __future__ import annotations

from dashboard.step_budget import StepBudget


def test_one_step_first_then_as_many_as_the_budget_allows_within_the_most():
    budget, calls = StepBudget(most=7), []

    def advance(steps: int) -> int:
        calls.append(steps)
        return 10 * steps

    assert budget.run(advance, 1.0) == 10  # the cost of a step is not known yet: one step
    budget.run(advance, 3600.0)  # an hour is more than seven steps of anything here
    budget.run(advance, 0.0)  # no time at all: still one step
    budget.forget()
    budget.run(advance, 3600.0)
    assert calls == [1, 7, 1, 1]
