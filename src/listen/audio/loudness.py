"""Loudness for spoken word: −19 LUFS integrated (mono) with true peaks at or below −1.5 dBTP.

Two passes, chosen by measurement on 30 min of espeak-ng speech (wall seconds on a shared
2-core machine): the MP3 encode alone takes 7.0; ffmpeg's loudnorm measuring pass takes 34.5
(it resamples to 192 kHz), ebur128 with true-peak metering 6.0, ebur128 without it 1.3. So
pass 1 meters the PCM (BS.1770 K-weighting and gating, no true peak) while it is being
synthesised, and pass 2 — the encode — applies one linear gain and a look-ahead limiter at
44.1 kHz. The limiter's ceiling sits a little under the true-peak target because sample
peaks at 44.1 kHz of 11 kHz-band speech are within a fraction of a dB of true peaks, and MP3
coding adds a little overshoot of its own. tests/test_audio_loudness.py checks the result
with ffmpeg's ebur128.

The meter is libebur128 in this process (pyebur128), fed on a thread of its own. It was
ffmpeg's ebur128 filter in a child process, fed through a pipe: 1.65 CPU s for 21.6 minutes
of speech (the filter, the pipe, and parsing its log of ten lines a second), where
libebur128 takes 0.3-0.4 s. Both implement BS.1770; on 16 minutes of speech they read
−20.87 and −20.9 (ffmpeg prints one decimal), and a test holds them within 0.1 LU.

With a chapter cache (see chapter_cache.py) each chapter is metered on its own and its
400 ms block loudnesses — the momentary values, every 100 ms, which are exactly the gating
blocks of BS.1770 — are kept. `integrated_lufs` gates the blocks of all chapters
together as ebur128 does, so an edited article is measured again only where it changed. It
is not bit-identical to metering the joined file (the 100 ms block grid restarts at each
chapter, and blocks are logged to 0.1 LU) but chapters meet in a ≥1.5 s pause, where those
differences weigh nothing; tests/test_audio_chapter_cache.py compares it with ebur128.
The gain is then rounded to a GAIN_STEP_DB grid, so that one edited paragraph (which moves
the integrated loudness by hundredths of a dB) leaves the other chapters' encodes valid.
"""

from __future__ import annotations

import math
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyebur128

from listen.audio.pcm import SAMPLE_RATE
from listen.errors import OutputError

TARGET_LUFS = -19.0  # mono; the −16 LUFS stereo that Apple and AES TD1008 suggest for speech
TRUE_PEAK_DBTP = -1.5
LIMIT_DBFS = -2.5  # limiter ceiling on 44.1 kHz samples; see the module docstring
# LAME's decoded output is 0.44 dB below its input, uniformly across the spectrum, at any
# quality and bitrate (measured on tones, pink noise and speech); the gain makes up for it.
ENCODER_LEVEL_DB = -0.44
MAX_GAIN_DB = 45.0  # int16 dither at −96 dBFS stays below −50 dBFS; past this it is hiss, not speech
SILENCE_LUFS = -70.0  # ebur128's absolute gate: nothing louder was heard

# The gain is rounded to this grid, and a neighbouring step is used while it is within
# GAIN_SLACK_DB of the ideal (when more cached chapters were encoded at it): at most
# 0.3 dB of the ±1 LU budget, the rest of which the encoder and limiter need.
GAIN_STEP_DB = 0.25
GAIN_SLACK_DB = 0.3
_GATE_LU = -10.0  # BS.1770's relative gate
_K_OFFSET = -0.691  # BS.1770: loudness = −0.691 + 10·log10(mean square, K-weighted)

SILENT_BLOCK_LUFS = -120.7  # a block of digital silence, as ffmpeg's ebur128 logged it (cached blocks hold it)


