"""The footer: the main keys of this screen as one line of plain text.

One Static instead of Textual's Footer (a widget per key, rebuilt on every focus change):
it is cheaper to draw, and a screen reader reads it as one sentence-like line. The keys
shown follow the user's keymap; Help lists every key.
"""

from __future__ import annotations

from textual.widgets import Static

from listen.tui.bindings import SCOPES, effective_keys, key_name
from listen.tui.host import reader_host

SEPARATOR = " · "


def hint_parts(scope: str, keymap: dict[str, str]) -> list[str]:
    """'F1 Help', 'h Next section', '/ Find', …: help first, so it always fits."""
    app = SCOPES["app"]
    parts = []
    for key in (app[0], *SCOPES[scope], *app[1:]):
        if key.show:
            first = effective_keys(key, keymap).split(",")[0].strip()
            parts.append(f"{key_name(first)} {key.short or key.description}")
    return parts


def screen_reader_hints(keymap: dict[str, str]) -> str:
    """The one footer of screen-reader mode, the same on every screen, so it is never re-read:
    how to get help (which lists every key of the screen), go back, and quit."""
    app = {key.id: key for key in SCOPES["app"]}

    def plain(key_id: str) -> str:
        names = [name.strip() for name in effective_keys(app[key_id], keymap).split(",") if name.strip()]
        spoken = [name for name in names if not (name[:1] == "f" and name[1:].isdigit())]
        return key_name((spoken or names)[0])

    return SEPARATOR.join((f"{plain('app.help')} Help", "Ctrl+G Back", f"{plain('app.quit')} Quit"))


def hints(scope: str, keymap: dict[str, str], width: int | None = None) -> str:
    """The hints that fit in `width` cells, whole ones only: a half-cut hint tells nobody anything.

    Help comes first and Quit last, kept at any width (40 columns included): the two keys a
    newcomer needs on every screen. The screen's own keys fill the room between, in order.
    """
    parts = hint_parts(scope, keymap)
    if width is None:
        return SEPARATOR.join(parts)
    last = quit_hint(keymap)
    middle = [part for part in parts[1:] if part != last]
    kept = [parts[0]]
    for part in middle:
        if len(SEPARATOR.join([*kept, part, last])) > width:
            break
        kept.append(part)
    if len(SEPARATOR.join([*kept, last])) <= width:
        kept.append(last)
    while len(SEPARATOR.join(kept)) > width and len(kept) > 1:  # narrower than Help and Quit
        kept.pop()
    return SEPARATOR.join(kept)


def quit_hint(keymap: dict[str, str]) -> str:
    key = next(key for key in SCOPES["app"] if key.id == "app.quit")
    return f"{key_name(effective_keys(key, keymap).split(',')[0].strip())} {key.short or key.description}"


class KeyHints(Static):
    """The bottom line of every screen."""

    DEFAULT_CSS = """
    KeyHints { dock: bottom; height: 1; padding: 0 1; background: $panel; color: $foreground; }
    """

    def __init__(self, scope: str) -> None:
        super().__init__(markup=False)
        self.scope = scope
        self._text: str | None = None

    def on_mount(self) -> None:
        self.fit()  # at the width it is about to get, so the screen's first frame has the keys

    def on_resize(self) -> None:
        self.fit()

    def fit(self) -> None:
        width = self.content_region.width or self.app.size.width - 2
        host = reader_host(self.app)
        keymap = host.user_keymap
        if host.settings.screen_reader:
            text = screen_reader_hints(keymap)
        else:
            text = hints(self.scope, keymap, width)
        if text != self._text:  # one row, always: a new text never needs a new layout
            self._text = text
            self.update(text, layout=False)
