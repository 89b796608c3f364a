"""Pilot tests: every global key works from wherever the focus is, and heading keys reach
every heading (issue 14, part 2).

A key that silently does nothing is invisible to someone who cannot see the screen: the
table below presses each global action from each screen and focus and checks its effect.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from tui_support import (
    LANTERN,
    FakeSpeech,
    make_app,
    open_article,
    pilot_test,
    screen_text,
    settle,
)

from listen.state import Store
from listen.tui.screens.help import HelpScreen
from listen.tui.screens.reader import ReaderScreen
from listen.tui.screens.settings import SettingsScreen


async def library_list(pilot: Any) -> None:
    await settle(pilot)
    assert pilot.app.screen.query_one("ArticleList").select_path(LANTERN)


async def library_filter(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press(*"lantern")  # letters on the list go to the filter box, which takes focus
    assert pilot.app.focused is pilot.app.screen.query_one("#filter")
    assert pilot.app.screen.query_one("ArticleList").current.path == LANTERN


async def reader(pilot: Any) -> None:
    await open_article(pilot)


async def find_box(pilot: Any) -> None:
    await open_article(pilot)
    await pilot.press("slash", "w")
    assert pilot.app.focused is pilot.app.screen.query_one("#find")


async def contents(pilot: Any) -> None:
    await open_article(pilot)
    await pilot.press("t")
    assert pilot.app.screen.__class__.__name__ == "ContentsScreen"


async def help_screen(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("f1")
    assert isinstance(pilot.app.screen, HelpScreen)


async def settings_screen(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("f2")
    assert isinstance(pilot.app.screen, SettingsScreen)


PLACES: dict[str, Callable[[Any], Awaitable[None]]] = {
    "library list": library_list,
    "library filter box": library_filter,
    "reader": reader,
    "reader's find box": find_box,
    "contents": contents,
    "help": help_screen,
    "settings": settings_screen,
}


def snapshot(app: Any, speech: FakeSpeech) -> dict[str, Any]:
    return {
        "help": isinstance(app.screen, HelpScreen),
        "settings": isinstance(app.screen, SettingsScreen),
        "size": app.settings.text_size,
        "theme": app.theme,
        "made": len(speech.made),
        "link box": getattr(app.focused, "id", None) == "link",
    }


# (action, key, the places it must work from, what shows it worked)
ACTIONS: list[tuple[str, str, tuple[str, ...], Callable[[Any, dict[str, Any], dict[str, Any]], bool]]] = [
    ("help", "f1", tuple(PLACES), lambda app, was, now: now["help"] != was["help"]),
    ("settings", "ctrl+p", tuple(p for p in PLACES if p != "settings"), lambda app, was, now: now["settings"]),
    ("text size", "ctrl+t", tuple(PLACES), lambda app, was, now: now["size"] != was["size"]),
    ("theme", "ctrl+y", tuple(PLACES), lambda app, was, now: now["theme"] != was["theme"]),
    ("quit", "ctrl+q", tuple(PLACES), lambda app, was, now: app.return_code == 0),
    ("make MP3", "ctrl+e", ("library list", "library filter box"), lambda app, was, now: now["made"] == 1),
    ("make MP3", "m", ("reader",), lambda app, was, now: now["made"] == 1),
    ("open a link", "ctrl+o", ("library list", "library filter box"), lambda app, was, now: now["link box"]),
]

CASES = [(action, key, place) for action, key, places, _ in ACTIONS for place in places]


@pytest.mark.parametrize(("action", "key", "place"), CASES, ids=[f"{a} ({k}) from {p}" for a, k, p in CASES])
@pilot_test
async def test_global_key_works_from_every_screen_and_focus(tmp_path: Path, action: str, key: str, place: str) -> None:
    check = next(c for a, k, _, c in ACTIONS if (a, k) == (action, key))
    speech = FakeSpeech()
    app = make_app(tmp_path, store=Store(tmp_path / "s.sqlite3"), services=speech.services(tmp_path / "audio"))
    async with app.run_test(size=(100, 30)) as pilot:
        await PLACES[place](pilot)
        was = snapshot(app, speech)
        await pilot.press(key)
        await settle(pilot)
        now = snapshot(app, speech) if app.return_code is None else was
        assert check(app, was, now), f"{key} did nothing from the {place}; status: {app.status_text!r}"


@pilot_test
async def test_make_mp3_from_the_filter_box_makes_the_matching_article(tmp_path: Path) -> None:
    speech = FakeSpeech()
    app = make_app(tmp_path, store=Store(tmp_path / "s.sqlite3"), services=speech.services(tmp_path / "audio"))
    async with app.run_test(size=(100, 30)) as pilot:
        await library_filter(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert speech.made == [tmp_path / "audio" / "lantern-makers.mp3"]
        assert app.screen.query_one("#filter").value == "lantern", "the key is not typed or eaten by the box"


# Headings ---------------------------------------------------------------------------------

FIRST_SECTION_HEADED = """# Keeping Bees on a Roof

## Choosing the hive

A flat roof with a parapet suits a hive better than a pitched one, and the bees do not mind the height.

## The first summer

Expect a small harvest, if any: the colony spends its first year building comb.

## Neighbours

Tell the people next door before the bees arrive, not after.
"""


def bees(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    path = folder / "bees.md"
    path.write_text(FIRST_SECTION_HEADED, encoding="utf-8")
    return path


@pilot_test
async def test_next_heading_from_the_top_lands_on_the_first_heading(tmp_path: Path) -> None:
    path = bees(tmp_path)
    app = make_app(tmp_path, path.parent)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_article(pilot, path)
        assert app.screen.view.current == 0
        await pilot.press("h")
        assert app.status_text == "Section 1 of 3: Choosing the hive"
        await pilot.press("h")
        assert app.status_text == "Section 2 of 3: The first summer"
        await pilot.press("H")
        assert app.status_text == "Section 1 of 3: Choosing the hive"
        await pilot.press("H")
        assert app.status_text == "No previous section"


@pilot_test
async def test_contents_item_one_is_the_first_section_not_the_title(tmp_path: Path) -> None:
    path = bees(tmp_path)
    app = make_app(tmp_path, path.parent)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_article(pilot, path)
        await pilot.press("t")  # from the title, above every section
        assert app.status_text == "Contents, 3 sections"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        block = app.screen.blocks[app.screen.view.current]
        assert (block.kind, block.text) == ("heading", "Choosing the hive")


@pilot_test
async def test_contents_marks_the_highlighted_entry_in_text_not_colour_alone(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_article(pilot)
        await pilot.press("h", "t", "down")
        rows = [row.strip(" │") for row in screen_text(app) if "The " in row]
        assert rows == [
            "1. The Lantern Makers of Orrin Bay",
            "2. The workshop",
            "> 3. The winter fair",
        ], rows
        marked = [row for row in screen_text(app) if "> " in row]
        assert len(marked) == 1
        assert app.cursor_position.x == marked[0].index("3."), "the cursor is on the entry's first letter"
