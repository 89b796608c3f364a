"""What `listen build` gains from parallel workers, from its manifest and from its utterance cache.

Prints one line per figure (value, goal, PASS/MISS), every ratio measured in this run,
all with `listen build --engine espeak` run as a subprocess (the installed CLI):

1. 20 articles of ~500 words (distinct sentences, so no utterance is shared between them):
   wall(--jobs 2) ÷ wall(--jobs 1), each in a fresh output dir and a fresh cache. goal ≤ 0.6
2. the same build run again, nothing changed (same dir, same cache) ÷ its first run. goal ≤ 0.05
3. a ~5,000-word article with headings, one paragraph edited, built again (same dir, cache
   warm from the first run) ÷ the first build of it.                             goal ≤ 0.2
4. peak memory of `listen build --engine piper --jobs 2` on 4 short articles: the summed PSS
   of listen, its workers (two piper voices loaded) and their children, polled every 0.2 s
   (issue 17).                                                                goal ≤ 1.2 GB

Inputs are generated into a temp dir from the project's own sample articles (articles/);
each run gets its own XDG_CACHE_HOME there, so the user's cache never helps.

Each build's line also gives its CPU time (listen, its worker processes and its ffmpegs) and
the cores that kept busy on average (CPU ÷ wall). On 2 cores --jobs 2 cannot take less than
half its CPU time, so figure 1 is about half the cores --jobs 1 keeps busy, since both do
the same work: it reads ≤ 0.6 only when --jobs 1 keeps at most 1.2 cores busy.

Usage: .venv/bin/python bench/bench_build.py [--quick] [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench_speak import LISTEN, Varier, isolated_env, load, long_article, report, sample_paragraphs, tree_pss_kb

JOBS_GOAL = 0.6
RERUN_GOAL = 0.05
EDIT_GOAL = 0.2
PIPER_MEMORY_GOAL_MB = 1200.0


def build(folder: Path, name: str, paths: list[Path], jobs: int | None, cache: str) -> tuple[float, str]:
    """Run `listen build`; return its wall time and its summary line (with its CPU time:
    listen, its worker processes and every ffmpeg they ran)."""
    out = folder / f"out-{name}"
    command = [str(LISTEN), "build", *map(str, paths), "-d", str(out), "--engine", "espeak"]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    env = isolated_env(folder / f"cache-{cache}")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    workers = ForkServerWorkers(process.pid)
    workers.start()
    stdout, stderr = process.communicate()
    spent = time.perf_counter() - started
    workers.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise SystemExit(f"listen build failed ({process.returncode}): {stderr or stdout}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime) + workers.cpu()
    summary = next((line for line in stdout.splitlines() if line.startswith("Narrated")), "?")
    return spent, f"CPU {cpu:.1f} s ({cpu / spent:.2f} cores); {summary}"


class ForkServerWorkers(threading.Thread):
    """The CPU time of listen's worker processes, which its rusage does not include.

    They are forked by multiprocessing's fork server, not by listen, so listen never waits
    for them. Every 0.1 s this reads each one's /proc stat: its own time and that of the
    ffmpegs it ran and waited for; the last reading of each counts (a worker lives until
    the build ends, so at most the last 0.1 s of each is missed).
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.ticks: dict[int, int] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.1):
            for server in children(self.pid):
                if b"forkserver" in read(f"/proc/{server}/cmdline"):
                    for worker in children(server):
                        fields = read(f"/proc/{worker}/stat").rsplit(b")", 1)[-1].split()
                        if len(fields) > 15:  # utime, stime, cutime, cstime: fields 14-17
                            self.ticks[worker] = sum(int(value) for value in fields[11:15])

    def stop(self) -> None:
        self.done.set()
        self.join()

    def cpu(self) -> float:
        return sum(self.ticks.values()) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    return [int(child) for child in read(f"/proc/{pid}/task/{pid}/children").split()]


def read(path: str) -> bytes:
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError:
        return b""


def cached_utterances(folder: Path, cache: str) -> int:
    return sum(1 for _ in (folder / f"cache-{cache}").rglob("*.lpcm"))


# ---------------------------------------------------------------- inputs


def small_articles(folder: Path, count: int, words: int) -> Path:
    """`count` articles of about `words` words, no sentence shared between any two."""
    pool = sample_paragraphs()
    varier = Varier(pool, seed=7)
    where = folder / "articles"
    where.mkdir()
    for n in range(count):
        text = long_article(
            words, seed=1000 + n, title=f"Dispatch {n + 1}: News from the Quay", section_paragraphs=3, varier=varier
        )
        (where / f"dispatch-{n + 1:02d}.txt").write_text(text, encoding="utf-8")
    return where


