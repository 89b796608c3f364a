"""What narrating one article costs over the bare engine, and whether memory stays flat.

Prints one line per figure (value, goal, PASS/MISS), every ratio measured in this run:

1. piper: narrate() wall ÷ engine.synthesize over the same utterance texts, same engine
   object (same loaded voice and threads), no utterance cache.            goal ≤ 1.10
2. espeak-ng, ~20,000 words: `listen speak --engine espeak` (subprocess) wall ÷
   (`espeak-ng -f TEXT -w out.wav` + one ffmpeg encode to mono 64 kbps MP3) wall, in ABBA
   pairs; the ratio of each pair, their median and spread, and the same for CPU seconds
   (children's rusage), which a loaded machine disturbs less.      goal ≤ 0.7 (issue 17)
3. peak RSS of `listen speak --engine espeak` on ~100,000 words.           goal ≤ 250 MB

Inputs are generated into a temp dir from the project's own sample articles (articles/);
XDG_CACHE_HOME points into that temp dir so no warm cache fakes a figure.

Usage: .venv/bin/python bench/bench_speak.py [--quick] [--skip piper,espeak,rss]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "articles"
LISTEN = Path(sys.executable).parent / "listen"
PIPER_ARTICLE = ARTICLES / "harbour-ferry-returns.md"

PIPER_GOAL = 1.10
ESPEAK_GOAL = 0.7  # issue 17: faster than the bare voice and one encode run one after the other
RSS_GOAL_MB = 250.0


# ---------------------------------------------------------------- generated articles
# Shared with bench_build.py (imported from there).


def sample_paragraphs() -> list[str]:
    """Every paragraph of the English sample articles, cleaned by listen's own loaders."""
    from listen.articles import load_article

    paragraphs = []
    for path in sorted(ARTICLES.iterdir()):
        article = load_article(path)
        if article.language == "en":
            paragraphs += [p for s in article.sections for p in s.paragraphs if len(p.split()) >= 8]
    return paragraphs


def sample_headings() -> list[str]:
    from listen.articles import load_article

    headings = []
    for path in sorted(ARTICLES.iterdir()):
        article = load_article(path)
        if article.language == "en":
            headings += [s.heading for s in article.sections]
    words = [re.sub(r"[^\w' -]", "", h).split()[:6] for h in headings]
    return [" ".join(w) for w in words if w]


class Varier:
    """Makes every sentence distinct (so no utterance-cache entry is shared) by swapping a
    couple of lower-case words for other words from the samples; never the first word or a
    word touching punctuation, so sentence splitting and headings are unchanged."""

    def __init__(self, paragraphs: list[str], seed: int) -> None:
        self.rng = random.Random(seed)
        self.vocabulary = sorted(
            {w for p in paragraphs for w in p.split() if w.isalpha() and w.islower() and len(w) > 3}
        )
        self.seen: set[str] = set()

    def paragraph(self, text: str) -> str:
        from listen.speech.script import split_sentences

        return " ".join(self.sentence(s) for s in split_sentences(text))

    def sentence(self, text: str) -> str:
        words = text.split()
        slots = [i for i, w in enumerate(words) if i > 0 and w.isalpha() and w.islower()]
        for _ in range(50):
            if text not in self.seen:
                break
            changed = list(words)
            for i in self.rng.sample(slots, min(2, len(slots))) if slots else []:
                changed[i] = self.rng.choice(self.vocabulary)
            text = " ".join(changed) if slots else f"{text} Again."
        self.seen.add(text)
        return text


def long_article(
    words: int,
    *,
    seed: int,
    title: str,
    distinct: bool = False,
    section_paragraphs: int = 6,
    varier: Varier | None = None,
) -> str:
    """A plain-text article of about `words` words: shuffled sample paragraphs under
    numbered headings ("Part 7: ..."). `distinct` makes every sentence unique."""
    rng = random.Random(seed)
    pool = sample_paragraphs()
    headings = sample_headings()
    if distinct and varier is None:
        varier = Varier(pool, seed)
    lines = [title, ""]
    count = part = 0
    order: list[str] = []
    while count < words:
        if not order:
            order = list(pool)
            rng.shuffle(order)
        if count == 0 or (len(lines) - 2) % (2 * section_paragraphs + 2) == 0:
            part += 1
            lines += [f"Part {part}: {rng.choice(headings)}", ""]
        paragraph = order.pop()
        if varier is not None:
            paragraph = varier.paragraph(paragraph)
        lines += [paragraph, ""]
        count += len(paragraph.split())
    return "\n".join(lines)


