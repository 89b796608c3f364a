"""Feeds and URL lists to articles: full text when the feed carries it, else the linked page;
newest first, --limit and --since; a re-run fetches and rewrites only what changed."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from listen.articles import load_article
from listen.articles.feeds import FULL_TEXT_WORDS, read_feed, word_count
from listen.articles.fetch import origin_of
from listen.articles.sources import expand, is_url_list
from sources_site import atom, feed_entries, json_feed, no_other_hosts, rss, site  # noqa: F401

LISTEN = str(Path(sys.executable).parent / "listen")
RSS = "application/rss+xml; charset=utf-8"


def quiet(_line: str) -> None:
    pass


@pytest.fixture
def courier(site):
    """The site with its 20-entry RSS feed at /feed.xml: even entries full text, odd ones links only."""
    entries = feed_entries(site, 20)
    site.page("/feed.xml", rss(entries), RSS)
    return site, entries


def test_every_entry_becomes_an_article_newest_first(courier) -> None:
    site, entries = courier
    result = expand([site.url("/feed.xml")], notify=quiet)
    assert result.failed == []
    assert len(result.paths) == 20
    articles = [load_article(p) for p in result.paths]
    assert [a.title for a in articles] == [e["title"] for e in entries]  # entries are newest first
    for article, entry in zip(articles, entries):
        text = " ".join((article.standfirst, *article.paragraphs))
        assert entry["lede"][:40] in text
        assert entry["body"][-1][:40] in text  # all of it, not the teaser
        assert "Read more" not in text and "Accept all" not in text
        assert origin_of(article.path) == entry["link"]
    linked = [e for e in entries if not e["full"]]
    assert all(site.hits[f"/news/{e['slug']}.html"] == 1 for e in linked)
    assert all(site.hits[f"/news/{e['slug']}.html"] == 0 for e in entries if e["full"])


def test_full_text_entries_keep_author_and_date(courier) -> None:
    site, entries = courier
    first = load_article(expand([site.url("/feed.xml")], notify=quiet).paths[0])
    assert first.author == "Priya Natarajan"
    assert first.date == "2026-11-20"


def test_a_rerun_with_nothing_new_asks_only_for_the_feed(courier) -> None:
    site, entries = courier
    first = expand([site.url("/feed.xml")], notify=quiet)
    stamps = {p: p.stat().st_mtime_ns for p in first.paths}
    before = sum(site.hits.values())
    again = expand([site.url("/feed.xml")], notify=quiet)
    assert again.paths == first.paths
    assert sum(site.hits.values()) - before == 1  # the feed, answered 304
    assert {p: p.stat().st_mtime_ns for p in again.paths} == stamps


def test_a_rerun_picks_up_new_and_changed_entries_only(courier) -> None:
    site, entries = courier
    first = expand([site.url("/feed.xml")], notify=quiet)
    stamps = {p: p.stat().st_mtime_ns for p in first.paths}
    changed_full = entries[2]
    changed_full["body"] = changed_full["body"][:-1] + ["A correction: the meeting is on Thursday, not Tuesday."]
    changed_link = entries[3]
    site.page(
        f"/news/{changed_link['slug']}.html",
        "<html><body><h1>Revised</h1><p>" + "New words here. " * 40 + "</p></body></html>",
    )
    changed_link["when"] = changed_link["when"].replace(hour=11)  # the feed says it was updated
    site.page("/feed.xml", rss(entries), RSS)
    hits = dict(site.hits)
    again = expand([site.url("/feed.xml")], notify=quiet)
    rewritten = {p for p in again.paths if stamps.get(p) != p.stat().st_mtime_ns}
    assert rewritten == {first.paths[2], first.paths[3]}
    page_requests = {k: v - hits.get(k, 0) for k, v in site.hits.items() if v != hits.get(k, 0)}
    assert page_requests == {"/feed.xml": 1, f"/news/{changed_link['slug']}.html": 1}
    assert "Thursday, not Tuesday" in " ".join(load_article(first.paths[2]).paragraphs)


def test_limit_and_since_choose_the_newest(courier) -> None:
    site, entries = courier
    five = expand([site.url("/feed.xml")], limit=5, notify=quiet)
    assert [load_article(p).title for p in five.paths] == [e["title"] for e in entries[:5]]
    recent = expand([site.url("/feed.xml")], since=date(2026, 11, 17), notify=quiet)
    assert len(recent.paths) == 4  # 20, 19, 18 and 17 November
    none = expand([site.url("/feed.xml")], since=date(2027, 1, 1), notify=quiet)
    assert none.paths == [] and none.notes == [f"{site.url('/feed.xml')}: no entries since 2027-01-01."]


def test_offline_a_rerun_uses_the_cached_feed_and_pages(courier) -> None:
    site, entries = courier
    url = site.url("/feed.xml")
    first = expand([url], notify=quiet)
    site.stop()
    told: list[str] = []
    again = expand([url], notify=told.append)
    assert again.paths == first.paths and again.failed == []
    assert len(told) == 1 and told[0].startswith("offline: using the copy from")


def test_an_entry_whose_page_is_missing_fails_alone(courier) -> None:
    site, entries = courier
    del site.routes[f"/news/{entries[1]['slug']}.html"]
    result = expand([site.url("/feed.xml")], notify=quiet)
    assert len(result.paths) == 19
    assert result.failed == [(entries[1]["link"], f"{entries[1]['link']}: not found (404); check the address.")]


def test_a_missing_feed_is_one_failure(site) -> None:
    result = expand([site.url("/gone.xml")], notify=quiet)
    assert result.paths == []
    assert result.failed == [(site.url("/gone.xml"), f"{site.url('/gone.xml')}: not found (404); check the address.")]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--since", "last week"], "argument --since: 'last week' is not a day; write it as YYYY-MM-DD"),
        (["--limit", "0"], "--limit must be 1 or more"),
    ],
)
def test_bad_feed_options_are_one_line(options: list[str], message: str) -> None:
    out = subprocess.run([LISTEN, "build", "feed.xml", *options], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and message in out.stderr and out.stderr.count("\n") == 1


def test_atom_and_json_feeds_read_alike(site) -> None:
    entries = feed_entries(site, 6)
    site.page("/atom", atom(entries), "application/atom+xml")
    site.page("/feed.json", json_feed(entries), "application/feed+json")
    for path in ("/atom", "/feed.json"):
        result = expand([site.url(path)], notify=quiet)
        articles = [load_article(p) for p in result.paths]
        assert [a.title for a in articles] == [e["title"] for e in entries], path
        assert all(e["body"][-1][:40] in " ".join(a.paragraphs) for a, e in zip(articles, entries))


def test_a_feed_file_and_a_url_list_file(site, tmp_path: Path) -> None:
    entries = feed_entries(site, 4)
    feed = tmp_path / "saved.xml"
    feed.write_text(rss(entries), encoding="utf-8")
    assert len(expand([str(feed)], notify=quiet).paths) == 4
    linked = [e for e in entries if not e["full"]]
    listing = tmp_path / "reading.urls"
    listing.write_text("# weekend reading\n\n" + "\n".join(e["link"] for e in linked) + "\n")
    assert [load_article(p).title for p in expand([str(listing)], notify=quiet).paths] == [e["title"] for e in linked]


@pytest.mark.parametrize(
    ("name", "text", "is_list"),
    [
        ("links.urls", "https://a.example/1\n", True),
        ("links.txt", "# to read\nhttps://a.example/1\n\nhttp://b.example/2\n", True),
        ("note.txt", "Ferry timetable\n\nhttps://a.example/1 has the times.\n", False),
        ("empty.txt", "# nothing yet\n", False),
        ("story.md", "https://a.example/1\n", False),
    ],
)
def test_which_files_are_url_lists(tmp_path: Path, name: str, text: str, is_list: bool) -> None:
    path = tmp_path / name
    path.write_text(text)
    assert is_url_list(path) is is_list


def test_a_url_list_with_a_stray_line_is_one_failure(tmp_path: Path) -> None:
    listing = tmp_path / "links.urls"
    listing.write_text("https://a.example/1\nftp://old.example/file\n")
    result = expand([str(listing)], notify=quiet)
    assert result.paths == []
    assert result.failed == [
        (str(listing), f"{listing}: 'ftp://old.example/file' is not an http(s) URL; a URL list holds one URL per line.")
    ]


def test_teasers_are_not_full_text() -> None:
    teaser = "<p>" + "word " * FULL_TEXT_WORDS + "</p>"
    body = "<p>" + "word " * (FULL_TEXT_WORDS + 1) + "</p>"
    feed = read_feed(
        f"""<rss version="2.0"><channel><title>t</title>
