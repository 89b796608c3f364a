"""PCM rules: one rate, exact silences, chapter marks from sample counts, linear spooling."""

from __future__ import annotations

import numpy as np
import pytest

from listen.audio import SAMPLE_RATE, ChapterMark, silence, to_rate
from listen.audio.chapters import chapter_marks
from listen.audio.mp3 import FRAME_SAMPLES, OUTPUT_RATE, frame_fill
from listen.audio.pcm import spool


def tone(seconds: float, rate: int = SAMPLE_RATE, freq: float = 440.0) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (np.sin(2 * np.pi * freq * t) * 8000).astype(np.int16)


@pytest.mark.parametrize(("ms", "samples"), [(0, 0), (1, 22), (10, 220), (1000, 22050), (1500, 33075)])
def test_silence_has_floor_of_ms_times_rate_samples(ms: int, samples: int) -> None:
    block = silence(ms)
    assert block.dtype == np.int16 and block.size == samples and not block.any()


def test_silence_refuses_negative_lengths() -> None:
    with pytest.raises(ValueError):
        silence(-1)


def test_to_rate_resamples_24k_to_the_one_rate_keeping_duration_and_pitch() -> None:
    out = to_rate(tone(2.0, 24000, freq=1000.0), 24000)
    assert out.dtype == np.int16 and out.size == 2 * SAMPLE_RATE
    spectrum = np.abs(np.fft.rfft(out.astype(float)))
    assert abs(np.fft.rfftfreq(out.size, 1 / SAMPLE_RATE)[spectrum.argmax()] - 1000.0) < 1.0


def test_to_rate_returns_pcm_already_at_the_rate_unchanged() -> None:
    pcm = tone(0.5)
    assert to_rate(pcm, SAMPLE_RATE) is pcm


@pytest.mark.parametrize(
    ("block", "error"),
    [(np.zeros(10, dtype=np.float32), TypeError), (np.zeros((10, 2), dtype=np.int16), ValueError)],
)
def test_to_rate_refuses_what_is_not_int16_mono(block: np.ndarray, error: type[Exception]) -> None:
    with pytest.raises(error):
        to_rate(block, 24000)


def test_chapter_marks_come_from_sample_counts_not_rounded_lengths() -> None:
    # 22063 samples = 1000.59 ms; summing rounded lengths would drift to 0/1001/2002/3003.
    each = 22063
    marks = chapter_marks((("A", 0), ("B", each), ("C", 2 * each)), 3 * each)
    assert marks == (ChapterMark("A", 0, 1000), ChapterMark("B", 1000, 2001), ChapterMark("C", 2001, 3002))


def test_chapter_titles_become_one_line_and_untitled_chapters_get_a_number() -> None:
    marks = chapter_marks((("  Two\nlines ", 0), ("", 100)), 200)
    assert [m.title for m in marks] == ["Two lines", "Chapter 2"]


def test_spool_counts_samples_per_chapter_and_drops_chapters_without_audio() -> None:
    written: list[bytes] = []
    seen: list[float] = []
    chapters = [
        ("One", iter([tone(0.5), silence(250)])),
        ("Empty", iter([])),
        ("Two", iter([np.zeros(0, dtype=np.int16), tone(0.25)])),
    ]
    result = spool(chapters, (lambda data: written.append(bytes(data)),), seen.append)
    one = tone(0.5).size + silence(250).size
    assert result.starts == (("One", 0), ("Two", one))
    assert result.samples == one + tone(0.25).size
    assert sum(len(b) for b in written) == 2 * result.samples
    assert seen[-1] == pytest.approx(result.samples / SAMPLE_RATE)


def test_spool_pulls_blocks_lazily_one_at_a_time() -> None:
    pulled: list[int] = []

    def blocks():
        for i in range(3):
            pulled.append(i)
            yield tone(0.1)

    written_after: list[int] = []
    spool([("Only", blocks())], (lambda data: written_after.append(len(pulled)),))
    assert written_after == [1, 2, 3]


def test_spool_time_is_linear_in_the_number_of_blocks() -> None:
    # 20,000 blocks: a quadratic join (pydub's seg + seg) would copy ~4 GB here.
    block = tone(0.01)
    total = spool([("Many", (block for _ in range(20_000)))], (lambda data: None,)).samples
    assert total == 20_000 * block.size


@pytest.mark.parametrize("samples", [1, 1000, 22050, 441000, 12345678])
def test_frame_fill_makes_the_audio_a_whole_number_of_mp3_frames(samples: int) -> None:
    fill = frame_fill(samples)
    assert 0 <= fill < FRAME_SAMPLES // 2
    assert (samples + fill) * OUTPUT_RATE // SAMPLE_RATE % FRAME_SAMPLES == 0
