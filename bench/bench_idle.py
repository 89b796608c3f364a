"""Nothing to do costs nothing (issue 17 part 3): an unchanged `listen build` over 1,000 small articles.

`listen build --engine espeak` runs as a subprocess (the installed CLI) over N generated
articles of 1-2 short paragraphs, in a fresh output folder and cache:

1. the first build (every article narrated), then
2. the same build again, nothing changed, three times; the best counts.
   figures: the re-run in seconds                                      goal ≤ 1 s
            the re-run ÷ the first build                               goal ≤ 0.03

Also printed: the re-run with `-X importtime`'s total (the part of it that is imports), and
which of the modules an unchanged re-run should never need were imported (there should be none).

Bytecode: this machine sets PYTHONDONTWRITEBYTECODE=1, so every run of the command would
compile listen's modules from source (~0.2 s), which no installed copy does (pip writes the
.pyc files). The builds here run without that variable, so the first build leaves the .pyc
files (under the temporary folder, PYTHONPYCACHEPREFIX) that the re-runs use, as an installed
listen would.

`--compare SRC` also times, in the same run and alternating with this code's re-runs, the
same re-run by another copy of listen's source (e.g. /work/main/src, before a change): both
read the same manifest, so both find nothing to do. It prints both ratios, of the best wall
times and of the best CPU times (on a shared machine the CPU is the steadier figure).

`--keep DIR` keeps the library, its audio, the cache and the bytecode in DIR instead of a
temporary folder, and records the first build's time there (`first-build.json`). Run again
with the same DIR (and the same N), the first build is not repeated: the re-runs start at
once, against the recorded first build. The first build of 1,000 articles takes many
minutes on a shared machine; this is how to time the re-run many times while changing the
code. (A DIR whose first build did not finish is refused: remove it and start again.)

Usage: .venv/bin/python bench/bench_idle.py [--count N] [--compare SRC] [--keep DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_speak import LISTEN, isolated_env, load, report

SECONDS_GOAL = 1.0
RATIO_GOAL = 0.03
NEVER = (
    "numpy",
    "requests",
    "rich",
    "textual",
    "trafilatura",
    "markdown_it",
    "feedparser",
    "PIL",
    "gtts",
    "ftfy",
    "onnxruntime",
    "listen.audio",
    "listen.speech.engines",
    "listen.articles.load",
)

# Our own words, shuffled into short articles that differ from one another.
PLACES = [
    "the ferry pier",
    "the night market",
    "the allotments",
    "the old tram depot",
    "the harbour wall",
    "the library steps",
    "the bus shelter on Mill Lane",
    "the river path",
    "the fishmonger's",
    "the lido",
]
HAPPENINGS = [
    "a queue formed before dawn",
    "the lights failed for an hour",
    "a brass band rehearsed",
    "two neighbours argued about parking",
    "the council put up a new sign",
    "a lost dog was found",
    "the first frost arrived",
    "volunteers painted the railings",
    "a van delivered the wrong crates",
    "children raced paper boats",
]
AFTER = [
    "Nobody could say who had started it.",
    "By noon it was forgotten.",
    "The regulars were not surprised.",
    "A notice will follow next week.",
    "Most people stayed to watch.",
    "It rained soon after.",
]


def articles(folder: Path, count: int) -> Path:
    where = folder / "articles"
    where.mkdir()
    rng = random.Random(17)
    for n in range(count):
        paragraphs = [
            f"At {rng.choice(PLACES)}, {rng.choice(HAPPENINGS)} on day {n + 1}. {rng.choice(AFTER)}"
            for _ in range(rng.randint(1, 2))
        ]
        title = f"Local Notes {n + 1}: {rng.choice(PLACES).title()}"
        (where / f"note-{n + 1:04d}.txt").write_text(title + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return where


def environment(folder: Path, src: str | None = None) -> dict[str, str]:
    env = isolated_env(folder)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # see the docstring
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")  # never written into a source tree
    if src:
        env["PYTHONPATH"] = src
    return env


def build(folder: Path, source: Path, *extra: str, src: str | None = None) -> tuple[float, str, str]:
    """(wall seconds, the summary line with the CPU seconds it took, stderr) of one `listen build`.

    The CPU time is the command's own (a re-run starts no worker processes): unlike the wall
    time, it hardly depends on how busy the shared machine is."""
    command = [str(LISTEN), "build", str(source), "-d", str(folder / "audio"), "--engine", "espeak"]
    if extra:  # run through python with the given interpreter options (e.g. -X importtime)
        command = [sys.executable, *extra, *command]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=environment(folder, src), capture_output=True, text=True, check=False)
    spent = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"listen build failed ({done.returncode}): {done.stderr[-400:]}")
    summary = next((line for line in done.stdout.splitlines() if line.startswith("Narrated")), "?")
    return spent, f"CPU {cpu:.2f} s; {summary}", done.stderr


def cpu_of(summary: str) -> float:
    """The CPU seconds `build` put at the start of its summary."""
    return float(summary.split()[1])


def first_build(folder: Path, count: int, *, kept: bool) -> tuple[Path, float]:
    """(the library, the first build's wall seconds): built now, or read back from a kept DIR."""
    record = folder / "first-build.json"
    if kept and record.exists():
        done = json.loads(record.read_text(encoding="utf-8"))
        if done["count"] != count:
            raise SystemExit(f"{folder} holds {done['count']} articles, not {count}: use another --keep folder")
        print(f"  first build: {done['seconds']:.1f} s, reused from {record}; {done['summary']}", flush=True)
        return folder / "articles", float(done["seconds"])
    if kept and folder.exists() and any(folder.iterdir()):
        raise SystemExit(f"{folder} is not empty and records no finished first build: remove it or choose another")
    folder.mkdir(parents=True, exist_ok=True)
    source = articles(folder, count)
    first, summary, _ = build(folder, source)
    print(f"  first build: {first:.1f} s; {summary}; {load()}", flush=True)
    record.write_text(
        json.dumps({"count": count, "seconds": first, "summary": f"{summary}; {load()}"}), encoding="utf-8"
    )
    return source, first


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="articles (default 1000)")
    parser.add_argument("--compare", metavar="SRC", help="also time the re-run with this copy of listen's src/")
    parser.add_argument("--keep", metavar="DIR", type=Path, help="keep the library in DIR and reuse its first build")
    args = parser.parse_args()
    print(f"bench_idle: {args.count} articles; {load()}", flush=True)
    with contextlib.ExitStack() as stack:
        folder = args.keep or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-idle-")))
        source, first = first_build(folder, args.count, kept=args.keep is not None)
        # Not counted: each side writes its bytecode, and learns its engine's key (batch/engine_keys.py:
        # a changed engine module is a new stamp, so the first run after a change opens the engine).
        build(folder, source)
        if args.compare:
            build(folder, source, src=args.compare)
        again, other = [], []
        cpu: dict[str, list[float]] = {"this": [], "other": []}
        for n in range(3):
            spent, summary, _ = build(folder, source)
            again.append(spent)
            cpu["this"].append(cpu_of(summary))
            print(f"  re-run {n + 1}: {spent:.2f} s; {summary}; {load()}", flush=True)
            if args.compare:
                spent, summary, _ = build(folder, source, src=args.compare)
                other.append(spent)
                cpu["other"].append(cpu_of(summary))
                print(f"  re-run {n + 1} by {args.compare}: {spent:.2f} s; {summary}; {load()}", flush=True)
        _, _, stderr = build(folder, source, "-X", "importtime")
        rows = [line.split("|") for line in stderr.splitlines() if line.startswith("import time:")]
        imported = [row[2].strip() for row in rows if len(row) == 3]
        imports_s = (
            sum(int(row[0].split(":")[1]) for row in rows if len(row) == 3 and row[0].split(":")[1].strip().isdigit())
            / 1e6
        )
        never = sorted({m for m in imported if any(m == n or m.startswith(n + ".") for n in NEVER)})
        print(
            f"  imports on a re-run: {len(imported)} modules, {imports_s:.2f} s (self times summed, under -X importtime); "
            f"that it should never need: {', '.join(never) or 'none'}",
            flush=True,
        )
        best = min(again)
        if other:
            print(
                f"  this code's best re-run ÷ {args.compare}'s: {best / min(other):.3f} ({best:.2f} s ÷ {min(other):.2f} s)",
                flush=True,
            )
            print(
                f"  CPU: this code's best ÷ {args.compare}'s: {min(cpu['this']) / min(cpu['other']):.3f} "
                f"({min(cpu['this']):.2f} s ÷ {min(cpu['other']):.2f} s; all: {cpu['this']} ÷ {cpu['other']})",
                flush=True,
            )
        ok = report(
            f"unchanged re-run of {args.count} articles, seconds", best, SECONDS_GOAL, detail=f"best of 3; {load()}"
        )
        ok &= report(
            f"unchanged re-run / first build, {args.count} articles",
            best / first,
            RATIO_GOAL,
            detail=f"re-run {best:.2f} s, first {first:.1f} s",
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
