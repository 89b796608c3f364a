"""Pages and feeds from the web, fetched politely and kept in listen's cache.

One request per page, with an honest User-Agent, connect and read timeouts, at most five
redirects and a streamed size cap. Each copy is kept in the cache dir with the URL it came
from and its ETag/Last-Modified, so opening it again revalidates (a 304 reuses the copy) and,
when the network is down, the copy is used and the user is told how old it is. Text is
stored decoded as UTF-8 (from the header's charset, else the page's own, else listen's
guess); feeds are stored as the bytes they came as, for feedparser to decode.
Every failure is one line: a FetchError.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit

import platformdirs

from listen import __version__, atomic
from listen.articles.slug import slugify
from listen.errors import FetchError, ListenError
from listen.retry_after import retry_after_seconds

USER_AGENT = f"listen/{__version__} (a terminal article reader and narrator; fetches only what its user opens)"
TIMEOUT = (10.0, 30.0)  # seconds to connect, seconds between bytes
MAX_REDIRECTS = 5
MAX_BYTES = 10 * 1024 * 1024
MAX_RETRY_WAIT = 10.0  # a 429 asking for at most this many seconds is waited out, once
CHUNK = 64 * 1024

# Content types we read, by kind; the suffix is what the cached copy is named with.
PAGE_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
}
FEED_TYPES = {
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/feed+json": "feed",
    "application/json": "feed",
    "application/xml": "feed",
    "text/xml": "feed",
    "application/rdf+xml": "feed",
}
SUFFIXES = {"html": ".html", "text": ".txt", "markdown": ".md", "feed": ".feed"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)

Notify = Callable[[str], None]


def to_stderr(line: str) -> None:
    print(f"listen: {line}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Page:
    """A cached copy of what a URL served."""

    url: str  # as asked for
    final_url: str  # after redirects
    path: Path  # the copy: UTF-8 text, or a feed's own bytes
    kind: str  # 'html', 'text', 'markdown' or 'feed'
    fetched: str  # when the copy was made or last confirmed current (ISO 8601, UTC)
    etag: str = ""
    last_modified: str = ""
    offline: bool = False  # served from the cache because the network failed
    changed: bool = True  # False when a 304 (or no request at all) reused the copy


def fetch(
    url: str,
    *,
    kinds: frozenset[str] = frozenset({"html", "text", "markdown"}),
    cache_dir: Path | None = None,
    revalidate: bool = True,
    notify: Notify = to_stderr,
) -> Page:
    """The page at `url`, from the cache when it is current, else from the network.

    `revalidate=False` trusts a cached copy without asking (a feed entry whose date did not
    change); otherwise a cached copy is revalidated with If-None-Match/If-Modified-Since.
    """
    check_url(url)
    store = PageCache(cache_dir or default_cache_dir(), url)
    cached = store.load()
    if cached is not None and not revalidate:
        return cached_copy(cached, changed=False)
    try:
        return _fetch(url, store, cached, kinds)
    except _Unreachable as problem:
        if cached is None:
            raise FetchError(f"{url}: {problem}") from problem.__cause__
        notify(f"offline: using the copy from {cached.fetched[:16].replace('T', ' ')} UTC ({problem}).")
        return cached_copy(cached, changed=False, offline=True)


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{url}: listen opens http:// and https:// addresses only.")


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir("listen")) / "pages"


def cached_copy(page: Page, *, changed: bool, offline: bool = False) -> Page:
    from dataclasses import replace

    return replace(page, changed=changed, offline=offline)


class _Unreachable(Exception):
    """The network failed in a way a cached copy can stand in for."""


def _fetch(url: str, store: "PageCache", cached: Page | None, kinds: frozenset[str]) -> Page:
    import requests  # ~0.1 s; only fetching needs it

    http = requests.Session()
    http.max_redirects = MAX_REDIRECTS
    headers = {"User-Agent": USER_AGENT, "Accept": accept_header(kinds), "Accept-Encoding": "gzip, deflate"}
    if cached is not None:
        if cached.etag:
            headers["If-None-Match"] = cached.etag
        if cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified
    try:
        for attempt in (1, 2):
            response = _get(http, url, headers)
            if response.status_code != 429:
                break
            wait = retry_after(response.headers.get("Retry-After"))
            response.close()
            if attempt == 2 or wait is None or wait > MAX_RETRY_WAIT:
                when = "later" if wait is None else f"after {_clock(time.time() + wait)} UTC"
                raise _Unreachable(f"the site asks listen to slow down (429 Too Many Requests); try again {when}")
            time.sleep(wait)
        with response:
            return _keep(url, response, store, cached, kinds)
    finally:
        http.close()


def _get(http, url: str, headers: dict[str, str]):
    import requests

    try:
        return http.get(url, headers=headers, timeout=TIMEOUT, stream=True, allow_redirects=True)
    except requests.exceptions.SSLError as exc:
        raise FetchError(
            f"{url}: the secure connection failed (TLS: {_reason(exc)}); check the address or the system's certificates."
        ) from exc
    except requests.exceptions.TooManyRedirects as exc:
        raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects; the address loops or moved too often.") from exc
    except requests.exceptions.Timeout as exc:
        raise _Unreachable(f"no answer within {TIMEOUT[1]:.0f} s") from exc
    except requests.exceptions.ConnectionError as exc:
        if _is_dns(exc):
            raise _Unreachable(
                f"cannot find the host {urlsplit(url).hostname} (offline, or a typo in the address?)"
            ) from exc
        raise _Unreachable("cannot connect (offline, or the site is down?)") from exc
    except requests.exceptions.InvalidURL as exc:
        raise FetchError(f"{url}: not a valid address.") from exc
    except requests.exceptions.RequestException as exc:
        raise _Unreachable(f"the request failed ({exc.__class__.__name__})") from exc


def _keep(url: str, response, store: "PageCache", cached: Page | None, kinds: frozenset[str]) -> Page:
    import requests

    status = response.status_code
    if status == 304 and cached is not None:
        return store.confirm(cached)
    if status in (404, 410):
        store.forget()
        raise FetchError(f"{url}: {'not found (404)' if status == 404 else 'gone (410)'}; check the address.")
    if status in (401, 403):
        raise FetchError(
            f"{url}: the site refused ({status} {response.reason or 'Forbidden'}); "
            "open it in a browser, save the page and give listen the file."
        )
    if status >= 500:
        raise _Unreachable(f"the site failed ({status} {response.reason or 'Server Error'})")
    if status >= 400:
        raise FetchError(f"{url}: the site answered {status} {response.reason or ''}".rstrip() + ".")
    media, charset = content_type(response.headers.get("Content-Type", ""))
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > MAX_BYTES:
        raise FetchError(
            f"{url}: {_megabytes(int(length))} is too large (listen fetches at most {_megabytes(MAX_BYTES)})."
        )
    try:
        data = read_capped(response, url)
    except requests.exceptions.RequestException as exc:
        raise _Unreachable("the connection broke while reading") from exc
    kind = kind_of(media, data, kinds)
    if kind == "feed" and kind not in kinds:
        raise FetchError(f"{url}: this is a feed, not an article; narrate its articles with 'listen build {url}'.")
    if kind not in kinds:
        wanted = "a feed" if kinds == {"feed"} else "a web page or text"
        raise FetchError(f"{url}: this is {media or 'of no stated type'}, not {wanted}; listen cannot read it.")
    if kind != "feed":
        data = text_of(data, charset, kind, url).encode("utf-8")
    return store.save(
        data,
        kind=kind,
        final_url=response.url or url,
        etag=response.headers.get("ETag", ""),
        last_modified=response.headers.get("Last-Modified", ""),
    )


def read_capped(response, url: str) -> bytes:
    """The body, streamed; more than MAX_BYTES (after decompression) is refused."""
    parts: list[bytes] = []
    size = 0
    for chunk in response.iter_content(CHUNK):
        size += len(chunk)
        if size > MAX_BYTES:
            raise FetchError(
                f"{url}: more than {_megabytes(MAX_BYTES)}, too large for an article; save the part you want."
            )
        parts.append(chunk)
    return b"".join(parts)


def content_type(header: str) -> tuple[str, str]:
    """'text/html; charset=ISO-8859-1' → ('text/html', 'iso-8859-1')."""
    media, _, params = header.partition(";")
    charset = ""
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower()
    return media.strip().lower(), charset


def kind_of(media: str, data: bytes, kinds: frozenset[str]) -> str:
    """What the body is: by its declared type, sniffed when the type is missing or generic."""
    if media in PAGE_TYPES:
        kind = PAGE_TYPES[media]
        if kind in ("text", "html") and _looks_like_feed(data) and not _looks_like_html(data):
            return "feed"  # small sites serve feeds as text/plain or even text/html
        return kind
    if media in FEED_TYPES or media.endswith(("+xml", "+json")):
        if media in ("application/xml", "text/xml") and _looks_like_html(data):
            return "html"
        return "feed" if "feed" in kinds or _looks_like_feed(data) else media
    if media in ("", "application/octet-stream", "binary/octet-stream"):
        if _looks_like_feed(data):
            return "feed"
        if _looks_like_html(data):
            return "html"
    return media or "unknown"


def _looks_like_feed(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return (
        b"<rss" in head
        or b"<feed" in head
        or b"<rdf:rdf" in head
        or (head.startswith(b"{") and b"jsonfeed.org/version" in head)
    )


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def text_of(data: bytes, charset: str, kind: str, url: str) -> str:
    """Decode by the header's charset, else (HTML) the page's meta charset, else listen's guess."""
    if not charset and kind == "html" and (found := _META_CHARSET.search(data[:4096])):
        charset = found.group(1).decode("ascii").lower()
    if charset and charset not in ("utf-8", "utf8"):
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown label: fall back to the guess below
    from listen.articles.text import decode  # its guessers (chardet, ftfy) only when a page needs them

    return decode(data, url)


