"""`listen build PATH...`: narrate whole folders of articles; stop and resume at any time.

Exit status: 0 all done, 1 some articles failed (listed at the end), 2 nothing could run.
"""

# Imports here stay light (tests/test_build_idle.py): a re-run with nothing to narrate pays
# only for what it uses; the progress bar (rich), feeds and URLs are imported when used.
from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from listen.batch.jobs import Job, Rejected
from listen.batch.run import BuildOptions, BuildReport, build
from listen.batch.worker import EngineSpec
from listen.cli.narration_options import add_voice_options, request_from_args
from listen.controls import printable
from listen.errors import EngineError, UsageError
from listen.narration import EngineName

if TYPE_CHECKING:
    from rich.console import Console

    from listen.audio import AudioResult


def add_parser(subparsers: argparse._SubParsersAction, summary: str) -> None:
    parser = subparsers.add_parser("build", help=summary, description=__doc__)
    parser.add_argument(
        "paths",
        nargs="*",
        default=["articles"],
        help="article files and folders, URLs, feeds (URL or .rss/.atom/.xml/.json file) and .urls lists (default: articles)",
    )
    parser.add_argument("--limit", type=int, help="at most N entries from each feed, newest first")
    parser.add_argument("--since", type=day, help="only feed entries published on or after this day (YYYY-MM-DD)")
    parser.add_argument("-d", "--dir", default="audio", help="output folder (default: audio)")
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=0,
        help="cores the build may use: that many worker processes, one ffmpeg each (default: every core)",
    )
    parser.add_argument("--force", action="store_true", help="narrate again even if nothing changed")
    parser.add_argument(
        "--wait",
        action="store_true",
        help="if another build is writing to the output folder, wait for it (default: refuse)",
    )
    parser.add_argument("--scheduler", help="a Dask scheduler address, e.g. tcp://10.0.0.5:8786")
    add_voice_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.jobs < 0:
        raise UsageError("--jobs must be 0 (every core) or more: it is how many cores the build may use.")
    try:
        request = request_from_args(args)
    except EngineError as error:  # an unknown --engine: nothing could run
        print(f"listen: {error}", file=sys.stderr)
        return 2
    options = BuildOptions(
        out_dir=Path(args.dir),
        spec=EngineSpec(request.engine, request.voice, request.rate),
        settings=request.settings,
        jobs=args.jobs,
        force=args.force,
        scheduler=args.scheduler,
        language=args.lang,
        wait=args.wait,
    )
    if args.limit is not None and args.limit < 1:
        raise UsageError("--limit must be 1 or more: how many entries of each feed to narrate.")
    missing = [p for p in args.paths if "://" not in p and p != "-" and not Path(p).exists()]
    if missing:  # a mistyped folder must not pass for "nothing to do" (nothing is built)
        raise UsageError(
            f"{missing[0]}: no such file or folder; check the path"
            + (f" (and {len(missing) - 1} more missing)." if len(missing) > 1 else ".")
        )
    paths, failed, notes = expanded(args.paths, limit=args.limit, since=args.since)
    unreadable = [Rejected(source, reason) for source, reason in failed]
    for note in notes:
        print(f"listen: {note}", file=sys.stderr)
    if not paths and notes and not unreadable:
        return 0  # a feed with nothing in the asked-for range: nothing to do is not a failure
    if not paths:
        for item in unreadable:
            print(f"listen: {failure(item.source, item.reason)}", file=sys.stderr)
        if unreadable:
            return 2
    reporter = live_reporter() or LineReporter()
    reporter.voice_notes = VoiceNotes(options.spec)
    try:
        with reporter:
            for item in unreadable:
                reporter.failed(item.source, item.reason)
            report = build(paths, options, reporter)
    except EngineError as error:
        print(f"listen: {error}", file=sys.stderr)
        return 2
    report.failed[:0] = unreadable
    print_summary(report, options.out_dir)
    return report.exit_code


def expanded(
    sources: list[str], *, limit: int | None, since: date | None
) -> tuple[list[Path], list[tuple[str, str]], list[str]]:
    """(article files and folders, sources that failed with why, notes): URLs, feeds and URL
    lists become cached files (articles.sources.expand). Folders pass through it untouched,
    so when every source is a folder, as in a library's re-run, it is not imported: it
    brings the fetcher, the feed parser and the network stack (a tenth of the re-run)."""
    if all("://" not in source and os.path.isdir(source) for source in sources):
        return [Path(source) for source in sources], [], []
    from listen.articles.sources import expand

    result = expand(sources, limit=limit, since=since)
    return result.paths, result.failed, result.notes


def live_reporter() -> LiveReporter | None:
    """A progress bar when stderr is a terminal (as rich decides it, with its environment
    overrides); rich is imported only then."""
    if not (sys.stderr.isatty() or os.environ.get("TTY_COMPATIBLE") or os.environ.get("FORCE_COLOR") is not None):
        return None
    from rich.console import Console

    console = Console(stderr=True)
    return LiveReporter(console) if console.is_terminal else None


