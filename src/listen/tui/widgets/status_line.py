"""The one line where every change is announced, always in the same place on every screen.

A screen reader user learns one spot to look (or one line to have read); the app's
``announce(message)`` is the only writer, so messages never compete.
"""

from __future__ import annotations

from textual.widgets import Static


class StatusLine(Static):
    """Shows the latest announcement just above the footer on every screen.

    Usually one row; a long message wraps upwards (at most three rows) rather than being cut.
    """

    DEFAULT_CSS = """
    StatusLine { height: auto; max-height: 3; padding: 0 1; background: $panel; color: $foreground; }
    """

    def on_mount(self) -> None:
        self.update(getattr(self.app, "status_text", ""))
