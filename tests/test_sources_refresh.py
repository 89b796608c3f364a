"""Where an article came from, and refreshing it: a page revalidated by ETag or Last-Modified,
a feed read again, offline and gone pages, and a user's own file (nothing to refresh).

Every request goes to a site on 127.0.0.1 started inside the test (sources_site.py)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path

import pytest

from listen.articles.fetch import fetch, source_of
from listen.articles.library import scan_library
from listen.articles.refresh import FAILED, NOT_WEB, OFFLINE, UNCHANGED, UPDATED, refresh, refresh_all
from listen.articles.sources import cache_root, expand
from listen.cli import main
from sources_site import TOPICS, article_page, feed_entries, no_other_hosts, paragraphs, rss, site  # noqa: F401

KEPT = re.compile(r"Kept the copy from \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The user's own articles: one that reads, one `show` refuses."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "ferry-timetable.txt").write_text(
        "Winter Ferry Timetable\n\nThe last crossing now leaves at ten to eleven, not quarter past.\n", encoding="utf-8"
    )
    (mine / "scan.html").write_bytes(b"\x00\x01\x02\x03" * 40)
    return mine


def fetched(site, path: str, title: str, lede: str, root: Path) -> Path:
    site.page(path, article_page(title, lede, paragraphs(4, 2)))
    return fetch(site.url(path), cache_dir=root / "pages").path


def test_each_article_knows_its_origin_file_page_or_feed(site, folder: Path, tmp_path: Path) -> None:
    root = tmp_path / "cache"
    page = fetched(site, "/news/bakery.html", *TOPICS[4][::2], root)
    entries = feed_entries(site, 4)
    site.page("/feed.xml", rss(entries), "application/rss+xml")
    built = expand([site.url("/feed.xml")], cache_dir=root, notify=lambda line: None)
    assert len(built.paths) == 4 and not built.failed
    listed = scan_library(folder, include_refused=True, web=root, feeds=True, cache_dir=tmp_path)
    rows = {row.path.name: row for row in listed}
    assert rows["ferry-timetable.txt"].origin == "file" and rows["ferry-timetable.txt"].url == ""
    assert rows["scan.html"].refused and rows["scan.html"].origin == "file"
    assert rows["bakery.html"].origin == "url" and rows["bakery.html"].url == site.url("/news/bakery.html")
    from_feed = [row for row in rows.values() if row.origin == "feed"]
    # Full-text entries written out and link-only entries fetched from their page: all the feed's.
    assert len(from_feed) == 4 and {row.feed for row in from_feed} == {site.url("/feed.xml")}
    assert page.parent.parent == root / "pages"


def test_a_library_lists_pages_fetched_to_read_but_feed_entries_only_when_asked(
    site, folder: Path, tmp_path: Path
) -> None:
    # A volunteer's feed of hundreds of episodes must not bury every folder's own articles;
    # a page the reader opened from its address is theirs to find again in any library.
    root = tmp_path / "cache"
    fetched(site, "/news/bakery.html", *TOPICS[4][::2], root)
    site.page("/feed.xml", rss(feed_entries(site, 3)), "application/rss+xml")
    expand([site.url("/feed.xml")], cache_dir=root, notify=lambda line: None)
    plain = {
        row.path.name: row.origin for row in scan_library(folder, include_refused=True, web=root, cache_dir=tmp_path)
    }
    assert plain == {"ferry-timetable.txt": "file", "scan.html": "file", "bakery.html": "url"}
    every = scan_library(folder, include_refused=True, web=root, feeds=True, cache_dir=tmp_path)
    assert sorted(row.origin for row in every) == ["feed", "feed", "feed", "file", "file", "url"]


def test_a_feed_entry_page_keeps_its_feed_when_revalidated(site, tmp_path: Path) -> None:
    root = tmp_path / "cache"
    entries = feed_entries(site, 2)  # the second carries only a link
    site.page("/feed.xml", rss(entries), "application/rss+xml")
    expand([site.url("/feed.xml")], cache_dir=root, notify=lambda line: None)
    linked = fetch(entries[1]["link"], cache_dir=root / "pages")  # revalidated: 304
    assert not linked.changed
    assert source_of(linked.path).feed == site.url("/feed.xml")


def test_refresh_of_a_page_unchanged_then_updated_by_etag(site, tmp_path: Path) -> None:
    path = fetched(site, "/news/bakery.html", "The bakery that opens at four", TOPICS[4][2], tmp_path)
    result = refresh(path)
    assert (result.outcome, result.message) == (UNCHANGED, "Unchanged")
    assert site.headers_seen["/news/bakery.html"].get("If-None-Match"), "revalidated, not fetched whole"
    site.page(
        "/news/bakery.html",
        article_page("The bakery now opens at three", "The ovens start an hour earlier.", paragraphs(4, 3)),
    )
    result = refresh(path)
    assert (result.outcome, result.message) == (UPDATED, "Updated")
    assert "an hour earlier" in result.path.read_text(encoding="utf-8")


def test_refresh_revalidates_by_last_modified_when_there_is_no_etag(site, tmp_path: Path) -> None:
    stamp = format_datetime(datetime(2026, 11, 2, 8, 0, tzinfo=timezone.utc), usegmt=True)
    body = article_page(*TOPICS[1][::2], paragraphs(3, 1)).encode("utf-8")

    def served(request):
        if request.headers.get("If-Modified-Since") == stamp:
            return 304, {"Last-Modified": stamp}, b""
        return 200, {"Content-Type": "text/html; charset=utf-8", "Last-Modified": stamp}, body

    site.routes["/allotments.html"] = served
    path = fetch(site.url("/allotments.html"), cache_dir=tmp_path / "pages").path
    assert refresh(path).message == "Unchanged"
    assert site.headers_seen["/allotments.html"]["If-Modified-Since"] == stamp


def test_refresh_offline_keeps_the_copy_and_says_from_when(site, tmp_path: Path) -> None:
    path = fetched(site, "/news/river.html", *TOPICS[3][::2], tmp_path)
    before = path.read_bytes()
    site.stop()
    result = refresh(path)
    assert result.outcome == OFFLINE
    assert re.fullmatch(r"Offline: kept the copy from \d{4}-\d\d-\d\d \d\d:\d\d UTC\.", result.message)
    assert path.read_bytes() == before


def test_refresh_of_a_page_that_is_gone_says_404_and_keeps_copy_and_origin(site, tmp_path: Path) -> None:
    path = fetched(site, "/news/tools.html", *TOPICS[2][::2], tmp_path)
    del site.routes["/news/tools.html"]
    result = refresh(path)
    assert result.outcome == FAILED
    assert result.message.startswith(f"{site.url('/news/tools.html')}: not found (404); check the address. ")
    assert KEPT.search(result.message)
    assert path.is_file() and source_of(path).url == site.url("/news/tools.html")


def test_refresh_of_a_users_own_file_does_not_apply(folder: Path) -> None:
    result = refresh(folder / "ferry-timetable.txt")
    assert result.outcome == NOT_WEB
    assert (
        result.message
        == "Refresh does not apply: ferry-timetable.txt is a file on this computer, not a page or a feed."
    )


def test_refresh_of_a_feed_entry_reads_the_feed_again_and_brings_new_entries(site, tmp_path: Path) -> None:
    root = tmp_path / "cache"
    entries = feed_entries(site, 4)
    site.page("/feed.xml", rss(entries), "application/rss+xml")
    built = expand([site.url("/feed.xml")], cache_dir=root, notify=lambda line: None)
    entry = next(p for p in built.paths if p.parent.parent.name == "entries")
    assert refresh(entry).message == "Unchanged"
    assert site.headers_seen["/feed.xml"].get("If-None-Match")
    # The newest entry's text is corrected, and two entries appear: one full text, one a link.
    newer = feed_entries(site, 6)
    newer[0]["body"] = ["A correction: the figures in the third paragraph were last year's."] + newer[0]["body"][1:]
    site.page("/feed.xml", rss(newer), "application/rss+xml")
    first = next(p for p in built.paths if "(1)" in p.read_text(encoding="utf-8"))
    result = refresh(first)
    assert result.outcome == UPDATED and result.new == 2
    assert result.message == "Updated; the feed brought 2 new articles"
    assert "figures in the third paragraph" in result.path.read_text(encoding="utf-8")


def test_refresh_all_reads_each_feed_once_and_sums_up_in_one_line(site, tmp_path: Path, folder: Path) -> None:
    root = tmp_path / "cache"
    site.page("/feed.xml", rss(feed_entries(site, 4)), "application/rss+xml")
    built = expand([site.url("/feed.xml")], cache_dir=root, notify=lambda line: None)
    page = fetched(site, "/news/bakery.html", *TOPICS[4][::2], root)
    gone = fetched(site, "/news/gone.html", *TOPICS[0][::2], root)
    del site.routes["/news/gone.html"]
    site.hits.clear()
    results, line = refresh_all([folder / "ferry-timetable.txt", *built.paths, page, gone])
    assert site.hits["/feed.xml"] == 2  # asked once by refresh, once more (a 304) by the feed reader
    assert len(results) == 5  # the feed's two full-text entries count once, with the feed
    assert line.startswith("Refreshed 5: 4 unchanged, 1 failed. First problem: ")
    assert "not found (404)" in line
    assert (
        refresh_all([folder / "ferry-timetable.txt"])[1]
        == "Nothing to refresh: every article here is a file on this computer."
    )


def test_listen_list_says_where_each_article_came_from(site, folder: Path, capsys) -> None:
    page = fetched(site, "/news/bakery.html", "The bakery that opens at four", TOPICS[4][2], cache_root())
    assert main(["list", "--web", str(folder)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "The bakery that opens at four — " in lines[0]
    assert lines[0].endswith(f", en, from {site.url('/news/bakery.html')}, {page}")
    assert lines[1].endswith(f", en, {folder / 'ferry-timetable.txt'}")
    assert lines[2].startswith("scan.html — refused: ")
    assert main(["list", "--web", "-f", "json", str(folder)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["origin"], r.get("url")) for r in rows] == [
        ("url", site.url("/news/bakery.html")),
        ("file", None),
        ("file", None),
    ]
    assert main(["list", str(folder)]) == 0
    assert "bakery" not in capsys.readouterr().out  # without --web, the folder alone


def test_refresh_of_a_feed_entry_offline_keeps_it(site, tmp_path: Path) -> None:
    root = tmp_path / "cache"
    site.page("/feed.xml", rss(feed_entries(site, 2)), "application/rss+xml")
    built = expand([site.url("/feed.xml")], cache_dir=root, notify=lambda line: None)
    entry = next(p for p in built.paths if p.parent.parent.name == "entries")
    before = entry.read_bytes()
    site.stop()
    result = refresh(entry)
    assert result.outcome == OFFLINE
    assert re.fullmatch(r"Offline: kept the copy from \d{4}-\d\d-\d\d \d\d:\d\d UTC\.", result.message)
    assert entry.read_bytes() == before


def test_refresh_of_an_entry_from_a_saved_feed_file_reads_the_file_again(site, tmp_path: Path) -> None:
    root = tmp_path / "cache"
    entries = feed_entries(site, 2, full_every=1)  # both carry their text: no page is fetched
    saved = tmp_path / "courier.rss"
    saved.write_text(rss(entries), encoding="utf-8")
    built = expand([str(saved)], cache_dir=root, notify=lambda line: None)
    entry = next(p for p in built.paths if "(1)" in p.read_text(encoding="utf-8"))
    assert source_of(entry).feed == str(saved.resolve())
    assert refresh(entry).message == "Unchanged"
    entries[0]["body"] = ["The ferry now stops at the new pontoon below the bridge."] + entries[0]["body"][1:]
    saved.write_text(rss(entries), encoding="utf-8")
    result = refresh(entry)
    assert result.message == "Updated" and "new pontoon" in result.path.read_text(encoding="utf-8")
    assert site.hits == {}, "a feed file needs no network"
