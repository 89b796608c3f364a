"""40 columns by 12 rows (a magnified terminal, a phone): nothing cut short, nothing to scroll sideways."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from listen.tui.widgets.key_hints import hint_parts
from tui_support import (
    LISTEN,
    Terminal,
    articles_folder,
    make_app,
    open_article,
    pilot_test,
    screen_text,
    settle,
    terminal_env,
)

SIZE = (40, 12)


def check(app, scope: str) -> list[str]:
    """What is wrong with the screen as shown: cut text, partial hints, sideways scrollbars."""
    rows = screen_text(app)
    problems = [f"cut short: {row!r}" for row in rows if "…" in row]
    footer = rows[-1].strip()
    parts = footer.split(" · ")
    whole = hint_parts(scope, {})
    problems += [f"partial hint {part!r}" for part in parts if part not in whole]
    if "F1 Help" not in parts:
        problems.append("no way to help in the footer")
    problems += [
        f"{widget!r} scrolls sideways"
        for widget in app.screen.query("*")
        if widget.display and widget.show_horizontal_scrollbar
    ]
    return problems


@pilot_test
async def test_library_reader_find_and_help_fit_forty_by_twelve(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert check(app, "library") == []
        rows = screen_text(app)
        assert any(row.startswith("> A Bread Club for the Night Shift") for row in rows)
        assert "Reading the Tide Tables Without Tears" in "\n".join(rows)
        await open_article(pilot)
        assert check(app, "reader") == []
        title = " ".join(row.strip() for row in screen_text(app)[:2])
        assert "The Lantern Makers of Orrin Bay" in title
        await pilot.press("slash")
        await pilot.pause()
        assert check(app, "reader") == []
        assert any("Find a word, then Enter" in row for row in screen_text(app))
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert check(app, "help") == []


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
@pytest.mark.skipif(not LISTEN.exists(), reason="needs the installed listen in .venv")
def test_forty_by_twelve_in_a_real_terminal(tmp_path: Path) -> None:
    term = Terminal(articles_folder(tmp_path), terminal_env(tmp_path), size=SIZE)
    try:
        term.start(f"{LISTEN} read articles")
        screens = []
        for keys, shown in (
            ((), "Library, 3 articles"),
            (("End", "Enter"), "| The Lantern"),
            (("?",), "Help: Reader keys"),
        ):
            term.keys(*keys) if keys else None
            term.wait_until(lambda: shown in (s := term.screen()) and "F1 Help" in s, shown)
            screens.append(term.screen())
        for screen in screens:
            assert "…" not in screen, screen
            assert all(len(row) <= 40 for row in screen.split("\n")), screen
            assert "F1 Help" in screen, screen
    finally:
        term.kill()


@pytest.mark.parametrize("size", [(40, 12), (80, 24)], ids=["40x12", "80x24"])
@pilot_test
async def test_footer_and_status_fit_on_every_screen(tmp_path: Path, size: tuple[int, int]) -> None:
    """Every screen's footer is whole hints with Help and Quit; a long status wraps, never cut."""
    from listen.tui.widgets.key_hints import quit_hint

    app = make_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screens = [
            ("library", ()),
            ("reader", ()),
            ("contents", ("t",)),
            ("reader", ("escape",)),
            ("bookmarks", ("b", "B")),
            ("reader", ("escape",)),
            ("help", ("f1",)),
            ("reader", ("f1",)),
            ("settings", ("f2",)),
        ]
        await open_article(pilot)
        for scope, keys in screens:
            if keys:
                await pilot.press(*keys)
                await settle(pilot)
            if scope == "library":
                continue  # checked below, after the reader
            assert check(app, scope) == [], (scope, screen_text(app))
            footer = screen_text(app)[-1].strip()
            assert footer.endswith(quit_hint({})), (scope, footer)
        long = "Cannot open the-article-with-a-very-long-file-name.html: the file is not UTF-8, Latin-1 or any text"
        app.announce(long)
        await pilot.pause()
        rows = screen_text(app)
        status = app.screen.query_one("StatusLine").region
        shown = " ".join(row.strip() for row in rows[status.y : status.bottom])
        assert long.replace(" ", "") == shown.replace(" ", ""), rows  # whole, over the rows it takes
