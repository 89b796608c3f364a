"""Timed transcripts: one cue per sentence, starting where the sentence's samples start.

The fake voice says each utterance as a tone whose length depends on its words, so the
sample-accurate start of every sentence is known from the PCM lengths alone; the MP3 is
also decoded and every cue start checked against where sound really begins.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from listen.articles.model import Article, Section
from listen.audio.pcm import SAMPLE_RATE, silence, to_rate
from listen.audio.sidecars import (
    Cue,
    TimedUtterance,
    place_cues,
    read_transcript_vtt,
    transcript_paths,
    transcript_vtt,
)
from listen.batch.cache import DiskUtteranceCache
from listen.speech.narrator import Settings, narrate, script_for

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is needed to write MP3s")

TOLERANCE_MS = 50


class ToneVoice:
    """A fake engine: a 330 Hz tone per utterance, 70 ms a word plus 90 ms, at `sample_rate`."""

    name = "tone"
    voice = "tone"

    def __init__(self, sample_rate: int = SAMPLE_RATE) -> None:
        self.sample_rate = sample_rate
        self.cache_key = f"tone/{sample_rate}"

    def synthesize(self, text: str) -> np.ndarray:
        count = int(self.sample_rate * (0.09 + 0.07 * len(text.split())))
        t = np.arange(count) / self.sample_rate
        return (9000 * np.sin(2 * np.pi * 330 * t)).astype(np.int16)


ARTICLE = Article(
    title="Night buses of the river city",
    standfirst="Who rides after midnight, and why the timetable lies.",
    sections=(
        Section(
            "",
            (
                "The 42 leaves the depot at 00:10. Nobody checks the clock on the wall! "
                "Drivers swap stories at the terminus, mostly about fog.",
            ),
        ),
        Section(
            "Fares & passes",
            (
                "A single costs €2.10 — cash is still taken. Is a weekly pass worth it? For four nights or more, yes.",
                "Short paragraph.",
            ),
        ),
        Section("What changes in spring", ("Two routes merge in April. The river stop closes for repairs.",)),
    ),
    language="en",
)


def expected_starts_ms(voice: ToneVoice) -> list[tuple[str, float]]:
    """Every utterance's display text and exact start (ms, unrounded) from the PCM lengths."""
    position = 0
    starts = []
    for utterance in script_for(ARTICLE, Settings()).utterances:
        starts.append((" ".join(utterance.display.split()), position * 1000 / SAMPLE_RATE))
        position += to_rate(voice.synthesize(utterance.text), voice.sample_rate).size
        position += silence(utterance.pause_ms).size
    return starts


def decoded(mp3: Path) -> np.ndarray:
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(mp3), "-f", "s16le", "-ac", "1", "-ar", str(SAMPLE_RATE), "-"],
        check=True,
        capture_output=True,
    ).stdout
    return np.frombuffer(raw, dtype="<i2").astype(np.float64)


