"""Loudness for spoken word: −19 LUFS integrated (mono) with true peaks at or below −1.5 dBTP.

Two passes, both in ffmpeg, chosen by measurement on 30 min of espeak-ng speech (wall
seconds on a shared 2-core machine): the MP3 encode alone takes 7.0; loudnorm's measuring
pass takes 34.5 (it resamples to 192 kHz), ebur128 with true-peak metering 6.0, ebur128
without it 1.3. So pass 1 meters the PCM with plain ebur128 while it is being synthesised
(blocks are piped to it as they arrive), and pass 2 — the encode — applies one linear gain
and a look-ahead limiter at 44.1 kHz (encode with gain and limiter: 8.8 s). The
limiter's ceiling sits a little under the true-peak target because sample peaks at 44.1 kHz
of 11 kHz-band speech are within a fraction of a dB of true peaks, and MP3 coding adds a
little overshoot of its own. tests/test_audio_loudness.py checks the result with ebur128.

With a chapter cache (see chapter_cache.py) each chapter is metered on its own and its
400 ms block loudnesses — the momentary values ebur128 logs every 100 ms, which are exactly
the gating blocks of BS.1770 — are kept. `integrated_lufs` gates the blocks of all chapters
together as ebur128 does, so an edited article is measured again only where it changed. It
is not bit-identical to metering the joined file (the 100 ms block grid restarts at each
chapter, and blocks are logged to 0.1 LU) but chapters meet in a ≥1.5 s pause, where those
differences weigh nothing; tests/test_audio_chapter_cache.py compares it with ebur128.
The gain is then rounded to a GAIN_STEP_DB grid, so that one edited paragraph (which moves
the integrated loudness by hundredths of a dB) leaves the other chapters' encodes valid.
"""

from __future__ import annotations

import math
import os
import queue
import re
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np

from listen.audio.ffmpeg import check, ffmpeg
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

_MOMENTARY = re.compile(r"\bt:\s*([\d.]+)\s.*?\bM:\s*(-?[\d.]+|-?inf|nan)")
_RUNNING = re.compile(r"\bt:\s*([\d.]+)\s.*?\bI:\s*(-?[\d.]+|-?inf|nan)\s*LUFS")
_INTEGRATED = re.compile(r"Integrated loudness:\s*I:\s*(-?[\d.]+|-inf|nan)\s*LUFS", re.S)


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
    """An ebur128 process fed PCM blocks through a pipe while the narration is spooled.

    The blocks go to the pipe from a thread of their own, through a queue: written straight
    from the synthesis loop, every block waited for ffmpeg to read the one before, and on a
    busy machine (the meter descheduled) that wait was a third of `listen speak`'s spooling
    time. The queue holds at most QUEUE_BLOCKS blocks (a few MB), so memory stays flat.
    """

    QUEUE_BLOCKS = 64

    def __init__(self, proc: subprocess.Popen[bytes], log: IO[bytes], dest: Path, *, blocks: bool = False) -> None:
        self._proc = proc
        self._log = log
        self._dest = dest
        self._blocks: tuple[np.ndarray, np.ndarray] | None = (np.zeros(0), np.zeros(0)) if blocks else None
        self._queue: queue.Queue[bytes | None] = queue.Queue(self.QUEUE_BLOCKS)
        self._writer = threading.Thread(target=self._write, name="listen-meter-feed", daemon=True)
        self._writer.start()
        self._read_at = 0  # how far `integrated_at` has read the log
        self._running = (0.0, SILENCE_LUFS)

    def integrated_at(self, seconds: float, timeout: float = 10.0) -> float | None:
        """For a meter started with blocks=True: the integrated loudness of at least the
        first `seconds` of what was fed (of all it has heard so far), as ebur128 logs it while
        it goes (every 100 ms); waits for the meter to get there, or None after `timeout` s."""
        deadline = time.monotonic() + timeout
        while True:
            data = os.pread(self._log.fileno(), 1 << 16, self._read_at)
            end = data.rfind(b"\n") + 1
            self._read_at += end
            for found in _RUNNING.finditer(data[:end].decode("utf-8", "replace")):
                self._running = (float(found.group(1)), _lufs(found.group(2)))
            if self._running[0] >= seconds - 0.1:
                return self._running[1]
            if (not end and time.monotonic() > deadline) or self._proc.poll() is not None:
                return None
            if not end:
                time.sleep(0.005)

    def feed(self, data: memoryview) -> None:
        """Queue a copy of one block; a meter that died is reported by `result`, not here."""
        self._queue.put(bytes(data))

    def _write(self) -> None:
        stdin = self._proc.stdin
        broken = False
        while (data := self._queue.get()) is not None:
            if broken:
                continue  # keep draining, so feed() never blocks on a dead meter
            try:
                stdin.write(data)  # type: ignore[union-attr]
            except (BrokenPipeError, ValueError):
                broken = True
        try:
            stdin.close()  # type: ignore[union-attr]
        except BrokenPipeError:
            pass

    def close(self) -> None:
        """Stop the feeding thread (idempotent); `result` calls it."""
        if self._writer.is_alive():
            self._queue.put(None)
            self._writer.join()

    def result(self) -> Loudness:
        """Close the pipe, wait for ebur128's summary, and return the integrated loudness.

        The log is read line by line, so a long narration's block log (10 lines a second)
        never sits in memory as one string.
        """
        self.close()
        if self._proc.wait() != 0:
            check(self._proc, self._log, self._dest, "measuring the loudness of", cause_line=-1)
        self._log.seek(0)
        times: list[float] = []
        values: list[float] = []
        summary: list[str] = []
        for raw in self._log:
            line = raw.decode("utf-8", "replace")
            if summary or "Summary:" in line:
                summary.append(line)
            elif self._blocks is not None and (found := _MOMENTARY.search(line)):
                times.append(float(found.group(1)))
                values.append(_lufs(found.group(2)))
        self._blocks = (np.array(times), np.array(values))
        found = _INTEGRATED.search("".join(summary))
        if found is None:
            raise OutputError(f"ffmpeg gave no loudness reading for {self._dest}; is it ffmpeg 4 or newer?")
        value = float(found.group(1))
        return Loudness(SILENCE_LUFS if math.isnan(value) else value)

    def blocks(self) -> tuple[np.ndarray, np.ndarray]:
        """After `result`, for a meter started with blocks=True: the end time (seconds) and
        loudness (LUFS) of each 400 ms block, one every 100 ms; silent blocks read −120.7."""
        if self._blocks is None:
            raise ValueError("this meter was not asked for its blocks")
        return self._blocks


@contextmanager
def meter(dest: Path, *, blocks: bool = False) -> Iterator[Meter]:
    """Start metering int16 mono PCM at SAMPLE_RATE; `dest` only names the file in errors.

    With `blocks` ebur128 logs every block (10 lines a second) so `Meter.blocks` can read them.
    """
    args = ["-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", "1", "-i", "pipe:0"]
    args += ["-af", f"ebur128=framelog={'info' if blocks else 'verbose'}", "-f", "null", "-"]
    with ffmpeg(args, stdin=subprocess.PIPE, loglevel="info") as (proc, log):
        measuring = Meter(proc, log, dest, blocks=blocks)
        try:
            yield measuring
        finally:
            if proc.poll() is None and measuring._writer.is_alive():
                proc.kill()  # leaving early: the writer then drains the queue into a dead pipe
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


def _lufs(text: str) -> float:
    value = float(text)
    return SILENCE_LUFS - 100 if math.isnan(value) else value


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
