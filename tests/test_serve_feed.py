"""`listen serve` hands out the feed with its links at the address the listener reached it by,
so a podcast app on the local network plays what was published for a public --base-url."""

from __future__ import annotations

import http.client
import threading
from urllib.parse import urlsplit

import feedparser
import pytest
from browser.library import make_library

from listen.publish.publisher import publish
from listen.publish.feed_address import feed_for_address
from listen.publish.server import make_server

PUBLIC = "https://example.org/pod/"


@pytest.fixture
def served(tmp_path):
    audio = make_library(tmp_path)
    publish(audio, PUBLIC)
    server = make_server(audio, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield audio, server.server_address[1]
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def fetch(port: int, path: str, host: str | None = None, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host if host is not None else f"127.0.0.1:{port}")
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_every_link_in_the_served_feed_plays_from_the_served_address(served) -> None:
    audio, port = served
    status, headers, body = fetch(port, "/feed.xml", host="listening-room.local:" + str(port))
    assert status == 200 and headers["Content-Length"] == str(len(body))
    assert b"example.org" not in body
    feed = feedparser.parse(body)
    here = f"http://listening-room.local:{port}/"
    enclosures = [link.href for entry in feed.entries for link in entry.enclosures]
    assert enclosures and all(url.startswith(here) for url in enclosures)
    for url in enclosures:  # and each one is really there, at that path
        status, _, audio_bytes = fetch(port, urlsplit(url).path)
        assert status == 200 and audio_bytes == (audio / urlsplit(url).path.lstrip("/")).read_bytes()
    assert feed.feed.image.href.startswith(here)
    assert b"https://example.org/pod/" in (audio / "feed.xml").read_bytes()  # the published file is untouched


def test_guids_stay_as_published_so_no_episode_arrives_twice(served) -> None:
    audio, port = served
    published = feedparser.parse((audio / "feed.xml").read_bytes())
    served_feed = feedparser.parse(fetch(port, "/feed.xml")[2])
    assert [e.id for e in served_feed.entries] == [e.id for e in published.entries]


def test_a_hostile_host_header_is_not_written_into_the_feed(served) -> None:
    _, port = served
    _, _, body = fetch(port, "/feed.xml", host='evil"><script>x</script>')
    assert b"<script>" not in body and f"http://127.0.0.1:{port}/".encode() in body


def test_each_address_gets_its_own_etag_and_ranges_still_work(served) -> None:
    _, port = served
    _, first, whole = fetch(port, "/feed.xml", host="a.local:1")
    _, second, _ = fetch(port, "/feed.xml", host="b.local:1")
    assert first["ETag"] != second["ETag"]
    assert fetch(port, "/feed.xml", host="a.local:1", headers={"If-None-Match": first["ETag"]})[0] == 304
    status, _, part = fetch(port, "/feed.xml", host="a.local:1", headers={"Range": "bytes=0-99"})
    assert status == 206 and part == whole[:100]


def test_a_feed_without_a_self_link_is_served_as_it_is() -> None:
    feed = b"<rss><channel><link>https://example.org/pod/</link></channel></rss>"
    assert feed_for_address(feed, "http://10.0.0.2:8000/") == feed
