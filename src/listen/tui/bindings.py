"""Every key of the reader, in one place: id, keys, action and what it does.

Screens take their BINDINGS from here, the Help screen lists them from here, and a user
keymap (``keymap.toml`` or ``keymap.json`` in the config directory, ``id = "keys"``) remaps
them by id through Textual's own keymap. A screen-reader user can therefore learn every key
from one list, and a user whose hands or keyboard need other keys can change any of them.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Key:
    """One action a person can take, and the keys that take it."""

    id: str
    keys: str  # Textual key names, comma-separated
    action: str
    description: str
    show: bool = True  # shown in the footer; every key is always in Help
    priority: bool = False
    short: str = ""  # the footer's wording, when the description is too long for it

    def binding(self) -> Binding:
        return Binding(self.keys, self.action, self.description, show=self.show, priority=self.priority, id=self.id)


# Every Escape has Ctrl+G beside it (the Emacs and readline "cancel"), and every function key
# a Ctrl key: some screen readers keep Escape and F-keys for themselves (Fenrir's PTY mode:
# Escape is "stop speech", F1-F3 its own commands).
APP = (
    Key(
        "app.help",
        "f1,question_mark",
        "app.help",
        "Help: every key on this screen (F1 in a text box, where ? is typed)",
        short="Help",
    ),
    Key("app.settings", "f2,ctrl+p", "app.settings", "Settings"),
    Key("app.text_size", "f3,ctrl+t", "app.text_size", "Text size: normal, large, larger", short="Size"),
    Key("app.theme", "f4,ctrl+y", "app.cycle_theme", "Next colour theme (high contrast among them)", show=False),
    Key("app.quit", "ctrl+q", "app.quit", "Quit", priority=True),
)

LIBRARY = (
    Key("library.open", "enter", "open", "Open the selected article", short="Open"),
    Key("library.down", "down", "cursor(1)", "Next article", show=False),
    Key("library.up", "up", "cursor(-1)", "Previous article", show=False),
    Key("library.page_down", "pagedown", "page(1)", "Page down the list", show=False),
    Key("library.page_up", "pageup", "page(-1)", "Page up the list", show=False),
    Key("library.first", "home", "edge(0)", "First article (in the filter box: the start of the text)", show=False),
    Key("library.last", "end", "edge(1)", "Last article (in the filter box: the end of the text)", show=False),
    # The library's Ctrl keys take priority over the filter box's own (Ctrl+E there is "end of
    # line"), so each works from wherever the focus is: the list or the filter.
    Key("library.sort", "ctrl+s", "toggle_sort", "Sort by title or date", short="Sort", priority=True),
    Key("library.clear", "escape,ctrl+g", "clear_filter", "Clear the filter", short="Clear filter"),
    Key(
        "library.focus_filter", "ctrl+f", "focus_filter", "Type to filter by title and text", show=False, priority=True
    ),
    Key(
        "library.open_link", "ctrl+o", "open_link", "Open a link: type a web page's address", show=False, priority=True
    ),
    # Letters type into the filter here, so Make MP3 is on Ctrl+E (the reader has m as well).
    Key("library.make_mp3", "ctrl+e", "make_mp3", "Make an MP3 of the selected article", show=False, priority=True),
    # Refresh asks a fetched page (or its feed) again, revalidated; a user's own file says it does not apply.
    # Refresh all is on Ctrl+L ("load again"), not Ctrl+A, which the filter box keeps as "start of line".
    Key(
        "library.refresh",
        "ctrl+r",
        "refresh",
        "Refresh the selected article from its web page or feed",
        show=False,
        priority=True,
    ),
    Key(
        "library.refresh_all",
        "ctrl+l",
        "refresh_all",
        "Refresh every article from the web and its feeds",
        show=False,
        priority=True,
    ),
)

READER = (
    Key("reader.next_paragraph", "down,j", "move(1)", "Next paragraph", show=False),
    Key("reader.previous_paragraph", "up,k", "move(-1)", "Previous paragraph", show=False),
    Key("reader.next_section", "h,ctrl+down", "section(1)", "Next section (heading)", short="Next section"),
    Key("reader.previous_section", "H,ctrl+up", "section(-1)", "Previous section (heading)", show=False),
    Key("reader.top", "home,g", "edge(0)", "Top of the article", show=False),
    Key("reader.bottom", "end,G", "edge(1)", "Bottom of the article", show=False),
    Key("reader.page_down", "pagedown,space", "page(1)", "Page down", show=False),
    Key("reader.page_up", "pageup", "page(-1)", "Page up", show=False),
    Key("reader.find", "slash", "find", "Find in the article", short="Find"),
    Key("reader.find_next", "n", "find_next(1)", "Next match", show=False),
    Key("reader.find_previous", "N", "find_next(-1)", "Previous match", show=False),
    Key("reader.contents", "t", "contents", "Table of contents", short="Contents"),
    Key("reader.bookmark_add", "b", "bookmark_add", "Add a bookmark here", show=False),
    Key("reader.bookmarks", "B", "bookmarks", "Bookmarks: list and jump", short="Bookmarks"),
    Key("reader.listen", "l", "listen", "Listen from here", short="Listen"),
    Key("reader.play_pause", "p", "play_pause", "Play or pause narration", show=False),
    Key("reader.stop", "x", "stop_narration", "Stop narration", show=False),
    Key("reader.sentence_back", "comma", "skip_sentence(-1)", "Narration: back a sentence", show=False),
    Key("reader.sentence_forward", "full_stop", "skip_sentence(1)", "Narration: forward a sentence", show=False),
    Key("reader.paragraph_back", "less_than_sign", "skip_paragraph(-1)", "Narration: back a paragraph", show=False),
    Key(
        "reader.paragraph_forward",
        "greater_than_sign",
        "skip_paragraph(1)",
        "Narration: forward a paragraph",
        show=False,
    ),
    Key("reader.faster", "plus,equals_sign", "speed(1)", "Narration: faster", show=False),
    Key("reader.slower", "minus", "speed(-1)", "Narration: slower", show=False),
    Key("reader.make_mp3", "m", "make_mp3", "Make an MP3 of this article", show=False),
    Key("reader.back", "escape,q,backspace,ctrl+g", "back", "Back to the library", short="Library"),
)

FIND = (
    Key("find.cancel", "escape,ctrl+g", "cancel_find", "In the find or link box: close it and go back", show=False),
)

LIST_DIALOG = (
    Key("dialog.close", "escape,q,ctrl+g", "close", "Close"),
    Key("dialog.choose", "enter", "choose", "Go there"),
)

BOOKMARKS = (
    *LIST_DIALOG,
    Key("bookmarks.delete", "d,delete", "delete", "Delete the bookmark"),
)

HELP = (Key("help.close", "escape,q,f1,question_mark,ctrl+g", "close", "Close help", short="Close"),)

SETTINGS = (
    Key("settings.close", "escape,ctrl+g", "close", "Close settings (saved as you go)", short="Close"),
    Key(
        "settings.next_value",
        "right",
        "cycle(1)",
        "Next value of the setting (the one-at-a-time list: screen-reader mode, large text)",
        show=False,
    ),
    Key(
        "settings.previous_value",
        "left",
        "cycle(-1)",
        "Previous value of the setting (the one-at-a-time list)",
        show=False,
    ),
)

VOICES = (
    Key("voices.close", "escape,q,ctrl+g", "close", "Keep the voice there was", short="Close"),
    Key("voices.choose", "enter", "choose", "Use this voice"),
    Key("voices.preview", "p", "preview", "Hear a sample of this voice", short="Sample"),
)

SCOPES: dict[str, tuple[Key, ...]] = {
    "app": APP,
    "library": LIBRARY,
    "reader": READER,
    "find": FIND,
    "contents": LIST_DIALOG,
    "bookmarks": BOOKMARKS,
    "help": HELP,
    "settings": SETTINGS,
    "voices": VOICES,
}

ALL_IDS = frozenset(key.id for keys in SCOPES.values() for key in keys)


def bindings(scope: str) -> list[BindingType]:
    """The Textual BINDINGS of one screen or widget."""
    return [key.binding() for key in SCOPES[scope]]


def dialog_bindings(scope: str) -> list[BindingType]:
    """The BINDINGS of a modal screen: its own keys, then the app's.

    Textual stops at a modal screen when it looks for a key's binding, so the app's keys
    (help, settings, text size, theme) would do nothing in a dialog, though the footer and
    help list them there. The dialog carries them itself; their actions name the app.
    """
    return [*bindings(scope), *bindings("app")]


def effective_keys(key: Key, keymap: dict[str, str]) -> str:
    """The keys that take `key`'s action once the user's keymap is applied."""
    return keymap.get(key.id, key.keys)


KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "comma": ",",
    "full_stop": ".",
    "less_than_sign": "<",
    "greater_than_sign": ">",
    "plus": "+",
    "minus": "-",
    "equals_sign": "=",
    "pagedown": "Page Down",
    "pageup": "Page Up",
}


def key_name(key: str) -> str:
    """A key as a person says it: 'Ctrl+Down', 'Page Up', 'Shift+H', '/'."""
    *modifiers, last = key.split("+")
    if last in KEY_NAMES:
        name = KEY_NAMES[last]
    elif len(last) == 1 and last.isupper():
        name, modifiers = last, [*modifiers, "shift"]
    elif len(last) == 1:
        name = last.upper() if modifiers else last
    else:
        name = last.replace("_", " ").title()
    return "+".join([*(m.capitalize() for m in modifiers), name])


def describe_keys(key: Key, keymap: dict[str, str] | None = None) -> str:
    """`key`'s keys as help and the README say them: 'F1 or ?', 'Escape or Ctrl+G'."""
    names = [name.strip() for name in effective_keys(key, keymap or {}).split(",") if name.strip()]
    return " or ".join(key_name(name) for name in names)


