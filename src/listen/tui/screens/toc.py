"""The table of contents: every section of the article, Enter jumps to it."""

from __future__ import annotations

from listen.tui.screens.choice import ChoiceScreen


class ContentsScreen(ChoiceScreen):
    """Entries are (label, block index); the section being read is highlighted on open."""

    KEY_SCOPE = "contents"

    def __init__(self, entries: list[tuple[str, int]], here: int = 0) -> None:
        super().__init__("Contents", entries, here)

    def opened_message(self) -> str:
        count = len(self.entries)
        return f"Contents, {count} section{'s' if count != 1 else ''}"
