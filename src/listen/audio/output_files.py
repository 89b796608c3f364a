"""The audio writer's own files: unnamed PCM spools, durable writes, and the one-line
OutputErrors a disk or tag failure becomes. Shared by writer.py and cached_writer.py."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from mutagen import MutagenError

from listen.atomic import TEMP_MARK, output_error
from listen.errors import OutputError


def spool_file(dest: Path) -> IO[bytes]:
    return tempfile.TemporaryFile(dir=dest.parent, prefix=f".{dest.name}{TEMP_MARK}pcm-")


def no_audio(dest: Path) -> OutputError:
    return OutputError(
        f"Nothing to write to {dest}: the narration has no audio; check that the article has text to speak."
    )


@contextmanager
def output_errors(dest: Path) -> Iterator[None]:
    """Disk and tag-writing failures as the one-line OutputErrors users see."""
    try:
        yield
    except OSError as exc:
        raise output_error(exc, dest) from exc
    except MutagenError as exc:
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, OSError):
            raise output_error(cause, dest) from exc
        raise OutputError(f"Cannot write the tags of {dest}: {exc}") from exc


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
