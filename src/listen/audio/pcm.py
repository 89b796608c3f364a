"""PCM at one rate: resampling, silences, and spooling a narration's blocks to disk.

Everything the narrator hands over is int16 mono at SAMPLE_RATE, so chapter times can be
counted in samples and never drift. 22050 Hz is what the offline engines (espeak-ng, piper)
produce, so the default path never resamples; gTTS's 24 kHz is converted with soxr.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import soxr

SAMPLE_RATE = 22050
SAMPLE_WIDTH = 2  # bytes per int16 sample


def to_rate(pcm: np.ndarray, rate: int) -> np.ndarray:
    """Return int16 mono `pcm` recorded at `rate` as int16 mono at SAMPLE_RATE.

    Already at SAMPLE_RATE: returned as it is (no copy). soxr's HQ filter is the same one
    ffmpeg and sox use, and it resamples int16 without a float round trip in our code.
    """
    pcm = mono_int16(pcm)
    if rate <= 0:
        raise ValueError(f"sample rate must be positive, not {rate}")
    if rate == SAMPLE_RATE:
        return pcm
    if pcm.size == 0:
        return np.zeros(0, dtype=np.int16)
    return np.ascontiguousarray(soxr.resample(pcm, rate, SAMPLE_RATE, quality="HQ"), dtype=np.int16)


def silence(ms: int) -> np.ndarray:
    """`ms` milliseconds of silence: exactly floor(ms × SAMPLE_RATE / 1000) samples.

    Flooring (22.05 samples per ms) keeps pauses from ever lengthening the narration.
    """
    if ms < 0:
        raise ValueError(f"a silence cannot last {ms} ms")
    return np.zeros(ms * SAMPLE_RATE // 1000, dtype=np.int16)


def samples_to_ms(samples: int) -> int:
    """Milliseconds before sample number `samples`, floored (see chapters.py for why)."""
    return samples * 1000 // SAMPLE_RATE


def samples_to_ms_ceil(samples: int) -> int:
    """Milliseconds that cover `samples` samples completely."""
    return -(-samples * 1000 // SAMPLE_RATE)


def mono_int16(pcm: np.ndarray) -> np.ndarray:
    """Check a block is int16 mono; a column vector (n, 1) is accepted and flattened."""
    pcm = np.asarray(pcm)
    if pcm.dtype != np.int16:
        raise TypeError(f"audio blocks must be int16 PCM, not {pcm.dtype}")
    if pcm.ndim == 2 and pcm.shape[1] == 1:
        pcm = pcm[:, 0]
    if pcm.ndim != 1:
        raise ValueError(f"audio blocks must be mono (one dimension), not shape {pcm.shape}")
    return np.ascontiguousarray(pcm)


@dataclass(frozen=True)
class Spooled:
    """What spooling learnt: each chapter's title and first sample, and the total length."""

    starts: tuple[tuple[str, int], ...]
    samples: int


def spool(
    chapters: Iterable[tuple[str, Iterable[np.ndarray]]],
    sinks: tuple[Callable[[memoryview], object], ...],
    progress: Callable[[float], None] | None = None,
) -> Spooled:
    """Pull every block from `chapters` once, in order, and pass its bytes to each sink.

    Only one block is held at a time, and nothing is joined, so memory stays flat and the
    cost is linear in the audio length. Chapters that produce no samples are dropped: a
    chapter mark needs audio to point at.
    """
    starts: list[tuple[str, int]] = []
    total = 0
    for title, blocks in chapters:
        first = total
        for block in blocks:
            block = mono_int16(block)
            if block.size == 0:
                continue
            data = block.data.cast("B")  # the array's own buffer, not a copy
            for sink in sinks:
                sink(data)
            total += block.size
            if progress is not None:
                progress(total / SAMPLE_RATE)
        if total > first:
            starts.append((title, first))
    return Spooled(tuple(starts), total)
