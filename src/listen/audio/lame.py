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
    each such m: every term covers n, so the mean is at most what n needs."""

    def __init__(self, ceiling: float, rate: int, *, attack_ms: float = ATTACK_MS, hold_ms: float = HOLD_MS) -> None:
        self.ceiling = ceiling
        self._attack = max(1, round(rate * attack_ms / 1000))
        self._hold = max(0, round(rate * hold_ms / 1000))
        history = self._hold + self._attack - 1
        self._pending = np.zeros(0, np.float32)  # samples in, not yet out
        self._needed = np.ones(history)  # gains needed: `history` samples before the pending ones, then theirs

    def process(self, chunk: np.ndarray, *, last: bool = False) -> np.ndarray:
        attack, history = self._attack, self._hold + self._attack - 1
        samples = np.concatenate((self._pending, chunk)) if self._pending.size else np.asarray(chunk, np.float32)
        needed = np.concatenate((self._needed, self._needs(chunk)))
        if last:
            needed = np.concatenate((needed, np.ones(attack - 1)))  # nothing past the end to limit
        ready = samples.size if last else max(0, samples.size - (attack - 1))
        if needed[: history + ready + attack - 1].min() >= 1.0:
            out = samples[:ready]
        else:
            window = self._hold + attack
            held = _sliding_min(needed[: ready + 2 * attack + self._hold - 2], window)  # m = -(attack-1) .. ready-1
            sums = np.concatenate(([0.0], np.cumsum(held)))
            gain = (sums[attack:] - sums[:-attack]) / attack
            out = samples[:ready] * gain[:ready].astype(np.float32)
        self._pending = samples[ready:]
        self._needed = needed[ready:]
        return out

    def _needs(self, chunk: np.ndarray) -> np.ndarray:
        peak = np.abs(chunk)
        if chunk.size == 0 or peak.max() <= self.ceiling:
            return np.ones(chunk.size)
        return np.minimum(1.0, self.ceiling / np.maximum(peak.astype(np.float64), 1e-12))


def _sliding_min(values: np.ndarray, width: int) -> np.ndarray:
    """min(values[i : i + width]) for every i (van Herk / Gil-Werman: three passes, any width)."""
    count = values.size
    if count < width:
        return np.zeros(0)
    blocks = np.concatenate((values, np.ones(-count % width))).reshape(-1, width)
    prefix = np.minimum.accumulate(blocks, axis=1).ravel()
    suffix = np.minimum.accumulate(blocks[:, ::-1], axis=1)[:, ::-1].ravel()
    return np.minimum(suffix[: count - width + 1], prefix[width - 1 : count])
