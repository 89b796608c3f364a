"""`listen serve`: share a published folder on the local network, the way players expect.

This module holds the server's life: the listening socket, one selector loop, the pool that
answers, and shutdown. What one request gets is folder_handler.py's (with served_files.py,
ranges.py and feed_address.py).

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

import errno
import queue
import resource
import selectors
import socket
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path

from listen.errors import UsageError
from listen.publish.folder_handler import FolderHandler

WORKERS = 32  # threads that answer complete requests
HEAD_TIMEOUT_S = 10.0  # a request head must arrive within this (and a kept-alive connection idle no longer)
HEAD_LIMIT = 16 * 1024  # bytes of request line and headers
SEND_TIMEOUT_S = 30.0  # a client that reads nothing for this long is dropped


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


def is_loopback(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")
