"""A list to choose from (contents, bookmarks): Enter goes there, Escape comes back.

In screen-reader mode the list is an ItemList (one item shown at a time, see item_list.py)
and the title is left to the status line, which says it with the count as the screen opens.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from listen.controls import printable
from listen.tui.bindings import dialog_bindings
from listen.tui.screens.base import ListenModalScreen
from listen.tui.widgets.choice_list import ChoiceList
from listen.tui.widgets.item_list import ItemList
from listen.tui.widgets.key_hints import KeyHints
from listen.tui.widgets.status_line import StatusLine


class ChoiceScreen(ListenModalScreen[Any]):
    """Dismisses with the chosen entry's value, or None."""

    KEY_SCOPE = "contents"
    BINDINGS = dialog_bindings("contents")

    def __init__(self, title: str, entries: list[tuple[str, Any]], highlighted: int = 0) -> None:
        super().__init__()
        self.heading = title
        self.entries = [(printable(label), value) for label, value in entries]  # labels are article text
        self.start = highlighted

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-area"):
            with Vertical(classes="dialog"):
                yield Static(self.heading, classes="dialog-title")
                if self.app.settings.screen_reader:
                    yield ItemList([label for label, _ in self.entries], self.start, id="choices")
                else:
                    yield ChoiceList(*[Option(label) for label, _ in self.entries], id="choices", markup=False)
        yield StatusLine()
        yield KeyHints(self.KEY_SCOPE)

    @property
    def choices(self) -> ChoiceList | ItemList:
        choices = self.query_one("#choices")
        assert isinstance(choices, (ChoiceList, ItemList))  # compose yields one or the other
        return choices

    def on_mount(self) -> None:
        self.choices.highlighted = min(self.start, len(self.entries) - 1) if self.entries else None
        self.choices.focus()
        self.app.announce(self.opened_message())

    def opened_message(self) -> str:
        return f"{self.heading}, {len(self.entries)} entries"

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.entries[event.option_index][1])

    def on_item_list_chosen(self, event: ItemList.Chosen) -> None:
        event.stop()
        self.dismiss(self.entries[event.index][1])

    def action_choose(self) -> None:
        if self.choices.highlighted is not None:
            self.dismiss(self.entries[self.choices.highlighted][1])

    def action_close(self) -> None:
        self.dismiss(None)
