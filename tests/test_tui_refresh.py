"""Pilot tests: the library says where each article came from, refreshes a fetched page by
keyboard (updated, unchanged, offline, 404), says a user's own file has nothing to refresh,
and lists refused files, saying why when one is opened.

The page comes from a site on 127.0.0.1 started inside the test (sources_site.py)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from listen.articles.sources import local_copy
from listen.state import Store
from listen.tui.screens.library import LibraryScreen
from listen.tui.widgets.article_list import header_line
from sources_site import article_page, no_other_hosts, paragraphs, site  # noqa: F401  (fixtures)
from tui_support import make_app, pilot_test, screen_text, settle, wait_for

TITLE = "Harbour wall repairs start on Monday"
LEDE = "Crews will close the east end of the harbour wall for six weeks while the cracked copings are replaced."


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "ferry-timetable.txt").write_text(
        "Winter Ferry Timetable\n\nThe last crossing now leaves at ten to eleven, not quarter past.\n", encoding="utf-8"
    )
    (mine / "scan.html").write_bytes(b"\x00\x01\x02\x03" * 40)  # saved as .html, but not a page
    return mine


def web_page(site) -> Path:  # noqa: F811
    """A page the user opened by link earlier: now in listen's cache, with its address."""
    site.page("/news/harbour-wall.html", article_page(TITLE, LEDE, paragraphs(3, 4)))
    return local_copy(site.url("/news/harbour-wall.html"), notify=lambda line: None)


def rows(app) -> list[str]:
    articles = app.screen.query_one("ArticleList")
    return ["".join(s.text for s in articles.render_line(y)).rstrip() for y in range(len(articles.shown))]


async def refresh_and_wait(pilot, key: str = "ctrl+r") -> str:
    app = pilot.app
    app.status_text = ""
    await pilot.press(key)
    await wait_for(lambda: app.status_text and not app.status_text.startswith("Refreshing"), pilot, timeout=20)
    await settle(pilot)
    return app.status_text


@pilot_test
async def test_the_library_shows_where_each_article_came_from_and_refused_files(
    tmp_path: Path, folder: Path, site
) -> None:  # noqa: F811
    web_page(site)
    app = make_app(tmp_path, folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert header_line(100).split()[-1] == "From"
        shown = rows(app)
        assert shown[0].startswith("> Harbour wall repairs start on Monday") and shown[0].split()[-1] == "web"
        assert shown[1].startswith("  Winter Ferry Timetable") and shown[1].split()[-1] == "file"
        assert shown[2].startswith("  scan.html, refused: ") and shown[2].split()[-1] == "file"  # refused come last
        assert app.status_text == "Library, 2 articles, 1 refused"


@pilot_test
async def test_opening_a_refused_row_says_why(tmp_path: Path, folder: Path) -> None:
    app = make_app(tmp_path, folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        articles = app.screen.query_one("ArticleList")
        assert articles.select_path(folder / "scan.html")
        refusal = articles.current.refusal
        assert refusal and "scan.html" not in refusal
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen), "a refused file does not open"
        assert app.status_text == f"scan.html is refused: {refusal}"
        await pilot.press("ctrl+e")
        assert app.status_text == f"scan.html is refused: {refusal}"


@pilot_test
async def test_refresh_says_unchanged_updated_gone_and_offline(tmp_path: Path, folder: Path, site) -> None:  # noqa: F811
    path = web_page(site)
    app = make_app(tmp_path, folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        articles = app.screen.query_one("ArticleList")
        assert articles.current.title == TITLE
        assert await refresh_and_wait(pilot) == "Unchanged"
        assert site.headers_seen["/news/harbour-wall.html"].get("If-None-Match")
        site.page(
            "/news/harbour-wall.html", article_page("Harbour wall repairs put back a week", LEDE, paragraphs(3, 4))
        )
        assert await refresh_and_wait(pilot) == "Updated"
        assert articles.current.title == "Harbour wall repairs put back a week", (
            "the row shows the new copy, still selected"
        )
        del site.routes["/news/harbour-wall.html"]
        said = await refresh_and_wait(pilot)
        assert re.fullmatch(
            re.escape(site.url("/news/harbour-wall.html")) + r": not found \(404\); check the address\. "
            r"Kept the copy from \d{4}-\d\d-\d\d \d\d:\d\d UTC\.",
            said,
        ), said
        assert path.is_file() and articles.current.url == site.url("/news/harbour-wall.html")
        site.stop()
        said = await refresh_and_wait(pilot)
        assert re.fullmatch(r"Offline: kept the copy from \d{4}-\d\d-\d\d \d\d:\d\d UTC\.", said), said
        assert articles.current.title == "Harbour wall repairs put back a week"


@pilot_test
async def test_refresh_of_a_file_does_not_apply_and_refresh_all_sums_up(tmp_path: Path, folder: Path, site) -> None:  # noqa: F811
    web_page(site)
    app = make_app(tmp_path, folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        articles = app.screen.query_one("ArticleList")
        assert articles.select_path(folder / "ferry-timetable.txt")
        await pilot.press("ctrl+r")
        assert app.status_text == (
            "Refresh does not apply: ferry-timetable.txt is a file on this computer, not a page or a feed."
        )
        assert await refresh_and_wait(pilot, "ctrl+l") == "Refreshed 1: 1 unchanged"
        assert articles.current.title == "Winter Ferry Timetable", "the selection stays where it was"
        await pilot.press(*"harbour")  # from the filter box, Ctrl+R refreshes the first match
        assert app.focused is app.screen.filter_input
        assert await refresh_and_wait(pilot) == "Unchanged"
        assert site.hits["/news/harbour-wall.html"] == 3  # fetched, refreshed by Ctrl+L, by Ctrl+R


@pilot_test
async def test_screen_reader_hears_the_title_first_then_figures_then_origin(tmp_path: Path, folder: Path, site) -> None:  # noqa: F811
    web_page(site)
    store = Store(tmp_path / "state.sqlite3")
    store.save_settings(replace(store.settings(), screen_reader=True))
    app = make_app(tmp_path, folder, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)

        def focus_line() -> str:
            """The focus may wrap over rows; the status line and the footer follow it."""
            return (
                " ".join(row.strip() for row in screen_text(app) if row.strip())[: -len(footer)]
                .removesuffix(app.status_text + " ")
                .strip()
            )

        footer = next(row.strip() for row in reversed(screen_text(app)) if row.strip())
        assert re.fullmatch(re.escape(TITLE) + r", \d+ words, \d+ min, from the web, 127\.0\.0\.1", focus_line()), (
            focus_line()
        )
        await pilot.press("down")
        assert focus_line() == "Winter Ferry Timetable, 15 words, 1 min"
        await pilot.press("down")
        assert focus_line().startswith("scan.html, refused: ")


def test_help_lists_the_refresh_keys_with_the_users_keymap() -> None:
    from listen.tui.screens.help import help_lines

    lines = help_lines("library", {"library.refresh": "f5"})
    assert "F5: Refresh the selected article from its web page or feed" in lines
    assert "Ctrl+L: Refresh every article from the web and its feeds" in lines
