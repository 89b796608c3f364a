"""feed.xml: the podcast feed, RSS 2.0 with the iTunes and Podcasting 2.0 namespaces.

feedgen writes RSS and the iTunes tags and escapes everything through lxml; the few
Podcasting 2.0 tags it does not know (podcast:chapters, podcast:transcript, podcast:guid)
come from a small extension below. The output depends only on the manifest and the
settings, never on the clock, so rebuilding an unchanged library gives the same bytes and
podcast apps see no new episodes.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from listen.publish.directories import Category
from listen.manifest import Entry
from listen.publish.page import page_language, transcript_name
from listen.publish.site import Site

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
# Podcasting 2.0 fixes this namespace for podcast:guid, so apps can recompute it from the URL.
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a9b28560a04f")
# listen's own namespace for episode guids: uuid5(LISTEN_NAMESPACE, slug) never changes.
LISTEN_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://listen.invalid/episode")
CHAPTERS_TYPE = "application/json+chapters"
SRT_TYPE = "application/srt"  # the Podcasting 2.0 spelling (partytime also maps x-subrip to it)


def build_feed(entries: Sequence[Entry], site: Site, folder: Path) -> str:
    """The RSS document for `entries`, newest first; `folder` supplies dates the manifest lacks."""
    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.register_extension("podcast2", Podcast2Feed, Podcast2Entry, atom=False)
    feed_url = site.url("feed.xml")
    fg.title(site.title)
    fg.link(href=feed_url, rel="self")
    fg.link(href=site.base_url, rel="alternate")  # set last: RSS <link> takes the last one
    fg.description(f"{site.title}: articles narrated to MP3, with chapters and transcripts.")
    fg.language(page_language(entries))
    fg.generator("listen")
    fg.podcast.itunes_summary(f"{site.title}: narrated articles.")
    fg.podcast.itunes_type("episodic")
    fg.podcast2.explicit = site.explicit
    fg.podcast2.category = site.category
    if site.owner_email:
        fg.podcast.itunes_owner(name=site.owner_name or site.author or site.title, email=site.owner_email)
    fg.podcast2.guid = str(uuid.uuid5(PODCAST_GUID_NAMESPACE, feed_url.split("://", 1)[1].rstrip("/")))
    if site.author:
        fg.author(name=site.author)
        fg.podcast.itunes_author(site.author)
    if site.image:
        fg.image(url=site.url(site.image), title=site.title, link=site.base_url)
        fg.podcast.itunes_image(site.url(site.image))
    dated = sorted(((published(e, folder), e) for e in entries), key=lambda pair: (pair[0], pair[1].slug))
    # feedgen prepends each new entry, so adding oldest first leaves the newest at the top.
    for when, entry in dated:
        _add_item(fg, entry, when, site)
    last = dated[-1][0] if dated else datetime(1970, 1, 1, tzinfo=timezone.utc)
    fg.lastBuildDate(last)
    return fg.rss_str(pretty=True).decode("utf-8")


def episode_guid(entry: Entry) -> str:
    """A guid that survives rebuilds, new base URLs and re-narration: it comes from the slug."""
    return f"urn:uuid:{uuid.uuid5(LISTEN_NAMESPACE, entry.slug)}"


def published(entry: Entry, folder: Path) -> datetime:
    """The article's date (midnight UTC), else when it was narrated, else the MP3's mtime."""
    for text in (entry.date, entry.created):
        try:
            when = datetime.fromisoformat(text)
        except ValueError:
            continue
        return when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    return datetime.fromtimestamp(int((folder / entry.mp3).stat().st_mtime), timezone.utc)


def itunes_duration(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _add_item(fg: FeedGenerator, entry: Entry, when: datetime, site: Site) -> None:
    item = fg.add_entry()
    item.title(entry.title)
    item.guid(episode_guid(entry), permalink=False)
    item.link(href=f"{site.url(transcript_name(entry))}")
    item.description(entry.description or entry.standfirst or entry.title)
    item.enclosure(
        site.url(entry.mp3), str(entry.bytes), "audio/mp4" if entry.mp3.endswith(".m4b") else "audio/mpeg"
    )  # build --format m4b
    item.pubDate(when)
    if entry.author:
        item.podcast.itunes_author(entry.author)
    item.podcast.itunes_duration(itunes_duration(entry.duration_s))
    item.podcast.itunes_summary(entry.description or entry.title)
    if entry.chapters_json:
        item.podcast2.chapters = site.url(entry.chapters_json)
    language = entry.language or "en"
    if entry.transcript_vtt:  # timed: apps show it as captions, in step with the audio
        item.podcast2.transcripts.append((site.url(entry.transcript_vtt), "text/vtt", language, "captions"))
    if entry.transcript_srt:
        item.podcast2.transcripts.append((site.url(entry.transcript_srt), SRT_TYPE, language, "captions"))
    item.podcast2.transcripts.append((site.url(transcript_name(entry)), "text/html", language, ""))


class Podcast2Feed(BaseExtension):
    """Channel-level tags feedgen lacks or spells the old way: podcast:guid, itunes:explicit
    as Apple now spells it ('true'/'false'), and itunes:category from Apple's current list
    (feedgen checks categories against an older one)."""

    def __init__(self) -> None:
        self.guid = ""
        self.explicit = False
        self.category: Category | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}

    def extend_rss(self, feed):  # noqa: ANN001 - an lxml element
        channel = feed[0]
        xml_elem(f"{{{ITUNES_NS}}}explicit", channel).text = "true" if self.explicit else "false"
        if self.category is not None:
            top = xml_elem(f"{{{ITUNES_NS}}}category", channel)
            top.attrib["text"] = self.category.name
            if self.category.sub:
                xml_elem(f"{{{ITUNES_NS}}}category", top).attrib["text"] = self.category.sub
        if self.guid:
            xml_elem(f"{{{PODCAST_NS}}}guid", channel).text = self.guid
        return feed


class Podcast2Entry(BaseEntryExtension):
    """Item-level Podcasting 2.0 tags: chapters (JSON) and the transcripts (timed VTT and
    SRT, and the HTML page), each with the article's language."""

    def __init__(self) -> None:
        self.chapters = ""
        self.transcripts: list[tuple[str, str, str, str]] = []  # url, type, language, rel

    def extend_rss(self, item):  # noqa: ANN001 - an lxml element
        if self.chapters:
            xml_elem(f"{{{PODCAST_NS}}}chapters", item).attrib.update({"url": self.chapters, "type": CHAPTERS_TYPE})
        for url, kind, language, rel in self.transcripts:
            attributes = {"url": url, "type": kind, "language": language}
            if rel:
                attributes["rel"] = rel
            xml_elem(f"{{{PODCAST_NS}}}transcript", item).attrib.update(attributes)
        return item