# The screens as help and the README name them, in the order the README lists them.
PLACES = {
    "app": "Everywhere",
    "library": "Library",
    "reader": "Reader",
    "find": "Reader's find box",
    "contents": "Contents",
    "bookmarks": "Bookmarks",
    "help": "Help",
    "settings": "Settings",
    "voices": "Voice picker (Settings, Voice)",
}


def key_table() -> str:
    """Every key of every screen as a Markdown table: the README's, generated from SCOPES.

    Help lists the same keys with the same words (help_lines), and the key walk test presses
    each of them, so the three never disagree.
    """
    rows = ["| where | keys | what they do |", "| --- | --- | --- |"]
    for scope, place in PLACES.items():
        for key in SCOPES[scope]:
            keys = describe_keys(key).replace("|", "\\|")
            rows.append(f"| {place} | {keys} | {key.description} |")
    return "\n".join(rows) + "\n"


def load_keymap(config_dir: Path) -> tuple[dict[str, str], list[str]]:
    """Read the user's keymap; return it and one line per problem (unknown id, bad file).

    A broken keymap must never stop the reader opening, so problems are reported, not raised:
    bad TOML or JSON, nesting too deep to parse (a 1,500-level dotted key), an unknown id.
    """
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for name in ("keymap.toml", "keymap.json"):
        path = config_dir / name
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
            data = tomllib.loads(text) if name.endswith(".toml") else json.loads(text)
        except (OSError, ValueError, RecursionError) as exc:
            reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc).splitlines()[0]
            problems.append(f"Keymap {path} ignored ({reason}); using the default keys.")
            continue
        data = data.get("keys", data) if isinstance(data, dict) else {}
        for binding_id, keys in flatten(data).items():
            if binding_id not in ALL_IDS:
                problems.append(f"Keymap: no key has the id {shortened(binding_id)!r}")
            elif not isinstance(keys, str) or not keys.strip():
                problems.append(f'Keymap: {binding_id} needs keys as text, like "j,down"')
            else:
                keymap[binding_id] = keys
    return keymap, problems


def flatten(data: dict, prefix: str = "") -> dict[str, object]:
    """Accept both ``"reader.find" = "f"`` and a ``[reader]`` table with ``find = "f"``.

    A loop, not recursion: a dotted key 1,500 levels deep is valid TOML, and must be one
    "no key has the id" line, not a RecursionError at start-up.
    """
    flat: dict[str, object] = {}
    pending: list[tuple[str, dict]] = [(prefix, data)]
    while pending:
        start, table = pending.pop()
        for name, value in table.items():
            if isinstance(value, dict):
                pending.append((f"{start}{name}.", value))
            else:
                flat[f"{start}{name}"] = value
    return flat


def shortened(text: str, limit: int = 60) -> str:
    """An id as a message quotes it: long ones cut with "…", so the problem stays one line."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
