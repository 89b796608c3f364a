"""Loading and scanning articles: edge-case files and a 10,000-file library.

Prints each figure with a ratio to a baseline measured in the same run (reading the same
bytes from disk), plus the absolute time for the "well under a second" goals. Not a test.

    .venv/bin/python bench/bench_articles.py [--quick]
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from listen.articles import load_article  # noqa: E402
from listen.articles.library import scan_library  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def timed(call, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - start)
    return best


def paragraphs() -> list[str]:
    out: list[str] = []
    for path in sorted((ROOT / "articles").iterdir()):
        out.extend(load_article(path).paragraphs)
    return out


def main() -> None:
    quick = "--quick" in sys.argv
    files = 2_000 if quick else 10_000
    work = Path(tempfile.mkdtemp(prefix="bench-articles-"))
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")
    try:
        texts = paragraphs()
        cases = {
            "200,000-character line": "word " * 40_000,
            "500 headings": "Many Parts\n\n" + "\n\n".join(f"Part {i}\n\n{texts[i % len(texts)]}" for i in range(500)),
            "title only": "Just A Title\n",
            "100,000-word article": "Long Read\n\n" + "\n\n".join((texts * 200)[:1700]),
        }
        load_article(ROOT / "articles" / "night-train-notes.txt")  # warm imports and the language model
        print(f"{'file':<26} {'load':>9} {'read bytes':>11} {'ratio':>7}   goal")
        for name, text in cases.items():
            path = work / f"{name.replace(' ', '-').replace(',', '')}.txt"
            path.write_text(text, encoding="utf-8")
            load = timed(lambda: load_article(path))
            read = timed(lambda: path.read_bytes())
            verdict = "PASS" if load < 0.5 else "MISS"
            print(f"{name:<26} {load * 1000:8.1f}ms {read * 1000:10.2f}ms {load / read:7.0f}x   < 0.5 s: {verdict}")

        library = work / "library"
        rng = random.Random(7)
        for n in range(files):
            folder = library / f"shelf-{n % 50:02d}"
            folder.mkdir(parents=True, exist_ok=True)
            body = "\n\n".join(rng.sample(texts, 6))
            (folder / f"article-{n:05d}.txt").write_text(f"Article Number {n}\n\n{body}\n", encoding="utf-8")
        baseline = timed(lambda: [p.read_bytes() for p in library.rglob("*.txt")], repeat=1)
        first = timed(lambda: scan_library(library), repeat=1)
        again = timed(lambda: scan_library(library), repeat=3)
        print(f"library of {files:,} files: read all bytes {baseline:.2f} s")
        print(f"  first scan   {first:6.2f} s  = {first / baseline:5.1f}x reading the bytes")
        print(
            f"  cached scan  {again:6.2f} s  = {again / baseline:5.2f}x reading the bytes ({again / first:.3f} of the first scan)"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
