"""Articles from URLs: fetched once, politely, cached with validators, reused offline, refused in one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from listen.articles import fetch as fetching
from listen.articles.fetch import USER_AGENT, content_type, fetch, name_for, origin_of, retry_after
from listen.articles.sources import open_article
from listen.errors import FetchError
from sources_site import TOPICS, article_page, no_other_hosts, paragraphs, site, slow  # noqa: F401

LISTEN = str(Path(sys.executable).parent / "listen")
TITLE, SLUG, LEDE = TOPICS[0]


def quiet(_line: str) -> None:
    pass


def test_a_page_is_read_by_the_html_path_without_its_navigation(site) -> None:
    site.page("/news/night-bus.html", article_page(TITLE, LEDE, paragraphs(4, 1)))
    article = open_article(site.url("/news/night-bus.html"), notify=quiet)
    assert article.title == TITLE
    assert article.paragraphs[0].startswith("The number 14 night bus")
    text = " ".join(article.paragraphs)
    assert "Accept all" not in text and "Sign in" not in text and "All rights reserved" not in text
    assert article.path is not None and article.path.name == "night-bus.html"
    assert origin_of(article.path) == site.url("/news/night-bus.html")


def test_the_request_is_one_honest_get(site) -> None:
    site.page("/a.html", article_page(TITLE, LEDE, paragraphs(2, 2)))
    fetch(site.url("/a.html"), notify=quiet)
    assert site.hits["/a.html"] == 1
    sent = site.headers_seen["/a.html"]
    assert sent["User-Agent"] == USER_AGENT and USER_AGENT.startswith("listen/")
    assert "text/html" in sent["Accept"]


def test_reopening_revalidates_and_a_304_reuses_the_copy(site) -> None:
    site.page("/a.html", article_page(TITLE, LEDE, paragraphs(2, 2)))
    first = fetch(site.url("/a.html"), notify=quiet)
    second = fetch(site.url("/a.html"), notify=quiet)
    assert site.hits["/a.html"] == 2
    assert site.headers_seen["/a.html"]["If-None-Match"] == first.etag
    assert second.changed is False and second.path == first.path
    site.page("/a.html", article_page(TITLE + " updated", LEDE, paragraphs(2, 3)))
    third = fetch(site.url("/a.html"), notify=quiet)
    assert third.changed is True and "updated" in third.path.read_text()


def test_offline_the_cached_copy_is_used_and_the_user_told(site) -> None:
    url = site.url("/a.html")
    site.page("/a.html", article_page(TITLE, LEDE, paragraphs(2, 2)))
    fetch(url, notify=quiet)
    site.stop()
    told: list[str] = []
    article = open_article(url, notify=told.append)
    assert article.title == TITLE
    assert len(told) == 1 and told[0].startswith("offline: using the copy from 20")


def test_offline_with_no_copy_is_one_line(site) -> None:
    url = site.url("/never.html")
    site.stop()
    with pytest.raises(FetchError, match=r"cannot connect \(offline, or the site is down\?\)"):
        fetch(url, notify=quiet)


def test_an_unknown_host_is_a_dns_failure_and_nothing_leaves_the_machine(no_other_hosts) -> None:
    with pytest.raises(FetchError, match="cannot find the host news.example.org"):
        fetch("https://news.example.org/story.html", notify=quiet)
    assert no_other_hosts == ["news.example.org"]


def test_redirects_are_followed_up_to_five(site) -> None:
    site.page("/final.html", article_page(TITLE, LEDE, paragraphs(2, 2)))
    for n in range(1, 5):
        site.routes[f"/hop{n}"] = lambda r, n=n: (301, {"Location": f"/hop{n + 1}" if n < 4 else "/final.html"}, b"")
    page = fetch(site.url("/hop1"), notify=quiet)
    assert page.final_url == site.url("/final.html")
    assert page.path.name == "final.html"


def test_a_redirect_loop_is_refused(site) -> None:
    site.routes["/loop"] = lambda r: (302, {"Location": "/loop"}, b"")
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch(site.url("/loop"), notify=quiet)
    assert site.hits["/loop"] == 6


@pytest.mark.parametrize(
    ("status", "headers", "message"),
    [
        (404, {}, r"not found \(404\); check the address"),
        (410, {}, r"gone \(410\)"),
        (403, {}, r"the site refused \(403 Forbidden\); open it in a browser, save the page"),
        (500, {}, r"the site failed \(500"),
        (429, {"Retry-After": "7200"}, r"slow down \(429 Too Many Requests\); try again after 20\d\d-"),
        (429, {}, r"slow down \(429 Too Many Requests\); try again later"),
    ],
)
def test_http_refusals_are_one_line(site, status: int, headers: dict, message: str) -> None:
    site.routes["/x"] = lambda r: (status, {"Content-Type": "text/html", **headers}, b"<p>no</p>")
    with pytest.raises(FetchError, match=message) as caught:
        fetch(site.url("/x"), notify=quiet)
    assert "\n" not in str(caught.value)


def test_a_short_retry_after_is_waited_out_once(site, monkeypatch) -> None:
    slept: list[float] = []
    monkeypatch.setattr(fetching.time, "sleep", slept.append)
    calls = iter([(429, {"Retry-After": "2"}, b""), None])
    page = article_page(TITLE, LEDE, paragraphs(2, 2)).encode()
    site.routes["/busy"] = lambda r: next(calls) or (200, {"Content-Type": "text/html"}, page)
    assert fetch(site.url("/busy"), notify=quiet).path.read_bytes() == page
    assert slept == [2.0] and site.hits["/busy"] == 2


def test_a_slow_site_times_out(site, monkeypatch) -> None:
    monkeypatch.setattr(fetching, "TIMEOUT", (2.0, 0.3))
    site.routes["/slow"] = slow(2.0)
    with pytest.raises(FetchError, match=r"no answer within"):
        fetch(site.url("/slow"), notify=quiet)


def test_a_huge_body_is_refused_while_streaming(site, monkeypatch) -> None:
    def huge(request):
        request.send_response(200)
        request.send_header("Content-Type", "text/html")
        request.end_headers()  # no Content-Length: the size is only known by reading
        chunk = b"<p>" + b"word " * 2000 + b"</p>\n"
        try:
            for _ in range(20_000):
                request.wfile.write(chunk)
        except OSError:
            pass  # the client hung up, as it should

    site.routes["/huge"] = huge
    with pytest.raises(FetchError, match="more than 10 MB, too large"):
        fetch(site.url("/huge"), notify=quiet)


def test_a_declared_huge_length_is_refused_before_reading(site) -> None:
    site.routes["/big"] = lambda r: (200, {"Content-Type": "text/html", "Content-Length": str(50 * 1024 * 1024)}, b"")
    with pytest.raises(FetchError, match="50 MB is too large"):
        fetch(site.url("/big"), notify=quiet)


def test_a_pdf_is_not_an_article(site) -> None:
    site.routes["/report.pdf"] = lambda r: (200, {"Content-Type": "application/pdf"}, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    with pytest.raises(FetchError, match="this is application/pdf, not a web page or text"):
        fetch(site.url("/report.pdf"), notify=quiet)


def test_a_feed_given_to_show_points_at_build(site) -> None:
    site.page(
        "/feed",
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
        "application/rss+xml",
    )
    with pytest.raises(FetchError, match="this is a feed, not an article; narrate its articles with 'listen build"):
        open_article(site.url("/feed"), notify=quiet)


def test_a_tls_failure_is_one_line(site) -> None:
    with pytest.raises(FetchError, match=r"the secure connection failed \(TLS"):
        fetch(site.url("/a.html").replace("http://", "https://"), notify=quiet)


@pytest.mark.parametrize(
    ("content_type", "body", "expected"),
    [
        (
            "text/html; charset=ISO-8859-1",
            "<html><body><h1>Caf\u00e9 na pra\u00e7a</h1><p>{}</p></body></html>",
            "iso-8859-1",
        ),
        (
            "text/html",
            '<html><head><meta charset="windows-1250"></head><body><h1>\u0141\u00f3d\u017a nocą</h1><p>{}</p></body></html>',
            "windows-1250",
        ),
        ("text/html; charset=utf-8", "<html><body><h1>Caf\u00e9 na pra\u00e7a</h1><p>{}</p></body></html>", "utf-8"),
    ],
)
def test_charsets_from_the_header_or_the_page(site, content_type: str, body: str, expected: str) -> None:
    text = body.format(" ".join(paragraphs(1, 4)))
    site.routes["/c.html"] = lambda r: (200, {"Content-Type": content_type}, text.encode(expected))
    article = open_article(site.url("/c.html"), notify=quiet)
    assert article.title in ("Caf\u00e9 na pra\u00e7a", "\u0141\u00f3d\u017a noc\u0105")


def test_plain_text_and_markdown_urls_take_their_own_path(site) -> None:
    site.page("/notes.txt", "Ferry notes\n\n" + "\n\n".join(paragraphs(3, 5)), "text/plain; charset=utf-8")
    site.page("/notes.md", "# Ferry notes in Markdown\n\n## First\n\n" + paragraphs(1, 6)[0], "text/markdown")
    assert open_article(site.url("/notes.txt"), notify=quiet).title == "Ferry notes"
    md = open_article(site.url("/notes.md"), notify=quiet)
    assert md.title == "Ferry notes in Markdown" and md.sections[0].heading == "First"


def test_show_on_a_url_from_the_command_line(site) -> None:
    site.page("/news/night-bus.html", article_page(TITLE, LEDE, paragraphs(3, 1)))
    out = subprocess.run([LISTEN, "show", site.url("/news/night-bus.html")], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(TITLE + "\n")
    missing = subprocess.run([LISTEN, "show", site.url("/gone.html")], capture_output=True, text=True, timeout=60)
    assert missing.returncode == 1
    assert missing.stderr.strip().count("\n") == 0 and "not found (404)" in missing.stderr


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("text/html; charset=ISO-8859-1", ("text/html", "iso-8859-1")),
        ("Text/HTML", ("text/html", "")),
        ('text/plain; format=flowed; charset="utf-8"', ("text/plain", "utf-8")),
        ("", ("", "")),
    ],
)
def test_content_type_parsing(header: str, expected: tuple[str, str]) -> None:
    assert content_type(header) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [("120", 120.0), (None, None), ("soon", None), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)]
)
def test_retry_after_parsing(value, expected) -> None:
    assert retry_after(value) == expected


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://courier.example/2026/11/night-bus.html?utm_source=x", "night-bus"),
        ("https://courier.example/", "courier-example"),
        ("https://www.courier.example", "courier-example"),
        ("https://courier.example/news/bakery/index.html", "bakery-index"),
        ("https://courier.example/p/Caf%C3%A9-Nuit", "cafe-nuit"),
    ],
)
def test_cached_copies_are_named_after_the_url(url: str, name: str) -> None:
    assert name_for(url) == name


def test_the_line_mode_reader_opens_a_url(site) -> None:
    title, _slug, lede = TOPICS[2]
    site.page("/tool-library.html", article_page(title, lede, paragraphs(3, 1)))
    out = subprocess.run(
        [LISTEN, "read", "--plain", site.url("/tool-library.html")],
        input="q\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert f"Opened: {title}," in out.stdout


def test_last_modified_alone_revalidates_too(site) -> None:
    stamp = "Fri, 20 Nov 2026 09:30:00 GMT"
    body = article_page(TITLE, LEDE, paragraphs(2, 2)).encode()

    def handler(request):
        if request.headers.get("If-Modified-Since") == stamp:
            return 304, {"Last-Modified": stamp}, b""
        return 200, {"Content-Type": "text/html; charset=utf-8", "Last-Modified": stamp}, body

    site.routes["/lm.html"] = handler
    first = fetch(site.url("/lm.html"), notify=quiet)
    second = fetch(site.url("/lm.html"), notify=quiet)
    assert first.last_modified == stamp and first.etag == ""
    assert second.changed is False and site.hits["/lm.html"] == 2


def test_a_compressed_page_is_read(site) -> None:
    import gzip

    page = article_page(TITLE, LEDE, paragraphs(40, 3)).encode()
    packed = gzip.compress(page)
    site.routes["/gz.html"] = lambda r: (200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, packed)
    assert fetch(site.url("/gz.html"), notify=quiet).path.read_bytes() == page
    assert "gzip" in site.headers_seen["/gz.html"]["Accept-Encoding"]
