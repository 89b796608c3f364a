"""Pilot tests: the library lists, filters as you type, sorts, moves and opens by keyboard."""

from __future__ import annotations

import json
import os
from pathlib import Path

from listen.tui.screens.library import LibraryScreen
from listen.tui.screens.reader import ReaderScreen
from listen.tui.services import Services
from tui_support import FIXTURES, LANTERN, held_back, make_app, pilot_test, settle


def titles(app) -> list[str]:
    articles = app.screen.query_one("ArticleList")
    return [articles.rows[i].title for i in articles.shown]


def selected(app) -> str:
    return app.screen.query_one("ArticleList").current.title


@pilot_test
async def test_library_lists_every_article_by_title_and_announces_the_count(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert titles(app) == [
            "A Bread Club for the Night Shift",
            "Reading the Tide Tables Without Tears",
            "The Lantern Makers of Orrin Bay",
        ]
        assert app.status_text == "Library, 3 articles"
        assert app.focused is app.screen.query_one("ArticleList")


@pilot_test
async def test_a_slow_scan_says_loading_first_and_a_quick_one_only_the_count(tmp_path: Path) -> None:
    base = Services(audio_dir=tmp_path / "audio")
    held, release = held_back(base, "scan")
    for services, slow in ((base, False), (held, True)):
        app = make_app(tmp_path, services=services)
        async with app.run_test(size=(100, 30)) as pilot:
            if slow:
                await pilot.pause(app.SLOW_NOTICE_AFTER + 0.2)
                assert app.status_text == f"Loading the library in {FIXTURES}…"
                release.set()
            await settle(pilot)
            assert list(app.announcements) == ([f"Loading the library in {FIXTURES}…"] if slow else []) + [
                "Library, 3 articles"
            ]


@pilot_test
async def test_typing_on_the_list_filters_by_title_and_text(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"tide")
        assert titles(app) == ["Reading the Tide Tables Without Tears"]
        assert app.status_text == "1 of 3 articles match “tide”"
        await pilot.press("escape")
        assert len(titles(app)) == 3
        await pilot.press(*"old craft")  # in the standfirst only
        assert titles(app) == ["The Lantern Makers of Orrin Bay"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.article.title == "The Lantern Makers of Orrin Bay"


@pilot_test
async def test_a_filter_with_no_match_says_so_and_enter_explains(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"zzz")
        assert app.status_text == "0 of 3 articles match “zzz”"
        await pilot.press("enter")
        assert app.status_text == "No article to open; clear the filter with Escape."


@pilot_test
async def test_arrow_page_home_and_end_move_the_selection(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        assert selected(app) == "Reading the Tide Tables Without Tears"
        await pilot.press("end")
        assert selected(app) == "The Lantern Makers of Orrin Bay"
        await pilot.press("up")
        assert selected(app) == "Reading the Tide Tables Without Tears"
        await pilot.press("home")
        assert selected(app) == "A Bread Club for the Night Shift"
        await pilot.press("pagedown")
        assert selected(app) == "The Lantern Makers of Orrin Bay"
        await pilot.press("pageup")
        assert selected(app) == "A Bread Club for the Night Shift"
        await pilot.press("ctrl+f")
        assert app.focused is app.screen.query_one("#filter")


@pilot_test
async def test_sort_toggles_between_title_and_newest_first(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for index, name in enumerate(("bread-club.md", "lantern-makers.md", "tide-tables.txt")):
        target = folder / name
        target.write_bytes((FIXTURES / name).read_bytes())
        os.utime(target, (1_000_000 + index, 1_000_000 + index))
    app = make_app(tmp_path, folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+s")
        assert app.status_text == "Sorted by date, newest first"
        assert titles(app)[0] == "Reading the Tide Tables Without Tears"
        assert app.settings.sort == "date"
        await pilot.press("ctrl+s")
        assert app.status_text == "Sorted by title"
        assert titles(app)[0] == "A Bread Club for the Night Shift"


@pilot_test
async def test_articles_with_narrated_audio_are_marked_in_words(tmp_path: Path) -> None:
    audio = tmp_path / "audio"
    audio.mkdir()
    (audio / "lantern.mp3").write_bytes(b"ID3")
    entry = {"slug": "lantern", "source": str(LANTERN), "title": "x", "mp3": "lantern.mp3",
             "chapters_json": "lantern.chapters.json", "vtt": "lantern.vtt"}
    manifest = {"version": 1, "articles": [entry]}
    (audio / "manifest.json").write_text(json.dumps(manifest))
    app = make_app(tmp_path, services=Services(audio_dir=audio))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        articles = app.screen.query_one("ArticleList")
        lines = ["".join(s.text for s in articles.render_line(y)) for y in range(3)]
        assert lines[2].rstrip().endswith("yes")
        assert lines[0].rstrip().endswith("no")


@pilot_test
async def test_a_missing_folder_is_one_clear_line(tmp_path: Path) -> None:
    app = make_app(tmp_path, tmp_path / "nowhere")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.status_text.startswith("No articles folder at ")


@pilot_test
async def test_an_unreadable_article_is_reported_and_the_library_stays(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "broken.txt").write_bytes(b"")
    app = make_app(tmp_path, folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert app.status_text and not app.status_text.startswith("Opening")
