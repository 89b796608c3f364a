"""`listen serve` over real sockets on 127.0.0.1: types, ranges, validators, and nothing else."""

from __future__ import annotations

import http.client
import os
import random
import socket
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from browser.library import make_library

from listen.publish.publisher import publish
from listen.publish.ranges import ByteRange, parse_range
from listen.publish.served_files import resolve_request_path
from listen.publish.server import make_server

SECRET = b"outside the published folder"


@pytest.fixture
def served(tmp_path):
    """A published library served on a free loopback port; yields (folder, port)."""
    audio = make_library(tmp_path)
    publish(audio, "http://127.0.0.1/")
    (tmp_path / "secret.txt").write_bytes(SECRET)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_bytes(SECRET)
    os.symlink(tmp_path / "secret.txt", audio / "link-out.txt")
    os.symlink(tmp_path / "outside", audio / "linkdir")
    os.symlink(audio / "harbour-ferry-returns.vtt", audio / "inside-link.vtt")
    (audio / ".hidden").write_bytes(SECRET)
    server = make_server(audio, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield audio, server.server_address[1]
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def get(port, path, headers=None, method="GET"):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def raw_get(port, target: bytes) -> tuple[int, bytes]:
    """Send the request line byte for byte: http.client would refuse or normalise these paths."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/harbour-ferry-returns.mp3", "audio/mpeg"),
        ("/harbour-ferry-returns.vtt", "text/vtt; charset=utf-8"),
        ("/harbour-ferry-returns.chapters.json", "application/json"),
        ("/feed.xml", "application/rss+xml; charset=utf-8"),
        ("/index.html", "text/html; charset=utf-8"),
        ("/", "text/html; charset=utf-8"),
        ("/transcripts/harbour-ferry-returns.html", "text/html; charset=utf-8"),
        ("/inside-link.vtt", "text/vtt; charset=utf-8"),
    ],
)
def test_files_are_served_whole_with_their_content_type(served, path, content_type):
    audio, port = served
    status, headers, body = get(port, path)
    assert status == 200 and headers["Content-Type"] == content_type
    name = "index.html" if path == "/" else path.lstrip("/")
    on_disk = (audio / name).read_bytes()
    if name == "feed.xml":  # served for the address asked for (test_serve_feed.py)
        on_disk = on_disk.replace(b"http://127.0.0.1/", f"http://127.0.0.1:{port}/".encode())
    assert body == on_disk
    assert headers["Accept-Ranges"] == "bytes" and headers["Content-Length"] == str(len(body))


def test_head_sends_headers_only(served):
    audio, port = served
    status, headers, body = get(port, "/harbour-ferry-returns.mp3", method="HEAD")
    assert status == 200 and body == b""
    assert headers["Content-Length"] == str((audio / "harbour-ferry-returns.mp3").stat().st_size)


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=1000-", 1000, None),
        ("bytes=-500", -500, None),
        ("bytes=40000-999999", 40000, None),
        ("bytes=417-417", 417, 417),
    ],
)
def test_range_requests_get_206_and_exactly_those_bytes(served, header, start, end):
    audio, port = served
    data = (audio / "harbour-ferry-returns.mp3").read_bytes()
    status, headers, body = get(port, "/harbour-ferry-returns.mp3", {"Range": header})
    expected = data[start:] if end is None else data[start : end + 1]
    first = start if start >= 0 else len(data) + start
    assert status == 206 and body == expected
    assert headers["Content-Range"] == f"bytes {first}-{first + len(expected) - 1}/{len(data)}"


@pytest.mark.parametrize("header", ["bytes=999999-", "bytes=47955-", "bytes=-0"])
def test_unsatisfiable_ranges_get_416(served, header):
    audio, port = served
    size = (audio / "harbour-ferry-returns.mp3").stat().st_size
    status, headers, _ = get(port, "/harbour-ferry-returns.mp3", {"Range": header})
    assert status == 416 and headers["Content-Range"] == f"bytes */{size}"


def test_malformed_or_multiple_ranges_get_the_whole_file(served):
    audio, port = served
    size = (audio / "harbour-ferry-returns.mp3").stat().st_size
    for header in ("bytes=abc", "pages=1-2", "bytes=0-1,5-6", "bytes=9-3"):
        status, _, body = get(port, "/harbour-ferry-returns.mp3", {"Range": header})
        assert (status, len(body)) == (200, size), header


def test_etag_and_last_modified_answer_304(served):
    _, port = served
    _, headers, _ = get(port, "/feed.xml")
    assert get(port, "/feed.xml", {"If-None-Match": headers["ETag"]})[0] == 304
    assert get(port, "/feed.xml", {"If-None-Match": f'"other", {headers["ETag"]}'})[0] == 304
    assert get(port, "/feed.xml", {"If-None-Match": '"other"'})[0] == 200
    assert get(port, "/feed.xml", {"If-Modified-Since": headers["Last-Modified"]})[0] == 304


def test_if_range_with_a_stale_etag_gets_the_whole_new_file(served):
    _, port = served
    _, headers, _ = get(port, "/harbour-ferry-returns.mp3")
    assert get(port, "/harbour-ferry-returns.mp3", {"Range": "bytes=0-9", "If-Range": headers["ETag"]})[0] == 206
    assert get(port, "/harbour-ferry-returns.mp3", {"Range": "bytes=0-9", "If-Range": '"stale"'})[0] == 200


TRAVERSALS = [
    b"/../secret.txt",
    b"/%2e%2e/secret.txt",
    b"/%2E%2E%2Fsecret.txt",
    b"/%252e%252e/secret.txt",
    b"/..%2fsecret.txt",
    b"/..%2F..%2F..%2Fetc%2Fpasswd",
    b"/..\\secret.txt",
    b"/%5c..%5csecret.txt",
    b"/transcripts/../../secret.txt",
    b"/./../secret.txt",
    b"/link-out.txt",
    b"/linkdir/secret.txt",
    b"//etc/passwd",
    b"/etc/passwd",
    b"http://127.0.0.1/../secret.txt",
    b"/index.html%00.txt",
    b"/%00",
    b"/%c0%ae%c0%ae/secret.txt",
    b"/.hidden",
    b"/transcripts/",
    b"/linkdir/",
    b"/does-not-exist.mp3",
]


@pytest.mark.parametrize("target", TRAVERSALS, ids=[t.decode() for t in TRAVERSALS])
def test_nothing_outside_the_folder_and_no_listing_is_reachable(served, target):
    _, port = served
    status, body = raw_get(port, target)
    assert status in (403, 404) and SECRET not in body and b"<li>" not in body


def test_absolute_path_of_a_real_file_is_refused(served, tmp_path):
    audio, port = served
    status, body = raw_get(port, str(tmp_path / "secret.txt").encode())
    assert status in (403, 404) and SECRET not in body
    assert resolve_request_path(audio.resolve(), str(tmp_path / "secret.txt")) is None


def test_fifty_concurrent_range_downloads_all_get_their_bytes(tmp_path):
    audio = make_library(tmp_path)
    big = os.urandom(2_000_000)
    (audio / "big.mp3").write_bytes(big)
    server = make_server(audio, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    port = server.server_address[1]
    start_together = threading.Barrier(50, timeout=20)
    rng = random.Random(7)
    ranges = [sorted(rng.sample(range(len(big)), 2)) for _ in range(50)]

    def download(bounds):
        start, end = bounds
        start_together.wait()
        status, headers, body = get(port, "/big.mp3", {"Range": f"bytes={start}-{end}"})
        return status, body == big[start : end + 1]

    try:
        with ThreadPoolExecutor(max_workers=50) as pool:
            results = list(pool.map(download, ranges, timeout=60))
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert results == [(206, True)] * 50


@pytest.mark.parametrize(
    ("header", "size", "expected"),
    [
        ("bytes=0-0", 10, ByteRange(0, 0)),
        ("bytes=5-", 10, ByteRange(5, 9)),
        ("bytes=-3", 10, ByteRange(7, 9)),
        ("bytes=-30", 10, ByteRange(0, 9)),
        ("bytes=2-100", 10, ByteRange(2, 9)),
        ("bytes=10-", 10, "unsatisfiable"),
        ("bytes=-", 10, None),
        ("bytes=3-1", 10, None),
        ("items=0-1", 10, None),
        ("bytes=0-", 0, "unsatisfiable"),
    ],
)
def test_parse_range(header, size, expected):
    assert parse_range(header, size) == expected
