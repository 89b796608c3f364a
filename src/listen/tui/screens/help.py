"""Help: every key of the screen it was opened from, as plain lines read top to bottom.

Plain text on purpose: a screen reader reads it in order, line by line, with nothing to
skip; the keys shown are the ones in effect, after the user's keymap.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from listen.tui.bindings import SCOPES, Key, bindings, effective_keys, key_name
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


def describe_keys(key: Key, keymap: dict[str, str]) -> str:
    names = [name.strip() for name in effective_keys(key, keymap).split(",") if name.strip()]
    return " or ".join(key_name(name) for name in names)


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
        with VerticalScroll(id="help-text", can_focus=True):
            yield Static("\n".join(lines), markup=False)
        yield StatusLine()
        yield KeyHints(self.KEY_SCOPE)

    def on_mount(self) -> None:
        self.query_one("#help-text").focus()
        title = TITLES.get(self.scope, self.scope.title())
        self.app.announce(f"Help: {title} keys; Escape closes")

    def action_close(self) -> None:
        self.app.pop_screen()
