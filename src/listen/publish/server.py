"""`listen serve`: share a published folder on the local network, the way players expect.

The standard library's ThreadingHTTPServer does the networking; the handler is written on
BaseHTTPRequestHandler rather than SimpleHTTPRequestHandler because almost everything the
latter adds is what we must not do (directory listings, lenient path mapping) and what it
lacks is what players need (byte ranges, validators). Every request path is reduced to plain
name segments and resolved inside the folder; anything else is a 404, so nothing outside the
folder, and no hidden or temporary file inside it, is ever served.
"""

from __future__ import annotations

import email.utils
import mimetypes
import os
import re
import socket
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlsplit

from listen.errors import UsageError

CHUNK = 64 * 1024
CONTENT_TYPES = {
    ".mp3": "audio/mpeg",
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


@dataclass(frozen=True)
class ByteRange:
    """An inclusive slice of a file, as HTTP counts it."""

    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start + 1


def make_server(folder: Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """A ready server for `folder` (port 0 picks a free port: see server.server_address)."""
    root = Path(folder)
    if not root.is_dir():
        raise UsageError(f"{folder} is not a folder; run 'listen publish' first or name the published folder.")
    handler = type("FolderHandler", (FolderHandler,), {"root": root.resolve()})
    server_class = ListenServer6 if ":" in host else ListenServer
    try:
        return server_class((host, port), handler)
    except OSError as exc:
        raise UsageError(f"Cannot listen on {host}:{port} ({exc.strerror or exc}); choose another --port.") from exc


class ListenServer(ThreadingHTTPServer):
    """Threads die with the server, so Ctrl-C never waits for a slow download to finish."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # 50 players opening connections at once must not be refused


class ListenServer6(ListenServer):
    """The same, for an IPv6 address such as ::1."""

    address_family = socket.AF_INET6


class FolderHandler(BaseHTTPRequestHandler):
    """GET and HEAD for the files of one folder, with ranges and conditional requests."""

    root: Path
    server_version = "listen"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = 60  # an idle kept-alive connection gives its thread back after a minute

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self._respond(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(send_body=False)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Stay quiet per request: a screen reader should not read a line per MP3 chunk."""

    def _respond(self, send_body: bool) -> None:
        path = resolve_request_path(self.root, self.path)
        if path is None:
            self._send_error(HTTPStatus.NOT_FOUND)
            return
        try:
            file = path.open("rb")
        except OSError:
            self._send_error(HTTPStatus.NOT_FOUND)
            return
        with file:
            stat = os.fstat(file.fileno())
            size, etag = stat.st_size, f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
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

    def _send_headers(self, status: HTTPStatus, length: int | None, etag: str, modified: str,
                      path: Path, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type(path))
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", modified)
        self.send_header("Cache-Control", "no-cache")  # always revalidate; the ETag makes that cheap
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()

    def _send_error(self, status: HTTPStatus, extra: dict[str, str] | None = None) -> None:
        body = f"{status.value} {status.phrase}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
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
    return real if real.is_file() else None


def parse_range(header: str, size: int) -> ByteRange | str | None:
    """One byte range, 'unsatisfiable', or None to ignore the header and send the whole file.

    Several ranges at once are answered with the whole file, which HTTP allows and every
    player handles; a malformed header is ignored, as RFC 9110 asks.
    """
    match = RANGE_PATTERN.fullmatch(header.strip().replace(" ", ""))
    if not match or not (match[1] or match[2]):
        return None
    if not match[1]:  # "bytes=-N": the last N bytes
        suffix = int(match[2])
        if suffix == 0 or size == 0:
            return "unsatisfiable"
        return ByteRange(max(0, size - suffix), size - 1)
    start = int(match[1])
    end = int(match[2]) if match[2] else size - 1
    if start >= size:
        return "unsatisfiable"
    if end < start:
        return None
    return ByteRange(start, min(end, size - 1))


def content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def is_loopback(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")