# ---------------------------------------------------------------- helpers


def report(name: str, value: float, goal: float, unit: str = "", detail: str = "") -> bool:
    ok = value <= goal
    shown = f"{value:.3f}" if not unit else f"{value:.0f} {unit}"
    goal_shown = f"{goal:.2f}" if not unit else f"{goal:.0f} {unit}"
    print(
        f"{name}: {shown} (goal <= {goal_shown}) {'PASS' if ok else 'MISS'}" + (f"  [{detail}]" if detail else ""),
        flush=True,
    )
    return ok


def timed_run(command: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - started


def mp3_seconds(path: Path) -> float:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "default=nw=1:nk=1", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout.strip())


def cpu_s() -> float:
    """User + system CPU seconds of this process and its waited-for children."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def children_cpu_s() -> float:
    """User + system CPU seconds of this process's waited-for children (and theirs)."""
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return kids.ru_utime + kids.ru_stime


def isolated_env(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = str(folder / "xdg-cache")
    return env


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


# ---------------------------------------------------------------- 1. piper


def bench_piper(folder: Path, rounds: int) -> None:
    os.environ["XDG_CACHE_HOME"] = str(folder / "xdg-cache-piper")
    from listen.articles import load_article
    from listen.speech.engines import get_engine, piper
    from listen.speech.narrator import narrate, script_for

    if not piper.availability().ok:
        print(f"piper narrate/synthesize: skipped ({piper.availability().reason})")
        return
    article = load_article(PIPER_ARTICLE)
    engine = get_engine("piper", language=article.language)
    texts = [u.text for u in script_for(article).utterances]
    engine.synthesize("Warm the model up before anything is timed.")

    cpu = {"bare": 0.0, "narrate": 0.0}

    def bare() -> float:
        started, used = time.perf_counter(), cpu_s()
        for text in texts:
            engine.synthesize(text)
        cpu["bare"] += cpu_s() - used
        return time.perf_counter() - started

    audio_s = 0.0

    def whole(n: int) -> float:
        nonlocal audio_s
        started, used = time.perf_counter(), cpu_s()
        result = narrate(article, folder / f"piper-{n}.mp3", engine)  # no cache argument: nothing cached
        spent = time.perf_counter() - started
        cpu["narrate"] += cpu_s() - used
        audio_s = result.duration_s
        return spent

    bare_s: list[float] = []
    whole_s: list[float] = []
    for n in range(rounds):  # ABBA order, so drift in machine load hits both sides alike
        if n % 2 == 0:
            bare_s.append(bare())
            whole_s.append(whole(n))
        else:
            whole_s.append(whole(n))
            bare_s.append(bare())
    ratio = min(whole_s) / min(bare_s)
    words = sum(len(t.split()) for t in texts)
    report(
        "piper narrate() / bare synthesize",
        ratio,
        PIPER_GOAL,
        detail=f"{len(texts)} utterances, {words} words, {audio_s / 60:.1f} min audio; "
        f"narrate {min(whole_s):.2f} s, synthesize {min(bare_s):.2f} s, best of {rounds} "
        f"(all: narrate {', '.join(f'{x:.1f}' for x in whole_s)}; synthesize {', '.join(f'{x:.1f}' for x in bare_s)}); "
        f"CPU (this process + children) narrate/synthesize {cpu['narrate'] / cpu['bare']:.3f}; {load()}",
    )


# ---------------------------------------------------------------- 2. espeak-ng speed


def bench_espeak(folder: Path, words: int, rounds: int) -> None:
    text = folder / f"long-{words}.txt"
    text.write_text(
        long_article(words, seed=20, title="The Long Read: Harbour, Garden, Library and Night Train"), encoding="utf-8"
    )
    env = isolated_env(folder)
    wav, bare_mp3, listen_mp3 = folder / "bare.wav", folder / "bare.mp3", folder / "listen-espeak.mp3"

    def bare() -> tuple[float, float]:
        started = time.perf_counter()
        subprocess.run(["espeak-ng", "-v", "en-us", "-b", "1", "-f", str(text), "-w", str(wav)], check=True)
        espeak_s = time.perf_counter() - started
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-nostdin",
                "-y",
                "-i",
                str(wav),
                "-ac",
                "1",
                "-c:a",
                "libmp3lame",
                "-b:a",
                "64k",
                str(bare_mp3),
            ],
            check=True,
        )
        return time.perf_counter() - started, espeak_s

    def ours() -> float:
        return timed_run([str(LISTEN), "speak", str(text), "--engine", "espeak", "-o", str(listen_mp3)], env)

    def counted(side):  # the side's result and the CPU seconds of the processes it waited for
        before = children_cpu_s()
        result = side()
        return result, children_cpu_s() - before

    ratios, cpu_ratios, pairs = [], [], []
    for n in range(rounds):  # ABBA: drift in the machine's load hits both sides alike
        if n % 2 == 0:
            ((bare_s, espeak_s), bare_cpu), (listen_s, listen_cpu) = counted(bare), counted(ours)
        else:
            listen_s, listen_cpu = counted(ours)
            (bare_s, espeak_s), bare_cpu = counted(bare)
        ratios.append(listen_s / bare_s)
        cpu_ratios.append(listen_cpu / bare_cpu)
        pairs.append(
            f"{listen_s:.1f}/{bare_s:.1f} (espeak-ng {espeak_s:.1f} + encode {bare_s - espeak_s:.1f}), "
            f"CPU {listen_cpu:.1f}/{bare_cpu:.1f}"
        )
    report(
        f"espeak listen speak / (espeak-ng -w + 1 encode), {words} words",
        statistics.median(ratios),
        ESPEAK_GOAL,
        detail=f"median of {rounds} pairs, spread {min(ratios):.3f}-{max(ratios):.3f}; "
        f"CPU ratio {statistics.median(cpu_ratios):.3f}; listen/bare s: {'; '.join(pairs)}; "
        f"{mp3_seconds(listen_mp3) / 60:.0f} min audio (bare {mp3_seconds(bare_mp3) / 60:.0f} min); {load()}",
    )


