"""What a re-run over a feed costs when nothing is new, against narrating it the first time.

A local site (127.0.0.1, the one the sources tests use: tests/sources_site.py) serves a
20-entry RSS feed, half the entries with their full text and half with only a link to a page.
`listen build FEED_URL --engine espeak` runs as a subprocess in its own cache dir:

1. the first build (feed fetched, 10 pages fetched, 20 articles narrated), then
2. the same build again, nothing changed (the feed answers 304, no page is asked for again).
   figure: wall(2) ÷ wall(1).                                                  goal ≤ 0.05
3. the same build again with the site stopped (offline: the cached feed and pages are used).
   figure: wall(3) ÷ wall(1).                                                  goal ≤ 0.05

Also printed: how many requests each run made (a re-run should make exactly one), and the
same re-run given the 20 cached article files directly instead of the feed URL: the part of
a re-run every `listen build` pays (start-up, planning), so the feed's own share shows; and,
in this process, what turning the feed into article files costs on a re-run (sources.expand).

Usage: .venv/bin/python bench/bench_sources.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_speak import LISTEN, isolated_env, load, report  # noqa: E402
from sources_site import Site, feed_entries, rss  # noqa: E402

GOAL = 0.05


def build(url: str | list[str], folder: Path) -> tuple[float, str]:
    env = isolated_env(folder)
    sources = [url] if isinstance(url, str) else url
    command = [str(LISTEN), "build", *sources, "-d", str(folder / "audio"), "--engine", "espeak"]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    spent = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"build failed ({done.returncode}): {done.stderr.strip()[-400:]}")
    summary = [line for line in done.stdout.splitlines() if line.startswith("Narrated")]
    return spent, summary[-1] if summary else done.stdout.strip()[-200:]


def main() -> int:
    print(f"bench_sources: {load()}", flush=True)
    site = Site()
    entries = feed_entries(site, 20)
    site.page("/feed.xml", rss(entries), "application/rss+xml; charset=utf-8")
    url = site.url("/feed.xml")
    ok = True
    with tempfile.TemporaryDirectory(prefix="listen-bench-sources-") as tmp:
        folder = Path(tmp)
        first, summary = build(url, folder)
        first_requests = sum(site.hits.values())
        print(f"first build: {first:.2f} s, {first_requests} requests; {summary}", flush=True)
        again, summary = build(url, folder)
        again_requests = sum(site.hits.values()) - first_requests
        print(f"re-run, nothing new: {again:.2f} s, {again_requests} request(s); {summary}", flush=True)
        ok &= report("re-run ÷ first build", again / first, GOAL)
        os.environ["XDG_CACHE_HOME"] = str(folder / "xdg-cache")  # the cache the builds used
        from listen.articles.sources import expand

        started = time.perf_counter()
        expand([url], notify=lambda line: None)
        expanding = time.perf_counter() - started
        print(
            f"the feed to article files on a re-run, in process: {expanding:.3f} s ({expanding / first:.4f} of the first build)",
            flush=True,
        )
        manifest = json.loads((folder / "audio" / "manifest.json").read_text())
        # Sources are kept relative to the manifest's folder (manifest version 2).
        cached = [str(folder / "audio" / entry["source"]) for entry in manifest["articles"]]
        files, _ = build(cached, folder)
        print(
            f"re-run of the 20 cached files, no feed: {files:.2f} s ({files / first:.3f} of the first build); "
            f"the feed's own share of a re-run: {again - files:+.2f} s ({(again - files) / first:+.3f})",
            flush=True,
        )
        site.stop()
        offline, summary = build(url, folder)
        print(f"re-run, site stopped: {offline:.2f} s; {summary}", flush=True)
        ok &= report("offline re-run ÷ first build", offline / first, GOAL)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
