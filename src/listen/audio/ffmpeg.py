"""Running ffmpeg: finding it, starting it so it dies with us, and reading its failures.

ffmpeg does what is left outside this process (decoding an MP3 in full to check it, the
M4B encode, reading other engines' audio); the MP3 encode (lame.py) and the loudness meter
(loudness.py) moved in process, where they cost less CPU. A child must never outlive
a killed parent and go on writing a file nobody will rename, hence the death signal.
"""

from __future__ import annotations

import ctypes
import errno
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from listen.atomic import output_error
from listen.errors import OutputError

MISSING = "ffmpeg is not installed; install it with: sudo apt-get install ffmpeg"
_PR_SET_PDEATHSIG = 1
_CONTEXT = re.compile(r"^\[[^]]+ @ 0x[0-9a-f]+\]\s*")  # "[libmp3lame @ 0x55c4…] "


def ffmpeg_binary() -> str:
    """The ffmpeg executable on PATH, or an OutputError that says how to install it."""
    found = shutil.which("ffmpeg")
    if found is None:
        raise OutputError(MISSING)
    return found


@contextmanager
def ffmpeg(
    args: Sequence[str], *, stdin: int | None = None, pass_fds: Sequence[int] = (), loglevel: str = "error"
) -> Iterator[tuple[subprocess.Popen[bytes], IO[bytes]]]:
    """Start `ffmpeg args`; yield the process and a file collecting its stderr.

    stderr goes to an unnamed temporary file rather than a pipe, so a chatty ffmpeg can
    never block on a full pipe. Leaving the block early (an error, Ctrl-C) kills the child.
    At the default loglevel stderr holds only errors, so the first line is the cause.
    """
    command = [ffmpeg_binary(), "-hide_banner", "-nostdin", "-nostats", "-loglevel", loglevel, *args]
    with tempfile.TemporaryFile() as log:
        try:
            proc = subprocess.Popen(
                command,
                stdin=stdin,
                stdout=subprocess.DEVNULL,
                stderr=log,
                pass_fds=tuple(pass_fds),
                preexec_fn=_die_with_parent if _prctl is not None else None,
            )
        except FileNotFoundError as exc:  # removed between which() and here
            raise OutputError(MISSING) from exc
        try:
            yield proc, log
        finally:
            if proc.poll() is None:
                proc.kill()
            if proc.stdin is not None:
                with suppress(BrokenPipeError):  # unflushed input for a child that is gone
                    proc.stdin.close()
            proc.wait()


def check(proc: subprocess.Popen[bytes], log: IO[bytes], dest: Path, doing: str, *, cause_line: int = 0) -> str:
    """Wait for ffmpeg; return its stderr text, or raise an OutputError naming the cause.

    The cause is stderr's first line at loglevel error; a caller logging more says which.
    """
    code = proc.wait()
    log.seek(0)
    text = log.read().decode("utf-8", "replace")
    if code == 0:
        return text
    if "No space left on device" in text:
        raise output_error(OSError(errno.ENOSPC, "No space left on device"), dest)
    if "Permission denied" in text:
        raise output_error(OSError(errno.EACCES, "Permission denied"), dest)
    lines = [_CONTEXT.sub("", line).strip() for line in text.splitlines() if line.strip()]
    cause = lines[cause_line] if lines else f"exit status {code}"
    raise OutputError(f"ffmpeg failed while {doing} {dest}: {cause}")


def _load_prctl() -> Callable[[int, int], int] | None:
    """prctl from the C library, looked up once here: the child may only call it."""
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_prctl = _load_prctl() if sys.platform.startswith("linux") else None


def _die_with_parent() -> None:
    """In the child before exec: ask Linux to SIGKILL it when its parent dies."""
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
