"""One request for a published folder answered: GET and HEAD, byte ranges, validators.

The handler is written on BaseHTTPRequestHandler rather than SimpleHTTPRequestHandler
because almost everything the latter adds is what we must not do (directory listings,
lenient path mapping) and what it lacks is what players need (byte ranges, validators).
Which files are served is served_files.py's rule; the feed is rewritten for the address the
listener reached us at (feed_address.py). The server (server.py) reads each request head and
hands it here, on a pool thread, with the connection.
"""

from __future__ import annotations

import base64
import email.utils
import hashlib
import io
import os
import socket
import zlib
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from socketserver import _SocketWriter  # type: ignore[attr-defined]
from typing import IO, TYPE_CHECKING

from listen.publish.feed_address import feed_for_address, served_address
from listen.publish.page import SEEK_SCRIPT
from listen.publish.ranges import ByteRange, parse_range
from listen.publish.served_files import content_type, resolve_request_path

if TYPE_CHECKING:
    from listen.publish.server import ListenServer

CHUNK = 64 * 1024
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
        """The address this listener reached us at (feed_address.served_address)."""
        return served_address(self.headers.get("Host"), self.connection.getsockname())

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
