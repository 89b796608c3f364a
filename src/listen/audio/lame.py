"""The MP3 encode in this process: gain, soxr to 44.1 kHz, a look-ahead peak limiter, LAME.

Why not an ffmpeg process, as before: with espeak-ng (about 700x real time) the encode was
what a listener waited for. ffmpeg's libmp3lame at 44.1 kHz ran about 190x real time with
its filters; LAME through lameenc runs about 700x at the same quality, soxr (the resampler
ffmpeg's aresample used) and the limiter below add little, and LAME and soxr release the GIL,
so a piece can be encoded on one thread while another synthesises or encodes.

The chain is the one ffmpeg's filters applied (`volume`, `aresample=resampler=soxr`,
`alimiter`), in float: the gain cannot clip, and samples reach LAME as int16 at most
LIMIT_DBFS. The limiter is not alimiter's: it is a min-hold, moving-average look-ahead
limiter whose gain at every sample is at most what that sample needs, so no output sample
exceeds the ceiling (alimiter's exponential attack can overshoot a little). Attack (look-
ahead) 5 ms and hold 50 ms as alimiter's attack and release; the gain ramps back over the
attack time after the hold. Speech at -19 LUFS reaches the ceiling rarely, so almost every
block takes the fast path (its peak is under the ceiling: nothing to do but delay it).
"""

from __future__ import annotations

import lameenc
import numpy as np
import soxr

from listen.audio.loudness import LIMIT_DBFS
from listen.audio.pcm import SAMPLE_RATE

OUTPUT_RATE = 44100
LAME_QUALITY = 7  # why 7: see mp3.py
ENCODER_DELAY = 576  # lame_get_encoder_delay() at OUTPUT_RATE, written in the Info frame
ATTACK_MS = 5.0
HOLD_MS = 50.0


class Mp3Encoder:
    """int16 mono PCM at SAMPLE_RATE in, MPEG-1 Layer III frames (CBR) out.

    `samples` counts the samples (at OUTPUT_RATE) handed to LAME so far: after `flush`, the
    decoded length the Info frame must describe."""

    def __init__(self, gain_db: float, bitrate_kbps: int, *, limit_dbfs: float = LIMIT_DBFS) -> None:
        self._gain = 10 ** (gain_db / 20) / 32768.0
        self._resampler = soxr.ResampleStream(SAMPLE_RATE, OUTPUT_RATE, 1, dtype="float32", quality="HQ")
        self._limiter = Limiter(10 ** (limit_dbfs / 20), OUTPUT_RATE)
        self._lame = lameenc.Encoder()
        self._lame.set_bit_rate(bitrate_kbps)
        self._lame.set_in_sample_rate(OUTPUT_RATE)
        self._lame.set_out_sample_rate(OUTPUT_RATE)
        self._lame.set_channels(1)
        self._lame.set_quality(LAME_QUALITY)
        self.samples = 0

    def encode(self, pcm: np.ndarray | bytes | memoryview) -> bytes:
        """Encode a block; the frames LAME has finished (it keeps up to a few frames back)."""
        block = np.frombuffer(pcm, dtype="<i2") if not isinstance(pcm, np.ndarray) else pcm
        if block.size == 0:
            return b""
        scaled = block.astype(np.float32) * np.float32(self._gain)
        return self._lame_encode(self._limiter.process(self._resampler.resample_chunk(scaled)))

    def flush(self) -> bytes:
        """The rest: the resampler's and limiter's tails, then LAME's last frames."""
        tail = self._limiter.process(self._resampler.resample_chunk(np.zeros(0, np.float32), last=True), last=True)
        return self._lame_encode(tail) + bytes(self._lame.flush())

    def _lame_encode(self, samples: np.ndarray) -> bytes:
        if samples.size == 0:
            return b""
        self.samples += samples.size
        pcm = np.clip(np.rint(samples * 32768.0), -32768, 32767).astype("<i2")
        return bytes(self._lame.encode(pcm.tobytes()))