def day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a day; write it as YYYY-MM-DD") from None


def print_summary(report: BuildReport, out_dir: Path) -> None:
    minutes = report.audio_seconds / 60
    parts = [
        f"Narrated {len(report.narrated)} article{'s' * (len(report.narrated) != 1)} ({minutes:.1f} min of audio) into {out_dir}"
    ]
    if report.unchanged:
        parts.append(f"{len(report.unchanged)} unchanged")
    if report.failed:
        parts.append(f"{len(report.failed)} failed")
    print("; ".join(parts) + ".")
    if report.skipped:
        print(
            f"Skipped {len(report.skipped)} file{'s' * (len(report.skipped) != 1)} that {'are' if len(report.skipped) != 1 else 'is'} not an article:"
        )
        for item in report.skipped:
            print(printable(f"  {item.source}: {item.reason}"))
    if report.failed:
        print("Failed:", file=sys.stderr)
        for item in report.failed:
            print(f"  {failure(item.source, item.reason)}", file=sys.stderr)
    if report.stopped:
        print(f"listen: {report.stopped}", file=sys.stderr)


def failure(source: str, reason: str) -> str:
    """'path: reason', without naming the path twice when the reason already starts with it."""
    return printable(reason if reason.startswith(source) else f"{source}: {reason}")


class VoiceNotes:
    """Once per language, when espeak-ng will speak it for want of a natural voice: which voice,
    and how to add a better one. Only for the default choice (no --engine, no --voice)."""

    def __init__(self, spec: EngineSpec | None = None) -> None:
        self.active = spec is not None and spec.engine is EngineName.AUTO and not spec.voice
        self.said: set[str] = set()

    def __call__(self, language: str) -> str | None:
        family = language.lower().replace("_", "-").partition("-")[0]
        if not self.active or family in self.said:
            return None
        self.said.add(family)
        from listen.speech.voices import natural_voice_notice

        return natural_voice_notice(language)


class LineReporter:
    """One plain line per article, for logs and CI (stdout stays machine-friendly)."""

    voice_notes = VoiceNotes()

    def __init__(self) -> None:
        self.total = 0
        self.count = 0

    def __enter__(self) -> "LineReporter":
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def planned(self, todo: int, unchanged: int, rejected: list[Rejected]) -> None:
        self.total = todo
        print(f"{todo} to narrate, {unchanged} unchanged.", flush=True)

    def started(self, job: Job) -> None:
        note = self.voice_notes(job.article.language)
        if note:
            print(f"listen: {note}", file=sys.stderr, flush=True)

    def finished(self, job: Job, result: AudioResult) -> None:
        self.count += 1
        chapters = len(result.chapters)
        print(
            f"[{self.count}/{self.total}] {printable(result.path.name)}: {result.duration_s / 60:.1f} min, "
            f"{chapters} chapter{'s' * (chapters != 1)}",
            flush=True,
        )

    def failed(self, source: str, reason: str) -> None:
        print(f"failed: {failure(source, reason)}", flush=True)


class LiveReporter:
    """A bar with count, audio minutes made, rate and ETA, and the articles in progress."""

    def __init__(self, console: Console) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[audio]:.1f} min audio, {task.fields[rate]}"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[current]}"),
            console=console,
        )
        self.task = self.progress.add_task("Narrating", total=None, audio=0.0, rate="", current="")
        self.current: dict[str, str] = {}  # source → slug, for the articles in progress
        self.audio = 0.0
        self.begun = time.monotonic()

    def __enter__(self) -> "LiveReporter":
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def planned(self, todo: int, unchanged: int, rejected: list[Rejected]) -> None:
        self.progress.update(self.task, total=todo)

    voice_notes = VoiceNotes()

    def started(self, job: Job) -> None:
        note = self.voice_notes(job.article.language)
        if note:
            self.progress.console.print(f"listen: {note}", markup=False)
        self.current[job.source] = job.slug
        self._show()

    def finished(self, job: Job, result: AudioResult) -> None:
        self.audio += result.duration_s / 60
        self.current.pop(job.source, None)
        self.progress.advance(self.task)
        self._show()

    def failed(self, source: str, reason: str) -> None:
        self.progress.console.print(f"failed: {failure(source, reason)}", markup=False)
        if self.current.pop(source, None) is not None:
            self.progress.advance(self.task)
        self._show()

    def _show(self) -> None:
        elapsed = max(time.monotonic() - self.begun, 1e-6)
        rate = f"{self.audio * 60 / elapsed:.0f}x real time" if self.audio else ""
        self.progress.update(self.task, audio=self.audio, rate=rate, current=", ".join(list(self.current.values())[:2]))
