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
"""

from __future__ import annotations

import math
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

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
    """An ebur128 process fed PCM blocks through a pipe while the narration is spooled."""

    def __init__(self, proc: subprocess.Popen[bytes], log: IO[bytes], dest: Path) -> None:
        self._proc = proc
        self._log = log
        self._dest = dest

    def feed(self, data: memoryview) -> None:
        """Send one block; a meter that died is reported by `result`, not here."""
        try:
            self._proc.stdin.write(data)  # type: ignore[union-attr]
        except BrokenPipeError:
            pass

    def result(self) -> Loudness:
        """Close the pipe, wait for ebur128's summary, and return the integrated loudness."""
        try:
            self._proc.stdin.close()  # type: ignore[union-attr]
        except BrokenPipeError:
            pass
        text = check(self._proc, self._log, self._dest, "measuring the loudness of", cause_line=-1)
        found = _INTEGRATED.search(text)
        if found is None:
            raise OutputError(f"ffmpeg gave no loudness reading for {self._dest}; is it ffmpeg 4 or newer?")
        value = float(found.group(1))
        return Loudness(SILENCE_LUFS if math.isnan(value) else value)


@contextmanager
def meter(dest: Path) -> Iterator[Meter]:
    """Start metering int16 mono PCM at SAMPLE_RATE; `dest` only names the file in errors."""
    args = ["-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", "1", "-i", "pipe:0"]
    args += ["-af", "ebur128=framelog=verbose", "-f", "null", "-"]
    with ffmpeg(args, stdin=subprocess.PIPE, loglevel="info") as (proc, log):
        yield Meter(proc, log, dest)


def encode_filters(loudness: Loudness, out_rate: int) -> str:
    """The pass-2 filter chain: gain in float (no clipping), resample, then limit peaks."""
    limit = 10 ** (LIMIT_DBFS / 20)
    return ",".join(
        [
            f"volume={loudness.gain_db:.2f}dB",
            f"aresample={out_rate}:resampler=soxr",
            f"alimiter=limit={limit:.4f}:attack=5:release=50:level=false:latency=true",
        ]
    )
