"""A folder of articles as a list of summaries, fast enough for 10,000 files.

A summary needs the title, word count and language, which means reading each file once;
after that a small index in the user's cache dir, keyed by path + mtime + size, answers
without reading anything. HTML summaries use a light parse (the page's own title and text),
not the full extraction, so a first scan of thousands of pages stays quick.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC
from pathlib import Path

import platformdirs

from listen import atomic
from listen.articles.language import language_of
from listen.articles.load import FORMATS, load_article
from listen.articles.model import WORDS_PER_MINUTE
from listen.errors import ArticleError, ListenError

INDEX_VERSION = 3  # 3: summaries carry the article's own date
# The library filter searches title, standfirst and the opening of the text: enough to find
# an article by what it is about, while the index of 10,000 articles stays a few MB.
SEARCH_CHARS = 2000
_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class ArticleSummary:
    path: Path
    title: str
    words: int
    language: str
    modified: float
    standfirst: str = ""
    error: str = ""
    text: str = ""  # the opening of the body, for filtering
    date: str = ""  # the article's own date, as it gives it ("2024-03-05", "5 March 2024")

    @property
    def listening_minutes(self) -> float:
        return self.words / WORDS_PER_MINUTE


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


def scan_library(folder: Path | str, *, cache_dir: Path | None = None) -> list[ArticleSummary]:
    """Every article under `folder` (recursively), sorted by title; unreadable ones are skipped."""
    folder = Path(folder)
    if not folder.exists():
        raise ArticleError(f"{folder}: no such folder; check the path.")
    if not folder.is_dir():
        raise ArticleError(f"{folder} is a file; give a folder of articles (or use 'listen show').")
    index = LibraryIndex(cache_dir or Path(platformdirs.user_cache_dir("listen")))
    summaries = []
    for path, stat in article_files([folder]):
        summary = index.get(path, stat)
        if summary is None:
            summary = summarize(path, stat.st_mtime)
            index.put(path, stat, summary)
        if not summary.error:
            summaries.append(summary)
    index.save()
    return sorted(summaries, key=lambda s: (s.title.casefold(), str(s.path)))


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
    try:
        if FORMATS[path.suffix.lower()] == "html":
            return summarize_html(path, modified)
        article = load_article(path)
    except ListenError as error:
        return ArticleSummary(path, path.name, 0, "", modified, error=str(error))
    opening = " ".join(article.paragraphs)[:SEARCH_CHARS]
    return ArticleSummary(
        path, article.title, article.words, article.language, modified, article.standfirst, text=opening, date=article.date
    )


def summarize_html(path: Path, modified: float) -> ArticleSummary:
    from lxml import html as lxml_html

    from listen.articles.text import clean_line, read_text

    raw = read_text(path)
    title_match = _TITLE_TAG.search(raw)
    title = clean_line(title_match.group(1)) if title_match else path.stem
    try:
        tree = lxml_html.fromstring(raw)
        # The same preference as the full extraction: the page's own article title first.
        for found in (tree.xpath("//meta[@property='og:title']/@content"), tree.xpath("//h1")):
            if found:
                text = found[0] if isinstance(found[0], str) else found[0].text_content()
                if clean_line(text):
                    title = clean_line(text)
                    break
        dates = tree.xpath(
            "//meta[@property='article:published_time']/@content|//meta[@name='date']/@content|//time/@datetime"
        )
        date = clean_line(str(dates[0])) if dates else ""
        for junk in tree.xpath("//script|//style|//nav|//footer|//header"):
            junk.drop_tree()
        text = tree.text_content()
        declared = tree.get("lang", "") or ""
    except Exception:  # lxml raises several parser errors; a summary is best effort
        text, declared, date = raw, "", ""
    words = text.split()
    opening = " ".join(words)[:SEARCH_CHARS]
    return ArticleSummary(path, title, len(words), language_of(declared, text), modified, text=opening, date=date)


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
