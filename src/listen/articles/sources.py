"""What a "source" on the command line is: a file or folder, a URL, a feed, a URL list or '-'.

Everything is turned into files before the usual path takes over: a page is fetched into
the cache (fetch.py), a feed's entries become cached HTML files (one per entry, rewritten
only when the entry's content changes, so `build`'s manifest sees an unchanged file as
unchanged), standard input is read whole. The reader, `show`, `speak` and `build` then
load those files exactly as they load the user's own.

A URL list is a `.urls` file, or a `.txt` file whose every line (blank lines and `#`
comments aside) is an http(s) URL, given directly to `build`.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import BinaryIO

import platformdirs

from listen import atomic
from listen.articles.feeds import Entry, Feed, document_for, feed_from_json, feed_to_json, pick, read_feed
from listen.articles.fetch import MAX_BYTES, Notify, fetch, is_url, name_for, note_feed, to_stderr
from listen.articles.model import Article
from listen.articles.slug import slugify
from listen.errors import ArticleError, ListenError, UsageError

STDIN = "-"
INPUT_FORMATS = {"txt": "text", "md": "markdown", "html": "html"}
PAGES = frozenset({"html", "text", "markdown"})
PAGES_OR_FEEDS = PAGES | {"feed"}
FEED_SUFFIXES = (".rss", ".atom", ".xml", ".json", ".feed")
URL_LIST_SUFFIX = ".urls"


def open_article(
    source: str, *, fmt: str | None = None, stdin: BinaryIO | None = None, notify: Notify = to_stderr
) -> Article:
    """One article from a path, a URL or '-' (standard input), for `show` and `speak`."""
    from listen.articles.load import load_article, parse_article

    if source == STDIN:
        text = read_stdin(stdin)
        return parse_article(text, INPUT_FORMATS[fmt] if fmt else guess_format(text))
    if is_url(source):
        return load_article(fetch(source, kinds=PAGES, notify=notify).path)
    return load_article(source)


def local_copy(
    source: str, *, fmt: str | None = None, stdin: BinaryIO | None = None, notify: Notify = to_stderr
) -> Path:
    """A file (or folder) the reader can open: a URL's cached copy, standard input saved, or the path."""
    if source == STDIN:
        text = read_stdin(stdin)
        kind = INPUT_FORMATS[fmt] if fmt else guess_format(text)
        suffix = {"text": ".txt", "markdown": ".md", "html": ".html"}[kind]
        dest = cache_root() / "stdin" / f"standard-input{suffix}"
        atomic.write_text(dest, text)
        return dest
    if is_url(source):
        return fetch(source, kinds=PAGES, notify=notify).path
    return Path(source)


def read_stdin(stream: BinaryIO | None = None) -> str:
    """Standard input, whole, decoded and cleaned; one line if there is none."""
    from listen.articles.text import decode

    if stream is None:
        if sys.stdin is None or sys.stdin.isatty():
            raise UsageError("'-' reads an article from standard input; pipe one in, e.g. curl -s URL | listen speak -")
        stream = sys.stdin.buffer
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ArticleError(f"standard input: more than {MAX_BYTES // (1024 * 1024)} MB, too large for an article.")
    text = decode(data, "standard input")  # cleaned by the loader, which knows the format
    if not text.strip():
        raise ArticleError("standard input is empty; there is no article text to read.")
    return text


def guess_format(text: str) -> str:
    """'html' for a page, 'markdown' for front matter or '#' headings, else 'text'."""
    head = text.lstrip()[:1000].lower()
    if head.startswith(("<!doctype", "<html")) or "<html" in head or ("<body" in head and "</" in head):
        return "html"
    if head.startswith("---\n") or any(line.startswith(("# ", "## ")) for line in text.splitlines()[:200]):
        return "markdown"
    return "text"


@dataclass
class Expanded:
    """Article files to build, in order, and the sources that failed (source, one-line reason)."""

    paths: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def expand(
    sources: list[str],
    *,
    limit: int | None = None,
    since: date | None = None,
    notify: Notify = to_stderr,
    cache_dir: Path | None = None,
) -> Expanded:
    """Files and folders pass through; URLs, feeds and URL lists become cached article files.

    A failure of one page or entry is recorded and the rest go on, as in any batch; a feed
    that cannot be read at all is one failure.
    """
    result = Expanded()
    root = cache_dir or cache_root()
    for source in sources:
        if source == STDIN:
            raise UsageError(
                "build reads files, folders, URLs and feeds; to narrate standard input use 'listen speak -'."
            )
        try:
            if is_url(source):
                _add_url(source, result, root, limit, since, notify)
                continue
            path = Path(source)
            if path.is_file() and is_url_list(path):
                for url in urls_in(path):
                    try:
                        _add_url(url, result, root, limit, since, notify)
                    except ListenError as error:
                        result.failed.append((url, str(error)))
            elif path.is_file() and path.suffix.lower() in FEED_SUFFIXES:
                key = str(path.resolve())
                _add_feed(parsed_feed(path, key, root / "feeds"), key, result, root, limit, since, notify)
            else:
                result.paths.append(path)
        except ListenError as error:
            result.failed.append((source, str(error)))
    return result