class Limiter:
    """A streaming look-ahead peak limiter on float samples (full scale 1.0), latency-free:
    what goes in at sample n comes out at sample n, scaled so |out| <= ceiling.

    The gain a sample needs is min(1, ceiling/|x|). The gain applied at n is the mean, over
    the `attack` samples up to n, of the least gain needed within [m - hold, m + attack) of
    each such m: every term covers n, so the mean is at most what n needs.

    Only samples over the ceiling need less than 1, and each one moves the gain only from
    `attack` - 1 samples before it to `attack` - 1 + `hold` after it. So the limiter keeps
    those samples (position and gain needed) and works out the gain only around them, a
    few short stretches per second of speech (12% of the samples at a typical gain):
    computed over every sample of a block that had any peak, as it first was, it cost a
    third of the whole encode.
    """

    def __init__(self, ceiling: float, rate: int, *, attack_ms: float = ATTACK_MS, hold_ms: float = HOLD_MS) -> None:
        self.ceiling = ceiling
        self._attack = max(1, round(rate * attack_ms / 1000))
        self._hold = max(0, round(rate * hold_ms / 1000))
        self._pending = np.zeros(0, np.float32)  # samples in, not yet out
        self._out = 0  # samples out so far: the position of the first pending sample
        self._peaks = np.zeros(0, np.int64)  # positions of samples over the ceiling, still in reach
        self._needs = np.zeros(0)  # the gain each of them needs

    def process(self, chunk: np.ndarray, *, last: bool = False) -> np.ndarray:
        attack, hold = self._attack, self._hold
        chunk = np.asarray(chunk, np.float32)
        over = np.flatnonzero(np.abs(chunk) > self.ceiling)
        if over.size:
            self._peaks = np.concatenate((self._peaks, over + (self._out + self._pending.size)))
            needs = np.minimum(1.0, self.ceiling / np.abs(chunk[over]).astype(np.float64))
            self._needs = np.concatenate((self._needs, needs))
        samples = np.concatenate((self._pending, chunk)) if self._pending.size else chunk
        ready = samples.size if last else max(0, samples.size - (attack - 1))
        out = samples[:ready]
        if self._peaks.size:
            if samples is chunk:
                out = out.copy()  # the caller's array: not ours to scale
            first, end = self._out, self._out + ready
            for low, high in _reaches(self._peaks, attack - 1, attack - 1 + hold):  # [low, high], in order
                low, high = max(low, first), min(high, end - 1)
                if low > high:
                    continue
                out[low - first : high - first + 1] *= self._gain(low, high).astype(np.float32)
            keep = self._peaks >= end - (attack - 1 + hold)  # still moves a gain not yet given
            self._peaks, self._needs = self._peaks[keep], self._needs[keep]
        self._pending = samples[ready:]
        self._out += ready
        return out

    def _gain(self, low: int, high: int) -> np.ndarray:
        """The gain at samples low..high (positions in the stream), from the peaks near them."""
        attack, window = self._attack, self._hold + self._attack
        start = low - (attack - 1) - self._hold  # the first sample whose need reaches `low`
        needed = np.ones(high - start + attack)  # samples start .. high + attack - 1
        near = (self._peaks >= start) & (self._peaks < start + needed.size)
        needed[self._peaks[near] - start] = self._needs[near]
        held = _sliding_min(needed, window)  # m = low - (attack - 1) .. high
        sums = np.concatenate(([0.0], np.cumsum(held)))
        return (sums[attack:] - sums[:-attack]) / attack


def _reaches(peaks: np.ndarray, before: int, after: int) -> list[tuple[int, int]]:
    """The stretches [peak - before, peak + after] around sorted `peaks`, overlapping or
    touching ones merged."""
    lows, highs = peaks - before, peaks + after
    breaks = np.flatnonzero(lows[1:] > highs[:-1] + 1) + 1
    firsts, lasts = np.concatenate(([0], breaks)), np.concatenate((breaks - 1, [peaks.size - 1]))
    return list(zip(lows[firsts].tolist(), highs[lasts].tolist()))


def _sliding_min(values: np.ndarray, width: int) -> np.ndarray:
    """min(values[i : i + width]) for every i (van Herk / Gil-Werman: three passes, any width)."""
    count = values.size
    if count < width:
        return np.zeros(0)
    blocks = np.concatenate((values, np.ones(-count % width))).reshape(-1, width)
    prefix = np.minimum.accumulate(blocks, axis=1).ravel()
    suffix = np.minimum.accumulate(blocks[:, ::-1], axis=1)[:, ::-1].ravel()
    return np.minimum(suffix[: count - width + 1], prefix[width - 1 : count])
