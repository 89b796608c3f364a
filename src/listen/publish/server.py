"""`listen serve`: share a published folder on the local network, the way players expect.

The handler is written on BaseHTTPRequestHandler rather than SimpleHTTPRequestHandler
because almost everything the latter adds is what we must not do (directory listings,
lenient path mapping) and what it lacks is what players need (byte ranges, validators).
Every request path is reduced to plain name segments and resolved inside the folder, and
only what `listen publish` writes is served (feed, index, transcripts, audio, sidecars,
artwork; not manifest.json, which holds local paths); anything else is a 404.

Why not ThreadingHTTPServer: it gave each connection a thread for as long as the client
liked, so 1,100 clients that trickle their request in took it down at the usual limit of
1,024 open files (4,000 such clients made 4,001 threads). Here one selector loop accepts
connections and reads request heads, each within HEAD_TIMEOUT_S and HEAD_LIMIT bytes; only a
complete head goes to a pool of WORKERS threads; and when files run short the connection
that has waited longest without a complete head is closed to make room, so a real player
is served at once whoever else is connected. A kept-alive connection goes back to the loop
between requests, so an idle one holds no thread either. A GET or HEAD with a body is
refused (400) and the connection closed, so a body is never read as a second request.
"""

from __future__ import annotations

import base64
import email.utils
import errno
import hashlib
import io
import mimetypes
import os
import queue
import re
import resource
import selectors
import socket
import threading
import time
import zlib
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import IO
from socketserver import _SocketWriter  # type: ignore[attr-defined]
from urllib.parse import unquote_to_bytes, urlsplit

from listen.publish.page import SEEK_SCRIPT, TRANSCRIPT_FOLDER

from listen.errors import UsageError

CHUNK = 64 * 1024
CONTENT_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4b": "audio/mp4",  # build --format m4b
    ".vtt": "text/vtt; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/rss+xml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
RANGE_PATTERN = re.compile(r"bytes=(\d*)-(\d*)")
HOST_PATTERN = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?")
SELF_LINK = re.compile(rb'<atom:link href="(https?://[^"<>\s]+/feed\.xml)" rel="self"')
MAX_DIGITS = 18  # a byte position longer than this is past any file (and int() of 4,300 digits raises)
WORKERS = 32  # threads that answer complete requests
HEAD_TIMEOUT_S = 10.0  # a request head must arrive within this (and a kept-alive connection idle no longer)
HEAD_LIMIT = 16 * 1024  # bytes of request line and headers
SEND_TIMEOUT_S = 30.0  # a client that reads nothing for this long is dropped
# Served: what `listen publish` writes. Root files by name or suffix; transcripts by suffix.
ROOT_NAMES = {"index.html", "feed.xml"}
ROOT_SUFFIXES = (".mp3", ".m4b", ".vtt", ".srt", ".chapters.json", ".css")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")  # the cover, wherever --image named it inside the folder
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(SEEK_SCRIPT.encode()).digest()).decode()
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        f"default-src 'none'; script-src 'sha256-{_SCRIPT_HASH}'; style-src 'unsafe-inline'; "
        "img-src 'self' data:; media-src 'self'; connect-src 'self'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
}


@dataclass(frozen=True)
class ByteRange:
    """An inclusive slice of a file, as HTTP counts it."""

    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start + 1


def make_server(folder: Path, host: str = "127.0.0.1", port: int = 8000) -> ListenServer:
    """A ready server for `folder` (port 0 picks a free port: see server.server_address)."""
    root = Path(folder)
    if not root.is_dir():
        raise UsageError(f"{folder} is not a folder; run 'listen publish' first or name the published folder.")
    handler = type("FolderHandler", (FolderHandler,), {"root": root.resolve()})
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return ListenServer((host, port), handler, family)
    except OSError as exc:
        raise UsageError(f"Cannot listen on {host}:{port} ({exc.strerror or exc}); choose another --port.") from exc


@dataclass
class _Waiting:
    """A connection whose request head is still arriving."""

    conn: socket.socket
    address: tuple
    deadline: float
    buffer: bytearray


