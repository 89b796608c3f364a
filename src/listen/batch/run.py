"""`listen build`: narrate many articles, resumably, in parallel, locally or on Dask.

The main process plans (loads, hashes, names), hands out tasks, and is the only writer of
the manifest, which it updates after each finished article. Workers write their MP3 and
sidecars atomically, so whatever moment the run dies at, every file with a final name is
complete and every finished article is in the manifest.
"""

from __future__ import annotations

import concurrent.futures as futures
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

from listen import atomic
from listen.audio import AudioResult
from listen.audio.narration import default_encode_jobs
from listen.audio.chapter_cache import warn
from listen.batch.cache import sweep_stale_temporaries
from listen.batch.jobs import Job, Rejected, collect, content_hash, input_hash, plan_jobs, source_name
from listen.batch.lock import output_lock
from listen.batch.manifest import Manifest
from listen.batch.lifeline import BUILD_PID
from listen.batch.worker import (
    THREAD_VARIABLES,
    EngineSpec,
    Task,
    run_remote_task,
    run_task,
    set_thread_limits,
    start_worker,
)
from listen.controls import printable
from listen.errors import DiskFullError, ListenError, UsageError
from listen.speech.narrate import Settings


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
    out_dir = options.out_dir
    atomic.clean_leftovers(out_dir)
    sweep_stale_temporaries(options.cache_dir)
    manifest = Manifest.load(out_dir)
    files, report.skipped = collect(paths, exclude=out_dir)
    if not files:
        raise UsageError("no articles found in the given paths; listen reads .txt, .md and .html files.")
    with stopping(), Workers(options) as workers:
        # Worker processes take ~0.5 s each to start (spawned: a fresh interpreter imports
        # listen); they start while this process loads and hashes the articles.
        todo, report.unchanged, report.failed = plan(files, manifest, options, loading=workers.expect)
        _run_jobs(todo, options, reporter, report, manifest, workers)
    atomic.clean_leftovers(out_dir)
    return report


def _run_jobs(
    todo: list[Job], options: BuildOptions, reporter: Reporter, report: BuildReport, manifest: Manifest, workers: Workers
) -> None:
    out_dir = options.out_dir
    for rejected in report.failed:
        reporter.failed(rejected.source, rejected.reason)
    reporter.planned(len(todo), len(report.unchanged), report.skipped)
    digests = {job.slug: job.digest for job in todo}

    def record(job: Job, result: AudioResult) -> None:
        manifest.record(manifest_entry(job, result, digests[job.slug], out_dir, options.spec))
        report.narrated.append(job.source)
        report.audio_seconds += result.duration_s
        reporter.finished(job, result)

    runner = _runner(options, len(todo), workers)
    STOP.raise_now = runner in (run_here, run_on_dask)  # these wait inside one article
    try:
        for job, outcome in runner(todo, options, reporter):
            if isinstance(outcome, AudioResult):
                record(job, outcome)
            elif isinstance(outcome, DiskFullError):
                report.stopped = str(outcome)
                break
            else:
                report.failed.append(Rejected(job.source, outcome))
                reporter.failed(job.source, outcome)
    except KeyboardInterrupt:
        STOP.requested = STOP.requested or signal.SIGINT
    if STOP.requested:
        how = "by the user" if STOP.requested == signal.SIGINT else "by a signal (SIGTERM)"
        report.stopped = f"Stopped {how}; finished articles are recorded, run again to continue."


class Stop:
    """A stop asked for by Ctrl-C or SIGTERM, heard between articles (see `stopping`)."""

    def __init__(self) -> None:
        self.requested = 0  # the signal number, once one came
        self.raise_now = True  # raise KeyboardInterrupt at once (runners that wait inside an article)

    def __call__(self, signum: int, frame: object) -> None:
        self.requested = signum
        if self.raise_now:
            raise KeyboardInterrupt


STOP = Stop()


