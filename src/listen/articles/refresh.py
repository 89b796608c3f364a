"""Refreshing an article listen fetched: ask its page (or its feed) again, revalidating.

A page is asked with its ETag/Last-Modified through the usual fetch path, so a site that
has not changed answers 304 and nothing is downloaded; a feed entry is refreshed by reading
its feed again, which also brings the feed's new entries. Whatever happens, the copy the
user has is kept, and the outcome is one line the library can say: "Updated",
"Unchanged", "Offline: kept the copy from …", or why not. A user's own file has nothing to
refresh from, and says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from listen import atomic
from listen.articles.fetch import Origin, fetch, is_url, source_of
from listen.errors import ListenError

UPDATED, UNCHANGED, OFFLINE, FAILED, NOT_WEB = "updated", "unchanged", "offline", "failed", "not-web"


@dataclass(frozen=True)
class Refreshed:
    """What refreshing one article did, and the line that says so."""

    path: Path  # the copy now (a page whose address moved may be renamed)
    outcome: str  # UPDATED, UNCHANGED, OFFLINE, FAILED or NOT_WEB
    message: str
    new: int = 0  # articles a feed brought that were not there before


def refresh(path: Path | str) -> Refreshed:
    """Refresh the article at `path` from where it came; never raises for a network problem."""
    path = Path(path)
    origin = source_of(path)
    if not origin.url:
        return Refreshed(
            path, NOT_WEB, f"Refresh does not apply: {path.name} is a file on this computer, not a page or a feed."
        )
    if path.parent.parent.name == "entries" and origin.feed:
        return _refresh_entry(path, origin)
    return _refresh_page(path, origin)


def refresh_all(paths: Iterable[Path | str]) -> tuple[list[Refreshed], str]:
    """Refresh every fetched article among `paths` (each feed read once); the results and one line."""
    results: list[Refreshed] = []
    feeds_done: dict[str, Refreshed] = {}
    for path in paths:
        path = Path(path)
        origin = source_of(path)
        if not origin.url:
            continue
        if path.parent.parent.name == "entries" and origin.feed:
            if origin.feed in feeds_done:
                continue  # one reading of a feed refreshes all its entries
            feeds_done[origin.feed] = result = _refresh_entry(path, origin)
        else:
            result = _refresh_page(path, origin)
        results.append(result)
    return results, summary_line(results)


def summary_line(results: list[Refreshed]) -> str:
    """'Refreshed 4: 1 updated, 2 unchanged, 1 offline' (+ the first failure's reason)."""
    if not results:
        return "Nothing to refresh: every article here is a file on this computer."
    counts = {name: sum(r.outcome == name for r in results) for name in (UPDATED, UNCHANGED, OFFLINE, FAILED)}
    parts = [f"{n} {name}" for name, n in counts.items() if n]
    new = sum(r.new for r in results)
    line = f"Refreshed {len(results)}: " + ", ".join(parts)
    if new:
        line += f", {new} new from feeds"
    failed = next((r for r in results if r.outcome == FAILED), None)
    return line + (f". First problem: {failed.message}" if failed else "")


def _refresh_page(path: Path, origin: Origin) -> Refreshed:
    record = path.parent / "page.json"
    saved = record.read_text(encoding="utf-8")  # source_of just read it
    offline: list[str] = []
    try:
        page = fetch(origin.url, cache_dir=path.parent.parent, notify=offline.append)
    except ListenError as error:
        if not record.exists():  # a 404/410 forgets the address; the library keeps the copy and its origin
            try:
                atomic.write_text(record, saved)
            except ListenError:
                pass  # the copy stays readable; only its origin is lost
        return Refreshed(path, FAILED, f"{error} Kept the copy from {_when(origin.fetched, path)}.")
    if page.offline:
        return Refreshed(page.path, OFFLINE, f"Offline: kept the copy from {_when(origin.fetched, path)}.")
    return Refreshed(page.path, UPDATED if page.changed else UNCHANGED, "Updated" if page.changed else "Unchanged")


def _refresh_entry(path: Path, origin: Origin) -> Refreshed:
    """Read the entry's feed again (revalidated); the entry is rewritten only if it changed."""
    from listen.articles.library import web_copies
    from listen.articles.sources import PAGES_OR_FEEDS, expand

    root = path.parent.parent.parent
    before = _contents(path.parent)
    if is_url(origin.feed):
        offline: list[str] = []
        try:
            page = fetch(origin.feed, kinds=PAGES_OR_FEEDS, cache_dir=root / "pages", notify=offline.append)
        except ListenError as error:
            return Refreshed(path, FAILED, f"{error} Kept the copy from {_when('', path)}.")
        if page.offline:
            return Refreshed(path, OFFLINE, f"Offline: kept the copy from {_when('', path)}.")
    known = {p.parent for p, _ in web_copies(root)}  # an entry's folder keeps its name when its title changes
    result = expand([origin.feed], cache_dir=root, notify=lambda line: None)
    if result.failed and not result.paths:
        return Refreshed(path, FAILED, f"{result.failed[0][1]} Kept the copy from {_when('', path)}.")
    new = sum(1 for p in result.paths if p.parent not in known)  # full-text entries and linked pages alike
    now = next(iter(sorted(path.parent.glob("*.html"))), path)
    if now.exists() and now.parent == path.parent and _contents(path.parent) == before:
        message = "Unchanged" if not new else f"Unchanged; the feed brought {_articles(new)}"
        return Refreshed(now, UNCHANGED, message, new)
    if not now.exists():
        return Refreshed(
            path, FAILED, f"No longer in its feed {origin.feed}; kept the copy from {_when('', path)}.", new
        )
    message = "Updated" if not new else f"Updated; the feed brought {_articles(new)}"
    return Refreshed(now, UPDATED, message, new)


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.glob("*.html")}


def _articles(n: int) -> str:
    return f"{n} new article{'s' if n != 1 else ''}"


def _when(fetched: str, path: Path) -> str:
    """'2026-11-29 18:40 UTC': when the copy was fetched, else when the file was written."""
    if fetched:
        return fetched[:16].replace("T", " ") + " UTC"
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return "before"
    return datetime.fromtimestamp(stamp, timezone.utc).strftime("%Y-%m-%d %H:%M") + " UTC"