@dataclass(frozen=True)
class Loudness:
    """Integrated loudness of a narration as ebur128 measured it, and the gain it needs."""

    integrated_lufs: float

    @property
    def gain_db(self) -> float:
        """Linear gain to TARGET_LUFS after encoding; none for silence, at most MAX_GAIN_DB."""
        if self.integrated_lufs <= SILENCE_LUFS:
            return 0.0
        return min(TARGET_LUFS - self.integrated_lufs - ENCODER_LEVEL_DB, MAX_GAIN_DB)


class Meter:
    """A BS.1770 meter (libebur128) fed int16 PCM blocks at SAMPLE_RATE while the narration is
    spooled.

    The blocks are metered on a thread of their own, through a queue: libebur128 holds the
    GIL, but the synthesis loop spends most of its time in the engine's C code, which does
    not, so the two overlap. The queue holds at most QUEUE_BLOCKS blocks (a few MB), so memory
    stays flat. Every 100 ms of audio from 400 ms on, the meter notes the loudness of the 400 ms
    ending there (BS.1770's gating blocks; digital silence reads SILENT_BLOCK_LUFS), which
    `blocks` gives: integrated_lufs of them equals libebur128's integrated loudness (tested).
    """

    QUEUE_BLOCKS = 64
    HOP = SAMPLE_RATE // 10  # 100 ms

    def __init__(self, dest: Path, *, blocks: bool = False) -> None:
        self._dest = dest
        self._keep_blocks = blocks
        self._state = pyebur128.R128State(1, SAMPLE_RATE, pyebur128.MeasurementMode.MODE_I)
        self._moments: list[float] = []
        self._heard = 0  # samples metered
        self._partial = np.zeros(0, np.int16)  # the samples after the last whole hop
        self._failure: BaseException | None = None
        self._progress = threading.Condition()
        self._queue: queue.Queue[bytes | None] = queue.Queue(self.QUEUE_BLOCKS)
        self._worker = threading.Thread(target=self._meter, name="listen-meter", daemon=True)
        self._worker.start()

    def feed(self, data: memoryview) -> None:
        """Queue a copy of one block of int16 samples."""
        self._queue.put(bytes(data))

    def integrated_at(self, seconds: float, timeout: float = 10.0) -> float | None:
        """The integrated loudness of at least the first `seconds` of what was fed (of all it
        has metered so far); waits for the meter to get there, or None after `timeout` s."""
        with self._progress:
            if not self._progress.wait_for(
                lambda: self._heard >= (seconds - 0.1) * SAMPLE_RATE or self._failure is not None, timeout
            ):
                return None
            if self._failure is not None:
                return None
            return _lufs(pyebur128.get_loudness_global(self._state))

    def close(self) -> None:
        """Meter what is queued and stop the thread (idempotent); `result` calls it."""
        if self._worker.is_alive():
            self._queue.put(None)
            self._worker.join()

    def result(self) -> Loudness:
        """Meter the rest and return the integrated loudness of all that was fed."""
        self.close()
        if self._failure is not None:
            raise OutputError(f"Cannot measure the loudness of {self._dest}: {self._failure}") from self._failure
        return Loudness(_lufs(pyebur128.get_loudness_global(self._state)))

    def blocks(self) -> tuple[np.ndarray, np.ndarray]:
        """After `result`, for a meter started with blocks=True: the end time (seconds) and
        loudness (LUFS) of each 400 ms block, one every 100 ms; silent blocks read −120.7."""
        if not self._keep_blocks:
            raise ValueError("this meter was not asked for its blocks")
        lufs = np.array(self._moments)
        return np.arange(4, lufs.size + 4) * (self.HOP / SAMPLE_RATE), lufs

    def _meter(self) -> None:
        while (data := self._queue.get()) is not None:
            if self._failure is not None:
                continue  # keep draining, so feed() never blocks
            try:
                self._add(np.frombuffer(data, np.int16))
            except Exception as exc:  # reported by result(), not lost in this thread
                with self._progress:
                    self._failure = exc
                    self._progress.notify_all()
        if self._failure is None and self._partial.size:
            try:
                self._state.add_frames(self._partial, self._partial.size)
            except Exception as exc:
                self._failure = exc

    def _add(self, samples: np.ndarray) -> None:
        """Meter `samples`, hop by hop so the momentary loudness is read every 100 ms."""
        if self._partial.size:
            samples = np.concatenate((self._partial, samples))
        whole = samples.size - samples.size % self.HOP
        if not self._keep_blocks:
            if whole:
                self._state.add_frames(samples[:whole], whole)
        else:
            momentary = pyebur128.get_loudness_momentary
            for at in range(0, whole, self.HOP):
                self._state.add_frames(samples[at : at + self.HOP], self.HOP)
                if self._heard + at >= 3 * self.HOP:  # a whole 400 ms block: BS.1770 gates no shorter one
                    self._moments.append(max(momentary(self._state), SILENT_BLOCK_LUFS))
        self._partial = samples[whole:].copy()
        with self._progress:
            self._heard += whole
            self._progress.notify_all()


