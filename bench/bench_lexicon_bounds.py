"""Worst case of a hostile lexicon: seconds until the one-line error, and peak memory
(tracemalloc) while a rule runs. Goal: at most 2 s, memory bounded by GROWTH × the text.

    PYTHONPATH=src .venv/bin/python bench/bench_lexicon_bounds.py
"""

from __future__ import annotations

import time
import tracemalloc

from listen.speech.lexicon import LexiconError, parse_lexicon

CASES = [
    ("nested quantifiers", "/(x+x+)+y/ = z", "x" * 4000 + "!"),
    ("alternation", "/(a|aa)+$/ = z", "a" * 3000 + "b"),
    ("repeated wildcards", "/(.*,){12}x/ = z", "a," * 400),
    ("growing replacement", "/e/ = " + "e" * 5000, "the quay and the ferry and the gulls " * 300),
    ("empty match everywhere", "/(?:)/ = " + "pad " * 1000, "the quay and the ferry " * 300),
]


def main() -> None:
    worst = 0.0
    for name, rule, text in CASES:
        lexicon = parse_lexicon(rule + "\n", "bench.lex")
        tracemalloc.start()
        began = time.perf_counter()
        try:
            lexicon.apply(text)
            outcome = "no error"
        except LexiconError as error:
            outcome = str(error)[:70]
        seconds = time.perf_counter() - began
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        worst = max(worst, seconds)
        print(f"{name:24} {seconds:5.2f} s  peak {peak / 1e6:6.2f} MB  text {len(text)} chars  {outcome}")
    print(f"worst case: {worst:.2f} s")


if __name__ == "__main__":
    main()
