"""`listen serve` stays up and serves only what was published: bounded threads, request
heads read within a time and size limit, strict ranges, no bodies on GET, security headers."""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from browser.library import make_library
from test_serve_http import get, served  # noqa: F401  (served: a fixture)

from listen.publish.publisher import publish
from listen.publish.folder_handler import SECURITY_HEADERS
from listen.publish.ranges import parse_range


def test_the_manifest_and_other_unpublished_files_are_not_served(served) -> None:  # noqa: F811
    audio, port = served
    (audio / "notes.txt").write_text("my private notes", encoding="utf-8")
    (audio / "transcripts" / "draft.txt").write_text("a draft", encoding="utf-8")
    for path in ("/manifest.json", "/notes.txt", "/transcripts/draft.txt", "/.listen-build.lock"):
        status, _, body = get(port, path)
        assert status == 404 and b"articles" not in body, path
    assert get(port, "/feed.xml")[0] == 200 and get(port, "/harbour-ferry-returns.chapters.json")[0] == 200


@pytest.mark.parametrize(
    ("header", "status"),
    [("bytes=" + "9" * 4300 + "-", 416), ("bytes=0-" + "9" * 4300, 206), ("bytes=-" + "9" * 4300, 206),
     ("bytes=" + "1" * 19 + "-" + "2" * 19, 416), ("bytes=" + "7" * 100_000 + "-", 200)],
    ids=["start-4300-digits", "end-4300-digits", "suffix-4300-digits", "19-digits", "head-too-long"],
)  # fmt: skip
def test_ranges_with_absurd_numbers_are_answered_not_dropped(served, header: str, status: int) -> None:  # noqa: F811
    audio, port = served
    size = (audio / "harbour-ferry-returns.mp3").stat().st_size
    if status == 200:  # a head past the limit is refused as a whole
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(f"GET /harbour-ferry-returns.mp3 HTTP/1.1\r\nHost: x\r\nRange: {header}\r\n\r\n".encode())
            assert sock.recv(200).startswith(b"HTTP/1.1 431 ")
        return
    got, headers, body = get(port, "/harbour-ferry-returns.mp3", {"Range": header})
    assert got == status
    if status == 416:
        assert headers["Content-Range"] == f"bytes */{size}"
    else:
        assert len(body) == size


def test_parse_range_never_raises_on_long_numbers() -> None:
    assert parse_range("bytes=" + "9" * 4300 + "-", 100) == "unsatisfiable"


def test_a_get_with_a_body_is_refused_and_the_body_never_read_as_a_request(served) -> None:  # noqa: F811
    _, port = served
    smuggled = b"GET /manifest.json HTTP/1.1\r\nHost: x\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(smuggled) + smuggled)
        data = b""
        while chunk := sock.recv(65536):  # the server closes after its one answer
            data += chunk
    assert data.startswith(b"HTTP/1.1 400 ") and data.count(b"HTTP/1.1 ") == 1


def test_pipelined_requests_on_a_kept_alive_connection_are_both_answered(served) -> None:  # noqa: F811
    _, port = served
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(
            b"HEAD /feed.xml HTTP/1.1\r\nHost: x\r\n\r\nHEAD /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    assert data.count(b"HTTP/1.1 200 ") == 2


@pytest.mark.parametrize("path", ["/index.html", "/harbour-ferry-returns.mp3", "/missing.mp3"])
def test_every_answer_carries_the_security_headers(served, path: str) -> None:  # noqa: F811
    _, port = served
    _, headers, _ = get(port, path)
    for name, value in SECURITY_HEADERS.items():
        assert headers[name] == value
    assert "default-src 'none'" in headers["Content-Security-Policy"]


def test_the_pages_own_script_is_the_one_the_policy_allows(served) -> None:  # noqa: F811
    import base64
    import hashlib
    import re

    _, port = served
    _, headers, body = get(port, "/index.html")
    scripts = re.findall(rb"<script>(.*?)</script>", body, re.S)
    assert scripts
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script).digest()).decode()
        assert f"'sha256-{digest}'" in headers["Content-Security-Policy"]
    assert not re.search(rb"<[^>]*\son[a-z]+=", body)  # no inline handlers, which the policy would block


SERVE = """
import sys
from pathlib import Path
from listen.publish.server import make_server
server = make_server(Path(sys.argv[1]), "127.0.0.1", 0)
print(server.server_address[1], flush=True)
server.serve_forever(poll_interval=0.2)
"""


def threads_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    return 0


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_1100_slow_clients_at_1024_open_files_do_not_stop_others_being_served(tmp_path: Path) -> None:
    """The issue's attack: 1,100 connections that trickle their request in, at `ulimit -n
    1024`; 9 probes must each be answered (the old server answered none)."""
    audio = make_library(tmp_path)
    publish(audio, "http://127.0.0.1/")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard < 1400:
        pytest.skip("needs room for 1,100 client sockets in this process")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1400), hard))

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, hard))

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    server = subprocess.Popen([sys.executable, "-c", SERVE, str(audio)], stdout=subprocess.PIPE, text=True,
                              preexec_fn=limited, env=env)  # fmt: skip
    slow: list[socket.socket] = []
    try:
        port = int(server.stdout.readline())
        for _ in range(1100):
            sock = socket.socket()
            sock.setblocking(False)
            sock.connect_ex(("127.0.0.1", port))
            slow.append(sock)
        time.sleep(0.5)
        for sock in slow:
            try:
                sock.send(b"GET /index.html HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
            except OSError:
                pass
        answered = 0
        for _ in range(9):
            for sock in slow[:50]:  # the trickle goes on while others ask
                try:
                    sock.send(b"X-Slow: 1\r\n")
                except OSError:
                    pass
            status, _, body = get_within(port, "/index.html", 5.0)
            answered += status == 200 and b"<html" in body
        assert answered == 9
        assert threads_of(server.pid) <= 40  # bounded: WORKERS and the loop, not one per client
    finally:
        for sock in slow:
            sock.close()
        server.kill()
        server.wait()


def get_within(port: int, path: str, seconds: float) -> tuple[int, dict, bytes]:
    try:
        import http.client

        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=seconds)
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    except OSError:
        return 0, {}, b""
