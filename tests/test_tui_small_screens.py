"""Small screens and long titles (issue 14, part 4): the footer keeps Help and Quit at 40 and
80 columns, and a title cut with "…" on screen still reaches a screen reader whole."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from tui_support import make_app, pilot_test, screen_text, settle

from listen.state import Store
from listen.tui.bindings import SCOPES
from listen.tui.widgets.key_hints import SEPARATOR, hint_parts, hints

SCREENS = ("library", "reader", "contents", "bookmarks", "help", "settings")


@pytest.mark.parametrize("width", [38, 78], ids=["40 columns", "80 columns"])  # less the padding
@pytest.mark.parametrize("scope", SCREENS)
def test_footer_fits_and_keeps_help_and_quit(scope: str, width: int) -> None:
    footer = hints(scope, {}, width)
    parts = footer.split(SEPARATOR)
    assert len(footer) <= width
    assert parts[0] == "F1 Help" and parts[-1] == "Ctrl+Q Quit", footer
    assert set(parts) <= set(hint_parts(scope, {})), "only whole hints"
    own = [key for key in SCOPES[scope] if key.show]
    if own:
        assert len(parts) >= 3, f"no key of the {scope} screen itself at {width} columns: {footer}"


def test_footer_follows_a_remapped_quit() -> None:
    assert hints("reader", {"app.quit": "ctrl+x"}, 38).endswith("Ctrl+X Quit")


LONG = "What the Night Ferry Carries: Post, Bread, Tired Nurses and One Piano a Year"


def long_titled(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, title in (("a-short.md", "A short one"), ("ferry.md", LONG)):
        body = "The crossing takes forty minutes when the wind is kind and an hour when it is not."
        (folder / name).write_text(f"# {title}\n\n{body}\n", encoding="utf-8")
    return folder


@pilot_test
async def test_a_title_cut_on_screen_is_said_whole_on_the_status_line(tmp_path: Path) -> None:
    app = make_app(tmp_path, long_titled(tmp_path))
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        assert any(row.startswith("> What the Night") and "…" in row for row in screen_text(app)), "cut on screen"
        assert app.status_text == LONG
        await pilot.press("up")
        assert app.status_text == "Library, 2 articles", "past the cut title, the count again"


@pilot_test
async def test_screen_reader_mode_wraps_a_long_title_instead_of_cutting_it(tmp_path: Path) -> None:
    store = Store(tmp_path / "state.sqlite3")
    store.save_settings(replace(store.settings(), screen_reader=True))
    app = make_app(tmp_path, long_titled(tmp_path), store=store)
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        rows = [row.strip() for row in screen_text(app)]
        assert not any("…" in row for row in rows)
        assert LONG in " ".join(row for row in rows if row)
        await pilot.press("up")
        rows = [row.strip() for row in screen_text(app)]
        assert not any("Piano" in row for row in rows), "the longer article's rows are cleared"
