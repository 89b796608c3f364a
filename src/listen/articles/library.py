"""A folder of articles as a list of summaries, fast enough for 10,000 files.

A summary needs the title, word count and language, which means reading each file once;
after that a small index in the user's cache dir, keyed by path + mtime + size, answers
without reading anything. Every summary comes from the same load as `listen show` (for a
page, the full extraction), so the list, the reader's library and `show` agree on title,
words and minutes; a file `show` refuses is summarised as refused, with the reason.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC
from pathlib import Path

import platformdirs

from listen import atomic
from listen.articles.fetch import source_of
from listen.articles.load import FORMATS, load_article
from listen.articles.model import WORDS_PER_MINUTE
from listen.errors import ArticleError, ListenError

INDEX_VERSION = 5  # 3: pages summarised by the full extraction; 4: the article's own date; 5: its origin
# The library filter searches title, standfirst and the opening of the text: enough to find
# an article by what it is about, while the index of 10,000 articles stays a few MB.
SEARCH_CHARS = 2000


@dataclass(frozen=True)
class ArticleSummary:
    path: Path
    title: str
    words: int
    language: str
    modified: float
    standfirst: str = ""
    error: str = ""  # why `show` refuses this file; such a summary is a refused row
    text: str = ""  # the opening of the body, for filtering
    date: str = ""  # the article's own date, as it gives it ("2024-03-05", "5 March 2024")
    url: str = ""  # the address the copy was fetched from; "" for the user's own file
    feed: str = ""  # the feed (URL, or a feed file's path) the article came through, if any

    @property
    def listening_minutes(self) -> float:
        return self.words / WORDS_PER_MINUTE

    @property
    def origin(self) -> str:
        """'feed', 'url' or 'file': what the library says the article came from."""
        return "feed" if self.feed else "url" if self.url else "file"

    @property
    def refused(self) -> bool:
        return bool(self.error)

    @property
    def refusal(self) -> str:
        """Why the file is refused, without the path the error message starts with
        ("PATH: no text" and "PATH looks like a binary file" alike)."""
        path = str(self.path)
        return self.error[len(path) :].lstrip(":").strip() if self.error.startswith(path) else self.error


def sort_date(summary: ArticleSummary) -> float:
    """When the article is from, for "newest first": its own date if it gives one that reads as
    a date, else the file's modification time (a copy made today is not today's news)."""
    written = getattr(summary, "date", "")  # rows from an older index, or a test's own, may lack it
    if written:
        from datetime import datetime

        from dateutil import parser

        try:
            when = parser.parse(written, default=datetime(2000, 1, 1), fuzzy=True)
        except (ValueError, OverflowError):
            return float(summary.modified or 0)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return when.timestamp()
    return float(summary.modified or 0)


def scan_library(
    folder: Path | str,
    *,
    cache_dir: Path | None = None,
    include_refused: bool = False,
    web: Path | None = None,
    feeds: bool = False,
) -> list[ArticleSummary]:
    """Every article under `folder` (recursively), sorted by title.

    Files `show` would refuse are left out, or with `include_refused` kept as refused rows
    (`summary.refused`, `summary.refusal` says why), so a list can say what it could not read.
    With `web` (listen's cache root), the pages listen fetched to be read join the list, each
    with its origin, so they can be found and refreshed like any article. Feed entries (and
    the pages fetched for them) join only with `feeds` too: a volunteer's feed of hundreds of
    episodes must not bury every folder's own articles.
    """
    folder = Path(folder)
    if not folder.exists():
        raise ArticleError(f"{folder}: no such folder; check the path.")
    if not folder.is_dir():
        raise ArticleError(f"{folder} is a file; give a folder of articles (or use 'listen show').")
    index = LibraryIndex(cache_dir or Path(platformdirs.user_cache_dir("listen")))
    summaries = []
    seen: set[Path] = set()
    for path, stat in [*article_files([folder]), *web_copies(web, feeds=feeds)]:
        if web is not None:  # the folder may itself be inside the cache: list each file once
            resolved = path.resolve()
            if resolved in seen:
                continue
            seen.add(resolved)
        summary = index.get(path, stat)
        if summary is None:
            summary = summarize(path, stat.st_mtime)
            index.put(path, stat, summary)
        if include_refused or not summary.error:
            summaries.append(summary)
    index.save()
    return sorted(summaries, key=lambda s: (s.title.casefold(), str(s.path)))


WEB_FOLDERS = ("pages", "entries")  # under listen's cache root: fetched pages, feed entries written out


def web_copies(root: Path | None, *, feeds: bool = True) -> Iterator[tuple[Path, os.stat_result]]:
    """The article copies listen fetched under the cache `root`: only those a page.json names,
    and, unless `feeds`, only those fetched to be read (not a feed's entries or their pages)."""
    if root is None:
        return
    folders = [Path(root, name) for name in WEB_FOLDERS if Path(root, name).is_dir()]
    for path, stat in article_files(folders):
        origin = source_of(path)
        if origin.url and (feeds or not origin.feed):
            yield path, stat


def article_files(paths: Iterable[Path]) -> Iterator[tuple[Path, os.stat_result]]:
    """Files we read under each path, in a stable order, with their stat; hidden files skipped."""
    for root in paths:
        if root.is_file():
            yield root, root.stat()
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith(".") or Path(name).suffix.lower() not in FORMATS:
                    continue
                path = Path(dirpath, name)
                try:
                    yield path, path.stat()
                except OSError:
                    continue


def summarize(path: Path, modified: float) -> ArticleSummary:
    """The summary of one file, from the very Article `listen show` would print."""
    came = source_of(path)
    try:
        article = load_article(path)
    except ListenError as error:
        return ArticleSummary(path, path.name, 0, "", modified, error=str(error), url=came.url, feed=came.feed)
    opening = " ".join(article.paragraphs)[:SEARCH_CHARS]
    return ArticleSummary(
        path,
        article.title,
        article.words,
        article.language,
        modified,
        article.standfirst,
        text=opening,
        date=article.date,
        url=came.url,
        feed=came.feed,
    )


class LibraryIndex:
    """A JSON file of summaries keyed by path; an entry counts only if mtime and size match."""

    def __init__(self, cache_dir: Path) -> None:
        self.path = Path(cache_dir) / "library-index.json"
        self.entries: dict[str, dict] = {}
        self.changed = False
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") == INDEX_VERSION:
                self.entries = data["entries"]
        except (OSError, ValueError, KeyError, AttributeError):
            self.entries = {}

    def get(self, path: Path, stat: os.stat_result) -> ArticleSummary | None:
        entry = self.entries.get(str(path.resolve()))
        if not entry or entry["mtime_ns"] != stat.st_mtime_ns or entry["size"] != stat.st_size:
            return None
        fields = dict(entry["summary"])
        fields["path"] = path
        return ArticleSummary(**fields)

    def put(self, path: Path, stat: os.stat_result, summary: ArticleSummary) -> None:
        fields = asdict(summary)
        fields["path"] = str(path)
        self.entries[str(path.resolve())] = {"mtime_ns": stat.st_mtime_ns, "size": stat.st_size, "summary": fields}
        self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        try:
            atomic.write_text(self.path, json.dumps({"version": INDEX_VERSION, "entries": self.entries}))
        except ListenError:
            pass  # the index is only a speed-up; a read-only cache dir must not stop the reader
        self.changed = False
