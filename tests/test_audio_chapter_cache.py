"""The chapter cache: an edited narration re-encodes only the chapters that changed, and the
joined MP3 keeps every guarantee of a whole-file encode (exact chapter times, duration,
loudness, Info header, all-or-nothing)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from listen.articles import load_article, parse_article
from listen.atomic import TEMP_MARK
from listen.audio import SAMPLE_RATE, Tags, silence, write_narration
from listen.audio.chapter_cache import ChapterCache, KeyedChapter
from listen.audio.loudness import (
    GAIN_SLACK_DB,
    TARGET_LUFS,
    TRUE_PEAK_DBTP,
    Loudness,
    gain_choices,
    integrated_lufs,
    meter,
    pick_gain,
)
from listen.audio.mp3 import FRAME_SAMPLES, crc16, crc16_combine, piece_info
from listen.batch.cache import DiskUtteranceCache
from listen.errors import OutputError
from listen.speech.narrator import narrate
from test_audio_loudness import SENTENCES, at_peak, ebur128, espeak, needs_espeak

TAGS = Tags(title="Cached", artist="Ada Writer")


def tone(seconds: float, freq: float, level: float = 0.3) -> np.ndarray:
    t = np.arange(round(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return (np.sin(2 * np.pi * freq * t) * level * 32767).astype(np.int16)


class Book:
    """Chapters of tones, each starting with sound and ending in a 1.5 s pause; records pulls."""

    def __init__(self, count: int = 5) -> None:
        self.freqs = [220.0 + 55 * n for n in range(count)]
        self.seconds = [1.0 + 0.37 * n for n in range(count)]
        self.pulled: list[int] = []

    def chapters(self) -> list[KeyedChapter]:
        return [
            KeyedChapter(f"Chapter {n}", f"tone {f} {s}", self._blocks(n, f, s))
            for n, (f, s) in enumerate(zip(self.freqs, self.seconds))
        ]

    def _blocks(self, n: int, freq: float, seconds: float):
        def blocks():
            self.pulled.append(n)
            yield tone(seconds, freq)
            yield silence(1500)

        return blocks


def write(folder: Path, chapters, cache: ChapterCache, **kw):
    return write_narration(chapters, folder / "story.mp3", TAGS, chapter_cache=cache, **kw)


def ffprobe(path: Path) -> dict:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_chapters", "-show_format", "-show_streams", str(path)],
        capture_output=True, check=True, text=True,
    ).stdout  # fmt: skip
    return json.loads(out)


def decoded(path: Path) -> np.ndarray:
    pcm = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-f", "s16le", "-ar", str(SAMPLE_RATE), "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    return np.frombuffer(pcm, dtype=np.int16)


@pytest.fixture
def cache(tmp_path: Path) -> ChapterCache:
    return ChapterCache(tmp_path / "cache" / "chapters")


def test_an_edited_chapter_is_the_only_one_pulled_and_encoded_again(tmp_path: Path, cache: ChapterCache) -> None:
    book = Book()
    write(tmp_path, book.chapters(), cache)
    assert cache.encodes == 5 and book.pulled == [0, 1, 2, 3, 4]

    book.pulled.clear()
    write(tmp_path, book.chapters(), cache)
    assert cache.encodes == 5 and book.pulled == []  # nothing pulled, nothing encoded: only joined

    book.freqs[2] += 7  # one chapter's audio changes (and so does its key)
    write(tmp_path, book.chapters(), cache)
    assert cache.encodes == 6 and book.pulled == [2]


def test_chapter_times_stay_exact_after_a_partial_re_encode(tmp_path: Path, cache: ChapterCache) -> None:
    book = Book()
    write(tmp_path, book.chapters(), cache)
    book.seconds[1] += 0.61  # a longer chapter in the middle moves every later start
    result = write(tmp_path, book.chapters(), cache)
    assert cache.encodes == 6

    info = ffprobe(result.path)
    assert [(c["start"], c["end"]) for c in info["chapters"]] == [(m.start_ms, m.end_ms) for m in result.chapters]
    assert [c["tags"]["title"] for c in info["chapters"]] == [f"Chapter {n}" for n in range(5)]
    starts = [m.start_ms for m in result.chapters]
    assert starts == sorted(starts) and len(set(starts)) == 5
    assert all(a.end_ms == b.start_ms for a, b in zip(result.chapters, result.chapters[1:]))

    # Each chapter is its PCM filled to whole frames, plus the 1152-sample (at 44.1 kHz)
    # delay and padding that stay at each join: exactly 576 samples at SAMPLE_RATE.
    frame = FRAME_SAMPLES // 2
    lengths = [round(s * SAMPLE_RATE) + 1500 * SAMPLE_RATE // 1000 for s in book.seconds]
    filled = [-(-n // frame) * frame for n in lengths]
    expected, at = [], 0
    for n in filled:
        expected.append(at * 1000 // SAMPLE_RATE)
        at += n + frame
    assert starts == expected
    total = sum(filled) + frame * (len(filled) - 1)
    assert result.duration_s == pytest.approx(total / SAMPLE_RATE, abs=1e-9)

    # The decoded audio has exactly that many samples, and every chapter's tone starts at its mark.
    pcm = decoded(result.path)
    assert abs(pcm.size - total) <= 2
    loud = np.abs(pcm.astype(np.int32)) > 2000
    for mark in result.chapters:
        first = mark.start_ms * SAMPLE_RATE // 1000
        assert not loud[first - SAMPLE_RATE // 20 : first].any() if first else True  # the pause before
        assert loud[first : first + SAMPLE_RATE // 100].any()  # sound within 10 ms of the mark

    assert abs(float(info["format"]["duration"]) - result.duration_s) < 0.05
    assert abs(MP3(result.path).info.length - result.duration_s) < 0.05
    stream = info["streams"][0]
    assert (stream["codec_name"], stream["sample_rate"], stream["bit_rate"]) == ("mp3", "44100", "64000")
    first_frame = result.path.read_bytes()[ID3(result.path).size :][:200]
    assert first_frame.startswith(b"\xff\xfb") and b"Info" in first_frame
    assert ID3(result.path).version == (2, 3, 0)


def test_the_joined_file_is_the_same_narration_as_a_whole_file_encode(tmp_path: Path, cache: ChapterCache) -> None:
    book = Book(3)
    cached = write(tmp_path, book.chapters(), cache)
    (tmp_path / "plain").mkdir()
    plain = write_narration(((c.title, c.blocks()) for c in book.chapters()), tmp_path / "plain" / "story.mp3", TAGS)
    assert [m.title for m in cached.chapters] == [m.title for m in plain.chapters]
    # the joins add 26 ms of pause each; nothing else differs in length
    assert cached.duration_s - plain.duration_s == pytest.approx(2 * FRAME_SAMPLES / 44100, abs=0.03)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "cache",
        "plain",
        "story.chapters.json",
        "story.mp3",
        "story.vtt",
    ]
    sidecar = json.loads((tmp_path / "story.chapters.json").read_text())
    assert [(c["startTime"], c["title"]) for c in sidecar["chapters"]] == [
        (m.start_ms / 1000, m.title) for m in cached.chapters
    ]


def test_pieces_are_whole_mp3_frames_with_lame_delay_and_padding(tmp_path: Path, cache: ChapterCache) -> None:
    write(tmp_path, Book(2).chapters(), cache)
    pieces = sorted(cache.folder.rglob("*.mp3"))
    assert len(pieces) == 2
    for piece in pieces:
        info = piece_info(piece)
        assert info is not None and info.frames > 0
        assert (info.delay, info.padding) == (576, 576)
        first = piece.read_bytes()[info.audio_at :][:6]
        assert first[:2] == b"\xff\xfb" and (first[4] << 1 | first[5] >> 7) == 0  # empty bit reservoir


@needs_espeak
def test_an_edited_speech_narration_stays_at_podcast_loudness(tmp_path: Path, cache: ChapterCache) -> None:
    speech = [espeak(s) for s in SENTENCES]

    def chapters(levels: list[float]) -> list[KeyedChapter]:
        made = []
        for n, level in enumerate(levels):

            def blocks(n: int = n, level: float = level):
                for pcm in speech[n * 2 : n * 2 + 2] * 2:
                    yield at_peak(pcm, level)
                    yield silence(400)
                yield silence(1500)

            made.append(KeyedChapter(f"Speech {n}", f"speech {n} at {level}", blocks))
        return made

    first = write(tmp_path, chapters([-20.0, -20.0, -20.0]), cache)
    integrated, true_peak = ebur128(first.path)
    assert TARGET_LUFS - 1 <= integrated <= TARGET_LUFS + 1 and true_peak <= TRUE_PEAK_DBTP

    edited = write(tmp_path, chapters([-20.0, -24.0, -20.0]), cache)  # one chapter 4 dB quieter
    assert cache.encodes > 3
    integrated, true_peak = ebur128(edited.path)
    assert TARGET_LUFS - 1 <= integrated <= TARGET_LUFS + 1
    assert true_peak <= TRUE_PEAK_DBTP


@needs_espeak
def test_per_chapter_blocks_give_the_integrated_loudness_ebur128_gives_the_whole(tmp_path: Path) -> None:
    chapters = [np.concatenate([espeak(s), silence(250 * (n + 1))]) for n, s in enumerate(SENTENCES)]
    chapters = [np.concatenate([c, silence(1500)]) for c in chapters]
    chapters[2] = (chapters[2] * 0.2).astype(np.int16)  # a quiet chapter, so gating matters
    blocks = []
    for pcm in chapters:
        with meter(tmp_path / "x.mp3", blocks=True) as one:
            one.feed(memoryview(pcm).cast("B"))
            one.result()
        blocks += list(one.blocks()[1])
    with meter(tmp_path / "x.mp3") as whole:
        whole.feed(memoryview(np.concatenate(chapters)).cast("B"))
        reference = whole.result().integrated_lufs
    assert integrated_lufs(blocks) == pytest.approx(reference, abs=0.15)


def test_gating_follows_bs1770() -> None:
    assert integrated_lufs([-23.0] * 10) == pytest.approx(-23.0)
    assert integrated_lufs([-23.0] * 10 + [-120.7] * 50) == pytest.approx(-23.0)  # absolute gate
    assert integrated_lufs([-20.0] * 10 + [-40.0] * 10) == pytest.approx(-20.0)  # relative gate
    assert integrated_lufs([]) == -70.0


def test_the_gain_is_on_a_grid_and_prefers_the_step_cached_chapters_were_encoded_at() -> None:
    loudness = Loudness(-27.03)  # ideal gain 8.47 dB
    choices = gain_choices(loudness)
    assert choices[0] == 8.5 and set(choices) <= {8.25, 8.5, 8.75}
    assert all(abs(g - loudness.gain_db) <= GAIN_SLACK_DB for g in choices)
    assert pick_gain(loudness, lambda gain: 0) == 8.5
    assert pick_gain(loudness, lambda gain: 4 if gain == 8.25 else 1) == 8.25
    assert Loudness(-70.0).gain_db == 0.0 and gain_choices(Loudness(-70.0))[0] == 0.0


def test_a_small_change_keeps_the_gain_of_the_cached_chapters(tmp_path: Path, cache: ChapterCache) -> None:
    book = Book(6)
    write(tmp_path, book.chapters(), cache)
    for _ in range(4):  # louder and louder last chapter: the gain drifts, encodes mostly stay
        book.seconds[5] += 0.05
        write(tmp_path, book.chapters(), cache)
    assert cache.encodes <= 6 + 4 + 5  # at most one full re-encode in four edits


def test_chapters_without_audio_are_left_out_and_no_audio_is_an_error(tmp_path: Path, cache: ChapterCache) -> None:
    empty = KeyedChapter("Empty", "empty", lambda: iter([]))
    real = Book(1).chapters()[0]
    result = write(tmp_path, [empty, real, empty], cache)
    assert [m.title for m in result.chapters] == ["Chapter 0"]
    (tmp_path / "none").mkdir()
    with pytest.raises(OutputError, match="no audio"):
        write(tmp_path / "none", [empty], cache)
    assert list((tmp_path / "none").iterdir()) == []


@pytest.mark.parametrize("error", [RuntimeError("engine crashed"), KeyboardInterrupt()], ids=["error", "ctrl-c"])
def test_a_failure_halfway_leaves_no_files_and_nothing_the_cache_trusts(
    tmp_path: Path, cache: ChapterCache, error: BaseException
) -> None:
    def failing():
        yield tone(1.0, 440)
        raise error

    chapters = [*Book(2).chapters(), KeyedChapter("Broken", "broken", failing)]
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(type(error)):
        write(out, chapters, cache)
    assert list(out.iterdir()) == []
    assert cache.measurement("broken") is None and cache.encodes == 0


def test_an_unwritable_cache_folder_falls_back_to_a_whole_file_encode(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    cache = ChapterCache(tmp_path / "a-file" / "chapters")
    result = write(tmp_path, Book(2).chapters(), cache)
    assert [m.title for m in result.chapters] == ["Chapter 0", "Chapter 1"] and cache.encodes == 0
    assert result.path.exists()


class ToneVoice:
    """A fake engine: a short tone per utterance, and a record of every text it spoke."""

    name = "fake"
    voice = "tone"
    sample_rate = SAMPLE_RATE
    cache_key = "fake/tone"

    def __init__(self) -> None:
        self.spoken: list[str] = []

    def synthesize(self, text: str) -> np.ndarray:
        self.spoken.append(text)
        return tone(0.04 * len(text.split()), 200 + 10 * len(text))


ARTICLE = """# The Harbour Book

