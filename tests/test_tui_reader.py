"""Pilot tests: every reading key moves the current block where a reader expects, and says so."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from listen.state import Position, Store, article_key
from listen.tui.screens.help import HelpScreen
from listen.tui.screens.library import LibraryScreen
from listen.tui.screens.reader import ReaderScreen
from listen.tui.screens.settings import SettingsScreen
from tui_support import LANTERN, held_back, make_app, open_article, pilot_test, settle


def here(app) -> tuple[str, int, int]:
    screen = app.screen
    block = screen.blocks[screen.view.current]
    return block.kind, block.section, block.paragraph


@pilot_test
async def test_opening_an_article_announces_title_sections_and_time(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_article(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert app.status_text == "Opened: The Lantern Makers of Orrin Bay, 4 sections, 1 minute"
        assert here(app) == ("title", 0, -1)
        assert app.focused is app.screen.view


@pilot_test
async def test_a_quick_open_says_only_opened_and_a_slow_one_says_opening_first(tmp_path: Path) -> None:
    from listen.tui.services import Services

    base = Services(audio_dir=tmp_path / "audio")
    held, release = held_back(base, "load")
    for services, slow in ((base, False), (held, True)):
        app = make_app(tmp_path, services=services)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert app.screen.query_one("ArticleList").select_path(LANTERN)
            await pilot.press("enter")
            if slow:
                await pilot.pause(app.SLOW_NOTICE_AFTER + 0.2)
                assert app.status_text == "Opening lantern-makers.md…"
                release.set()
            await settle(pilot)
            said = [line for line in app.announcements if line.startswith("Open")]
            assert said == (["Opening lantern-makers.md…"] if slow else []) + [
                "Opened: The Lantern Makers of Orrin Bay, 4 sections, 1 minute"
            ]


@pilot_test
async def test_paragraph_keys_move_one_block_and_stop_at_the_ends(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_article(pilot)
        await pilot.press("j", "down")
        assert here(app) == ("paragraph", 0, 0)
        assert app.status_text == "Section 1 of 4, paragraph 1 of 2"
        await pilot.press("k")
        assert here(app) == ("standfirst", 0, -1)
        await pilot.press("up", "up")
        assert here(app) == ("title", 0, -1)
        assert app.status_text == "Top of the article"


@pilot_test
async def test_section_keys_jump_heading_to_heading_like_a_screen_reader(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_article(pilot)
        await pilot.press("h")
        assert here(app) == ("heading", 1, -1)
        assert app.status_text == "Section 2 of 4: The workshop"
        await pilot.press("h", "ctrl+down")
        assert here(app) == ("heading", 3, -1)
        await pilot.press("h")
        assert app.status_text == "No next section"
        await pilot.press("H")
        assert here(app) == ("heading", 2, -1)
        await pilot.press("ctrl+up", "H")
        assert here(app) == ("title", 0, -1)
        await pilot.press("H")
        assert app.status_text == "No previous section"


@pilot_test
async def test_top_bottom_and_page_keys(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(60, 12)) as pilot:
        await open_article(pilot)
        await pilot.press("G")
        assert here(app) == ("paragraph", 3, 0)
        assert app.status_text == "Bottom of the article"
        await pilot.press("g")
        assert here(app) == ("title", 0, -1)
        await pilot.press("end", "home")
        assert here(app) == ("title", 0, -1)
        await pilot.press("pagedown")
        after_one_page = app.screen.view.current
        assert after_one_page > 0
        assert app.screen.view.scroll_y > 0
        await pilot.press("space")
        assert app.screen.view.current > after_one_page
        await pilot.press("pageup", "pageup", "pageup")
        assert app.screen.view.scroll_y == 0


@pilot_test
async def test_find_then_next_and_previous_match_with_wrap(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_article(pilot)
        await pilot.press("slash", *"lantern", "enter")
        matches = app.screen.matches
        assert len(matches) >= 3
        assert app.status_text == f"Match 1 of {len(matches)}"
        assert app.focused is app.screen.view
        await pilot.press("n")
        assert app.status_text == f"Match 2 of {len(matches)}"
        assert "lantern" in app.screen.blocks[app.screen.view.current].text.casefold()
        await pilot.press("N", "N")
        assert app.status_text == f"Match {len(matches)} of {len(matches)}, wrapped"


@pilot_test
async def test_find_reports_no_match_and_escape_closes_without_leaving(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_article(pilot)
        await pilot.press("slash", *"zebra", "enter")
        assert app.status_text == "No match for “zebra”"
        await pilot.press("n")
        assert app.status_text == "Nothing to find; press / to search"
        await pilot.press("slash", "x", "escape")
        assert isinstance(app.screen, ReaderScreen)
        assert app.status_text == "Find closed"
        assert app.focused is app.screen.view


@pilot_test
async def test_contents_jumps_to_the_chosen_section(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_article(pilot)
        await pilot.press("t")
        assert app.status_text == "Contents, 4 sections"
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert here(app) == ("heading", 2, -1)
        await pilot.press("t", "escape")
        assert isinstance(app.screen, ReaderScreen)
        assert here(app) == ("heading", 2, -1)


@pilot_test
async def test_bookmarks_add_list_jump_and_delete(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_article(pilot)
        await pilot.press("B")
        assert app.status_text == "No bookmarks yet; press b to add one here"
        await pilot.press("h", "j", "b")
        assert app.status_text == "Bookmark added"
        await pilot.press("b")
        assert app.status_text == "A bookmark is already here"
        await pilot.press("G", "b", "g")
        await pilot.press("B")
        assert app.status_text == "Bookmarks, 2 bookmarks"
        await pilot.press("enter")
        await settle(pilot)
        assert here(app) == ("paragraph", 1, 0)
        await pilot.press("B", "d")
        assert app.status_text == "Bookmark deleted; 1 left"
        await pilot.press("escape")
        assert len(app.store.bookmarks(article_key(LANTERN))) == 1


@pilot_test
async def test_back_keys_return_to_the_library(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        for key in ("escape", "q", "backspace"):
            await open_article(pilot)
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, LibraryScreen), key
            assert app.status_text == "Library, 3 articles"


@pilot_test
async def test_position_is_saved_on_every_move_and_restored_on_reopen(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite3"
    app = make_app(tmp_path, store=Store(state))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_article(pilot)
        await pilot.press("h", "h", "j")
    assert Store(state).position(article_key(LANTERN)) == Position(2, 0)
    again = make_app(tmp_path, store=Store(state))
    async with again.run_test(size=(100, 30)) as pilot:
        await open_article(pilot)
        assert here(again) == ("paragraph", 2, 0)
        assert again.status_text.endswith("; resumed at section 3 of 4")
        view = again.screen.view
        assert view.scroll_y <= view.starts[view.current] < view.scroll_y + view.size.height


@pilot_test
async def test_opening_a_file_directly_shows_the_reader_over_its_library(tmp_path: Path) -> None:
    app = make_app(tmp_path, LANTERN)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)


@pilot_test
async def test_help_lists_every_key_of_the_screen_below_and_closes(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_article(pilot)
        for key in ("f1", "question_mark"):
            await pilot.press(key)
            assert isinstance(app.screen, HelpScreen)
            text = app.screen.text
            assert "h or Ctrl+Down: Next section (heading)" in text
            assert "Shift+H or Ctrl+Up: Previous section (heading)" in text
            assert "/: Find in the article" in text
            assert app.status_text == "Help: Reader keys; Escape closes"
            await pilot.press("escape")
            assert isinstance(app.screen, ReaderScreen)


@pilot_test
async def test_settings_change_and_are_remembered(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite3"
    app = make_app(tmp_path, store=Store(state))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        assert isinstance(app.screen, SettingsScreen)
        app.screen.query_one("#theme").value = "high-contrast-dark"
        app.screen.query_one("#screen_reader").value = True
        await pilot.pause()
        assert app.theme == "high-contrast-dark"
        assert app.status_text == "Screen-reader mode on"
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)
    saved = Store(state).settings()
    assert saved.theme == "high-contrast-dark" and saved.screen_reader


@pilot_test
async def test_a_user_keymap_remaps_a_key_by_its_id(tmp_path: Path) -> None:
    app = make_app(tmp_path, keymap={"reader.next_section": "s"})
    async with app.run_test(size=(100, 30)) as pilot:
        await open_article(pilot)
        await pilot.press("s")
        assert here(app) == ("heading", 1, -1)
        await pilot.press("f1")
        assert "s: Next section (heading)" in app.screen.text


@pilot_test
async def test_cursor_sits_on_the_first_letter_of_the_current_paragraph(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_article(pilot)
        await pilot.press("h")
        x, y = app.cursor_position
        view = app.screen.view
        line = view.lines[view.starts[view.current]]
        row = "".join(s.text for s in view.render_line(y - view.region.y))
        assert row[x - view.region.x :].startswith(line.text)


@pilot_test
async def test_help_lines_are_walked_one_by_one_and_the_cursor_follows_even_when_they_wrap(tmp_path: Path) -> None:
    from listen.tui.cursor import cursor_position
    from listen.tui.widgets.choice_list import MARKER
    from textual.geometry import Offset

    app = make_app(tmp_path)
    async with app.run_test(size=(40, 24)) as pilot:  # narrow: some help lines wrap
        await open_article(pilot)
        await pilot.press("f1")
        keys = app.screen.query_one("#help-text")
        region = keys.scrollable_content_region
        lines = app.screen.text.split("\n")
        gutter = len(MARKER)  # the "> " that marks the highlighted line
        width = region.width - gutter
        row = 0
        for index in range(4):
            assert keys.highlighted == index
            assert cursor_position(app, Offset(0, 0)) == Offset(region.x + gutter, region.y + row)
            row += -(-len(lines[index]) // width)  # the rows this line took
            await pilot.press("down")
        assert any(len(line) > width for line in lines[:4]), "no line wrapped: the test proves less"


@pilot_test
async def test_ctrl_g_does_what_escape_does_for_screen_readers_that_keep_escape(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"lantern")
        assert len(app.screen.query_one("ArticleList").shown) == 1
        await pilot.press("ctrl+g")
        assert len(app.screen.query_one("ArticleList").shown) == 3, "the filter is cleared"
        await open_article(pilot)
        await pilot.press("slash", "ctrl+g")
        assert app.status_text == "Find closed" and app.focused is app.screen.view
        await pilot.press("f1", "ctrl+g")
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("f2", "ctrl+g")
        assert isinstance(app.screen, LibraryScreen)


@pilot_test
async def test_start_up_objects_are_kept_out_of_full_garbage_collections_while_the_app_runs(tmp_path: Path) -> None:
    import gc

    assert gc.get_freeze_count() == 0
    thresholds = gc.get_threshold()
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert gc.get_freeze_count() > 10_000  # Python's, Textual's and listen's start-up objects
        assert gc.get_threshold()[0] > thresholds[0], "young objects are collected less often"
    assert gc.get_freeze_count() == 0, "handed back when the app ends"
    assert gc.get_threshold() == thresholds


@pilot_test
async def test_the_title_says_how_far_through_the_article_the_reader_is(tmp_path: Path) -> None:
    from listen.tui.screens.reader import ReaderTitle

    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_article(pilot)
        title = app.screen.query_one(ReaderTitle)
        assert str(title.render()) == "The Lantern Makers of Orrin Bay  ·  1 min  ·  0%"
        await pilot.press("h")
        middle = int(str(title.render()).rsplit("·", 1)[1].strip(" %"))
        assert 0 < middle < 100
        await pilot.press("end")
        await pilot.pause()
        assert str(title.render()).endswith("·  100%")
        app.apply_settings(replace(app.settings, screen_reader=True), save=False)
        assert str(title.render()) == "The Lantern Makers of Orrin Bay  ·  1 min", (
            "nothing that changes with every move"
        )


def test_code_keeps_its_lines_and_indentation_and_cuts_only_what_is_too_wide() -> None:
    from listen.tui.layout import code_lines

    cases = [
        ("a = 1\n\n    b = 2", 20, ["a = 1", " ", "    b = 2"]),
        ("x\tplus  two  spaces", 40, ["x   plus  two  spaces"]),
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
        ("trailing   \n", 20, ["trailing"]),
    ]
    for text, width, expected in cases:
        assert [line for line, _ in code_lines(text, width)] == expected, text
