"""How fast the offline engines are here: piper's load time, real-time factor and memory,
and espeak-ng's cost per utterance (mostly process start-up). Prints ratios; asserts nothing.

Run: .venv/bin/python bench/bench_piper.py   (skips an engine that is not installed)
"""

from __future__ import annotations

import resource
import shutil
import statistics
import sys
import time

SENTENCES = [
    "The library stays open late on Thursdays, when the reading room is quietest.",
    "Volunteers sort the returned books before the morning shift arrives.",
    "A new ramp at the side entrance means nobody has to wait for the lift.",
    "Children's story hour moves to the garden when the weather is kind.",
    "Anyone with a card can borrow up to twelve items at a time.",
]


def main() -> int:
    bench_piper()
    bench_espeak()
    return 0


def bench_piper() -> None:
    from listen.speech.engines import piper

    ready = piper.availability()
    if not ready.ok:
        print(f"piper: skipped ({ready.reason})")
        return
    for threads in (1, 2):
        piper._models.clear()
        started = time.perf_counter()
        engine = piper.open_piper(language="en", threads=threads)
        loaded = time.perf_counter() - started
        engine.synthesize("Warm up.")
        started = time.perf_counter()
        samples = sum(engine.synthesize(text).size for text in SENTENCES)
        spent = time.perf_counter() - started
        audio = samples / engine.sample_rate
        print(f"piper ({threads} thread{'s' if threads > 1 else ''}): load {loaded:.2f} s, {audio:.1f} s of speech in {spent:.2f} s = {audio / spent:.1f}x real time")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"piper: peak resident memory of this process {peak_mb:.0f} MB")


def bench_espeak() -> None:
    from listen.speech.engines import espeak

    if shutil.which("espeak-ng") is None:
        print("espeak: skipped (espeak-ng is not installed)")
        return
    engine = espeak.open_espeak(language="en", workers=2)
    rounds = 60
    tiny = _per_call(lambda: engine.synthesize("a"), rounds)
    sentence = _per_call(lambda: engine.synthesize(SENTENCES[0]), rounds)
    audio = engine.synthesize(SENTENCES[0]).size / engine.sample_rate
    texts = SENTENCES * (rounds // len(SENTENCES))
    started = time.perf_counter()
    total = sum(pcm.size for pcm in engine.synthesize_many(texts)) / engine.sample_rate
    many = time.perf_counter() - started
    print(f"espeak: {tiny * 1000:.1f} ms per call for one letter (process start-up), {sentence * 1000:.1f} ms for a {audio:.1f} s sentence = {audio / sentence:.0f}x real time")
    print(f"espeak: synthesize_many with 2 processes: {many / len(texts) * 1000:.1f} ms per sentence = {total / many:.0f}x real time")


def _per_call(call, rounds: int) -> float:
    """Median seconds per call: the median shrugs off other work on a shared machine."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


if __name__ == "__main__":
    sys.exit(main())