## First part

The ferry left the harbour a little after seven. It carried the morning post.

## Second part

Nobody could remember a winter quite as mild as this one. The lemons came early.

## Third part

The lighthouse was raised at the council for the ninth time. Nobody voted.
"""


def test_narrate_with_a_disk_cache_re_encodes_only_the_edited_chapter(tmp_path: Path) -> None:
    source = tmp_path / "book.md"
    source.write_text(ARTICLE, encoding="utf-8")
    voice = ToneVoice()
    utterances = DiskUtteranceCache(tmp_path / "cache")
    seen: list[tuple[int, int]] = []
    first = narrate(load_article(source), tmp_path / "out" / "book.mp3", voice, cache=utterances)
    parts = utterances.chapters.encodes
    assert len(first.chapters) == 3 and parts >= 3

    source.write_text(ARTICLE.replace("The lemons came early.", "The lemons came late."), encoding="utf-8")
    voice.spoken.clear()
    again = narrate(
        load_article(source), tmp_path / "out" / "book.mp3", voice, cache=utterances,
        progress=lambda done, total: seen.append((done, total)),
    )  # fmt: skip
    assert voice.spoken == ["The lemons came late."]
    assert utterances.chapters.encodes == parts + 1  # its part of the second chapter, no more
    assert seen[-1][0] == seen[-1][1]  # skipped chapters still count as done
    assert [m.title for m in again.chapters] == ["First part", "Second part", "Third part"]
    assert [(c["start"], c["end"]) for c in ffprobe(again.path)["chapters"]] == [
        (m.start_ms, m.end_ms) for m in again.chapters
    ]


def test_utterance_files_and_chapter_files_do_not_mix(tmp_path: Path) -> None:
    utterances = DiskUtteranceCache(tmp_path / "cache")
    assert utterances.chapters.folder == tmp_path / "cache" / "chapters"
    write(tmp_path, Book(1).chapters(), utterances.chapters)
    assert not list((tmp_path / "cache").rglob("*.pcm"))  # benches count utterances as *.pcm


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="needs ffprobe")
def test_many_chapters_join_in_order(tmp_path: Path, cache: ChapterCache) -> None:
    book = Book(12)
    result = write(tmp_path, book.chapters(), cache)
    titles = [c["tags"]["title"] for c in ffprobe(result.path)["chapters"]]
    assert titles == [f"Chapter {n}" for n in range(12)]


def info_fields(path: Path) -> dict:
    """The Info frame's counts and LAME fields, and the frames after it, of an MP3 file."""
    info = piece_info(path)
    assert info is not None
    frame = info.header
    lame = info.tag_at + 120
    return {
        "frames": info.frames,
        "bytes": int.from_bytes(frame[info.tag_at + 12 : info.tag_at + 16], "big"),
        "delay_padding": (info.delay, info.padding),
        "music": (int.from_bytes(frame[lame + 28 : lame + 32], "big"), info.music_crc),
        "tag_crc_ok": crc16(frame[: lame + 34] + b"\0\0" + frame[lame + 36 : 190])
        == int.from_bytes(frame[lame + 34 : lame + 36], "big"),
        "audio": path.read_bytes()[info.audio_at :],
    }


