"""The one line where every change is announced, always in the same place on every screen.

A screen reader user learns one spot to look (or one line to have read); the app's
``announce(message)`` is the only writer, so messages never compete.
"""

from __future__ import annotations

from textual.widgets import Static

from listen.tui.host import reader_host
from listen.tui.layout import wrap


class StatusLine(Static):
    """Shows the latest announcement just above the footer on every screen.

    Usually one row; a long message wraps upwards (at most three rows) rather than being cut.
    Only a change in the number of rows costs a layout, so announcing on every keystroke
    (filter as you type) stays cheap.
    """

    DEFAULT_CSS = """
    StatusLine { height: auto; max-height: 3; padding: 0 1; background: $panel; color: $foreground; }
    """

    def __init__(self) -> None:
        super().__init__(markup=False)
        self._rows = 1

    def on_mount(self) -> None:
        self.say(reader_host(self.app).status_text)

    def say(self, message: str) -> None:
        width = max(1, self.content_region.width or self.app.size.width - 2)
        rows = max(1, min(3, len(wrap(message, width))))
        self.update(message, layout=rows != self._rows)
        self._rows = rows