class ListenServer:
    """One selector loop reads request heads; a bounded pool answers them (module docstring)."""

    def __init__(self, address: tuple[str, int], handler: type[FolderHandler], family: int = socket.AF_INET) -> None:
        self.handler = handler
        self.socket = socket.socket(family, socket.SOCK_STREAM)
        try:
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.socket.bind(address)
            self.socket.listen(128)  # 50 players opening connections at once must not be refused
            self.socket.setblocking(False)
        except OSError:
            self.socket.close()
            raise
        self.server_address = self.socket.getsockname()
        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
        # Leave room for the pool's open files and their connections, and a margin.
        self.max_waiting = max(16, soft - 4 * WORKERS - 64)
        self._pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="listen-serve")
        self._waiting: OrderedDict[socket.socket, _Waiting] = OrderedDict()  # oldest first
        self._returned: queue.SimpleQueue[_Waiting] = queue.SimpleQueue()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()
        self._active: set[socket.socket] = set()  # connections a pool thread is answering
        self._lock = threading.Lock()

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self._stopped.clear()
        selector = selectors.DefaultSelector()
        selector.register(self.socket, selectors.EVENT_READ)
        selector.register(self._wake_r, selectors.EVENT_READ)
        try:
            while not self._stop.is_set():
                for key, _ in selector.select(timeout=min(poll_interval, 1.0)):
                    if key.fileobj is self.socket:
                        self._accept(selector)
                    elif key.fileobj is self._wake_r:
                        self._take_back(selector)
                    else:
                        self._read(selector, key.fileobj)  # type: ignore[arg-type]
                self._expire(selector)
        finally:
            selector.close()
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop serve_forever (from another thread) and wait until it has returned."""
        self._stop.set()
        self._wake()
        self._stopped.wait()

    def server_close(self) -> None:
        self._stop.set()
        self.socket.close()
        for waiting in list(self._waiting.values()):
            waiting.conn.close()
        self._waiting.clear()
        with self._lock:
            for conn in self._active:  # a slow download must not hold the exit up
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._wake_r.close()
        self._wake_w.close()

    # The loop ---------------------------------------------------------------------------

    def _accept(self, selector: selectors.BaseSelector) -> None:
        for _ in range(64):  # a burst, then back to the others
            if len(self._waiting) >= self.max_waiting:
                self._drop_oldest(selector)
            try:
                conn, address = self.socket.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                if exc.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM) and self._waiting:
                    self._drop_oldest(selector)  # out of files: the longest-waiting head makes room
                    continue
                return
            conn.setblocking(False)
            self._watch(selector, _Waiting(conn, address, time.monotonic() + HEAD_TIMEOUT_S, bytearray()))

    def _watch(self, selector: selectors.BaseSelector, waiting: _Waiting) -> None:
        self._waiting[waiting.conn] = waiting
        selector.register(waiting.conn, selectors.EVENT_READ)
        if waiting.buffer:  # a pipelined request came with the last one
            self._read(selector, waiting.conn, fresh=False)

    def _read(self, selector: selectors.BaseSelector, conn: socket.socket, *, fresh: bool = True) -> None:
        waiting = self._waiting.get(conn)
        if waiting is None:
            return
        if fresh:
            try:
                data = conn.recv(8192)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                data = b""
            if not data:
                self._forget(selector, conn, close=True)
                return
            waiting.buffer += data
        end = _head_end(waiting.buffer)
        if end < 0:
            if len(waiting.buffer) > HEAD_LIMIT:
                self._forget(selector, conn, close=False)
                _refuse(conn, HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE)
            return
        self._forget(selector, conn, close=False)
        head, rest = bytes(waiting.buffer[:end]), bytes(waiting.buffer[end:])
        self._pool.submit(self._answer, conn, waiting.address, head, rest)

    def _answer(self, conn: socket.socket, address: tuple, head: bytes, rest: bytes) -> None:
        """In a pool thread: answer one request, then hand a kept-alive connection back."""
        keep = False
        with self._lock:
            self._active.add(conn)
        try:
            conn.setblocking(True)
            conn.settimeout(SEND_TIMEOUT_S)
            handler = self.handler(conn, address, self, head)
            keep = not handler.close_connection
        except Exception:  # noqa: BLE001 - a broken client must never take a thread or the server down
            keep = False
        finally:
            with self._lock:
                self._active.discard(conn)
        if keep and not self._stop.is_set():
            conn.setblocking(False)
            self._returned.put(_Waiting(conn, address, time.monotonic() + HEAD_TIMEOUT_S, bytearray(rest)))
            self._wake()
        else:
            _close(conn)

    def _take_back(self, selector: selectors.BaseSelector) -> None:
        try:
            while self._wake_r.recv(4096):
                pass
        except (BlockingIOError, InterruptedError, OSError):
            pass
        while True:
            try:
                waiting = self._returned.get_nowait()
            except queue.Empty:
                return
            if len(self._waiting) >= self.max_waiting:
                self._drop_oldest(selector)
            self._watch(selector, waiting)

    def _expire(self, selector: selectors.BaseSelector) -> None:
        now = time.monotonic()
        while self._waiting:
            waiting = next(iter(self._waiting.values()))
            if waiting.deadline > now:
                break
            self._forget(selector, waiting.conn, close=True)

    def _drop_oldest(self, selector: selectors.BaseSelector) -> None:
        if self._waiting:
            self._forget(selector, next(iter(self._waiting)), close=True)

    def _forget(self, selector: selectors.BaseSelector, conn: socket.socket, *, close: bool) -> None:
        self._waiting.pop(conn, None)
        try:
            selector.unregister(conn)
        except (KeyError, ValueError):
            pass
        if close:
            _close(conn)

    def _wake(self) -> None:
        try:
            self._wake_w.send(b"\0")
        except OSError:
            pass


def _head_end(buffer: bytearray) -> int:
    """Where the request head ends (after its blank line), or -1 if it has not yet."""
    at = buffer.find(b"\r\n\r\n")
    if at >= 0:
        return at + 4
    at = buffer.find(b"\n\n")
    return at + 2 if at >= 0 else -1


def _refuse(conn: socket.socket, status: HTTPStatus) -> None:
    try:
        conn.setblocking(True)
        conn.settimeout(1.0)
        conn.sendall(
            f"HTTP/1.1 {status.value} {status.phrase}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode()
        )
    except OSError:
        pass
    _close(conn)


def _close(conn: socket.socket) -> None:
    try:
        conn.close()
    except OSError:
        pass


class FolderHandler(BaseHTTPRequestHandler):
    """GET and HEAD for the files of one folder, with ranges and conditional requests."""

    root: Path
    server_version = "listen"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def __init__(self, conn: socket.socket, address: tuple, server: ListenServer, head: bytes) -> None:
        self.head = head  # the complete request head, read by the server's loop
        super().__init__(conn, address, server)  # type: ignore[arg-type]

    def setup(self) -> None:
        self.connection = self.request
        self.rfile = io.BytesIO(self.head)
        self.wfile = _SocketWriter(self.request)

    def handle(self) -> None:
        """One request per hand-over: the loop, not this thread, waits for the next one."""
        self.close_connection = True
        self.handle_one_request()

    def finish(self) -> None:
        pass  # the server decides whether the connection lives on

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        if self._has_body():
            return
        self._respond(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        if self._has_body():
            return
        self._respond(send_body=False)

    def _has_body(self) -> bool:
        """A GET or HEAD with a body is refused, and the connection closed with it unread."""
        length = (self.headers.get("Content-Length") or "0").strip()
        if length == "0" and "Transfer-Encoding" not in self.headers:
            return False
        self.close_connection = True
        self._send_error(HTTPStatus.BAD_REQUEST, {"Connection": "close"})
        return True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own errors (bad request line, unknown method) as ours: short, with
        the security headers, and the connection closed."""
        self.close_connection = True
        self._send_error(HTTPStatus(code), {"Connection": "close"})

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Stay quiet per request: a screen reader should not read a line per MP3 chunk."""

    def _respond(self, send_body: bool) -> None:
        path = resolve_request_path(self.root, self.path)
        if path is None:
            self._send_error(HTTPStatus.NOT_FOUND)
            return
        try:
            file: IO[bytes] = path.open("rb")
        except OSError:
            self._send_error(HTTPStatus.NOT_FOUND)
            return
        with file:
            stat = os.fstat(file.fileno())
            size, etag = stat.st_size, f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
            if path == self.root / "feed.xml":
                here = self._served_address()
                body = feed_for_address(file.read(), here)
                file = io.BytesIO(body)  # the file on disk closes with the block
                size, etag = len(body), f'"{stat.st_mtime_ns:x}-{len(body):x}-{zlib.crc32(here.encode()):x}"'
            modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
            if self._not_modified(etag, stat.st_mtime):
                self._send_headers(HTTPStatus.NOT_MODIFIED, None, etag, modified, path)
                return
            wanted = self.headers.get("Range") if self._if_range_holds(etag, modified) else None
            byte_range = parse_range(wanted, size) if wanted else None
            if byte_range == "unsatisfiable":
                self._send_error(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE, {"Content-Range": f"bytes */{size}"})
                return
            if isinstance(byte_range, ByteRange):
                extra = {"Content-Range": f"bytes {byte_range.start}-{byte_range.end}/{size}"}
                self._send_headers(HTTPStatus.PARTIAL_CONTENT, byte_range.length, etag, modified, path, extra)
                start, length = byte_range.start, byte_range.length
            else:
                self._send_headers(HTTPStatus.OK, size, etag, modified, path)
                start, length = 0, size
            if send_body:
                self._copy(file, start, length)

    def _served_address(self) -> str:
        """The address this listener reached us at: the Host it asked for when that is a plain
        host[:port], else the local address of its connection."""
        host = (self.headers.get("Host") or "").strip()
        if not HOST_PATTERN.fullmatch(host):
            name, port = self.connection.getsockname()[:2]
            host = f"[{name}]:{port}" if ":" in name else f"{name}:{port}"
        return f"http://{host}/"

    def _not_modified(self, etag: str, mtime: float) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
            return "*" in tags or etag in tags
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return int(mtime) <= email.utils.parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError):
                return False
        return False

    def _if_range_holds(self, etag: str, modified: str) -> bool:
        """If-Range: serve the range only if the file is still the one the player started."""
        condition = self.headers.get("If-Range")
        return condition is None or condition.strip() in (etag, modified)

    def _send_headers(
        self,
        status: HTTPStatus,
        length: int | None,
        etag: str,
        modified: str,
        path: Path,
        extra: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type(path))
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", modified)
        self.send_header("Cache-Control", "no-cache")  # always revalidate; the ETag makes that cheap
        for name, value in {**SECURITY_HEADERS, **(extra or {})}.items():
            self.send_header(name, value)
        self.end_headers()

    def _send_error(self, status: HTTPStatus, extra: dict[str, str] | None = None) -> None:
        body = f"{status.value} {status.phrase}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in {**SECURITY_HEADERS, **(extra or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        if getattr(self, "command", None) != "HEAD":
            self.wfile.write(body)

    def _copy(self, file, start: int, length: int) -> None:  # noqa: ANN001 - a binary file
        file.seek(start)
        try:
            while length > 0:
                chunk = file.read(min(CHUNK, length))
                if not chunk:
                    break
                self.wfile.write(chunk)
                length -= len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            # Players drop connections whenever the listener seeks; that is not an error.
            self.close_connection = True


def feed_for_address(feed: bytes, address: str) -> bytes:
    """The published feed with its --base-url replaced by `address` (http://host:port/), so a
    podcast app on the local network fetches the episodes, artwork, chapters and transcripts
    from this server. The base is read from the feed's own rel="self" link; a feed without
    one is served as it is. Guids are not addresses (feed.episode_guid), so a listener who
    subscribed to the published feed does not get the episodes twice."""
    match = SELF_LINK.search(feed)
    if match is None:
        return feed
    base = match.group(1)[: -len(b"feed.xml")]
    return feed.replace(base, address.encode("ascii"))


def resolve_request_path(root: Path, raw: str) -> Path | None:
    """The file a request path names inside `root`, or None if it is not a plain file there.

    Refused: NUL bytes, backslashes, '.' and '..' segments and hidden names (so also
    `.listen-tmp-` files), anything that resolves outside `root` (symlinks included), and
    folders other than the root, whose index.html is served instead of a listing.
    """
    path = urlsplit(raw).path if "://" in raw[:12] else raw.split("?", 1)[0].split("#", 1)[0]
    try:
        decoded = unquote_to_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\0" in decoded or "\\" in decoded or not decoded.startswith("/"):
        return None
    parts = [p for p in decoded.split("/") if p]
    if any(p.startswith(".") for p in parts):
        return None
    target = root.joinpath(*parts)
    try:
        real = target.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if real != root and root not in real.parents:
        return None
    if real.is_dir():
        real = real / "index.html"
        if not real.is_file():
            return None
    if not real.is_file() or not is_published(real.relative_to(root)):
        return None
    return real


def is_published(relative: Path) -> bool:
    """Whether a file (relative to the folder) is one `listen publish` writes or links to."""
    parts = relative.parts
    name = parts[-1].lower()
    if name.endswith(IMAGE_SUFFIXES):
        return True
    if len(parts) == 1:
        return name in ROOT_NAMES or name.endswith(ROOT_SUFFIXES)
    return len(parts) == 2 and parts[0] == TRANSCRIPT_FOLDER and name.endswith(".html")


def parse_range(header: str, size: int) -> ByteRange | str | None:
    """One byte range, 'unsatisfiable', or None to ignore the header and send the whole file.

    Several ranges at once are answered with the whole file, which HTTP allows and every
    player handles; a malformed header is ignored, as RFC 9110 asks. A position of more
    than MAX_DIGITS digits is past the end of any file: unsatisfiable (int() of 4,300
    digits raised, and dropped the connection with a traceback).
    """
    match = RANGE_PATTERN.fullmatch(header.strip().replace(" ", ""))
    if not match or not (match[1] or match[2]):
        return None

    if not match[1]:  # "bytes=-N": the last N bytes
        suffix = _position(match[2])
        if suffix == 0 or size == 0:
            return "unsatisfiable"
        return ByteRange(max(0, size - suffix), size - 1)
    start = _position(match[1])
    end = _position(match[2]) if match[2] else size - 1
    if start >= size:
        return "unsatisfiable"
    if end < start:
        return None
    return ByteRange(start, min(end, size - 1))


def _position(digits: str) -> int:
    """A byte position; one of more than MAX_DIGITS digits is past the end of any file."""
    return int(digits) if len(digits) <= MAX_DIGITS else 10**MAX_DIGITS


def content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def is_loopback(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")
