"""Write files so that the final name only ever holds a complete file.

Outputs are written to a hidden temporary name in the same folder and renamed into place
when complete. A failure or Ctrl-C removes the temporary file; a kill -9 can leave one
behind, which `clean_leftovers` removes on the next run (the name says whose it is).
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from listen.errors import DiskFullError, OutputError

TEMP_MARK = ".listen-tmp-"
# mkstemp makes files only the owner can read; a finished output gets the usual permissions.
_UMASK = os.umask(0o022)
os.umask(_UMASK)


@contextmanager
def atomic_path(dest: Path) -> Iterator[Path]:
    """Yield a temporary path beside `dest`; rename it onto `dest` if the block succeeds."""
    dest = Path(dest)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        # The writer's PID is in the name, so a build starting in this folder leaves the file
        # a reader's Make MP3 is writing there alone (clean_leftovers).
        fd, name = tempfile.mkstemp(prefix=f".{dest.name}{TEMP_MARK}{os.getpid()}-", dir=dest.parent)
    except OSError as exc:
        raise output_error(exc, dest) from exc
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, dest)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise output_error(exc, dest) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(dest: Path, text: str) -> None:
    with atomic_path(dest) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes(dest: Path, data: bytes) -> None:
    with atomic_path(dest) as tmp:
        tmp.write_bytes(data)


def clean_leftovers(folder: Path) -> list[Path]:
    """Remove temporary files a killed run left in `folder`; return what was removed.

    A temporary whose writer (the PID in its name) is another process still running is being
    written, by a reader's Make MP3 or a `speak` beside a build, and is left alone."""
    try:  # a plain listing: every build starts with this, over folders of thousands of files
        with os.scandir(folder) as listing:
            names = [e.name for e in listing if e.name.startswith(".") and TEMP_MARK in e.name[1:]]
    except OSError:
        return []
    removed = []
    for name in names:
        if _writer_running(name):
            continue
        path = Path(folder) / name
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _writer_running(name: str) -> bool:
    digits = name.split(TEMP_MARK, 1)[1].partition("-")[0]
    if not digits.isdigit() or int(digits) in (0, os.getpid()):
        return False  # no writer named (an older name, or a piece), or this process, which is not writing now
    try:
        os.kill(int(digits), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, as another user's process
    return True


def output_error(exc: OSError, dest: Path) -> OutputError:
    """Turn an OSError while writing into a one-line message that names the fix."""
    if exc.errno == errno.ENOSPC:
        return DiskFullError(f"The disk is full while writing {dest}; free some space and run again.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(f"Cannot write {dest}: permission denied; choose another output folder.")
    return OutputError(f"Cannot write {dest}: {exc.strerror or exc}; check the output folder.")
