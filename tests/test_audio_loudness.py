"""Loudness of the finished MP3, measured by ffmpeg's ebur128: −19 LUFS ±1, true peak ≤ −1.5 dBTP."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from listen.audio import SAMPLE_RATE, Tags, mp3, silence, write_narration
from listen.audio.loudness import (
    MAX_GAIN_DB,
    SILENCE_LUFS,
    TARGET_LUFS,
    TRUE_PEAK_DBTP,
    Loudness,
    integrated_lufs,
    meter,
)
from audio_support import ebur128

SENTENCES = [
    "The ferry left the harbour a little after seven, carrying the morning post and a crate of lemons.",
    "Nobody on the island could remember a winter quite as mild as this one.",
    "At the council meeting, the question of the lighthouse was raised for the ninth time.",
    "Twelve volunteers repaired the library roof over a single weekend in May.",
    "By noon the wind had turned, and the fishing boats were already heading home.",
    "She kept a careful record of every storm since nineteen eighty four.",
]

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")


def espeak(text: str) -> np.ndarray:
    """One sentence from espeak-ng, int16 mono at its native 22050 Hz."""
    wav = subprocess.run(["espeak-ng", "--stdout", text], capture_output=True, check=True).stdout
    assert int.from_bytes(wav[24:28], "little") == SAMPLE_RATE
    data = wav.index(b"data") + 8
    return np.frombuffer(wav[data : data + (len(wav) - data) // 2 * 2], dtype=np.int16)


def at_peak(pcm: np.ndarray, dbfs: float) -> np.ndarray:
    """Scale to a sample peak of `dbfs` — what piper does to every sentence, at 0 dBFS."""
    peak = np.abs(pcm.astype(np.float64)).max()
    return np.round(pcm * (10 ** (dbfs / 20) * 32767 / peak)).astype(np.int16)


def tone(seconds: float, dbfs: float, freq: float = 220.0) -> np.ndarray:
    t = np.arange(round(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return np.round(np.sin(2 * np.pi * freq * t) * 10 ** (dbfs / 20) * 32767).astype(np.int16)


def narration(level_dbfs: float):
    """Three chapters: a tone, then sentences of speech, each scaled to the same peak level."""
    yield "A tone", iter([tone(3.0, level_dbfs), silence(500)])
    for n in range(2):
        blocks = []
        for sentence in SENTENCES[n * 3 : n * 3 + 3] * 2:
            blocks += [at_peak(espeak(sentence), level_dbfs), silence(400)]
        yield f"Speech {n + 1}", iter(blocks)


@needs_espeak
@pytest.mark.parametrize("level_dbfs", [-35.0, 0.0], ids=["quiet", "full-scale"])
def test_output_is_minus_19_lufs_with_true_peaks_below_minus_1_5(tmp_path: Path, level_dbfs: float) -> None:
    result = write_narration(narration(level_dbfs), tmp_path / "story.mp3", Tags(title="Loudness"))
    integrated, true_peak = ebur128(result.path)
    assert TARGET_LUFS - 1 <= integrated <= TARGET_LUFS + 1
    assert true_peak <= TRUE_PEAK_DBTP


def test_full_scale_square_bursts_are_limited_below_the_true_peak_ceiling(tmp_path: Path) -> None:
    # The worst case for inter-sample peaks: full-scale square waves, between quiet noise.
    rng = np.random.default_rng(7)
    square = np.where(np.sin(2 * np.pi * 997 * np.arange(SAMPLE_RATE // 4) / SAMPLE_RATE) >= 0, 32767, -32768)
    blocks = []
    for _ in range(20):
        blocks += [square.astype(np.int16), (rng.normal(0, 300, SAMPLE_RATE // 2)).astype(np.int16)]
    result = write_narration([("Bursts", iter(blocks))], tmp_path / "bursts.mp3", Tags(title="Bursts"))
    integrated, true_peak = ebur128(result.path)
    assert true_peak <= TRUE_PEAK_DBTP
    assert TARGET_LUFS - 1 <= integrated <= TARGET_LUFS + 1


def test_silence_gets_no_gain_and_hiss_no_more_than_the_maximum() -> None:
    assert Loudness(-70.0).gain_db == 0.0
    assert Loudness(-69.0).gain_db == MAX_GAIN_DB
    assert Loudness(-19.0).gain_db == pytest.approx(0.44)


@needs_espeak
def test_a_narration_encoded_in_pieces_is_as_loud_and_peaks_as_one_encoded_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = write_narration(narration(0.0), tmp_path / "whole.mp3", Tags(title="Whole"))
    joined: list[int] = []
    real_join = mp3.join
    monkeypatch.setattr(mp3, "SPLIT_MIN_SECONDS", 4.0)
    monkeypatch.setattr(mp3, "join", lambda pieces, *rest: joined.append(len(pieces)) or real_join(pieces, *rest))
    pieces = write_narration(narration(0.0), tmp_path / "pieces.mp3", Tags(title="Pieces"), encode_jobs=3)
    assert joined == [3]
    integrated, true_peak = ebur128(pieces.path)
    assert true_peak <= TRUE_PEAK_DBTP
    assert abs(integrated - ebur128(whole.path)[0]) <= 0.1 + 1e-9  # ebur128 prints one decimal: one step


def ebur128_of_pcm(pcm: np.ndarray) -> float:
    """Integrated LUFS of int16 PCM at SAMPLE_RATE by ffmpeg's ebur128 (two decimals, from its log)."""
    err = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostats", "-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", "1", "-i", "pipe:0"]
        + ["-af", "ebur128=framelog=verbose", "-f", "null", "-"],
        input=pcm.astype("<i2").tobytes(),
        capture_output=True,
        check=True,
    ).stderr.decode()
    summary = err[err.rindex("Summary:") :]
    return float(re.search(r"I:\s*(-?[\d.]+) LUFS", summary).group(1))  # type: ignore[union-attr]


@needs_espeak
@pytest.mark.parametrize(
    "signal",
    ["speech", "whispered speech between loud", "tone", "speech with long silences", "shorter than a block"],
)
def test_the_meter_reads_what_ffmpegs_ebur128_reads(tmp_path: Path, signal: str) -> None:
    """listen meters in process (libebur128); the loudness contract was set with ffmpeg's
    ebur128, so the two must agree within 0.1 LU (ffmpeg prints one decimal)."""
    speech = np.concatenate([espeak(s) for s in SENTENCES])
    pcm = {
        "speech": speech,
        "whispered speech between loud": np.concatenate(
            [speech[:40_000], (speech * 0.05).astype(np.int16), speech[-40_000:]]
        ),
        "tone": tone(6.0, -12.0, freq=1000.0),
        "speech with long silences": np.concatenate([silence(8000), speech[:60_000], silence(20_000), speech[:30_000]]),
        "shorter than a block": speech[2000:8000],
    }[signal]
    with meter(tmp_path / "x.mp3", blocks=True) as measuring:
        for at in range(0, pcm.size, 7919):  # blocks of an odd size, as utterances come
            measuring.feed(memoryview(pcm[at : at + 7919]).cast("B"))
        ours = measuring.result().integrated_lufs
    theirs = ebur128_of_pcm(pcm)
    assert abs(ours - max(theirs, SILENCE_LUFS)) <= 0.1 + 1e-9, (ours, theirs)
    assert integrated_lufs(measuring.blocks()[1]) == pytest.approx(ours, abs=0.01)  # what the chapter cache keeps
