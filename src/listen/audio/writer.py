"""One narration → NAME.mp3 + NAME.chapters.json + NAME.vtt, streamed and atomic.

The shape, so that memory stays flat however long the article:

1. spool: pull the narrator's blocks (synthesis happens as we pull) and write each one to an
   unnamed temporary file beside the output and, through a pipe, to an ebur128 meter;
2. encode: LAME, in this process (lame.py), reads the file back, with the gain the meter
   asked for and a peak limiter, and writes the MP3 to a temporary name; a long narration is
   cut in pauses and its pieces encoded on `encode_jobs` threads at once, then joined
   (mp3.encode_split), most of them while it is still being synthesised (overlap.py);
3. tag: ID3v2.3 with CHAP/CTOC frames into room the encoder reserved; write the sidecars;
   rename the sidecars and then the MP3 into place.

The PCM spool has no name (O_TMPFILE), so even a kill -9 leaves nothing of it; the MP3 and
sidecar temporaries carry listen.atomic's marker so `clean_leftovers` finds them.

With a `chapter_cache` (chapter_cache.py) the chapters are KeyedChapters and the work is
done per chapter, so that an edited article costs only the chapters that changed:

1. measure: a chapter whose measurement is cached is not pulled at all; any other is spooled
   to its own unnamed file while one ebur128 meter logs the block loudnesses of them all;
2. gain: the integrated loudness of all chapters' blocks together gives the gain, rounded to
   a grid (loudness.pick_gain) so unchanged chapters keep their cached encodes;
3. encode: the chapters without a cached piece at that gain and bitrate are encoded into the
   cache (from their spools, or pulled again if only the measurement was cached) on
   `encode_jobs` threads that encode several pieces each;
4. join: the pieces' frames are copied into the MP3 behind one Info frame (mp3.join), and
   the chapter times come from the pieces' frame counts, so they are exact; then tag as above.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

import numpy as np
from mutagen import MutagenError

from listen.atomic import TEMP_MARK, atomic_path, output_error
from listen.audio.chapter_cache import CacheUnwritable, ChapterCache, KeyedChapter, Measurement, warn
from listen.audio.chapters import ChapterMark, chapter_marks
from listen.audio.ffmpeg import ffmpeg_binary
from listen.audio.id3 import Tags, tag_size, write_tags
from listen.audio.loudness import Loudness, Meter, integrated_lufs, meter, pick_gain
from listen.audio.m4b import M4B_SUFFIX, encode_m4b
from listen.audio.overlap import OverlappedEncode
from listen.audio.mp3 import (
    OUTPUT_RATE,
    PieceInfo,
    check_bitrate,
    encode_pieces,
    encode_split,
    frame_fill,
    join,
    piece_info,
)
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
from listen.errors import OutputError


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
                write = _write_mp3_cached(
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
    with _output_errors(dest):
        with _spool_file(dest) as raw, ExitStack() as stack:
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
                    raise _no_audio(dest)
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
        _fsync(tmp)
    return marks, seconds, verified


def _write_mp3_cached(
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
    with _output_errors(dest), ExitStack() as stack:
        measured, spools = _measure(chapters, dest, progress, cache, stack)
        present = [i for i, m in enumerate(measured) if m.samples > 0]
        if not present:
            raise _no_audio(dest)
        gain = _cached_gain(chapters, measured, present, bitrate_kbps, cache)
        pieces = _encode_missing(chapters, present, spools, dest, gain, bitrate_kbps, cache, jobs, stack)
        timing = _joined_timing(chapters, present, pieces)
        if part_starts is not None:
            part_starts[:] = timing.part_starts
        marks = chapter_marks(timing.chapter_starts, -(-timing.samples * SAMPLE_RATE // OUTPUT_RATE))
        paths = [cache.piece(chapters[i].key, gain, bitrate_kbps) for i in present]
        join(paths, dest, tmp, tag_size(tags, marks))
        write_tags(tmp, tags, marks)
        _fsync(tmp)
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
            raw = spools[index] = stack.enter_context(_spool_file(dest))
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
        raw = spools.pop(index) if index in spools else stack.enter_context(_spool_file(dest))
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


def _keyed(chapters: Iterable[tuple[str, Iterable[np.ndarray]]] | Iterable[KeyedChapter]) -> list[KeyedChapter]:
    """The chapters as KeyedChapters: what write_narration takes with a chapter cache."""
    return list(cast("Iterable[KeyedChapter]", chapters))


def _pulled(chapter: KeyedChapter) -> Iterator[np.ndarray]:
    yield from chapter.blocks()


def _spool_file(dest: Path) -> IO[bytes]:
    return tempfile.TemporaryFile(dir=dest.parent, prefix=f".{dest.name}{TEMP_MARK}pcm-")


def _no_audio(dest: Path) -> OutputError:
    return OutputError(
        f"Nothing to write to {dest}: the narration has no audio; check that the article has text to speak."
    )


@contextmanager
def _output_errors(dest: Path) -> Iterator[None]:
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