<item><title>Short</title><link>http://x.example/a</link><description>{teaser.replace("<", "&lt;")}</description></item>
<item><title>Long</title><link>http://x.example/b</link><description>{body.replace("<", "&lt;")}</description></item>
</channel></rss>""".encode(),
        "test",
    )
    assert word_count(body) == FULL_TEXT_WORDS + 1
    assert [bool(e.full_html) for e in feed.entries] == [False, True]


def test_not_a_feed_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.xml"
    bad.write_text("<html><body>not a feed</body></html>")
    result = expand([str(bad)], notify=quiet)
    assert result.failed == [(str(bad), f"{bad}: not an RSS, Atom or JSON feed listen can read.")]


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("espeak-ng") is None or shutil.which("ffmpeg") is None, reason="needs espeak-ng and ffmpeg"
)
def test_build_narrates_a_feed_and_a_rerun_only_what_is_new(site, tmp_path: Path) -> None:
    entries = feed_entries(site, 5)
    site.page("/feed.xml", rss(entries[1:]), RSS)  # the newest entry is not out yet
    out = tmp_path / "audio"

    def build(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [LISTEN, "build", site.url("/feed.xml"), "-d", str(out), "--engine", "espeak", "-j", "1", *extra],
            capture_output=True,
            text=True,
            timeout=300,
        )

    first = build("--limit", "3")
    assert first.returncode == 0, first.stderr
    assert "3 to narrate, 0 unchanged." in first.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert sorted(e["title"] for e in manifest["articles"]) == sorted(e["title"] for e in entries[1:4])
    site.page("/feed.xml", rss(entries), RSS)
    second = build("--limit", "3")
    assert second.returncode == 0, second.stderr
    assert "1 to narrate, 2 unchanged." in second.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert entries[0]["title"] in {e["title"] for e in manifest["articles"]}
    assert len(list(out.glob("*.mp3"))) == 4
    podcast = subprocess.run(
        [LISTEN, "publish", str(out), "--base-url", "https://podcast.example/courier/", "--title", "Courier, read aloud"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert podcast.returncode == 0, podcast.stderr
    published = read_feed((out / "feed.xml").read_bytes(), "podcast")
    assert sorted(e.title for e in published.entries) == sorted(e["title"] for e in entries[:4])
    assert str(Path.home()) not in (out / "feed.xml").read_text() and "/.cache/" not in (out / "feed.xml").read_text()


def test_relative_links_and_short_notes_without_a_link(site) -> None:
    entries = feed_entries(site, 2, full_every=99)  # both are links only
    feed = rss(entries).replace(site.base, "")  # the feed links its pages relatively, as some do
    note = """<item><title>Ferry cancelled tonight</title><guid isPermaLink="false">note-1</guid>