# ---------------------------------------------------------------- 3. peak RSS

# The CLI is started by this tiny Python, not by the bench itself: a child forked from a
# process inherits that process's RSS high-water mark until it execs, so waiting for
# `listen` straight from the bench (which has piper and py3langid loaded) would report the
# bench's own size (seen: 651 MB) instead of listen's.
WAIT4 = (
    "import os, subprocess, sys\n"
    "p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "_, status, usage = os.wait4(p.pid, 0)\n"
    "print(usage.ru_maxrss, os.waitstatus_to_exitcode(status))\n"
)


def bench_rss(folder: Path, words: int) -> None:
    text = folder / f"long-{words}.txt"
    text.write_text(
        long_article(words, seed=100, title="The Very Long Read: Everything from the Samples"), encoding="utf-8"
    )
    out = folder / "listen-rss.mp3"
    command = [sys.executable, "-c", WAIT4, str(LISTEN), "speak", str(text), "--engine", "espeak", "-o", str(out)]
    started = time.perf_counter()
    proc = subprocess.Popen(command, env=isolated_env(folder), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    tree_peak = 0
    while proc.poll() is None:
        tree_peak = max(tree_peak, tree_pss_kb(proc.pid))
        time.sleep(0.2)
    spent = time.perf_counter() - started
    stdout, stderr = proc.communicate()
    max_rss_kb, code = (int(x) for x in stdout.split())
    if code != 0:
        raise SystemExit(f"listen speak failed: {stderr.decode()}")
    hours = mp3_seconds(out) / 3600
    detail = f"{hours:.2f} h audio from {words} words in {spent:.0f} s; {load()}"
    report(
        "peak RSS of listen speak (its largest process, wait4 ru_maxrss)", max_rss_kb / 1024, RSS_GOAL_MB, "MB", detail
    )
    report(
        "peak memory of listen speak + children together (sum of PSS, polled every 0.2 s)",
        tree_peak / 1024,
        RSS_GOAL_MB,
        "MB",
    )


def tree_pss_kb(root: int) -> int:
    """Summed PSS of `root`'s descendants (not `root`, the wait4 helper), in kB, from /proc.

    PSS, not RSS: a child forked but not yet exec'd shares all of listen's pages, and RSS
    would count them twice."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, stack = 0, list(children.get(root, []))
    while stack:
        pid = stack.pop()
        stack += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
        except (OSError, StopIteration):
            continue
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller inputs, one round (about 2 min)")
    parser.add_argument("--skip", default="", help="comma-separated: piper, espeak, rss")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    print(f"bench_speak ({'quick' if args.quick else 'full'}): {load()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-speak-") as name:
        folder = Path(name)
        if "piper" not in skip:
            bench_piper(folder, rounds=1 if args.quick else 2)
        if "espeak" not in skip:
            bench_espeak(folder, 4_000 if args.quick else 20_000, 1 if args.quick else 2)
        if "rss" not in skip:
            bench_rss(folder, 10_000 if args.quick else 100_000)


if __name__ == "__main__":
    main()
