"""One narration → NAME.mp3 + NAME.chapters.json + NAME.vtt, streamed and atomic.

The shape, so that memory stays flat however long the article:

1. spool: pull the narrator's blocks (synthesis happens as we pull) and write each one to an
   unnamed temporary file beside the output and to a loudness meter (libebur128, on a thread);
2. encode: LAME, in this process (lame.py), reads the file back, with the gain the meter
   asked for and a peak limiter, and writes the MP3 to a temporary name; a long narration is
   cut in pauses and its pieces encoded on `encode_jobs` threads at once, then joined
   (mp3.encode_split), most of them while it is still being synthesised (overlap.py);
3. tag: ID3v2.3 with CHAP/CTOC frames into room the encoder reserved; write the sidecars;
   rename the sidecars and then the MP3 into place.

The PCM spool has no name (O_TMPFILE), so even a kill -9 leaves nothing of it; the MP3 and
sidecar temporaries carry listen.atomic's marker so `clean_leftovers` finds them.

With a `chapter_cache` the work is done per chapter instead (cached_writer.py), so that an
edited article costs only the chapters that changed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

import numpy as np

from listen.atomic import atomic_path
from listen.audio.cached_writer import write_mp3_cached
from listen.audio.chapter_cache import CacheUnwritable, ChapterCache, KeyedChapter, warn
from listen.audio.chapters import ChapterMark, chapter_marks
from listen.audio.ffmpeg import ffmpeg_binary
from listen.audio.id3 import Tags, tag_size, write_tags
from listen.audio.loudness import Loudness, Meter, meter
from listen.audio.m4b import M4B_SUFFIX, encode_m4b
from listen.audio.mp3 import OUTPUT_RATE, check_bitrate, encode_split, frame_fill
from listen.audio.output_files import fsync_file, no_audio, output_errors, spool_file
from listen.audio.overlap import OverlappedEncode
from listen.audio.pcm import SAMPLE_RATE, SAMPLE_WIDTH, spool
from listen.audio.sidecars import (
    TimedUtterance,
    chapters_json,
    place_cues,
    sidecar_paths,
    transcript_paths,
    transcript_srt,
    transcript_vtt,
    webvtt,
)
from listen.audio.verify import verify_joined, verify_mp3


def default_encode_jobs() -> int:
    """Encode threads for one narration when nobody says: alone on the machine (`listen
    speak`) two cores finish it sooner; a build with a process per core passes 1."""
    return max(1, min(2, os.cpu_count() or 1))


@dataclass(frozen=True)
class AudioResult:
    """A finished narration: the MP3, how long it plays, its chapters and its sidecars."""

    path: Path
    duration_s: float
    chapters: tuple[ChapterMark, ...]
    bytes: int
    sidecars: tuple[Path, ...]


def write_narration(
    chapters: Iterable[tuple[str, Iterable[np.ndarray]]] | Iterable[KeyedChapter],
    dest: Path,
    tags: Tags,
    *,
    bitrate_kbps: int = 64,
    progress: Callable[[float], None] | None = None,
    chapter_cache: ChapterCache | None = None,
    timeline: Callable[[], Sequence[Sequence[TimedUtterance]]] | None = None,
    cover: Path | None = None,
    encode_jobs: int | None = None,
) -> AudioResult:
    """Write `chapters` — (title, int16 blocks at SAMPLE_RATE), consumed once, lazily — to `dest`.

    `progress` is called after each block with the seconds of audio taken in so far. On
    any error or interrupt none of the three files appears and no temporary file remains.
    Chapters without audio are left out. Raises OutputError for a disk or permission
    problem, a missing ffmpeg, or a narration with no audio at all.

    With `chapter_cache` the chapters must be KeyedChapters, and chapters already measured
    and encoded there are neither pulled nor encoded again (see the module docstring). If
    the cache folder cannot be written to, the narration is written as without one.

    With `timeline` (called once all audio is pulled: each chapter's, or part's, utterances
    timed in samples from its own start) NAME.transcript.vtt and .srt are written too, their
    cues placed by the same chapter starts the chapter marks come from.

    A `dest` ending in .m4b is written as an audiobook instead (m4b.py: AAC, MP4 chapters,
    `cover` when given), at the same loudness, without the chapter cache (its pieces are MP3).

    `encode_jobs` is how many threads encode at once (default_encode_jobs() when None).
    """
    dest = Path(dest)
    check_bitrate(bitrate_kbps)
    jobs = max(1, encode_jobs or default_encode_jobs())
    ffmpeg_binary()  # fail before any synthesis is wasted
    if chapter_cache is not None and (dest.suffix.lower() == M4B_SUFFIX or not chapter_cache.usable()):
        chapters = ((c.title, _pulled(c)) for c in _keyed(chapters))
        chapter_cache = None
    if chapter_cache is None:
        return _place(chapters, dest, tags, bitrate_kbps, progress, None, timeline, jobs, cover)
    keyed = _keyed(chapters)
    try:
        return _place(keyed, dest, tags, bitrate_kbps, progress, chapter_cache, timeline, jobs)
    except CacheUnwritable as exc:
        # The cache only saves time: a full or read-only cache disk must not stop the build.
        warn(f"cannot write the audio cache in {chapter_cache.folder} ({exc}); narrating {dest.name} without it.")
        plain = ((c.title, _pulled(c)) for c in keyed)
        return _place(plain, dest, tags, bitrate_kbps, progress, None, timeline, jobs)


def _place(
    chapters: Iterable[tuple[str, Iterable[np.ndarray]]] | Iterable[KeyedChapter],
    dest: Path,
    tags: Tags,
    bitrate_kbps: int,
    progress: Callable[[float], None] | None,
    chapter_cache: ChapterCache | None,
    timeline: Callable[[], Sequence[Sequence[TimedUtterance]]] | None,
    jobs: int,
    cover: Path | None = None,
) -> AudioResult:
    """Write, check (verify.py) and rename the MP3 (or M4B) and its sidecars: all or none."""
    json_path, vtt_path = sidecar_paths(dest)
    starts: list[int | None] = []  # each chapter's (part's) first sample in the finished audio
    placed: list[Path] = []
    try:
        with atomic_path(dest) as mp3_tmp:
            if chapter_cache is None:
                counted = _counted(cast("Iterable[tuple[str, Iterable[np.ndarray]]]", chapters), starts)
                write = _write_mp3(counted, dest, mp3_tmp, tags, bitrate_kbps, progress, jobs, cover)
            else:
                keyed = _keyed(chapters)
                write = write_mp3_cached(
                    keyed, dest, mp3_tmp, tags, bitrate_kbps, progress, chapter_cache, jobs, starts
                )
            marks, seconds, verified = write
            if not verified:
                verify_mp3(mp3_tmp, dest, seconds)
            files = [(json_path, chapters_json(marks, tags.title)), (vtt_path, webvtt(marks))]
            if timeline is not None:
                cues = place_cues(timeline(), starts)
                files += zip(transcript_paths(dest), (transcript_vtt(cues), transcript_srt(cues)))
            for path, text in files:
                _write_synced(path, text.encode("utf-8"))
                placed.append(path)
    except BaseException:
        for path in placed:  # the MP3 never made it: its sidecars must not stay alone
            path.unlink(missing_ok=True)
        raise
    return AudioResult(dest, seconds, marks, dest.stat().st_size, tuple(placed))


def _counted(
    chapters: Iterable[tuple[str, Iterable[np.ndarray]]], starts: list[int | None]
) -> Iterator[tuple[str, Iterable[np.ndarray]]]:
    """The chapters as they are, noting in `starts` the sample each one begins at."""
    total = [0]

    def counting(blocks: Iterable[np.ndarray]) -> Iterator[np.ndarray]:
        for block in blocks:
            total[0] += np.asarray(block).size
            yield block

    for title, blocks in chapters:
        starts.append(total[0])
        yield title, counting(blocks)


def _write_mp3(
    chapters: Iterable[tuple[str, Iterable[np.ndarray]]],
    dest: Path,
    tmp: Path,
    tags: Tags,
    bitrate_kbps: int,
    progress: Callable[[float], None] | None,
    jobs: int,
    cover: Path | None = None,
) -> tuple[tuple[ChapterMark, ...], float, bool]:
    """Spool, measure, encode and tag into `tmp`; return the chapter marks, the seconds, and
    whether the MP3 was checked already (its pieces decoded as they were encoded: verify.py)."""
    verified = False
    with output_errors(dest):
        with spool_file(dest) as raw, ExitStack() as stack:
            with meter(dest, blocks=True) as loudness_meter:
                early = (
                    None
                    if dest.suffix.lower() == M4B_SUFFIX
                    else OverlappedEncode(
                        raw, dest, bitrate_kbps, jobs, lambda seconds: _guessed_gain(loudness_meter, seconds), stack
                    )
                )
                spooled = spool(chapters, (raw.write, loudness_meter.feed, _growing(raw, early)), progress)
                if spooled.samples == 0:
                    raise no_audio(dest)
                loudness = loudness_meter.result()
            fill = frame_fill(spooled.samples)
            raw.write(bytes(fill * SAMPLE_WIDTH))
            raw.flush()
            samples = spooled.samples + fill
            if dest.suffix.lower() == M4B_SUFFIX:
                marks = chapter_marks(spooled.starts, samples)
                os.lseek(raw.fileno(), 0, os.SEEK_SET)
                encode_m4b(raw.fileno(), dest, tmp, loudness.gain_db, bitrate_kbps, tags, marks, cover)
                seconds = samples / SAMPLE_RATE
            else:
                room = tag_size(tags, chapter_marks(spooled.starts, samples))  # marks' values do not change its size
                layout = early.finish(samples, loudness.gain_db, tmp, room) if early is not None else None
                layout = layout or encode_split(
                    raw.fileno(), samples, dest, tmp, loudness.gain_db, bitrate_kbps, room, jobs
                )
                marks = chapter_marks(
                    tuple((title, layout.at(first)) for title, first in spooled.starts), layout.samples
                )
                write_tags(tmp, tags, marks)
                seconds = layout.output_samples / OUTPUT_RATE
                if early is not None and early.checked_frames is not None:
                    seconds = verify_joined(tmp, dest, seconds, early.pieces, early.checked_frames)
                    verified = True
        fsync_file(tmp)
    return marks, seconds, verified


def _growing(raw: IO[bytes], early: OverlappedEncode | None) -> Callable[[memoryview], None]:
    """A spool writer (after the file's own) that tells `early` how many samples are there."""
    written = [0]

    def grew(data: memoryview) -> None:
        written[0] += len(data) // SAMPLE_WIDTH
        if early is not None:
            raw.flush()  # the encode threads read the file, not this buffer
            early.grew(written[0])

    return grew


def _guessed_gain(loudness_meter: Meter, seconds: float) -> float | None:
    """The gain the narration's first `seconds` ask for, from the meter's running loudness."""
    lufs = loudness_meter.integrated_at(seconds)
    return None if lufs is None else Loudness(lufs).gain_db


def _keyed(chapters: Iterable[tuple[str, Iterable[np.ndarray]]] | Iterable[KeyedChapter]) -> list[KeyedChapter]:
    """The chapters as KeyedChapters: what write_narration takes with a chapter cache."""
    return list(cast("Iterable[KeyedChapter]", chapters))


def _pulled(chapter: KeyedChapter) -> Iterator[np.ndarray]:
    yield from chapter.blocks()


def _write_synced(dest: Path, data: bytes) -> None:
    """Write a small file atomically and durably: a reboot leaves it whole or absent."""
    with atomic_path(dest) as tmp:
        tmp.write_bytes(data)
        fsync_file(tmp)