<pubDate>Fri, 20 Nov 2026 18:00:00 GMT</pubDate><description>High winds: the last two crossings are off.
The first one tomorrow runs as usual.</description></item>"""
    site.page("/feed.xml", feed.replace("</channel>", note + "</channel>"), RSS)
    result = expand([site.url("/feed.xml")], notify=quiet)
    assert result.failed == []
    titles = [load_article(p).title for p in result.paths]
    assert titles == ["Ferry cancelled tonight", *[e["title"] for e in entries]]
    assert "the last two crossings are off" in " ".join(load_article(result.paths[0]).paragraphs)


def test_an_unchanged_feed_is_not_parsed_again(courier, monkeypatch) -> None:
    site, entries = courier
    first = expand([site.url("/feed.xml")], notify=quiet)
    import listen.articles.sources as sources

    def no_parsing(data: bytes, source: str):
        raise AssertionError("parsed again")

    monkeypatch.setattr(sources, "read_feed", no_parsing)
    assert expand([site.url("/feed.xml")], notify=quiet).paths == first.paths
    site.page("/feed.xml", rss(entries[:5]), RSS)
    with pytest.raises(AssertionError, match="parsed again"):
        expand([site.url("/feed.xml")], notify=quiet)


@pytest.mark.parametrize("served_as", ["text/html; charset=utf-8", "text/plain", "application/octet-stream", ""])
def test_a_feed_served_with_the_wrong_type_is_still_a_feed(site, served_as: str) -> None:
    entries = feed_entries(site, 3)
    site.page("/rss", rss(entries), served_as)
    result = expand([site.url("/rss")], notify=quiet)
    assert result.failed == [] and len(result.paths) == 3
