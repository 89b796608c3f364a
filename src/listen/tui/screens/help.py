"""Help: every key of the screen it was opened from, as plain lines read top to bottom.

Plain text on purpose: a screen reader reads it in order, line by line, with nothing to
skip; the keys shown are the ones in effect, after the user's keymap. The lines are a list
the arrow keys move through, one key each, so the terminal's cursor (and a screen reader
or braille display following it) lands on each line in turn, not only on the first.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static
from textual.widgets.option_list import Option

from listen.tui.bindings import SCOPES, bindings, describe_keys
from listen.tui.widgets.choice_list import ChoiceList
from listen.tui.widgets.item_list import ItemList
from listen.tui.widgets.key_hints import KeyHints
from listen.tui.widgets.status_line import StatusLine

TITLES = {
    "library": "Library",
    "reader": "Reader",
    "contents": "Contents",
    "bookmarks": "Bookmarks",
    "settings": "Settings",
}


def help_lines(scope: str, keymap: dict[str, str]) -> list[str]:
    """One line per action: 'Keys: what it does', the screen's keys first, then global ones."""
    lines = []
    for group in (SCOPES.get(scope, ()), SCOPES["find"] if scope == "reader" else (), SCOPES["app"]):
        for key in group:
            lines.append(f"{describe_keys(key, keymap)}: {key.description}")
    return lines


class HelpScreen(Screen[None]):
    KEY_SCOPE = "help"
    BINDINGS = bindings("help")

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.scope = getattr(under, "KEY_SCOPE", "library")

    def compose(self) -> ComposeResult:
        title = TITLES.get(self.scope, self.scope.title())
        keymap = getattr(self.app, "user_keymap", {})
        lines = help_lines(self.scope, keymap)
        yield Static(f"Help: {title} keys", id="title", classes="screen-title")
        if self.app.settings.screen_reader:  # one key at a time (item_list.py)
            yield ItemList(lines, id="help-text")
        else:
            yield ChoiceList(*(Option(line) for line in lines), id="help-text", markup=False)
        yield StatusLine()
        yield KeyHints(self.KEY_SCOPE)

    @property
    def text(self) -> str:
        """The help as plain lines, in order."""
        keys = self.query_one("#help-text")
        if isinstance(keys, ItemList):
            return "\n".join(keys.items)
        assert isinstance(keys, ChoiceList)
        return "\n".join(keys.labels)  # the words, also when drawn in big letters

    def on_mount(self) -> None:
        keys = self.query_one("#help-text")
        assert isinstance(keys, (ChoiceList, ItemList))
        keys.highlighted = 0
        keys.focus()
        title = TITLES.get(self.scope, self.scope.title())
        if self.app.settings.screen_reader:
            self.app.announce(f"Help: {title} keys, {keys.option_count} in all; Ctrl+G closes")
        else:
            self.app.announce(f"Help: {title} keys; Escape closes")

    def action_close(self) -> None:
        self.app.pop_screen()