def is_url_list(path: Path) -> bool:
    if path.suffix.lower() == URL_LIST_SUFFIX:
        return True
    if path.suffix.lower() != ".txt" or path.stat().st_size > 1024 * 1024:
        return False
    try:
        lines = _meaningful_lines(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return False
    return bool(lines) and all(is_url(line) and " " not in line for line in lines)


def urls_in(path: Path) -> list[str]:
    try:
        lines = _meaningful_lines(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ArticleError(f"{path}: cannot read this list of URLs ({exc.__class__.__name__}).") from exc
    bad = [line for line in lines if not is_url(line)]
    if bad:
        raise ArticleError(f"{path}: '{bad[0][:60]}' is not an http(s) URL; a URL list holds one URL per line.")
    return list(dict.fromkeys(lines))


def _meaningful_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


def cache_root() -> Path:
    return Path(platformdirs.user_cache_dir("listen"))


def _add_url(url: str, result: Expanded, root: Path, limit, since, notify: Notify) -> None:
    page = fetch(url, kinds=PAGES_OR_FEEDS, cache_dir=root / "pages", notify=notify)
    if page.kind == "feed":
        _add_feed(parsed_feed(page.path, url, root / "feeds"), url, result, root, limit, since, notify)
    else:
        result.paths.append(page.path)


def _add_feed(feed: Feed, feed_key: str, result: Expanded, root: Path, limit, since, notify: Notify) -> None:
    """Each chosen entry as a file: its full text written out, or its linked page fetched."""
    chosen = pick(feed.entries, limit=limit, since=since)
    if not chosen:
        result.notes.append(f"{feed_key}: no entries{' since ' + since.isoformat() if since else ''}.")
        return
    state = FeedState(root / "feeds", feed_key)
    for entry in chosen:
        try:
            if entry.full_html:
                result.paths.append(write_entry(entry, feed, feed_key, root / "entries"))
            elif entry.link and is_url(entry.link):
                seen = state.stamp(entry.key) == entry.stamp and bool(entry.stamp)
                page = fetch(entry.link, kinds=PAGES, cache_dir=root / "pages", revalidate=not seen, notify=notify)
                note_feed(page.path, feed_key)
                result.paths.append(page.path)
            elif entry.short_html:  # a short note with no page of its own: its text is all there is
                result.paths.append(
                    write_entry(replace(entry, full_html=entry.short_html), feed, feed_key, root / "entries")
                )
            else:
                raise ArticleError(f"{feed_key}: the entry '{entry.title[:60]}' has neither its text nor a link.")
            state.remember(entry.key, entry.stamp)
        except ListenError as error:
            result.failed.append((entry.link or entry.title, str(error)))
    state.save()


def parsed_feed(path: Path, source: str, root: Path) -> Feed:
    """The feed in `path`, parsed, or as parsed last time when its bytes are the same."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    kept = root / f"{hashlib.sha256(source.encode()).hexdigest()[:24]}.parsed.json"
    try:
        saved = json.loads(kept.read_text(encoding="utf-8"))
        if saved.get("digest") == digest:
            return feed_from_json(saved["feed"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    feed = read_feed(data, source)
    try:
        atomic.write_text(kept, json.dumps({"digest": digest, "feed": feed_to_json(feed)}))
    except ListenError:
        pass  # only saves parsing next time
    return feed


def write_entry(entry: Entry, feed: Feed, feed_key: str, root: Path) -> Path:
    """The entry's HTML file, keyed by feed and entry id; rewritten only when its bytes change."""
    folder = root / hashlib.sha256(f"{feed_key}\n{entry.key}".encode()).hexdigest()[:24]
    name = (name_for(entry.link) if entry.link else "") or slugify(entry.title)
    if name in ("article", "") or name == name_for(feed_key):
        name = slugify(entry.title)
    dest = folder / f"{name}.html"
    data = document_for(entry, feed).encode("utf-8")
    if not (dest.is_file() and dest.read_bytes() == data):
        for old in folder.glob("*.html"):
            if old != dest:
                old.unlink(missing_ok=True)
        atomic.write_bytes(dest, data)
        record = {"url": entry.link or feed_key, "file": dest.name, "kind": "html", "feed": feed_key, "id": entry.key}
        atomic.write_text(folder / "page.json", json.dumps(record, indent=1))
    return dest


class FeedState:
    """What each entry's dates were when we last fetched its page: unchanged → no request."""

    def __init__(self, root: Path, feed_key: str) -> None:
        self.path = root / f"{hashlib.sha256(feed_key.encode()).hexdigest()[:24]}.json"
        try:
            self.stamps: dict[str, str] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.stamps = {}
        self.dirty = False

    def stamp(self, key: str) -> str | None:
        return self.stamps.get(key)

    def remember(self, key: str, stamp: str) -> None:
        if self.stamps.get(key) != stamp:
            self.stamps[key] = stamp
            self.dirty = True

    def save(self) -> None:
        if self.dirty:
            try:
                atomic.write_text(self.path, json.dumps(self.stamps, indent=0, sort_keys=True))
            except ListenError:
                pass  # only saves requests next time; a read-only cache must not fail the build
