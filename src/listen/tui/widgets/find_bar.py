"""The find box: `/` opens it, Enter finds, Escape closes it and returns to the text."""

from __future__ import annotations

from textual.message import Message
from textual.widgets import Input

from listen.tui.bindings import bindings


class FindBar(Input):
    """An Input that asks its screen to close it on Escape instead of leaving the article."""

    BINDINGS = bindings("find")

    DEFAULT_CSS = """
    FindBar { display: none; }
    FindBar.-open { display: block; }
    """

    class Cancelled(Message):
        """Escape was pressed in the find box."""

    def open(self, query: str = "") -> None:
        self.value = query
        self.add_class("-open")
        self.focus()

    def close(self) -> None:
        self.remove_class("-open")

    def action_cancel_find(self) -> None:
        self.post_message(self.Cancelled())
