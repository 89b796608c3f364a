"""Feeds to entries: RSS 2.0, RSS 1.0 and Atom by feedparser, JSON Feed read directly.

feedparser 6 does not read JSON Feed (its support is unreleased), and JSON Feed is plain
JSON with a handful of documented keys, so it is mapped here onto the same Entry. An entry
carries its full text when the feed has enough of it (content:encoded, Atom content,
content_html); otherwise only its link, whose page is fetched.
"""

from __future__ import annotations

import calendar
import html
import json
import re
from dataclasses import asdict, dataclass
from typing import cast
from datetime import date, datetime, timezone
from urllib.parse import urljoin

from listen.errors import FetchError

# A feed's text counts as the full article above this many words; below it is a summary.
FULL_TEXT_WORDS = 150
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Entry:
    key: str  # the entry's id, else its link: what the cache is keyed by
    title: str
    link: str
    when: datetime | None  # published (else updated), for newest-first and --since
    stamp: str  # the dates as the feed gives them: a change means the entry changed
    full_html: str = ""  # the article's HTML when the feed carries all of it
    author: str = ""
    short_html: str = ""  # the longest text the feed has, however short (a note with no link)


@dataclass(frozen=True)
class Feed:
    title: str
    language: str
    entries: tuple[Entry, ...]


def read_feed(data: bytes, source: str) -> Feed:
    """Parse a feed's bytes; one line if they are not a feed listen can read."""
    head = data[:512].lstrip()
    if head.startswith(b"{"):
        return _json_feed(data, source)
    import feedparser

    # The feed's address lets feedparser resolve relative links (href="/2026/11/story.html").
    parsed = feedparser.parse(data, response_headers={"content-location": source} if "://" in source else None)
    if not parsed.get("version") and not parsed.entries:
        raise FetchError(f"{source}: not an RSS, Atom or JSON feed listen can read.")
    meta = parsed.get("feed", {})
    entries = tuple(_entry(item) for item in parsed.entries)
    return Feed(meta.get("title", "") or source, (meta.get("language") or "")[:2].lower(), entries)


def feed_to_json(feed: Feed) -> dict:
    """The parsed feed as plain data, so an unchanged feed is not parsed (nor feedparser imported) again."""
    entries = [{**asdict(e), "when": e.when.isoformat() if e.when else None} for e in feed.entries]
    return {"title": feed.title, "language": feed.language, "entries": entries}


def feed_from_json(data: dict) -> Feed:
    entries = tuple(
        Entry(**{**e, "when": datetime.fromisoformat(e["when"]) if e.get("when") else None}) for e in data["entries"]
    )
    return Feed(data["title"], data["language"], entries)


def pick(entries: tuple[Entry, ...], *, limit: int | None = None, since: date | None = None) -> list[Entry]:
    """Newest first; entries with no date keep the feed's order after the dated ones.

    `since` keeps entries published on or after that day; an undated entry is kept, since
    nothing says it is old.
    """
    dated = sorted((e for e in entries if e.when), key=lambda e: cast(datetime, e.when), reverse=True)
    chosen = dated + [e for e in entries if not e.when]
    if since is not None:
        chosen = [e for e in chosen if e.when is None or e.when.date() >= since]
    seen: set[str] = set()
    unique = []
    for entry in chosen:  # the first entry of each key
        if entry.key and entry.key not in seen:
            seen.add(entry.key)
            unique.append(entry)
    return unique[:limit] if limit is not None else unique


def document_for(entry: Entry, feed: Feed) -> str:
    """An entry's full text as an HTML page of its own, for the same HTML path as any file."""
    esc = html.escape
    metas = []
    if entry.author:
        metas.append(f'<meta name="author" content="{esc(entry.author)}">')
    if entry.when:
        metas.append(f'<meta property="article:published_time" content="{entry.when.date().isoformat()}">')
    if feed.title:
        metas.append(f'<meta property="og:site_name" content="{esc(feed.title)}">')
    if entry.link:
        metas.append(f'<link rel="canonical" href="{esc(entry.link)}">')
    lang = f' lang="{esc(feed.language)}"' if feed.language else ""
    return (
        f'<!doctype html>\n<html{lang}>\n<head>\n<meta charset="utf-8">\n<title>{esc(entry.title)}</title>\n'
        + "".join(m + "\n" for m in metas)
        + f"</head>\n<body>\n<article>\n<h1>{esc(entry.title)}</h1>\n{entry.full_html}\n</article>\n</body>\n</html>\n"
    )


def word_count(fragment: str) -> int:
    return len(html.unescape(_TAG.sub(" ", fragment)).split())


def _full_text(*candidates: str) -> str:
    """The longest candidate, if it has enough words to be the article rather than a teaser."""
    best = _longest(*candidates)
    return best if word_count(best) > FULL_TEXT_WORDS else ""


def _longest(*candidates: str) -> str:
    return max(candidates, key=word_count, default="")


def _entry(item) -> Entry:
    contents = [c.get("value", "") for c in item.get("content", []) or []]
    # dict.get: feedparser's own get maps a missing 'updated' onto 'published', with a warning.
    when_struct = dict.get(item, "published_parsed") or dict.get(item, "updated_parsed")
    when = datetime.fromtimestamp(calendar.timegm(when_struct), timezone.utc) if when_struct else None
    link = item.get("link", "") or ""
    stamp = "|".join(filter(None, (dict.get(item, "published", ""), dict.get(item, "updated", ""))))
    return Entry(
        key=item.get("id") or link,
        title=_plain(item.get("title", "")) or link,
        link=link,
        when=when,
        stamp=stamp,
        full_html=_full_text(*contents, item.get("summary", "") or ""),
        author=item.get("author", "") or "",
        short_html=_longest(*contents, item.get("summary", "") or ""),
    )


def _json_feed(data: bytes, source: str) -> Feed:
    try:
        feed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise FetchError(f"{source}: not an RSS, Atom or JSON feed listen can read.") from exc
    if not isinstance(feed, dict) or "jsonfeed.org/version" not in str(feed.get("version", "")):
        raise FetchError(f"{source}: not an RSS, Atom or JSON feed listen can read.")
    entries = []
    for item in feed.get("items") or []:
        if not isinstance(item, dict):
            continue
        published = str(item.get("date_published") or "")
        modified = str(item.get("date_modified") or "")
        text = item.get("content_text") or ""
        text_html = "".join(f"<p>{html.escape(p.strip())}</p>" for p in re.split(r"\n\s*\n", text) if p.strip())
        texts = (str(item.get("content_html") or ""), text_html, str(item.get("summary") or ""))
        link = str(item.get("url") or item.get("external_url") or "")
        entries.append(
            Entry(
                key=str(item.get("id") or item.get("url") or ""),
                title=_plain(str(item.get("title") or "")) or str(item.get("url") or ""),
                link=urljoin(source, link) if link and "://" in source else link,
                when=_iso(published or modified),
                stamp="|".join(filter(None, (published, modified))),
                full_html=_full_text(*texts),
                author=_json_author(item) or _json_author(feed),
                short_html=_longest(*texts),
            )
        )
    return Feed(str(feed.get("title") or source), str(feed.get("language") or "")[:2].lower(), tuple(entries))


def _json_author(item: dict) -> str:
    authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
    names = [str(a.get("name")) for a in authors if isinstance(a, dict) and a.get("name")]
    return ", ".join(names)


def _iso(text: str) -> datetime | None:
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _plain(text: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", text)).split())
