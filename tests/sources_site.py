"""A small website on 127.0.0.1 for the sources tests: pages, a 20-entry feed, and every way a
site lets a reader down (redirects, 404/410/403, 429, slow, huge, not HTML, ETags).

All text here was written for these tests. `no_other_hosts` makes sure nothing a test does
reaches any address but the loopback one.
"""

from __future__ import annotations

import hashlib
import html
import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

TOPICS = [
    (
        "The night bus learns a new route",
        "night-bus",
        "The number 14 night bus now turns left at the old tannery instead of crawling up Mill Lane. "
        "Drivers asked for the change after three winters of scraping the wing mirror on the chemist's sign.",
    ),
    (
        "Allotment waiting list shrinks at last",
        "allotments",
        "Forty households waited for a plot at Ferry Fields last spring; this spring the list holds nine. "
        "The council split six overgrown plots into halves and nobody has complained about the smaller beds.",
    ),
    (
        "A library that lends tools",
        "tool-library",
        "The branch library on Quay Street keeps a shelf of drills, ladders and a wallpaper steamer. "
        "Borrowers sign for them like books, and the steamer has a waiting list longer than any novel.",
    ),
    (
        "Why the river smelled in August",
        "river-smell",
        "Low water and a week of heat let weed rot along the shallows below the weir. "
        "The water board says nothing leaked, and the smell went with the first proper rain.",
    ),
    (
        "The bakery that opens at four",
        "bakery",
        "Marta Kowalczyk starts the ovens at four so the hospital's night shift can buy bread on the way home. "
        "She sells out of rye by seven and refuses, politely, to bake more of it.",
    ),
]
FILLER = [
    "Nobody at the meeting could remember who first suggested it, which is usually a good sign.",
    "A few residents wrote to say they had not been asked, and they were given a date for the next session.",
    "The figures were checked twice, once by the treasurer and once by a retired bookkeeper who volunteered.",
    "Children from the primary school drew the posters, and the spelling was mostly theirs.",
    "Parking remains the sore point, as it has been for every change on that side of town since the seventies.",
    "A trial of six months was agreed, with a review in the spring when the evenings are lighter.",
    "The local paper ran a photograph of the wrong street, which prompted more letters than the plan itself.",
    "Volunteers will be at the market hall on Saturday mornings to answer questions in person.",
]


def paragraphs(n: int, seed: int) -> list[str]:
    """n paragraphs of three sentences each, varied by seed so every entry reads differently."""
    out = []
    for i in range(n):
        picks = [FILLER[(seed * 3 + i * 2 + k) % len(FILLER)] for k in range(3)]
        out.append(f"Part {i + 1} of the story: " + " ".join(picks))
    return out


def article_page(title: str, lede: str, body: list[str], *, lang: str = "en", charset: str = "utf-8") -> str:
    """A page as sites really serve them: navigation, cookie banner, share buttons, a footer."""
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in [lede, *body])
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="{charset}"><title>{html.escape(title)} | Ferry Fields Courier</title>
<meta property="og:title" content="{html.escape(title)}"><meta name="author" content="Priya Natarajan">
<script>window.dataLayer=[];</script></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a> <a href="/login">Sign in</a></nav>
<div class="cookie">We use cookies to improve your experience. <button>Accept all</button></div>
<main><article><h1>{html.escape(title)}</h1><p class="byline">By Priya Natarajan</p>
{paras}
<h2>What happens next</h2><p>{html.escape(FILLER[1])} {html.escape(FILLER[5])}</p>
</article></main>
<aside><h3>Most read</h3><ul><li><a href="/x">Council tax explained</a></li></ul></aside>
<footer>© Ferry Fields Courier. All rights reserved. <a href="/privacy">Privacy</a></footer></body></html>"""


class Site:
    """The server and what it serves: path → handler(request) returning (status, headers, body)."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable] = {}
        self.hits: Counter[str] = Counter()
        self.headers_seen: dict[str, dict[str, str]] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                path = self.path.split("?")[0]
                site.hits[path] += 1
                site.headers_seen[path] = dict(self.headers.items())
                route = site.routes.get(path)
                if route is None:
                    self._send(404, {"Content-Type": "text/html"}, b"<h1>Not here</h1>")
                    return
                result = route(self)
                if result is not None:
                    self._send(*result)

            def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in headers and status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False

        self.server = Server(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def page(
        self, path: str, body: str | bytes, content_type: str = "text/html; charset=utf-8", etag: bool = True
    ) -> None:
        """Serve `body`, with an ETag and 304s for a matching If-None-Match."""
        data = body.encode("utf-8") if isinstance(body, str) else body

        def handler(request):
            tag = '"' + hashlib.sha1(self.current[path]).hexdigest()[:12] + '"'
            headers = {"Content-Type": content_type}
            if etag:
                headers["ETag"] = tag
                if request.headers.get("If-None-Match") == tag:
                    return 304, headers, b""
            return 200, headers, self.current[path]

        self.current = getattr(self, "current", {})
        self.current[path] = data
        self.routes[path] = handler

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def feed_entries(site: Site, count: int = 20, *, full_every: int = 2) -> list[dict]:
    """count entries, newest first in time but shuffled in the feed; every full_every-th carries
    its full text (content:encoded), the others only a teaser and a link to a page on the site."""
    now = datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)
    entries = []
    for i in range(count):
        title, slug, lede = TOPICS[i % len(TOPICS)]
        title = f"{title} ({i + 1})"
        slug = f"{slug}-{i + 1}"
        when = now - timedelta(days=i)
        full = i % full_every == 0
        body = paragraphs(8, i)
        entry = {
            "id": f"tag:courier.example,2026:{slug}",
            "title": title,
            "slug": slug,
            "when": when,
            "lede": lede,
            "body": body,
            "full": full,
            "link": site.url(f"/news/{slug}.html"),
        }
        if not full:
            site.page(f"/news/{slug}.html", article_page(title, lede, body))
        entries.append(entry)
    return entries


