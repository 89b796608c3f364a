"""Pilot tests: the library lists, filters as you type, sorts, moves and opens by keyboard."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

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
    entry = {
        "slug": "lantern",
        "source": str(LANTERN),
        "title": "x",
        "mp3": "lantern.mp3",
        "chapters_json": "lantern.chapters.json",
        "vtt": "lantern.vtt",
    }
    manifest = {"version": 1, "articles": [entry]}
    (audio / "manifest.json").write_text(json.dumps(manifest))
    app = make_app(tmp_path, services=Services(audio_dir=audio))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        articles = app.screen.query_one("ArticleList")
        lines = ["".join(s.text for s in articles.render_line(y)) for y in range(3)]
        assert lines[2].split()[-2:] == ["yes", "file"]  # Audio, then From
        assert lines[0].split()[-2:] == ["no", "file"]


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


@pilot_test
async def test_date_sort_uses_the_articles_own_date_not_when_the_file_was_copied(tmp_path: Path) -> None:
    """Copied today, an old article is still old: the date it gives wins over the file's time."""
    folder = tmp_path / "articles"
    folder.mkdir()
    body = "The allotment committee met in the shed because the hall roof was leaking again."
    articles = (
        ("old.md", "---\ndate: 2009-04-02\n---\n# Rhubarb Forcing, the Old Way", 3_000_000),  # copied last
        ("new.md", "---\ndate: 12 March 2024\n---\n# Slugs After a Wet Winter", 1_000_000),  # copied first
        ("undated.md", "# Notes Without a Date", 2_000_000_000),  # only the file's time: 2033
    )
    for name, head, mtime in articles:
        (folder / name).write_text(f"{head}\n\n{body}\n", encoding="utf-8")
        os.utime(folder / name, (mtime, mtime))
    app = make_app(tmp_path, folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+s")
        assert titles(app) == ["Notes Without a Date", "Slugs After a Wet Winter", "Rhubarb Forcing, the Old Way"]


SORT_DATES = [
    ("2024-03-12", 1_710_201_600.0),
    ("12 March 2024", 1_710_201_600.0),
    ("March 12, 2024", 1_710_201_600.0),
    ("2024-03-12T09:30:00+00:00", 1_710_235_800.0),
    ("", 42.0),  # no date: the file's time
    ("sometime last spring", 42.0),  # not a date: the file's time
]


@pytest.mark.parametrize(("written", "expected"), SORT_DATES)
def test_sort_date_reads_dates_as_articles_write_them(written: str, expected: float) -> None:
    from listen.articles.library import ArticleSummary, sort_date

    summary = ArticleSummary(Path("a.md"), "A", 10, "en", 42.0, date=written)
    assert sort_date(summary) == expected


@pilot_test
async def test_ctrl_o_opens_a_link_typed_in_the_link_box(tmp_path: Path) -> None:
    from dataclasses import replace

    fetched: list[str] = []

    def fetch_link(address: str, notify) -> Path:
        fetched.append(address)
        notify("Fetching the page…")
        return LANTERN  # stands in for the cached copy of the page

    services = replace(Services(audio_dir=tmp_path / "audio"), fetch_link=fetch_link)
    app = make_app(tmp_path, services=services)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        assert app.focused is app.screen.query_one("#link")
        await pilot.press(*"https://example.org/lanterns", "enter")
        await settle(pilot)
        assert fetched == ["https://example.org/lanterns"]
        assert isinstance(app.screen, ReaderScreen)
        assert app.status_text.startswith("Opened: The Lantern Makers of Orrin Bay")


@pilot_test
async def test_a_link_box_entry_that_is_not_a_link_is_one_line_and_escape_closes_it(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o", *"lanterns", "enter")
        await settle(pilot)
        assert app.status_text == "“lanterns” is not a link; type a web address that starts with https:// or http://."
        assert len(titles(app)) == 3, "typing in the link box does not filter the library"
        await pilot.press("ctrl+o", "x", "escape")
        assert app.status_text == "Link closed"
        assert app.focused is app.screen.query_one("ArticleList")


@pilot_test
async def test_a_word_typed_in_one_burst_reaches_the_filter_whole(tmp_path: Path) -> None:
    """A terminal hands a pasted or quickly typed word over in one read: every letter counts,
    even those that reach the list before the filter box has taken the focus."""
    from textual import events

    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        articles = app.screen.query_one("ArticleList")
        articles._forward_event(events.Key("l", "l"))
        await pilot.pause()  # the filter box takes the focus, while the rest were already the list's
        for character in "antern":
            articles._forward_event(events.Key(character, character))
        await settle(pilot)
        assert app.screen.query_one("#filter").value == "lantern"
        assert titles(app) == ["The Lantern Makers of Orrin Bay"]
        assert app.status_text == "1 of 3 articles match “lantern”"
