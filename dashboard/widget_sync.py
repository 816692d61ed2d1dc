"""Widgets that both take a person's input and show a page's settings.

A page that sets its own widgets (after a restart, a preset, a typed value
mirrored on a slider) must not read those changes back as a person's choice.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import param

__all__ = ["WidgetSync"]


class WidgetSync:
    """One page's guard between the widgets it shows and the actions they trigger.

    Actions registered with :meth:`on_change` run when a person changes a
    widget and are skipped while the page shows values itself, inside
    :meth:`showing` or through :meth:`show`.
    """

    def __init__(self) -> None:
        self.active = False
        """True while the page is showing values (its widgets' changes are not a person's)."""

    def on_change(self, widget: param.Parameterized, action: Callable[[Any], Any], what: str = "value") -> None:
        """Call ``action(new value)`` when a person changes ``widget``'s ``what`` (not when the page shows it)."""
        widget.param.watch(lambda event: None if self.active else action(event.new), what)

    @contextmanager
    def showing(self) -> Iterator[None]:
        """Inside the block, widget changes are the page's own: no action runs."""
        previous, self.active = self.active, True
        try:
            yield
        finally:
            self.active = previous

    def show(self, widget: param.Parameterized, **values: Any) -> None:
        """Show ``values`` (value, options, label ...) in ``widget`` at once, without acting on them."""
        with self.showing():
            widget.param.update(**values)
