"""A list read one item at a time: screen-reader mode's help, contents, bookmarks and settings.

A terminal screen reader speaks the rows that change (Fenrir) or what is written (tdsr). A
list drawn whole is read whole when it opens, and a highlight that moves rewrites two rows.
This list shows its current item alone, on one row (more if it wraps), with the terminal's
cursor on its first letter: opening says the first item, each key says the new one, and
changing an item in place (a setting's value) says just that item again.

Settings use it with large text too (one setting at a time is what fits in big letters): the
item is then drawn in big letters with ">" down its left edge.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.geometry import Offset
from textual.message import Message
from textual.widget import Widget

from listen.tui.big_text import big_lines
from listen.tui.layout import wrap

PAGE = 10  # items a Page Down moves: the list has no screenful to measure


class ItemList(Widget, can_focus=True):
    """`items` (one line of text each), one of them current (`highlighted`)."""

    BINDINGS = [
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("pagedown", f"move({PAGE})", "Page down", show=False),
        Binding("pageup", f"move({-PAGE})", "Page up", show=False),
        Binding("home", "edge(0)", "First", show=False),
        Binding("end", "edge(1)", "Last", show=False),
        Binding("enter", "choose", "Choose", show=False),
    ]

    DEFAULT_CSS = """
    ItemList { height: auto; padding: 0 1; }
    """

    class Chosen(Message):
        """Enter on item `index`."""

        def __init__(self, item_list: ItemList, index: int) -> None:
            super().__init__()
            self.item_list = item_list
            self.index = index

    def __init__(self, items: list[str], highlighted: int = 0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.items = list(items)
        self._index = max(0, min(highlighted, len(self.items) - 1))
        self._rows = 1

    @property
    def highlighted(self) -> int | None:
        return self._index if self.items else None

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None and self.items:
            self.show(max(0, min(index, len(self.items) - 1)))

    @property
    def option_count(self) -> int:
        return len(self.items)

    def render(self) -> Text:
        return Text("\n".join(self.lines()))

    @property
    def large(self) -> int:
        return 0 if getattr(self.app, "cursor_visible", False) else int(getattr(self.app, "large_text", 0) or 0)

    def lines(self) -> list[str]:
        """The current item's rows: its words, or its big letters marked down the left edge."""
        text = self.items[self._index] if self.items else ""
        if not self.large or not text:
            return [text]
        width = max(1, (self.content_region.width or self.app.size.width - 2) - 2)
        return [("> " if row.strip() else "  ") + row for row in big_lines(text, width, self.large)]

    def relayout(self) -> None:
        self.show()

    def show(self, index: int | None = None, text: str | None = None) -> None:
        """Make item `index` current (or change the current item's `text`) and repaint it alone."""
        if index is not None:
            self._index = index
        if text is not None and self.items:
            self.items[self._index] = text
        width = max(1, self.content_region.width or self.app.size.width - 2)
        if self.large:
            rows = len(self.lines())
        else:
            rows = len(wrap(self.items[self._index], width)) if self.items else 1
        self.refresh(layout=rows != self._rows)  # a change of height is the only layout
        self._rows = rows

    def remove_option_at_index(self, index: int) -> None:
        del self.items[index]
        self.show(max(0, min(self._index, len(self.items) - 1)))

    def action_move(self, delta: int) -> None:
        if not self.items:
            return
        index = max(0, min(self._index + delta, len(self.items) - 1))
        if index != self._index:  # at an end nothing changes: the reader repeats the item
            self.show(index)

    def action_edge(self, end: int) -> None:
        if self.items:
            self.show(len(self.items) - 1 if end else 0)

    def action_choose(self) -> None:
        if self.items:
            self.post_message(self.Chosen(self, self._index))

    def cursor_anchor(self) -> Offset | None:
        region = self.content_region
        return Offset(region.x, region.y) if self.items else None