def sound_onsets_ms(pcm: np.ndarray, window_ms: int = 5) -> list[float]:
    """Where sound starts after at least 150 ms of near silence, in ms."""
    size = SAMPLE_RATE * window_ms // 1000
    frames = pcm[: len(pcm) // size * size].reshape(-1, size)
    loud = np.sqrt((frames**2).mean(axis=1)) > 0.05 * np.abs(pcm).max()
    onsets, quiet_for = [], 10**9
    for index, is_loud in enumerate(loud):
        if is_loud and quiet_for * window_ms >= 150:
            onsets.append(index * window_ms)
        quiet_for = 0 if is_loud else quiet_for + 1
    return onsets


@pytest.mark.parametrize("engine_rate", [SAMPLE_RATE, 24000], ids=["22050-Hz-voice", "24000-Hz-voice"])
def test_vtt_cues_start_within_50_ms_of_each_sentence_sample_start(tmp_path: Path, engine_rate: int) -> None:
    voice = ToneVoice(engine_rate)
    result = narrate(ARTICLE, tmp_path / "night-buses.mp3", voice)
    vtt_path, srt_path = transcript_paths(result.path)
    assert vtt_path in result.sidecars and srt_path in result.sidecars
    cues = read_transcript_vtt(vtt_path.read_text(encoding="utf-8"))
    expected = expected_starts_ms(voice)
    assert [cue.text for cue in cues] == [text for text, _ in expected]
    for cue, (text, start) in zip(cues, expected):
        assert abs(cue.start_ms - start) <= TOLERANCE_MS, text
        assert cue.end_ms > cue.start_ms
    assert cues[0].kind == "title" and any(c.kind == "heading" and c.text == "Fares & passes" for c in cues)


def test_cues_match_where_sound_begins_in_the_mp3(tmp_path: Path) -> None:
    result = narrate(ARTICLE, tmp_path / "night-buses.mp3", ToneVoice())
    cues = read_transcript_vtt(transcript_paths(result.path)[0].read_text(encoding="utf-8"))
    onsets = sound_onsets_ms(decoded(result.path))
    assert len(onsets) == len(cues)
    for cue, onset in zip(cues, onsets):
        assert abs(cue.start_ms - onset) <= TOLERANCE_MS, cue.text


def test_cues_follow_the_joined_audio_when_chapters_come_from_the_cache(tmp_path: Path) -> None:
    """With the chapter cache, joins lengthen pauses by whole MP3 frames: cues must follow."""
    cache = DiskUtteranceCache(tmp_path / "cache")
    narrate(ARTICLE, tmp_path / "first.mp3", ToneVoice(), cache=cache)
    result = narrate(ARTICLE, tmp_path / "again.mp3", ToneVoice(), cache=cache)  # every part cached
    cues = read_transcript_vtt(transcript_paths(result.path)[0].read_text(encoding="utf-8"))
    onsets = sound_onsets_ms(decoded(result.path))
    assert len(onsets) == len(cues)
    for cue, onset in zip(cues, onsets):
        assert abs(cue.start_ms - onset) <= TOLERANCE_MS, cue.text
    chapter_starts = [mark.start_ms for mark in result.chapters]
    first_cue_of_chapter = [c.start_ms for c in cues if c.kind in ("title", "heading")]
    assert all(abs(a - b) <= TOLERANCE_MS for a, b in zip(chapter_starts, first_cue_of_chapter))


def test_srt_holds_the_same_cues_numbered_with_comma_millis(tmp_path: Path) -> None:
    result = narrate(ARTICLE, tmp_path / "night-buses.mp3", ToneVoice())
    vtt_path, srt_path = transcript_paths(result.path)
    vtt_cues = read_transcript_vtt(vtt_path.read_text(encoding="utf-8"))
    srt = srt_path.read_text(encoding="utf-8")
    blocks = [b.split("\n") for b in srt.strip().split("\n\n")]
    assert [int(b[0]) for b in blocks] == list(range(1, len(vtt_cues) + 1))
    for block, cue in zip(blocks, vtt_cues):
        assert re.fullmatch(r"\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}", block[1])
        assert block[2] == cue.text


def test_vtt_round_trips_cue_kinds_places_and_hostile_text() -> None:
    cues = (
        Cue("Arrows --> & <tags> stay text", 0, 1500, "title", 0, -1),
        Cue("Ça va?  Two\nlines", 3_599_999, 3_600_250, "sentence", 4, 2),
    )
    text = transcript_vtt(cues)
    assert "-->" not in text.split("\n")[4] and "&lt;tags&gt;" in text
    assert read_transcript_vtt(text) == (cues[0], Cue("Ça va? Two lines", 3_599_999, 3_600_250, "sentence", 4, 2))


def test_a_vtt_from_elsewhere_is_read_as_plain_sentences() -> None:
    foreign = "WEBVTT - made by hand\r\n\r\nNOTE a comment\r\n\r\n00:00:01.000 --> 00:00:02.500 align:start\r\nHello there\r\n"
    assert read_transcript_vtt(foreign) == (Cue("Hello there", 1000, 2500),)


def test_utterances_without_audio_get_no_cue() -> None:
    parts = [[TimedUtterance("Spoken", 0, 2205), TimedUtterance("Silent", 2205, 2205)], [TimedUtterance("Lost", 0, 50)]]
    assert place_cues(parts, [22050, None]) == (Cue("Spoken", 1000, 1100),)