@contextmanager
def stopping() -> Iterator[None]:
    """While building, Ctrl-C and SIGTERM ask for a stop rather than end the process, so
    every finished article reaches the manifest before exit (only in the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    STOP.requested, STOP.raise_now = 0, True
    previous = {number: signal.signal(number, STOP) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


Outcome = AudioResult | DiskFullError | str
Runner = Callable[[list[Job], BuildOptions, Reporter], Iterator[tuple[Job, Outcome]]]


def plan(
    files: list[Path], manifest: Manifest, options: BuildOptions, *, loading: Callable[[int], None] | None = None
) -> tuple[list[Job], list[str], list[Rejected]]:
    """What to narrate, what is unchanged, what cannot be read.

    A file whose bytes, voice and settings are as recorded is unchanged without even being
    parsed (a re-run of thousands of articles costs a hash each); otherwise it is loaded and
    compared by its cleaned content, so an edit that changes nothing spoken redoes nothing.
    `loading` is told how many files are to be loaded, at most that many to narrate, before
    they are.
    """
    fingerprint = f"{options.settings.fingerprint}|{options.language or ''}"
    unchanged: list[str] = []
    to_load: list[Path] = []
    for path in files:
        entry = manifest.entry_for(source_name(path))
        if entry and not options.force and manifest.has_files(entry["slug"]):
            key = engine_key(options.spec, entry.get("language", "en"))
            if entry.get("input_hash") == input_hash(path, key, fingerprint):
                unchanged.append(entry["source"])
                continue
        to_load.append(path)
    if loading is not None:
        loading(len(to_load))
    loaded, failed = plan_jobs(to_load, manifest, language=options.language)
    todo: list[Job] = []
    for job in loaded:
        key = engine_key(options.spec, job.article.language)
        job = replace(
            job,
            digest=content_hash(job.article, key, options.settings.fingerprint),
            input_hash=input_hash(job.path, key, fingerprint),
        )
        if not options.force and manifest.is_current(job.slug, job.digest):
            manifest.update(job.slug, input_hash=job.input_hash)  # same words, new bytes: remember them
            unchanged.append(job.source)
        else:
            todo.append(job)
    return todo, unchanged, failed


def _runner(options: BuildOptions, count: int, workers: Workers) -> Runner:
    if options.scheduler:
        return run_on_dask
    if options.spec.name == "gtts":
        return run_in_threads  # network-bound; threads share one run-wide backoff
    if not _in_processes(options, count):
        return run_here
    return workers.run


def _in_processes(options: BuildOptions, count: int) -> bool:
    """Whether `count` articles are narrated by a pool of local worker processes."""
    return not options.scheduler and options.spec.name != "gtts" and worker_count(options) > 1 and count > 1


def worker_count(options: BuildOptions) -> int:
    return options.jobs or os.cpu_count() or 1


def engine_key(spec: EngineSpec, language: str) -> str:
    """The engine's cache key; opening it here also checks it exists before any work starts."""
    return spec.open(language).cache_key


def task_for(job: Job, options: BuildOptions) -> Task:
    return Task(
        job.article, options.out_dir / f"{job.slug}.{options.settings.audio_format}", options.spec, options.settings, options.cache_dir, not options.force
    )


def outcome_of(call: Callable[[], AudioResult]) -> Outcome:
    """Run one article; its failure becomes a one-line reason, never the end of the batch."""
    try:
        return call()
    except DiskFullError as error:
        return error
    except ListenError as error:
        return str(error)
    except Exception as error:  # one bad article must not stop thousands of good ones
        return f"unexpected {error.__class__.__name__}: {error}"


def run_here(jobs: list[Job], options: BuildOptions, reporter: Reporter) -> Iterator[tuple[Job, Outcome]]:
    """In this process, one article at a time. `--jobs` is the build's budget of cores, so
    `--jobs 1` encodes on one thread, not two: a volunteer who asks for one job gets a
    machine that stays usable. Left at its default, a lone article gets every core."""
    encode_jobs = min(options.settings.encode_jobs or default_encode_jobs(), worker_count(options))
    options = replace(options, settings=replace(options.settings, encode_jobs=encode_jobs))
    for job in jobs:
        reporter.started(job)
        yield job, outcome_of(lambda: run_task(task_for(job, options)))