def edit_one_paragraph(path: Path) -> str:
    """Rewrite one paragraph in the middle (a few words swapped); return what changed."""
    chunks = path.read_text(encoding="utf-8").split("\n\n")
    middle = len(chunks) // 2
    index = next(i for i in range(middle, len(chunks)) if len(chunks[i].split()) > 30)
    rng = random.Random(3)
    words = chunks[index].split()
    for i in rng.sample(range(1, len(words) - 1), 3):
        if words[i].isalpha() and words[i].islower():
            words[i] = "lighthouse"
    chunks[index] = " ".join(words)
    path.write_text("\n\n".join(chunks), encoding="utf-8")
    return f"paragraph {index} of {len(chunks)} chunks, {len(words)} words"


# ---------------------------------------------------------------- figures


def bench_jobs_and_rerun(folder: Path, count: int, words: int, rounds: int) -> None:
    articles = small_articles(folder, count, words)
    one: list[float] = []
    two: list[float] = []
    first_two: tuple[str, float] | None = None
    for n in range(rounds):  # ABBA order over rounds, so drifting machine load hits both alike
        order = (1, 2) if n % 2 == 0 else (2, 1)
        for jobs in order:
            name = f"jobs{jobs}-{n}"
            spent, summary = build(folder, name, [articles], jobs, cache=name)
            (one if jobs == 1 else two).append(spent)
            print(f"  build --jobs {jobs} (round {n + 1}): {spent:.1f} s; {summary}", flush=True)
            if jobs == 2 and first_two is None:
                first_two = (name, spent)
    ratio = min(two) / min(one)
    report(
        f"build --jobs 2 / --jobs 1, {count} articles x ~{words} words",
        ratio,
        JOBS_GOAL,
        detail=f"jobs 2 {min(two):.1f} s, jobs 1 {min(one):.1f} s, best of {rounds}; {load()}",
    )

    name, first = first_two  # type: ignore[misc]
    again, summary = build(folder, name, [articles], 2, cache=name)
    report(
        "build unchanged re-run / first run",
        again / first,
        RERUN_GOAL,
        detail=f"re-run {again:.2f} s, first {first:.1f} s (--jobs 2); {summary}; {load()}",
    )


def bench_edit(folder: Path, words: int) -> None:
    where = folder / "long"
    where.mkdir()
    article = where / "long-read.txt"
    article.write_text(
        long_article(words, seed=5000, title="The Long Read: A Year on the Water", distinct=True), encoding="utf-8"
    )
    first, summary = build(folder, "edit", [article], None, cache="edit")
    before = cached_utterances(folder, "edit")
    changed = edit_one_paragraph(article)
    again, summary_again = build(folder, "edit", [article], None, cache="edit")
    fresh = cached_utterances(folder, "edit") - before
    report(
        f"build after editing one paragraph / first build, ~{words} words",
        again / first,
        EDIT_GOAL,
        detail=f"edited {again:.1f} s, first {first:.1f} s; {fresh} of {before} utterances synthesised again "
        f"({changed}); {summary}; {load()}",
    )


def bench_piper_memory(folder: Path, count: int, words: int) -> None:
    """Figure 4: peak memory of a two-worker piper build (each worker loads the voice)."""
    from listen.speech.engines import piper

    if not piper.availability().ok:
        print(f"peak memory of build --jobs 2 with piper: skipped ({piper.availability().reason})")
        return
    articles = folder / "piper-articles"
    articles.mkdir()
    for n in range(count):
        (articles / f"short-{n}.txt").write_text(
            long_article(words, seed=300 + n, title=f"Short Piece {n + 1}"), encoding="utf-8"
        )
    # a parent that is only a waiter, so the tree below it is listen's alone (see bench_speak.WAIT4)
    waiter = "import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL))"
    command = [
        sys.executable,
        "-c",
        waiter,
        str(LISTEN),
        "build",
        str(articles),
        "-d",
        str(folder / "out-piper"),
        "--engine",
        "piper",
        "--jobs",
        "2",
    ]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=folder, env=isolated_env(folder / "cache-piper"), stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_pss_kb(process.pid))
        time.sleep(0.2)
    spent = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"listen build --engine piper failed: {process.stderr.read().decode()[-500:]}")  # type: ignore[union-attr]
    report(
        "peak memory of build --jobs 2 with piper (sum of PSS of listen and its children)",
        peak / 1024,
        PIPER_MEMORY_GOAL_MB,
        "MB",
        f"{count} articles x ~{words} words in {spent:.0f} s; {load()}",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="6 articles, a 2,000-word long one, one round")
    parser.add_argument("--rounds", type=int, default=None, help="jobs-1/jobs-2 rounds (default 2, quick 1)")
    parser.add_argument("--skip", default="", help="comma-separated: jobs, edit, piper")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    rounds = args.rounds or (1 if args.quick else 2)
    print(f"bench_build ({'quick' if args.quick else 'full'}): {load()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-build-") as name:
        folder = Path(name)
        if "jobs" not in skip:
            bench_jobs_and_rerun(folder, 6 if args.quick else 20, 500, rounds)
        if "edit" not in skip:
            bench_edit(folder, 2_000 if args.quick else 5_000)
        if "piper" not in skip:
            bench_piper_memory(folder, 4, 120)


if __name__ == "__main__":
    sys.exit(main())
