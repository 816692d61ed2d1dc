"""How much work fits in a frame: steps per frame learnt from the time the last ones took."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

__all__ = ["StepBudget"]


class StepBudget:
    """How many steps fit in a frame's compute budget, learnt from the time the last chunks took.

    Parameters
    ----------
    most : int
        Never more steps than this in one call, however cheap a step is.
    """

    def __init__(self, most: int = 100_000) -> None:
        self.most = most
        self._cost: float | None = None

    def forget(self) -> None:
        """The cost of a step changed (another size): measure again from one step."""
        self._cost = None

    def run(self, advance: Callable[[int], Any], budget_s: float) -> Any:
        """Call ``advance(steps)`` with as many steps as ``budget_s`` allows (at least one); return its result.

        The cost of a step is the mean of the last measured cost and the one
        before, so one slow frame (a pause of the process) does not halve the next.
        """
        steps = 1 if self._cost is None else int(min(self.most, max(1, budget_s / self._cost)))
        start = time.perf_counter()
        result = advance(steps)
        cost = (time.perf_counter() - start) / steps
        self._cost = cost if self._cost is None else 0.5 * (self._cost + cost)
        return result