def run_in_threads(jobs: list[Job], options: BuildOptions, reporter: Reporter) -> Iterator[tuple[Job, Outcome]]:
    with futures.ThreadPoolExecutor(max_workers=worker_count(options)) as pool:
        yield from _drain(pool, jobs, options, reporter, run_task)


class Workers:
    """The local process pool, started when `expect` hears of enough work, or by `run`.

    Each worker keeps jobs × threads within the cores (set_thread_limits) and loads its
    voice once (worker.EngineSpec.open).
    """

    def __init__(self, options: BuildOptions) -> None:
        self.count = worker_count(options)
        self.threads = max(1, (os.cpu_count() or 1) // self.count)
        self.options = options
        self._pool: futures.ProcessPoolExecutor | None = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            if STOP.requested:  # what is finished is recorded; what is not is not waited for
                for process in list(getattr(self._pool, "_processes", {}).values()):
                    process.kill()
            self._pool.shutdown(wait=True, cancel_futures=True)

    def expect(self, count: int) -> None:
        """Up to `count` articles will be narrated: start the processes now if they will be needed."""
        if _in_processes(self.options, count):
            self._start()

    def run(self, jobs: list[Job], options: BuildOptions, reporter: Reporter) -> Iterator[tuple[Job, Outcome]]:
        spec = EngineSpec(options.spec.name, options.spec.voice, options.spec.rate, options.spec.threads or self.threads)
        settings = replace(options.settings, encode_jobs=self.threads)  # one narration's encode threads
        options = BuildOptions(**{**options.__dict__, "spec": spec, "settings": settings})
        yield from _drain(self._start(), jobs, options, reporter, run_task)

    def _start(self) -> futures.ProcessPoolExecutor:
        if self._pool is None:
            # A fork server imports listen (numpy, the engines) once and forks each worker from
            # it, where spawn made every worker import it all again (0.5-0.8 CPU s each). It
            # starts from a clean interpreter, so the threads this process has do not matter,
            # and it inherits the thread limits set here before numpy is imported in it.
            saved = {name: os.environ.get(name) for name in THREAD_VARIABLES}
            set_thread_limits(self.threads)
            os.environ[BUILD_PID] = str(os.getpid())  # the fork server dies with this process
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["listen.batch.lifeline", "listen.batch.worker"])
            self._pool = futures.ProcessPoolExecutor(
                self.count, mp_context=context, initializer=start_worker, initargs=(self.threads,)
            )
            for _ in range(self.count):  # start every worker now (and the server), not one per task
                self._pool.submit(int)
            for name, value in saved.items():  # this process keeps its own settings
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        return self._pool


def _drain(pool: futures.Executor, jobs, options, reporter, function) -> Iterator[tuple[Job, Outcome]]:
    """Keep every worker busy with a short queue, yield results as they finish."""
    pending: dict[futures.Future, Job] = {}
    queue = iter(jobs)
    limit = 2 * worker_count(options)

    def submit_more() -> None:
        while len(pending) < limit:
            job = next(queue, None)
            if job is None:
                return
            reporter.started(job)
            pending[pool.submit(function, task_for(job, options))] = job

    try:
        submit_more()
        while pending:
            # A short wait, so a stop (Ctrl-C, SIGTERM) is heard within it; on a stop every
            # article already finished is still handed back, to be recorded, and no more.
            done, _ = futures.wait(pending, timeout=0.2, return_when=futures.FIRST_COMPLETED)
            for future in done:
                job = pending.pop(future)
                outcome = outcome_of(future.result)
                if STOP.requested and not isinstance(outcome, AudioResult):
                    continue  # failed because the stop reached its ffmpeg: not a fault of the article
                yield job, outcome
            if STOP.requested:
                return
            submit_more()
    finally:
        for future in pending:
            future.cancel()


