"""The one line where every change is announced, always in the same place on every screen.

A screen reader user learns one spot to look (or one line to have read); the app's
``announce(message)`` is the only writer, so messages never compete.
"""

from __future__ import annotations

from textual.widgets import Static

from listen.tui.big_text import big_lines
from listen.tui.layout import wrap


def big_status_lines(screen_rows: int) -> int:
    """Lines of big letters the status line may take: a line costs 6 or 7 rows of screen."""
    return 1 if screen_rows < 48 else 2


class StatusLine(Static):
    """Shows the latest announcement just above the footer on every screen.

    Usually one row; a long message wraps upwards rather than being cut (up to a third of the
    screen's rows, three at least).
    Only a change in the number of rows costs a layout, so announcing on every keystroke
    (filter as you type) stays cheap.

    With large text on, the message is drawn in big letters: one line of them below 48 rows
    of screen, two from 48, so the list above keeps room; the rest is cut with "...".
    """

    DEFAULT_CSS = """
    StatusLine { height: auto; max-height: 3; padding: 0 1; background: $panel; color: $foreground; }
    """

    def __init__(self) -> None:
        super().__init__(markup=False)
        self._rows = 1

    def on_mount(self) -> None:
        self.say(getattr(self.app, "status_text", ""))

    def say(self, message: str) -> None:
        width = max(1, self.content_region.width or self.app.size.width - 2)
        level = int(getattr(self.app, "large_text", 0) or 0)
        if level and message:
            lines = big_lines(message, width, level, most=big_status_lines(self.app.size.height))[:-1]
            self.styles.max_height = len(lines)
            self.update("\n".join(lines), layout=len(lines) != self._rows)
            self._rows = len(lines)
            return
        most = max(3, self.app.size.height // 3)  # at 40x12 a path-long error takes 4 rows
        rows = max(1, min(most, len(wrap(message, width))))
        if self.styles.max_height is None or self.styles.max_height.value != most:
            self.styles.max_height = most
        self.update(message, layout=rows != self._rows)
        self._rows = rows

    def relayout(self) -> None:
        self.say(getattr(self.app, "status_text", ""))
