"""The audio writer's path through a chapter cache: MP3 pieces per chapter, measured, encoded
and kept in the cache (chapter_cache.py), then joined, so that an edited article costs only
the chapters that changed. writer.write_narration chooses this path, places the result and
writes the sidecars.

The chapters are KeyedChapters; the steps:

1. measure: a chapter whose measurement is cached is not pulled at all; any other is spooled
   to its own unnamed file while one meter notes the block loudnesses of them all;
2. gain: the integrated loudness of all chapters' blocks together gives the gain, rounded to
   a grid (loudness.pick_gain) so unchanged chapters keep their cached encodes;
3. encode: the chapters without a cached piece at that gain and bitrate are encoded into the
   cache (from their spools, or pulled again if only the measurement was cached) on
   `encode_jobs` threads that encode several pieces each;
4. join: the pieces' frames are copied into the MP3 behind one Info frame (mp3.join), and
   the chapter times come from the pieces' frame counts, so they are exact; then tag (id3).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

import numpy as np

from listen.atomic import atomic_path
from listen.audio.chapter_cache import CacheUnwritable, ChapterCache, KeyedChapter, Measurement
from listen.audio.chapters import ChapterMark, chapter_marks
from listen.audio.id3 import Tags, tag_size, write_tags
from listen.audio.loudness import Loudness, integrated_lufs, meter, pick_gain
from listen.audio.mp3 import OUTPUT_RATE, PieceInfo, encode_pieces, frame_fill, join, piece_info
from listen.audio.output_files import fsync_file, no_audio, output_errors, spool_file
from listen.audio.pcm import SAMPLE_RATE, SAMPLE_WIDTH, spool
from listen.errors import OutputError


def write_mp3_cached(
    chapters: Sequence[KeyedChapter],
    dest: Path,
    tmp: Path,
    tags: Tags,
    bitrate_kbps: int,
    progress: Callable[[float], None] | None,
    cache: ChapterCache,
    jobs: int,
    part_starts: list[int | None] | None = None,
) -> tuple[tuple[ChapterMark, ...], float, bool]:
    """Measure, encode and join chapter by chapter through `cache`, then tag `tmp`;
    each chapter's first sample in the joined audio goes into `part_starts`."""
    with output_errors(dest), ExitStack() as stack:
        measured, spools = _measure(chapters, dest, progress, cache, stack)
        present = [i for i, m in enumerate(measured) if m.samples > 0]
        if not present:
            raise no_audio(dest)
        gain = _cached_gain(chapters, measured, present, bitrate_kbps, cache)
        pieces = _encode_missing(chapters, present, spools, dest, gain, bitrate_kbps, cache, jobs, stack)
        timing = _joined_timing(chapters, present, pieces)
        if part_starts is not None:
            part_starts[:] = timing.part_starts
        marks = chapter_marks(timing.chapter_starts, -(-timing.samples * SAMPLE_RATE // OUTPUT_RATE))
        paths = [cache.piece(chapters[i].key, gain, bitrate_kbps) for i in present]
        join(paths, dest, tmp, tag_size(tags, marks))
        write_tags(tmp, tags, marks)
        fsync_file(tmp)
    return marks, timing.samples / OUTPUT_RATE, False  # cached pieces: verify_mp3 decodes the whole file


def _measure(
    chapters: Sequence[KeyedChapter],
    dest: Path,
    progress: Callable[[float], None] | None,
    cache: ChapterCache,
    stack: ExitStack,
) -> tuple[list[Measurement], dict[int, IO[bytes]]]:
    """Step 1, measure: every chapter's measurement, and the spools of those measured now.

    A chapter the cache has measured is not pulled. The others are spooled, each to its own
    unnamed file that `stack` closes, through one meter for them all; its blocks are shared
    out among them and cached (CacheUnwritable: see write_narration)."""
    measured: list[Measurement | None] = [cache.measurement(c.key) for c in chapters]
    spools: dict[int, IO[bytes]] = {}
    if any(m is None for m in measured):
        loudness_meter = stack.enter_context(meter(dest, blocks=True))
    metered: dict[int, tuple[int, int]] = {}  # chapter → its samples in the meter's stream
    heard = fed = 0
    for index, (chapter, found) in enumerate(zip(chapters, measured)):
        if found is None:
            raw = spools[index] = stack.enter_context(spool_file(dest))
            blocks = [(chapter.title, chapter.blocks())]
            samples = spool(blocks, (raw.write, loudness_meter.feed), _offset(progress, heard)).samples
            metered[index] = (fed, fed + samples)
            fed += samples
        else:
            chapter.skipped()
            samples = found.samples
            if progress is not None and samples:
                progress((heard + samples) / SAMPLE_RATE)
        heard += samples
    if metered:
        loudness_meter.result()
        for index, measurement in _split_blocks(loudness_meter.blocks(), metered).items():
            measured[index] = measurement
            cache.put_measurement(chapters[index].key, measurement)
    return cast("list[Measurement]", measured), spools


def _cached_gain(
    chapters: Sequence[KeyedChapter],
    measured: Sequence[Measurement],
    present: Sequence[int],
    bitrate_kbps: int,
    cache: ChapterCache,
) -> float:
    """Step 2, gain: one for the whole narration, from all chapters' blocks together, on a
    grid that keeps the cached encodes valid (loudness.pick_gain)."""
    loudness = Loudness(integrated_lufs(np.concatenate([m.blocks for m in measured])))

    def cached_at(gain: float) -> int:
        return sum(cache.has_piece(chapters[i].key, gain, bitrate_kbps) for i in present)

    return pick_gain(loudness, cached_at)


def _encode_missing(
    chapters: Sequence[KeyedChapter],
    present: Sequence[int],
    spools: dict[int, IO[bytes]],
    dest: Path,
    gain: float,
    bitrate_kbps: int,
    cache: ChapterCache,
    jobs: int,
    stack: ExitStack,
) -> dict[int, PieceInfo]:
    """Step 3, encode: each present chapter's piece in the cache at `gain` and `bitrate_kbps`.

    The chapters the cache has no piece for are encoded all together, on at most `jobs`
    threads that each encode several pieces, from their spools (pulled again when only the
    measurement was cached); the spools of chapters encoded already are closed unread."""
    infos = {i: cache.piece_info(chapters[i].key, gain, bitrate_kbps) for i in present}
    missing = [i for i in present if infos[i] is None]
    todo: list[tuple[IO[bytes], str]] = []
    for index in missing:
        raw = spools.pop(index) if index in spools else stack.enter_context(spool_file(dest))
        if raw.tell() == 0:  # only its measurement was cached: pull it again
            spool([(chapters[index].title, chapters[index].blocks())], (raw.write,))
        todo.append((raw, chapters[index].key))
    for raw in spools.values():  # measured, but already encoded at this gain
        raw.close()
    batches = _batches(todo, jobs)
    if len(batches) <= 1:
        done = [_encode_pieces(batch, dest, gain, bitrate_kbps, cache) for batch in batches]
    else:
        with ThreadPoolExecutor(max_workers=len(batches)) as pool:
            done = list(pool.map(lambda batch: _encode_pieces(batch, dest, gain, bitrate_kbps, cache), batches))
    by_key = {key: info for batch, infos_of in zip(batches, done) for (_, key), info in zip(batch, infos_of)}
    infos.update((index, by_key[chapters[index].key]) for index in missing)
    cache.encodes += len(missing)
    return cast("dict[int, PieceInfo]", infos)


@dataclass(frozen=True)
class _JoinedTiming:
    """Where the pieces fall once joined, at SAMPLE_RATE except `samples`: each chapter's
    title and first sample, each part's first sample (None without audio), and the joined
    audio's length at OUTPUT_RATE."""

    chapter_starts: tuple[tuple[str, int], ...]
    part_starts: list[int | None]
    samples: int


def _joined_timing(
    chapters: Sequence[KeyedChapter], present: Sequence[int], pieces: dict[int, PieceInfo]
) -> _JoinedTiming:
    """Step 4, join: the chapter times, counted from the pieces' frames, so they are exact."""
    heads = _chapter_heads(chapters)
    starts: list[tuple[str, int]] = []
    position = 0  # samples at OUTPUT_RATE, where the joined file's decoded audio starts
    first, last = pieces[present[0]], pieces[present[-1]]
    begins: dict[int, int] = {}  # part → its first sample
    previous = present[0]  # bound before the loop reads it; the first part starts its chapter anyway
    for index in present:
        info = pieces[index]
        begins[index] = _at_sample_rate(position + info.delay - first.delay)
        if not starts or heads[index] != heads[previous]:  # the chapter's first part with audio
            starts.append((chapters[heads[index]].title, _at_sample_rate(position + info.delay - first.delay)))
        previous = index
        position += info.samples
    return _JoinedTiming(
        tuple(starts), [begins.get(index) for index in range(len(chapters))], position - first.delay - last.padding
    )


def _split_blocks(blocks: tuple[np.ndarray, np.ndarray], spans: dict[int, tuple[int, int]]) -> dict[int, Measurement]:
    """Share out one meter's blocks among the chapters fed to it: a block belongs to the
    chapter its end falls in. (The 3 blocks that straddle a chapter start hear the end of
    the chapter fed before it, a pause, much as they would in the joined file.)"""
    seconds, lufs = blocks
    order = sorted(spans, key=lambda index: spans[index][1])
    ends = np.array([spans[index][1] for index in order])
    owner = np.minimum(np.searchsorted(ends, np.round(seconds * SAMPLE_RATE), side="left"), len(order) - 1)
    return {index: Measurement(spans[index][1] - spans[index][0], lufs[owner == at]) for at, index in enumerate(order)}


def _encode_pieces(
    jobs: Sequence[tuple[IO[bytes], str]], dest: Path, gain_db: float, bitrate_kbps: int, cache: ChapterCache
) -> list[PieceInfo]:
    """Encode each chapter spooled in a job's file (filled to whole frames) into the cache."""
    try:
        with ExitStack() as stack:
            tmps = []
            for raw, key in jobs:
                samples = raw.tell() // SAMPLE_WIDTH
                raw.write(bytes(frame_fill(samples) * SAMPLE_WIDTH))
                raw.flush()
                os.lseek(raw.fileno(), 0, os.SEEK_SET)
                tmps.append(stack.enter_context(atomic_path(cache.piece(key, gain_db, bitrate_kbps))))
            # not fsynced: like the utterances, the pieces are a cache (checked when read)
            encode_pieces([raw.fileno() for raw, _ in jobs], dest, tmps, gain_db, bitrate_kbps)
            infos = [piece_info(tmp) for tmp in tmps]
            for raw, _ in jobs:
                raw.close()  # give its disk space back now
            if any(info is None for info in infos):
                raise OutputError(f"the encoder wrote no Info frame while encoding {dest}")
    except OSError as exc:
        raise CacheUnwritable(exc.strerror or str(exc)) from exc
    except OutputError as exc:
        if not _cache_refused(exc, cache):
            raise
        raise CacheUnwritable(str(exc)) from exc
    for _, key in jobs:
        cache.seal(key, gain_db, bitrate_kbps)
    return cast("list[PieceInfo]", infos)


def _cache_refused(exc: OutputError, cache: ChapterCache) -> bool:
    """Whether an error while encoding pieces was the cache's disk refusing them."""
    text = str(exc)
    return str(cache.folder) in text or "disk is full" in text or "No space left" in text or "permission denied" in text


def _batches(jobs: list[tuple[IO[bytes], str]], count: int) -> list[list[tuple[IO[bytes], str]]]:
    """`jobs` in at most `count` batches of about equal audio, in order within each."""
    batches: list[list[tuple[IO[bytes], str]]] = [[] for _ in range(min(count, len(jobs)))]
    sizes = [0] * len(batches)
    for job in sorted(jobs, key=lambda job: -job[0].tell()):
        smallest = sizes.index(min(sizes))
        batches[smallest].append(job)
        sizes[smallest] += job[0].tell()
    return batches


def _at_sample_rate(position: int) -> int:
    """A sample position at OUTPUT_RATE as one at SAMPLE_RATE, floored (exact: 2:1)."""
    return position * SAMPLE_RATE // OUTPUT_RATE


def _offset(progress: Callable[[float], None] | None, samples: int) -> Callable[[float], None] | None:
    if progress is None:
        return None
    return lambda seconds: progress(samples / SAMPLE_RATE + seconds)


def _chapter_heads(chapters: Sequence[KeyedChapter]) -> list[int]:
    """For each part, the index of the part its chapter begins with (a part that `continues`
    belongs to the chapter of the part before it)."""
    heads: list[int] = []
    for index, chapter in enumerate(chapters):
        heads.append(heads[-1] if heads and chapter.continues else index)
    return heads