# A Dask build with no worker at all for this long gives up (exit 1) rather than wait forever.
NO_WORKERS_LIMIT_S = 120.0


def run_on_dask(jobs: list[Job], options: BuildOptions, reporter: Reporter) -> Iterator[tuple[Job, Outcome]]:
    """Send articles to a Dask cluster's workers; write what they return here, atomically.

    The scheduler hands a lost worker's articles to the others by itself; this says so in
    one line, and gives up on what is left, each article failed with the reason, when no
    worker at all has been there for NO_WORKERS_LIMIT_S (a build once waited with no word).
    """
    from distributed import Client, wait

    try:
        client = Client(options.scheduler, timeout="15s")
    except (OSError, TimeoutError) as error:
        raise UsageError(
            f"cannot reach the Dask scheduler at {options.scheduler} ({error}); start it with 'dask scheduler'."
        ) from error
    try:
        pending = {}
        for job in jobs:
            reporter.started(job)
            future = client.submit(run_remote_task, task_for(job, options), pure=False, key=f"listen-{job.slug}-{time.time_ns()}")
            pending[future] = job
        known = _dask_workers(client)
        alone_since: float | None = None
        while pending:
            try:
                done = wait(list(pending), timeout=1.0, return_when="FIRST_COMPLETED").done
            except TimeoutError:
                done = set()
            for future in done:
                job = pending.pop(future)
                yield job, outcome_of(lambda: _write_remote(future.result(), options.out_dir))
            present = _dask_workers(client)
            if known - present:
                lost = len(known - present)
                warn(f"lost {lost} Dask worker{'s' * (lost != 1)}; their articles go to the workers left.")
            known = present
            if present:
                alone_since = None
            elif alone_since is None:
                alone_since = time.monotonic()
            elif time.monotonic() - alone_since > NO_WORKERS_LIMIT_S and pending:
                reason = f"no Dask worker for {NO_WORKERS_LIMIT_S:.0f} s at {options.scheduler}; start workers and run again."
                for future, job in pending.items():
                    future.cancel()
                    yield job, reason
                return
    finally:
        client.close()


def _dask_workers(client: object) -> set[str]:
    try:
        return set(client.scheduler_info().get("workers", {}))  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a scheduler that does not answer has, for us, no workers
        return set()


def _write_remote(returned: tuple[AudioResult, dict[str, bytes]], out_dir: Path) -> AudioResult:
    result, files = returned
    written = {name: out_dir / name for name in files}
    for name, data in files.items():
        atomic.write_bytes(written[name], data)
    return AudioResult(
        path=written[result.path.name],
        duration_s=result.duration_s,
        chapters=result.chapters,
        bytes=result.bytes,
        sidecars=tuple(written[p.name] for p in result.sidecars),
    )


def manifest_entry(job: Job, result: AudioResult, digest: str, out_dir: Path, spec: EngineSpec) -> dict:
    article = job.article
    first = article.paragraphs[0] if article.paragraphs else ""
    engine = spec.open(article.language)
    return {
        "slug": job.slug,
        "source": job.source,
        "title": printable(article.title),  # text is data: the manifest feeds pages and terminals
        "standfirst": printable(article.standfirst),
        "description": printable(article.standfirst or first),
        "author": printable(article.author),
        "date": printable(article.date),
        "language": article.language,
        "mp3": result.path.name,
        "chapters_json": next(p.name for p in result.sidecars if p.name.endswith(".json")),
        "vtt": next(p.name for p in result.sidecars if p.name.endswith(".vtt")),
        "bytes": result.path.stat().st_size if result.path.exists() else result.bytes,
        "duration_s": round(result.duration_s, 3),
        "chapters": [{"title": printable(c.title), "start_ms": c.start_ms, "end_ms": c.end_ms} for c in result.chapters],
        "hash": digest,
        "input_hash": job.input_hash,
        "engine": engine.name,
        "voice": engine.voice,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
