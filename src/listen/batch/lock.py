"""One writer per output folder: a build holds an fcntl lock on DIR/.listen-build.lock.

Two builds into one folder each rewrote the manifest from their own view of it, and the
last one to save lost the other's articles (7 of 13 in a trial). The lock is held for the
whole build and released by the kernel however the build ends (kill -9 included), so a
stale lock file never blocks anyone; the file holds the holder's PID for the message.
"""

from __future__ import annotations

import errno
import fcntl
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from listen.atomic import output_error
from listen.errors import ListenError

LOCK_NAME = ".listen-build.lock"  # hidden: never served, never scanned as an article


class FolderBusyError(ListenError):
    """Another build is writing into the same output folder."""


@contextmanager
def output_lock(folder: Path, *, wait: bool = False) -> Iterator[None]:
    """Hold the folder's build lock; refuse at once (or, with `wait`, wait) if it is held."""
    path = Path(folder) / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise output_error(exc, path) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise output_error(exc, path) from exc
            holder = _holder(fd)
            if not wait:
                raise FolderBusyError(
                    f"another listen build{holder} is writing to {folder}; wait for it to finish, "
                    "or run again with --wait."
                ) from None
            print(f"listen: waiting for the listen build{holder} writing to {folder}…", file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _holder(fd: int) -> str:
    try:
        pid = int(os.pread(fd, 32, 0).decode("ascii").strip())
    except (OSError, ValueError, UnicodeDecodeError):
        return ""
    return f" (PID {pid})"
