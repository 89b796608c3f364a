"""The encoder's look-ahead limiter (audio/lame.py) gives every sample the gain its definition
says, however the stream is cut into blocks, and no sample leaves it above the ceiling."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

from listen.audio.lame import Limiter

RATE = 44100
CEILING = 10 ** (-2.5 / 20)


def by_definition(samples: np.ndarray, limiter: Limiter) -> np.ndarray:
    """The gain at n: the mean over m in (n - attack, n] of the least gain needed in
    [m - hold, m + attack), computed for every sample directly (slow, and plain to read)."""
    attack, hold = limiter._attack, limiter._hold
    needed = np.minimum(1.0, CEILING / np.maximum(np.abs(samples.astype(np.float64)), 1e-12))
    padded = np.concatenate((np.ones(hold + attack - 1), needed, np.ones(attack - 1)))
    held = sliding_window_view(padded, hold + attack).min(axis=1)  # m = -(attack - 1) .. n - 1
    gain = sliding_window_view(held, attack).mean(axis=1)
    return samples * gain[: samples.size]


def streamed(samples: np.ndarray, cuts: list[int]) -> np.ndarray:
    limiter = Limiter(CEILING, RATE)
    parts = np.split(samples, cuts)
    out = [limiter.process(part) for part in parts[:-1]]
    out.append(limiter.process(parts[-1], last=True))
    return np.concatenate(out)


def speech_like(seconds: float, seed: int) -> np.ndarray:
    """Bursts of a few hundred Hz with loud syllables now and then, and silences between them:
    peaks over the ceiling that come alone, in clusters, and right at the ends of blocks."""
    rng = np.random.default_rng(seed)
    t = np.arange(round(seconds * RATE)) / RATE
    envelope = np.repeat(rng.choice([0.0, 0.3, 0.6, 1.05, 1.4], size=t.size // 2205 + 1), 2205)[: t.size]
    return (np.sin(2 * np.pi * 180 * t) * np.sin(2 * np.pi * 3.1 * t) ** 2 * envelope).astype(np.float32)


@pytest.mark.parametrize(
    "cuts",
    [[], [1], [220, 221], [5000, 5003, 33075], list(range(997, 88200, 997))],
    ids=["whole", "one-sample block", "attack-sized blocks", "uneven", "many small blocks"],
)
def test_streamed_gain_follows_the_definition_wherever_the_blocks_are_cut(cuts: list[int]) -> None:
    samples = speech_like(2.0, seed=len(cuts))
    assert (np.abs(samples) > CEILING).sum() > 100, "the signal must need limiting for this test to mean anything"
    expected = by_definition(samples, Limiter(CEILING, RATE))
    out = streamed(samples, cuts)
    assert out.size == samples.size
    np.testing.assert_allclose(out, expected, rtol=0, atol=2e-7)
    assert np.abs(out).max() <= CEILING + 1e-7


def test_peaks_at_the_very_start_and_end_are_limited_and_quiet_audio_passes_untouched() -> None:
    samples = np.full(3000, 0.2, np.float32)
    samples[0], samples[-1], samples[1500] = 0.99, -1.0, 0.9
    out = streamed(samples, [1499, 1501])
    np.testing.assert_allclose(out, by_definition(samples, Limiter(CEILING, RATE)), rtol=0, atol=2e-7)
    assert np.abs(out).max() <= CEILING + 1e-7
    quiet = speech_like(1.0, seed=3) * np.float32(0.5)
    assert np.array_equal(streamed(quiet, [10_000]), quiet)
