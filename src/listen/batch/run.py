"""`listen build`: narrate many articles, resumably, in parallel, locally or on Dask.

The main process plans (plan.py: loads, hashes, names), hands the articles to an executor
(executors.py, cluster.py), and is the only writer of the manifest, which it updates after
each finished article. Workers write their MP3 and sidecars atomically, so whatever moment
the run dies at, every file with a final name is complete and every finished article is in
the manifest.

A build is four steps, each a function below: `prepare` the output folder, `plan`,
`narrate` what the plan says, `record` each finished article. Nothing that narrates (the
engines, numpy, the audio writer) is imported unless the plan finds work.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from listen import atomic
from listen.batch.cache_folder import sweep_stale_temporaries
from listen.batch.executors import Workers, runner_for, waits_inside_an_article
from listen.batch.jobs import Job, Rejected, collect
from listen.batch.lock import output_lock
from listen.manifest import Manifest, entry_record
from listen.batch.plan import plan
from listen.batch.stop import STOP, stopping
from listen.batch.worker import EngineSpec
from listen.errors import DiskFullError, UsageError
from listen.speech.settings import Settings

if TYPE_CHECKING:
    from listen.audio import AudioResult


class Reporter(Protocol):
    def planned(self, todo: int, unchanged: int, rejected: list[Rejected]) -> None: ...
    def started(self, job: Job) -> None: ...
    def finished(self, job: Job, result: AudioResult) -> None: ...
    def failed(self, source: str, reason: str) -> None: ...


@dataclass
class BuildReport:
    narrated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[Rejected] = field(default_factory=list)
    skipped: list[Rejected] = field(default_factory=list)  # not articles at all
    stopped: str = ""  # why the run stopped early, if it did
    audio_seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        return 1 if self.failed or self.stopped else 0


@dataclass(frozen=True)
class BuildOptions:
    out_dir: Path
    spec: EngineSpec = EngineSpec()
    settings: Settings = Settings()
    jobs: int = 0  # cores the build may use; 0: every core
    force: bool = False
    scheduler: str | None = None
    cache_dir: Path | None = None
    language: str | None = None
    wait: bool = False  # wait for another build writing to out_dir, rather than refuse


def build(paths: list[Path], options: BuildOptions, reporter: Reporter) -> BuildReport:
    """Narrate what changed under `paths` into options.out_dir, as its only writer (lock.py)."""
    out_dir = options.out_dir
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise atomic.output_error(exc, out_dir) from exc
    with output_lock(out_dir, wait=options.wait):
        return _build(paths, options, reporter)


def _build(paths: list[Path], options: BuildOptions, reporter: Reporter) -> BuildReport:
    report = BuildReport()
    manifest = prepare(options)
    files, report.skipped = collect(paths, exclude=options.out_dir)
    if not files:
        raise UsageError("no articles found in the given paths; listen reads .txt, .md and .html files.")
    with stopping(), Workers(options) as workers:
        # Worker processes take ~0.5 s each to start; they start while this process loads
        # and hashes the articles that changed.
        todo, report.unchanged, report.failed = plan(files, manifest, options, loading=workers.expect)
        for rejected in report.failed:
            reporter.failed(rejected.source, rejected.reason)
        reporter.planned(len(todo), len(report.unchanged), report.skipped)
        if todo:
            # Only a build that narrates uses the cache: one with nothing to do does not list it.
            sweep_stale_temporaries(options.cache_dir)
            narrate(todo, options, reporter, report, manifest, workers)
    atomic.clean_leftovers(options.out_dir)
    return report


def prepare(options: BuildOptions) -> Manifest:
    """Remove the temporary files killed runs left here; the manifest."""
    atomic.clean_leftovers(options.out_dir)
    return Manifest.load(options.out_dir)


def narrate(
    todo: list[Job],
    options: BuildOptions,
    reporter: Reporter,
    report: BuildReport,
    manifest: Manifest,
    workers: Workers,
) -> None:
    """Hand `todo` to the executor that suits it; record each article as it finishes, and stop
    (recording what finished) on a full disk, Ctrl-C or SIGTERM."""
    runner = runner_for(options, len(todo), workers)
    STOP.raise_now = waits_inside_an_article(runner, options)
    try:
        for job, outcome in runner(todo, options, reporter):
            if isinstance(outcome, DiskFullError):
                report.stopped = str(outcome)
                break
            if isinstance(outcome, str):
                report.failed.append(Rejected(job.source, outcome))
                reporter.failed(job.source, outcome)
            else:
                record(job, outcome, options, reporter, report, manifest)
    except KeyboardInterrupt:
        STOP.requested = STOP.requested or signal.SIGINT
    if STOP.requested:
        how = "by the user" if STOP.requested == signal.SIGINT else "by a signal (SIGTERM)"
        report.stopped = f"Stopped {how}; finished articles are recorded, run again to continue."


def record(
    job: Job, result: AudioResult, options: BuildOptions, reporter: Reporter, report: BuildReport, manifest: Manifest
) -> None:
    """One finished article into the manifest (rewritten at once) and the report."""
    manifest.record(manifest_entry(job, result, job.digest, options.out_dir, options.spec))
    report.narrated.append(job.source)
    report.audio_seconds += result.duration_s
    reporter.finished(job, result)


def manifest_entry(job: Job, result: AudioResult, digest: str, out_dir: Path, spec: EngineSpec) -> dict[str, Any]:
    engine = spec.open(job.article.language)
    return entry_record(
        job.slug,
        job.source,
        job.article,
        result,
        digest=digest,
        input_hash=job.input_hash,
        input_file=job.input_file.record() if job.input_file else None,
        engine=engine.name,
        voice=engine.voice,
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )
