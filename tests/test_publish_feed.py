"""feed.xml: what podcast apps read. Parsed with feedparser, as an app would."""

from __future__ import annotations

import json

import feedparser
import pytest
from browser.library import make_library, markdown_loader

from listen.publish.feed import CHAPTERS_TYPE, itunes_duration
from listen.publish.publisher import publish

BASE = "https://example.org/audio/"


@pytest.fixture
def audio(tmp_path):
    folder = make_library(tmp_path)
    publish(folder, BASE, title="Harbour Radio", author="Ann & Bo", load=markdown_loader)
    return folder


def test_feed_parses_and_every_enclosure_length_is_the_file_size(audio):
    feed = feedparser.parse((audio / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "rss20"
    assert feed.feed.title == "Harbour Radio" and feed.feed.language == "en"
    assert len(feed.entries) == 2
    for item in feed.entries:
        (enclosure,) = item.enclosures
        name = enclosure.href.removeprefix(BASE)
        assert enclosure.type == "audio/mpeg"
        assert int(enclosure.length) == (audio / name).stat().st_size


def test_items_are_newest_first_with_duration_chapters_and_guid(audio):
    feed = feedparser.parse((audio / "feed.xml").read_bytes())
    first = feed.entries[0]
    assert first.title == "The harbour ferry returns"
    assert first.summary.startswith("After two winters")
    assert first.published == "Sun, 01 Nov 2026 00:00:00 +0000"
    assert first.itunes_duration == "00:00:03"
    assert first.guidislink is False and first.id.startswith("urn:uuid:")
    xml = (audio / "feed.xml").read_text()
    assert f'<podcast:chapters url="{BASE}harbour-ferry-returns.chapters.json" type="{CHAPTERS_TYPE}"/>' in xml
    assert 'xmlns:podcast="https://podcastindex.org/namespace/1.0"' in xml
    assert 'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"' in xml
    assert "<itunes:author>Ann &amp; Bo</itunes:author>" in xml


def test_guids_survive_rebuilds_and_a_new_base_url(tmp_path, audio):
    before = (audio / "feed.xml").read_text()
    publish(audio, BASE, title="Harbour Radio", author="Ann & Bo", load=markdown_loader)
    assert (audio / "feed.xml").read_text() == before  # nothing depends on the clock
    guids = [e.id for e in feedparser.parse(before).entries]
    publish(audio, "http://192.168.1.5:8000/", load=markdown_loader)
    assert [e.id for e in feedparser.parse((audio / "feed.xml").read_bytes()).entries] == guids


def test_hostile_titles_are_text_in_the_feed(tmp_path):
    audio = make_library(tmp_path)
    data = json.loads((audio / "manifest.json").read_text())
    data["articles"][0]["title"] = '<script>alert(1)</script> & ]]> "quoted"'
    data["articles"][0]["description"] = "<b>bold</b> claims"
    (audio / "manifest.json").write_text(json.dumps(data))
    publish(audio, BASE, title="A <i>title</i>")
    feed = feedparser.parse((audio / "feed.xml").read_bytes())
    assert not feed.bozo
    assert "<script>" not in (audio / "feed.xml").read_text()
    titles = [e.title for e in feed.entries]
    assert '<script>alert(1)</script> & ]]> "quoted"' in titles


@pytest.mark.parametrize(("seconds", "shown"), [(0, "00:00:00"), (312.4, "00:05:12"), (3725.6, "01:02:06")])
def test_itunes_duration(seconds, shown):
    assert itunes_duration(seconds) == shown