def test_join_writes_the_frames_and_info_header_ffmpeg_concat_writes(tmp_path: Path, cache: ChapterCache) -> None:
    result = write(tmp_path, Book(4).chapters(), cache)
    pieces = list(cache.folder.rglob("*.mp3"))
    listing = tmp_path / "list.ffconcat"
    ours = info_fields(result.path)
    # the pieces, in the order their frames appear in our file
    audio, ordered = ours["audio"], []
    while audio:
        match = next(p for p in pieces if audio.startswith(p.read_bytes()[piece_info(p).audio_at :]))  # type: ignore[union-attr]
        ordered.append(match)
        audio = audio[piece_info(match).audio_bytes :]  # type: ignore[union-attr]
    listing.write_text("ffconcat version 1.0\n" + "".join(f"file '{p}'\n" for p in ordered))
    reference = tmp_path / "reference.mp3"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy",
         "-map_metadata", "-1", "-write_xing", "1", "-id3v2_version", "0", "-y", str(reference)],
        check=True,
    )  # fmt: skip
    theirs = info_fields(reference)
    assert ours["tag_crc_ok"] and theirs["tag_crc_ok"]
    for field in ("frames", "bytes", "delay_padding", "music", "audio"):
        assert ours[field] == theirs[field], field


@pytest.mark.parametrize("jobs", [1, 2])
def test_new_chapters_are_encoded_in_as_many_batches_as_encode_jobs_however_many_there_are(
    tmp_path: Path, cache: ChapterCache, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """An article has a part per paragraph: its new parts are shared among `encode_jobs`
    threads, each encoding a batch of them, never a thread per part."""
    from listen.audio import cached_writer

    batches: list[int] = []
    real = cached_writer.encode_pieces

    def counted(fds, *rest):
        batches.append(len(fds))
        return real(fds, *rest)

    monkeypatch.setattr(cached_writer, "encode_pieces", counted)
    book = Book(8)
    write(tmp_path, book.chapters(), cache, encode_jobs=jobs)
    assert cache.encodes == 8 and len(batches) == jobs and sum(batches) == 8  # a cold build

    batches.clear()
    for n in (1, 4, 6):
        book.freqs[n] += 3
    write(tmp_path, book.chapters(), cache, encode_jobs=jobs)  # three new chapters among cached ones
    assert cache.encodes == 8 + 3 and len(batches) == min(jobs, 3) and sum(batches) == 3


def test_crc16_of_a_join_comes_from_the_parts() -> None:
    a, b = bytes(range(256)) * 7, b"chapter two" * 999
    assert crc16_combine(crc16(a), crc16(b), len(b)) == crc16(a + b)
    assert crc16_combine(0, crc16(b), len(b)) == crc16(b)


def test_a_new_chapter_encoded_beside_cached_ones_is_the_same_piece_as_in_a_cold_build(tmp_path: Path) -> None:
    book = Book()
    warm = ChapterCache(tmp_path / "warm")
    write(tmp_path, book.chapters(), warm)
    book.freqs[3] += 5
    write(tmp_path, book.chapters(), warm)  # only chapter 3 is measured and encoded
    cold = ChapterCache(tmp_path / "cold")
    write(tmp_path, book.chapters(), cold)  # everything measured first, then encoded from the spool
    guessed = {p.name: p.read_bytes() for p in warm.folder.rglob("*.mp3")}
    spooled = {p.name: p.read_bytes() for p in cold.folder.rglob("*.mp3")}
    assert set(spooled) <= set(guessed)
    assert all(guessed[name] == data for name, data in spooled.items())
    assert not [p for p in warm.folder.rglob("*") if TEMP_MARK in p.name]


def test_when_the_gain_moves_every_chapter_is_encoded_again_at_it(tmp_path: Path, cache: ChapterCache) -> None:
    book = Book(3)
    write(tmp_path, book.chapters(), cache)
    book.seconds[0] = 40.0  # one chapter now dominates the loudness... of a quieter tone
    original = Book._blocks

    def quiet(self, n, freq, seconds):
        blocks = original(self, n, freq, seconds)
        return (lambda: (b // 8 for b in blocks())) if n == 0 else blocks

    Book._blocks = quiet  # type: ignore[method-assign]
    try:
        result = write(tmp_path, book.chapters(), cache)
    finally:
        Book._blocks = original  # type: ignore[method-assign]
    assert cache.encodes == 3 + 3  # the gain moved: the two old chapters were encoded again too
    assert not [p for p in cache.folder.rglob("*") if TEMP_MARK in p.name]
    assert [(c["start"], c["end"]) for c in ffprobe(result.path)["chapters"]] == [
        (m.start_ms, m.end_ms) for m in result.chapters
    ]


def test_chapters_are_not_joined_where_the_chapter_pause_is_too_short_to_hide_a_join(tmp_path: Path) -> None:
    from listen.speech.narrator import Settings
    from listen.speech.script import Pauses

    source = tmp_path / "book.md"
    source.write_text(ARTICLE, encoding="utf-8")
    utterances = DiskUtteranceCache(tmp_path / "cache")
    settings = Settings(pauses=Pauses(chapter_ms=200))
    result = narrate(
        load_article(source), tmp_path / "out" / "book.mp3", ToneVoice(), settings=settings, cache=utterances
    )
    assert utterances.chapters.encodes == 0 and len(result.chapters) == 3


def test_chapters_are_cut_into_parts_only_where_a_paragraph_ends() -> None:
    from listen.audio.chapter_cache import MIN_JOIN_PAUSE_MS
    from listen.speech.narrator import chapter_parts, script_for

    text = "\n\n".join(f"Paragraph {n} has one sentence. And then another one, number {n}." for n in range(6))
    article = parse_article(f"# A Title\n\n## A Heading\n\n{text}\n", "markdown")
    for chapter in script_for(article).chapters:
        parts = chapter_parts(chapter)
        assert sum((p.utterances for p in parts), ()) == chapter.utterances
        assert all(p.utterances[-1].pause_ms >= MIN_JOIN_PAUSE_MS for p in parts)
        assert all(u.pause_ms < MIN_JOIN_PAUSE_MS for p in parts for u in p.utterances[:-1])
        assert all(p.title == chapter.title for p in parts)
    longest = max(script_for(article).chapters, key=lambda c: len(c.utterances))
    assert len(chapter_parts(longest)) >= 6  # one per paragraph
