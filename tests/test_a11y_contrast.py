"""High contrast, measured: every character on screen at 7:1 or more in each high-contrast theme.

Pilot tests read each cell's colours with Screen.get_style_at; the tmux tests read what a real
terminal received (`capture-pane -e`). Both cover the library (with the selection and the
filter), the reader with a find hit on the current paragraph and the follow-along highlight,
and help. Focus must differ from no focus by 3:1, and NO_COLOR must leave focus visible.
"""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from listen.state import Store
from listen.tui.themes import HIGH_CONTRAST
from tui_support import (
    LISTEN,
    FakeSpeech,
    Terminal,
    articles_folder,
    cell_colours,
    contrast,
    low_contrast_cells,
    make_app,
    open_article,
    pilot_test,
    screen_text,
    settle,
    terminal_cells,
    terminal_env,
    wait_for,
)

AAA = 7.0


def themed_app(tmp_path: Path, theme: str, speech: FakeSpeech | None = None):
    store = Store(tmp_path / f"{theme}.sqlite3")
    store.save_settings(replace(store.settings(), theme=theme))
    services = speech.services(tmp_path / "audio") if speech else None
    return make_app(tmp_path, store=store, services=services)


@pytest.mark.parametrize("theme", HIGH_CONTRAST)
@pilot_test
async def test_every_character_reaches_seven_to_one(tmp_path: Path, theme: str) -> None:
    speech = FakeSpeech()
    app = themed_app(tmp_path, theme, speech)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == theme
        assert low_contrast_cells(app, AAA) == [], "library"
        await pilot.press("l", "a")  # the filter box, focused, with text and its cursor
        await pilot.pause()
        assert low_contrast_cells(app, AAA) == [], "library, filtering"
        await pilot.press("escape")
        await open_article(pilot)
        await pilot.press("slash", *"paper", "enter")
        await settle(pilot)
        assert app.status_text.startswith("Match 1 of 3")
        assert low_contrast_cells(app, AAA) == [], "reader, a find hit in the current paragraph"
        await pilot.press("l")
        await settle(pilot)
        player = speech.players[-1]
        await asyncio.to_thread(player.emit, "playing", 3)
        await wait_for(lambda: app.status_text.startswith("Narrating from"), pilot)
        assert low_contrast_cells(app, AAA) == [], "reader, following narration"
        await pilot.press("question_mark")
        await pilot.pause()
        assert low_contrast_cells(app, AAA) == [], "help"


@pytest.mark.parametrize("theme", HIGH_CONTRAST)
@pilot_test
async def test_focus_differs_from_no_focus_by_three_to_one(tmp_path: Path, theme: str) -> None:
    app = themed_app(tmp_path, theme)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        rows = screen_text(app)
        selected = next(y for y, row in enumerate(rows) if row.startswith("> "))
        other = next(y for y, row in enumerate(rows) if y > selected and row.startswith("  ") and row.strip())
        assert contrast(cell_colours(app, 2, selected)[1], cell_colours(app, 2, other)[1]) >= 3
        await open_article(pilot)
        await pilot.press("j", "j")
        await pilot.pause()
        rows = screen_text(app)
        current = next(y for y, row in enumerate(rows) if row.lstrip().startswith("| "))
        plain = next(y for y, row in enumerate(rows) if y > current + 1 and row.strip() and "|" not in row)
        x = rows[current].index("| ") + 2
        assert contrast(cell_colours(app, x, current)[1], cell_colours(app, x, plain)[1]) >= 3


# In a real terminal ------------------------------------------------------------------------


def failures(capture: str) -> list[str]:
    found = []
    for x, y, character, fg, bg, dim in terminal_cells(capture):
        if character.isspace():
            continue
        if fg is None or bg is None:
            found.append(f"{character!r} at {x},{y} leaves its colour to the terminal")
        elif dim or contrast(fg, bg) < AAA:
            found.append(f"{character!r} at {x},{y}: {contrast(fg, bg):.2f} ({fg} on {bg}){' dim' if dim else ''}")
    return found


@pytest.mark.parametrize("theme", HIGH_CONTRAST)
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
@pytest.mark.skipif(not LISTEN.exists(), reason="needs the installed listen in .venv")
def test_every_character_in_a_real_terminal_reaches_seven_to_one(tmp_path: Path, theme: str) -> None:
    term = Terminal(articles_folder(tmp_path), terminal_env(tmp_path, COLORTERM="truecolor"), size=(80, 24))
    try:
        term.start(f"{LISTEN} read --theme {theme} articles")
        term.wait_for("Library, 3 articles")
        assert failures(term.screen(colours=True)) == [], "library"
        term.keys("-l", "lantern")
        term.wait_for("1 of 3 articles match")
        term.keys("Enter")
        term.wait_for("Opened: The Lantern Makers")
        term.keys("/")
        term.wait_for("Find a word, then Enter")
        term.keys("-l", "paper")
        term.keys("Enter")
        term.wait_for("Match 1 of 3")
        # The current paragraph is drawn the same way when narration follows along.
        assert failures(term.screen(colours=True)) == [], "reader with a find hit"
        term.keys("?")
        term.wait_for("Help: Reader keys")
        assert failures(term.screen(colours=True)) == [], "help"
    finally:
        term.kill()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
@pytest.mark.skipif(not LISTEN.exists(), reason="needs the installed listen in .venv")
def test_without_colour_focus_is_still_marked(tmp_path: Path) -> None:
    term = Terminal(
        articles_folder(tmp_path), terminal_env(tmp_path, NO_COLOR="1", COLORTERM="truecolor"), size=(80, 24)
    )
    try:
        term.start(f"{LISTEN} read articles")
        term.wait_for("Library, 3 articles")
        cells = terminal_cells(term.screen(colours=True))
        colours = {c for _, _, ch, fg, bg, _ in cells if not ch.isspace() for c in (fg, bg) if c is not None}
        assert all(r == g == b for r, g, b in colours), "NO_COLOR leaves only greys"
        rows = term.lines()
        assert sum(row.startswith("> ") for row in rows) == 1, "the selected row is marked in text"
        term.keys("Enter")
        term.wait_for("Opened:")
        term.wait_until(lambda: any(row.lstrip().startswith("| ") for row in term.lines()), "a marked paragraph")
    finally:
        term.kill()


def test_the_command_line_offers_every_theme() -> None:
    from listen.cli.read import THEMES
    from listen.tui.themes import NAMES, canonical

    assert THEMES == NAMES
    assert canonical("listen-high-contrast") == "high-contrast-dark"  # saved by earlier versions
    assert canonical("no-such-theme") == "listen-dark"