def accept_header(kinds: frozenset[str]) -> str:
    types = [t for t, k in PAGE_TYPES.items() if k in kinds]
    if "feed" in kinds:
        types += ["application/rss+xml", "application/atom+xml", "application/feed+json", "application/xml;q=0.9"]
    return ", ".join(types + ["*/*;q=0.1"])


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), None if absent or bad."""
    return retry_after_seconds(value)


def _clock(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%d %H:%M")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size} bytes"


def _is_dns(exc: BaseException) -> bool:
    import socket

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, socket.gaierror) or "NameResolution" in type(seen).__name__:
            return True
        for arg in getattr(seen, "args", ()):
            if isinstance(arg, BaseException) and _is_dns(arg):
                return True
        seen = seen.__cause__ or seen.__context__
    return False


def _reason(exc: BaseException) -> str:
    text = str(exc)
    for marker in (
        "CERTIFICATE_VERIFY_FAILED",
        "certificate verify failed",
        "WRONG_VERSION_NUMBER",
        "hostname mismatch",
    ):
        if marker in text:
            return marker.lower().replace("_", " ")
    return "handshake failed"


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class PageCache:
    """One URL's copy: a folder named after the URL's hash, holding page.json and the body.

    The body is named after the URL's last path segment (so a narrated MP3 gets a readable
    name) with the suffix of its kind.
    """

    def __init__(self, root: Path, url: str) -> None:
        self.url = url
        self.folder = Path(root) / hashlib.sha256(url.encode("utf-8")).hexdigest()[:24]
        self.meta = self.folder / "page.json"

    def load(self) -> Page | None:
        try:
            data = json.loads(self.meta.read_text(encoding="utf-8"))
            page = Page(
                url=data["url"],
                final_url=data.get("final_url", data["url"]),
                path=self.folder / data["file"],
                kind=data["kind"],
                fetched=data["fetched"],
                etag=data.get("etag", ""),
                last_modified=data.get("last_modified", ""),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return page if page.url == self.url and page.path.is_file() else None

    def save(self, data: bytes, *, kind: str, final_url: str, etag: str, last_modified: str) -> Page:
        name = name_for(final_url) + SUFFIXES.get(kind, ".bin")
        body = self.folder / name
        changed = not (body.is_file() and body.read_bytes() == data)
        if changed:
            for old in self.folder.glob("*"):
                if old.name != "page.json" and old.name != name and not old.name.startswith("."):
                    old.unlink(missing_ok=True)
            atomic.write_bytes(body, data)
        page = Page(self.url, final_url, body, kind, _now(), etag, last_modified, changed=changed)
        self._write(page)
        return page

    def confirm(self, page: Page) -> Page:
        """A 304: the copy is current; only the date it was confirmed changes."""
        from dataclasses import replace

        page = replace(page, fetched=_now(), changed=False)
        self._write(page)
        return page

    def forget(self) -> None:
        self.meta.unlink(missing_ok=True)

    def _write(self, page: Page) -> None:
        kept = _record(self.meta)
        record = {
            "url": page.url,
            "final_url": page.final_url,
            "file": page.path.name,
            "kind": page.kind,
            "fetched": page.fetched,
            "etag": page.etag,
            "last_modified": page.last_modified,
        }
        if kept.get("feed"):  # a feed entry's page stays known as the feed's when revalidated
            record["feed"] = kept["feed"]
        atomic.write_text(self.meta, json.dumps(record, indent=1))


def name_for(url: str) -> str:
    """'https://example.org/2024/05/night-bus.html?x=1' → 'night-bus'; a bare host names itself."""
    parts = urlsplit(url)
    segments = [s for s in unquote(parts.path).split("/") if s]
    stem = segments[-1].rsplit(".", 1)[0] if segments else ""
    if stem.lower() in ("index", "default", "feed", "rss", "atom") and len(segments) > 1:
        stem = f"{segments[-2]}-{stem}"
    return slugify(stem or (parts.hostname or "page").removeprefix("www."))


def origin_of(path: Path) -> str | None:
    """The URL a cached copy came from, or None for a file the user keeps themselves."""
    meta = Path(path).parent / "page.json"
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data.get("url") if isinstance(data, dict) and data.get("file") == Path(path).name else None


@dataclass(frozen=True)
class Origin:
    """Where a file came from, as its cache record says: a page's URL, a feed, or neither."""

    url: str = ""
    feed: str = ""
    fetched: str = ""  # when the copy was made or last confirmed (ISO 8601, UTC); "" if unknown


def source_of(path: Path) -> Origin:
    """The origin of `path`: the page.json beside a cached copy names it; a user's file has none."""
    data = _record(Path(path).parent / "page.json")
    if data.get("file") != Path(path).name:
        return Origin()
    return Origin(str(data.get("url") or ""), str(data.get("feed") or ""), str(data.get("fetched") or ""))


def note_feed(path: Path, feed: str) -> None:
    """Record that the cached page at `path` is an entry of `feed` (a page fetched from a feed's link)."""
    meta = Path(path).parent / "page.json"
    data = _record(meta)
    if data.get("file") == Path(path).name and data.get("feed") != feed:
        data["feed"] = feed
        try:
            atomic.write_text(meta, json.dumps(data, indent=1))
        except ListenError:
            pass  # only the library's origin column depends on it; a read-only cache must not fail a build


def _record(meta: Path) -> dict:
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