@contextmanager
def meter(dest: Path, *, blocks: bool = False) -> Iterator[Meter]:
    """Start metering int16 mono PCM at SAMPLE_RATE; `dest` only names the file in errors.

    With `blocks` the meter keeps every 400 ms block's loudness so `Meter.blocks` can give them.
    """
    measuring = Meter(dest, blocks=blocks)
    try:
        yield measuring
    finally:
        measuring.close()


def integrated_lufs(blocks: Sequence[float] | np.ndarray) -> float:
    """BS.1770 integrated loudness of 400 ms blocks given in LUFS: the mean energy of the
    blocks above −70 LUFS and above (their mean − 10 LU); SILENCE_LUFS when none is."""
    values = np.asarray(blocks, dtype=np.float64)
    values = values[values > SILENCE_LUFS]
    if values.size == 0:
        return SILENCE_LUFS
    energies = 10 ** ((values - _K_OFFSET) / 10)
    gate = _K_OFFSET + 10 * math.log10(float(energies.mean())) + _GATE_LU
    return _K_OFFSET + 10 * math.log10(float(energies[values > gate].mean()))


def gain_choices(loudness: Loudness) -> list[float]:
    """Gains on the GAIN_STEP_DB grid within GAIN_SLACK_DB of the ideal, nearest first."""
    ideal = loudness.gain_db
    nearest = round(ideal / GAIN_STEP_DB) * GAIN_STEP_DB
    steps = (nearest, nearest - GAIN_STEP_DB, nearest + GAIN_STEP_DB)
    choices = {round(g, 2) for g in steps if abs(g - ideal) <= GAIN_SLACK_DB and g <= MAX_GAIN_DB}
    return sorted(choices or {round(nearest, 2)}, key=lambda g: abs(g - ideal))


def pick_gain(loudness: Loudness, cached: Callable[[float], int]) -> float:
    """Among `gain_choices`, the one `cached(gain)` counts most chapters encoded at; the
    nearest on a tie (so a first build takes the nearest)."""
    return max(gain_choices(loudness), key=cached)


def _lufs(value: float) -> float:
    """libebur128's reading, with silence (−inf, or nan) as SILENCE_LUFS."""
    return value if math.isfinite(value) and value > SILENCE_LUFS else SILENCE_LUFS


def encode_filters(gain_db: float, out_rate: int, limit_dbfs: float = LIMIT_DBFS) -> str:
    """The pass-2 filter chain: gain in float (no clipping), resample, then limit peaks
    (at `limit_dbfs`: an encoder that overshoots more than LAME needs a lower ceiling)."""
    limit = 10 ** (limit_dbfs / 20)
    return ",".join(
        [
            f"volume={gain_db:.2f}dB",
            f"aresample={out_rate}:resampler=soxr",
            f"alimiter=limit={limit:.4f}:attack=5:release=50:level=false:latency=true",
        ]
    )