def rss(entries: list[dict], *, title: str = "Ferry Fields Courier") -> str:
    items = []
    order = entries[1::2] + entries[0::2]  # feeds are not always in date order
    for e in order:
        content = ""
        if e["full"]:
            inner = f"<p><em>{html.escape(e['lede'])}</em></p>" + "".join(f"<p>{html.escape(p)}</p>" for p in e["body"])
            content = f"<content:encoded><![CDATA[{inner}]]></content:encoded>"
        items.append(
            f"""<item><title>{html.escape(e["title"])}</title><link>{e["link"]}</link>
<guid isPermaLink="false">{e["id"]}</guid><pubDate>{format_datetime(e["when"])}</pubDate>
<dc:creator>Priya Natarajan</dc:creator>
<description>{html.escape(e["lede"][:90])}&#8230; Read more</description>{content}</item>"""
        )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>{title}</title><link>http://courier.example/</link><language>en-gb</language>
<description>News from the riverside wards</description>
{"".join(items)}
</channel></rss>"""


def atom(entries: list[dict]) -> str:
    parts = []
    for e in entries:
        content = ""
        if e["full"]:
            inner = "".join(f"<p>{html.escape(p)}</p>" for p in [e["lede"], *e["body"]])
            content = f'<content type="html">{html.escape(inner)}</content>'
        parts.append(
            f"""<entry><title>{html.escape(e["title"])}</title><id>{e["id"]}</id>
<link rel="alternate" href="{e["link"]}"/><updated>{e["when"].isoformat()}</updated>
<summary>{html.escape(e["lede"][:80])}</summary>{content}</entry>"""
        )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>Courier (Atom)</title><id>urn:courier</id>
<updated>2026-11-20T09:30:00Z</updated>{"".join(parts)}</feed>"""


def json_feed(entries: list[dict]) -> str:
    items = []
    for e in entries:
        item = {
            "id": e["id"],
            "url": e["link"],
            "title": e["title"],
            "date_published": e["when"].isoformat(),
            "summary": e["lede"][:80],
            "authors": [{"name": "Priya Natarajan"}],
        }
        if e["full"]:
            item["content_text"] = "\n\n".join([e["lede"], *e["body"]])
        items.append(item)
    return json.dumps(
        {"version": "https://jsonfeed.org/version/1.1", "title": "Courier (JSON)", "language": "en", "items": items}
    )


@pytest.fixture
def site():
    server = Site()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def no_other_hosts(monkeypatch: pytest.MonkeyPatch):
    """Every name lookup and connection other than 127.0.0.1 fails, as if offline."""
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    real_getaddrinfo = socket.getaddrinfo
    attempts: list[str] = []

    def guarded(host, *args, **kwargs):
        if host not in ("127.0.0.1", "localhost"):
            attempts.append(str(host))
            raise socket.gaierror(socket.EAI_NONAME, f"test: no network for {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)
    yield attempts
    # Only the reserved example names a test asks for on purpose were ever looked up.
    real = [
        h
        for h in attempts
        if not h.rstrip(".").endswith((".example", ".invalid", ".test", "example.org", "example.com"))
    ]
    assert real == [], f"tried to reach {real}"


def slow(seconds: float):
    def handler(request):
        time.sleep(seconds)
        return 200, {"Content-Type": "text/html"}, b"<html><body><p>Too late.</p></body></html>"

    return handler
