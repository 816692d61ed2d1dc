"""Messages to a person above a page's pictures: refused input, a stopped run, warnings."""
from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import panel as pn

__all__ = ["MessageArea"]


class MessageArea:
    """An alert that shows a person-facing text (escaped: it may quote their input), hidden when empty.

    Parameters
    ----------
    alert_type : str
        The alert's colour: ``"danger"`` for refused input, ``"warning"`` for a notice.
    css_class : str
        The alert's CSS class (browser tests find it by this class).
    """

    def __init__(self, alert_type: str = "danger", css_class: str = "ps-message") -> None:
        self.text = ""
        """The text shown, as given (not escaped)."""
        self.alert = pn.pane.Alert("", alert_type=alert_type, visible=False, sizing_mode="stretch_width", css_classes=[css_class])

    def show(self, text: str) -> None:
        """Show ``text`` as text, never as HTML; an empty text hides the alert."""
        self.text = text
        self.alert.object = html.escape(text)
        self.alert.visible = bool(text)

    def act(self, action: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
        """Run a person's change ``action(*args, **kwargs)``.

        A refused value (``ValueError``) shows its message and changes nothing
        else; a change that goes through clears the message.

        Returns
        -------
        bool
            Whether the change went through.
        """
        try:
            action(*args, **kwargs)
        except ValueError as error:
            self.show(str(error))
            return False
        self.show("")
        return True
