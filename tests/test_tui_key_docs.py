"""Every key, from one source: the walk presses each binding from each screen and focus and
checks it does what help says, or says why not; help and the README list the same keys.

The table of keys is src/listen/tui/bindings.py. The README's key table is generated from it
(scripts/keys_table.py), help lists it (help_lines), and WALK below says, for each key id,
what pressing it must change. A new key with no row in WALK fails the test that checks the
walk covers every id, so no key can be added without a test that it works.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from test_tui_keys_everywhere import (
    contents,
    find_box,
    help_screen,
    library_filter,
    library_list,
    reader,
    settings_screen,
)
from tui_support import (
    REPO,
    FakeSpeech,
    make_app,
    open_article,
    pilot_test,
    screen_text,
    settle,
)

from listen.state import Store
from listen.tui import themes
from listen.tui.bindings import ALL_IDS, SCOPES, key_table
from listen.tui.bindings import PLACES as SCREEN_NAMES
from listen.tui.screens.help import help_lines


async def bookmarks(pilot: Any) -> None:
    await open_article(pilot)
    await pilot.press("j", "b", "B")
    assert pilot.app.screen.__class__.__name__ == "BookmarksScreen"


async def settings_list(pilot: Any) -> None:
    """Settings in large text: one setting at a time, Left and Right change it."""
    pilot.app.apply_settings(replace(pilot.app.settings, text_size="large"))
    await settle(pilot)
    await pilot.press("f2")
    assert pilot.app.screen.query("#rows")


async def voice_picker(pilot: Any) -> None:
    """The picker Settings opens on Voice, with voices as `listen voices` reports them."""
    from test_tui_voices import INSTALLED

    from listen.tui.screens.voices import VoiceScreen

    await settings_screen(pilot)
    settings = pilot.app.screen  # as its pick_voice does, after listing the voices off the UI thread
    pilot.app.push_screen(VoiceScreen(INSTALLED, "auto", ""), settings._voice_chosen)
    await settle(pilot)
    assert isinstance(pilot.app.screen, VoiceScreen)


PLACES: dict[str, Callable[[Any], Awaitable[None]]] = {
    "library list": library_list,
    "library filter box": library_filter,
    "reader": reader,
    "reader's find box": find_box,
    "contents": contents,
    "bookmarks": bookmarks,
    "help": help_screen,
    "settings": settings_screen,
    "settings list": settings_list,
    "voice picker": voice_picker,
}

# Where each scope's keys are walked from: every screen and focus where they are in effect.
WHERE = {
    "app": tuple(PLACES),
    "library": ("library list", "library filter box"),
    "reader": ("reader",),
    "find": ("reader's find box",),
    "contents": ("contents",),
    "bookmarks": ("bookmarks",),
    "help": ("help",),
    "settings": ("settings", "settings list"),
    "voices": ("voice picker",),
}


def state(app: Any, speech: FakeSpeech) -> dict[str, Any]:
    screen = app.screen
    view = getattr(screen, "view", None)
    articles = screen.query("ArticleList")
    choices = screen.query("#choices, #rows")
    return {
        "screen": type(screen).__name__,
        "focus": getattr(app.focused, "id", None) or type(app.focused).__name__,
        "status": app.status_text,
        "block": view.current if view is not None else None,
        "scroll": int(view.scroll_y) if view is not None else None,
        "article": articles.first().cursor if articles else None,
        "filter": screen.query_one("#filter").value if screen.query("#filter") else None,
        "choice": choices.first().highlighted if choices else None,
        "settings": app.settings,
        "made": len(speech.made),
        "calls": [call for player in speech.players for call in player.calls],
        "bookmarks": len(app.store.bookmarks(screen.key)) if hasattr(screen, "key") else None,
        "box": (app.focused.value, app.focused.cursor_position) if hasattr(app.focused, "cursor_position") else None,
    }


def changed(field: str) -> Callable[[dict, dict], bool]:
    return lambda was, now: now[field] != was[field]


def went(delta: int, field: str) -> Callable[[dict, dict], bool]:
    return lambda was, now: (now[field] - was[field]) * delta > 0


def to(screen: str) -> Callable[[dict, dict], bool]:
    return lambda was, now: now["screen"] == screen


def setting(name: str) -> Callable[[dict, dict], bool]:
    return lambda was, now: getattr(now["settings"], name) != getattr(was["settings"], name)


def says(*words: str) -> Callable[[dict, dict], bool]:
    return lambda was, now: now["status"] != was["status"] and all(w in now["status"] for w in words)


def called(name: str) -> Callable[[dict, dict], bool]:
    return lambda was, now: any(call[0] == name for call in now["calls"][len(was["calls"]) :])


def either(*checks: Callable[[dict, dict], bool]) -> Callable[[dict, dict], bool]:
    return lambda was, now: any(check(was, now) for check in checks)


def into_list(delta: int) -> Callable[[dict, dict], bool]:
    """A move key: the selection moves, or (from the filter box) the focus moves into the list."""
    return either(went(delta, "article"), lambda was, now: was["focus"] == "filter" and now["focus"] == "articles")


def in_the_box(check: Callable[[dict, dict], bool]) -> Callable[[dict, dict], bool]:
    """In a text box, typing and editing keys belong to the box, as help says: the box changed."""
    return either(check, lambda was, now: was["box"] is not None and now["box"] != was["box"])


NARRATING = ("l",)  # narration started first, so the narration keys have something to control

# key id -> (keys pressed first, at the place; what must be true after the key)
WALK: dict[str, tuple[tuple[str, ...], Callable[[dict, dict], bool]]] = {
    "app.help": (
        (),
        in_the_box(either(to("HelpScreen"), lambda was, now: was["screen"] == "HelpScreen" != now["screen"])),
    ),
    "app.settings": ((), to("SettingsScreen")),  # from settings itself: it stays open
    "app.text_size": ((), setting("text_size")),
    "app.theme": ((), setting("theme")),
    "app.quit": ((), lambda was, now: now.get("quit", False)),
    "library.open": ((), to("ReaderScreen")),
    # The place selects the article about lanterns, the last of three: "home" starts at the top.
    "library.down": (("home",), into_list(1)),
    "library.up": (("end",), into_list(-1)),
    "library.page_down": (("home",), into_list(1)),
    "library.page_up": (("end",), into_list(-1)),
    "library.first": (("end",), in_the_box(into_list(-1))),
    "library.last": (("home",), in_the_box(into_list(1))),
    "library.sort": ((), setting("sort")),
    "library.clear": (("ctrl+f", "x"), lambda was, now: was["filter"] and now["filter"] == ""),
    "library.focus_filter": (("down",), lambda was, now: now["focus"] == "filter"),
    "library.open_link": ((), lambda was, now: now["focus"] == "link"),
    "library.make_mp3": ((), went(1, "made")),
    # The fixtures are files on this computer: refresh says why it does not apply (tests/test_tui_refresh.py
    # covers pages and feeds).
    "library.refresh": ((), says("Refresh does not apply")),
    "library.refresh_all": ((), says("Nothing to refresh")),
    "reader.next_paragraph": ((), went(1, "block")),
    "reader.previous_paragraph": (("j", "j"), went(-1, "block")),
    "reader.next_section": ((), says("Section 2 of")),
    "reader.previous_section": (("h", "h"), says("Section 2 of")),
    "reader.top": (("j", "j"), lambda was, now: now["block"] == 0 != was["block"]),
    "reader.bottom": ((), went(1, "block")),
    "reader.page_down": ((), either(went(1, "block"), went(1, "scroll"))),
    "reader.page_up": (("end",), either(went(-1, "block"), went(-1, "scroll"))),
    "reader.find": ((), lambda was, now: now["focus"] == "find"),
    "reader.find_next": (("slash", *"the", "enter"), says("Match 2 of")),
    "reader.find_previous": (("slash", *"the", "enter", "n"), says("Match 1 of")),
    "reader.contents": ((), to("ContentsScreen")),
    "reader.bookmark_add": ((), went(1, "bookmarks")),
    "reader.bookmarks": (("b",), to("BookmarksScreen")),
    "reader.listen": ((), called("play")),
    "reader.play_pause": (NARRATING, called("toggle")),
    "reader.stop": (NARRATING, called("stop")),
    "reader.sentence_back": (NARRATING, called("skip")),
    "reader.sentence_forward": (NARRATING, called("skip")),
    "reader.paragraph_back": (NARRATING, called("skip_paragraph")),
    "reader.paragraph_forward": (NARRATING, called("skip_paragraph")),
    "reader.faster": ((), setting("rate")),
    "reader.slower": ((), setting("rate")),
    "reader.make_mp3": ((), went(1, "made")),
    "reader.back": ((), to("LibraryScreen")),
    "find.cancel": ((), lambda was, now: now["focus"] != "find" and now["screen"] == "ReaderScreen"),
    "dialog.close": ((), to("ReaderScreen")),
    "dialog.choose": (("down",), either(to("ReaderScreen"))),
    "bookmarks.delete": ((), says("Bookmark deleted")),
    "help.close": ((), lambda was, now: now["screen"] != "HelpScreen"),
    "settings.close": ((), lambda was, now: now["screen"] != "SettingsScreen"),
    # In the form (a drop-down focused) Left and Right cannot change a value: they say so.
    "settings.next_value": ((), either(setting("theme"), says("Enter"))),
    "settings.previous_value": ((), either(setting("theme"), says("Enter"))),
    "voices.close": ((), lambda was, now: now["screen"] == "SettingsScreen" and now["settings"] == was["settings"]),
    # The first line keeps the engine's own choice; one down is a Piper voice.
    "voices.choose": (("down",), either(setting("voice"), setting("engine"))),
    "voices.preview": (("down",), either(says("sample"), called("play"))),
}

CASES = [
    (key.id, name.strip(), place)
    for scope, keys in SCOPES.items()
    for key in keys
    for name in key.keys.split(",")
    for place in WHERE[scope]
]


def test_the_walk_covers_every_key_id() -> None:
    assert set(WALK) == set(ALL_IDS), "a key with no row in WALK is a key nobody checked"
    assert set(WHERE) == set(SCOPES) == set(SCREEN_NAMES)


@pytest.mark.parametrize(("key_id", "key", "place"), CASES, ids=[f"{i} ({k}) from {p}" for i, k, p in CASES])
@pilot_test
async def test_every_key_does_what_help_says_from_every_screen_and_focus(
    tmp_path: Path, key_id: str, key: str, place: str
) -> None:
    first, check = WALK[key_id]
    speech = FakeSpeech()
    app = make_app(tmp_path, store=Store(tmp_path / "s.sqlite3"), services=speech.services(tmp_path / "audio"))
    async with app.run_test(size=(100, 30)) as pilot:
        await PLACES[place](pilot)
        if first:
            await pilot.press(*first)
            await settle(pilot)
        was = state(app, speech)
        await pilot.press(key)
        await settle(pilot)
        now = {**was, "quit": True} if app.return_code is not None else state(app, speech)
        assert check(was, now), (
            f"{key} ({key_id}) from the {place} did not do what help says; "
            f"status {was['status']!r} -> {now['status']!r}, screen {was['screen']} -> {now['screen']}"
        )


# One source: README, help ---------------------------------------------------------------


def test_the_readme_key_table_is_generated_from_the_bindings() -> None:
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "keys_table.py"), "--check"], check=False)
    assert result.returncode == 0, "README.md's key table is stale: run .venv/bin/python scripts/keys_table.py"
    assert key_table() in (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("scope", ["library", "reader", "contents", "bookmarks", "settings"])
def test_help_lists_the_same_keys_in_the_same_words_as_the_readme(scope: str) -> None:
    table = key_table()
    for line in help_lines(scope, {}):
        keys, description = line.split(": ", 1)
        assert f"| {keys.replace('|', chr(92) + '|')} | {description} |" in table, line


@pytest.mark.parametrize("theme", themes.NAMES)
@pilot_test
async def test_contents_focus_is_a_marker_in_every_theme(tmp_path: Path, theme: str) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        app.apply_settings(replace(app.settings, theme=theme), save=False)
        await contents(pilot)
        await pilot.press("down")
        await settle(pilot)
        marked = [row.strip(" │") for row in screen_text(app) if row.strip(" │").startswith("> ")]
        assert len(marked) == 1 and marked[0].startswith("> 2."), (theme, screen_text(app))
