"""One narration → NAME.mp3 + NAME.chapters.json + NAME.vtt, streamed and atomic.

The shape, so that memory stays flat however long the article:

1. spool: pull the narrator's blocks (synthesis happens as we pull) and write each one to an
   unnamed temporary file beside the output and, through a pipe, to an ebur128 meter;
2. encode: one ffmpeg pass reads the file back, applies the gain the meter asked for and a
   peak limiter, and writes the MP3 to a temporary name;
3. tag: ID3v2.3 with CHAP/CTOC frames into room the encoder reserved; write the sidecars;
   rename the sidecars and then the MP3 into place.

The PCM spool has no name (O_TMPFILE), so even a kill -9 leaves nothing of it; the MP3 and
sidecar temporaries carry listen.atomic's marker so `clean_leftovers` finds them.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from mutagen import MutagenError

from listen.atomic import TEMP_MARK, atomic_path, output_error
from listen.audio.chapters import ChapterMark, chapter_marks
from listen.audio.ffmpeg import ffmpeg_binary
from listen.audio.id3 import Tags, tag_size, write_tags
from listen.audio.loudness import meter
from listen.audio.mp3 import check_bitrate, encode, frame_fill
from listen.audio.pcm import SAMPLE_RATE, SAMPLE_WIDTH, spool
from listen.audio.sidecars import chapters_json, sidecar_paths, webvtt
from listen.errors import OutputError


@dataclass(frozen=True)
class AudioResult:
    """A finished narration: the MP3, how long it plays, its chapters and its sidecars."""

    path: Path
    duration_s: float
    chapters: tuple[ChapterMark, ...]
    bytes: int
    sidecars: tuple[Path, ...]


def write_narration(
    chapters: Iterable[tuple[str, Iterable[np.ndarray]]],
    dest: Path,
    tags: Tags,
    *,
    bitrate_kbps: int = 64,
    progress: Callable[[float], None] | None = None,
) -> AudioResult:
    """Write `chapters` — (title, int16 blocks at SAMPLE_RATE), consumed once, lazily — to `dest`.

    `progress` is called after each block with the seconds of audio taken in so far. On
    any error or interrupt none of the three files appears and no temporary file remains.
    Chapters without audio are left out. Raises OutputError for a disk or permission
    problem, a missing ffmpeg, or a narration with no audio at all.
    """
    dest = Path(dest)
    check_bitrate(bitrate_kbps)
    ffmpeg_binary()  # fail before any synthesis is wasted
    json_path, vtt_path = sidecar_paths(dest)
    placed: list[Path] = []
    try:
        with atomic_path(dest) as mp3_tmp:
            marks, samples = _write_mp3(chapters, dest, mp3_tmp, tags, bitrate_kbps, progress)
            for path, text in ((json_path, chapters_json(marks, tags.title)), (vtt_path, webvtt(marks))):
                _write_synced(path, text.encode("utf-8"))
                placed.append(path)
    except BaseException:
        for path in placed:  # the MP3 never made it: its sidecars must not stay alone
            path.unlink(missing_ok=True)
        raise
    return AudioResult(dest, samples / SAMPLE_RATE, marks, dest.stat().st_size, (json_path, vtt_path))


def _write_mp3(
    chapters: Iterable[tuple[str, Iterable[np.ndarray]]],
    dest: Path,
    tmp: Path,
    tags: Tags,
    bitrate_kbps: int,
    progress: Callable[[float], None] | None,
) -> tuple[tuple[ChapterMark, ...], int]:
    """Spool, measure, encode and tag into `tmp`; return the chapter marks and sample count."""
    try:
        with tempfile.TemporaryFile(dir=dest.parent, prefix=f".{dest.name}{TEMP_MARK}pcm-") as raw:
            with meter(dest) as loudness_meter:
                spooled = spool(chapters, (raw.write, loudness_meter.feed), progress)
                if spooled.samples == 0:
                    raise OutputError(
                        f"Nothing to write to {dest}: the narration has no audio; "
                        "check that the article has text to speak."
                    )
                loudness = loudness_meter.result()
            fill = frame_fill(spooled.samples)
            raw.write(bytes(fill * SAMPLE_WIDTH))
            raw.flush()
            os.lseek(raw.fileno(), 0, os.SEEK_SET)
            samples = spooled.samples + fill
            marks = chapter_marks(spooled.starts, samples)
            encode(raw.fileno(), dest, tmp, loudness, bitrate_kbps, tag_size(tags, marks))
        write_tags(tmp, tags, marks)
        _fsync(tmp)
    except OSError as exc:
        raise output_error(exc, dest) from exc
    except MutagenError as exc:
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, OSError):
            raise output_error(cause, dest) from exc
        raise OutputError(f"Cannot write the tags of {dest}: {exc}") from exc
    return marks, samples


def _write_synced(dest: Path, data: bytes) -> None:
    """Write a small file atomically and durably: a reboot leaves it whole or absent."""
    with atomic_path(dest) as tmp:
        tmp.write_bytes(data)
        _fsync(tmp)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
