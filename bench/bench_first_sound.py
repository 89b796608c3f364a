"""How long "listen from here" keeps a listener in silence: from play() to the first audio
bytes written to the player, over a first sentence of about 60 words.

The player program is `cat` into /dev/null, so what is timed is listen's own work
(synthesis of what is played first, WAV, starting the player), not a sound server. The time
is taken inside listen.speech.player.feed, just before the first write. Beside it, in the same
run, the time the same engine takes to synthesise the whole sentence: what a player that
waits for the sentence would keep the listener waiting. Goals from issue 17: espeak ≤ 0.3 s,
piper ≤ 1.0 s. Rounds are repeated; the median and the spread are printed.

Usage: .venv/bin/python bench/bench_first_sound.py [--rounds 7] [--skip piper,espeak]
"""

from __future__ import annotations

import argparse
import os
import statistics
import threading
import time
from dataclasses import dataclass

# 60 words, one sentence, as essays open: a long lead-in with its clauses set off by commas.
FIRST_SENTENCE = (
    "When the last ferry of the season pulled away from the stone pier on a grey Tuesday "
    "morning, carrying the postman, two crates of apples and a retired teacher who had "
    "crossed the strait every autumn for forty years, nobody on the quay guessed that the "
    "service would not run again until the council found the money to mend the engine."
)
FOLLOWING = "The harbour master kept the timetable pinned to his door all winter."
GOALS = {"espeak": 0.3, "piper": 1.0}


@dataclass(frozen=True)
class Line:
    text: str
    section: int = 0
    paragraph: int = 0
    pause_ms: int = 400


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--skip", default="", help="comma-separated: piper, espeak")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    print(f"first sentence: {len(FIRST_SENTENCE.split())} words; load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    from listen.speech.engines import get_engine

    for name in ("espeak", "piper"):
        if name in skip:
            continue
        try:
            engine = get_engine(name, language="en")
        except Exception as error:  # an engine that is not installed is skipped, not fatal
            print(f"{name}: skipped ({error})")
            continue
        engine.synthesize("Warm the voice up before anything is timed.")
        first, whole = [], []
        for _ in range(args.rounds):
            first.append(first_sound(engine))
            started = time.perf_counter()
            engine.synthesize(FIRST_SENTENCE)
            whole.append(time.perf_counter() - started)
        goal = GOALS[name]
        median = statistics.median(first)
        print(
            f"{name}: first sound {median:.3f} s median (spread {min(first):.3f}-{max(first):.3f}, {len(first)} rounds), "
            f"goal <= {goal} s: {'PASS' if median <= goal else 'MISS'}; whole-sentence synthesis "
            f"{statistics.median(whole):.3f} s median (spread {min(whole):.3f}-{max(whole):.3f}); "
            f"ratio first sound / whole sentence {median / statistics.median(whole):.2f}"
        )


def first_sound(engine: object) -> float:
    """Seconds from play() to the first byte written to the player."""
    from listen.speech import player as module

    written = threading.Event()
    stamp: list[float] = []
    original = module.feed

    def timed_feed(process, audio):  # type: ignore[no-untyped-def]
        if not stamp:
            stamp.append(time.perf_counter())
            written.set()
        original(process, audio)

    module.feed = timed_feed
    try:
        player = module.Player(engine, on_event=lambda event: None, command=["cat"])
        started = time.perf_counter()
        player.play([Line(FIRST_SENTENCE), Line(FOLLOWING)])
        if not written.wait(60):
            raise SystemExit("the player was never fed")
        player.stop()
    finally:
        module.feed = original
    return stamp[0] - started


if __name__ == "__main__":
    main()
