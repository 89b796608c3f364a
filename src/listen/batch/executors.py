"""Where a build's articles are narrated: here, in threads, in a pool of local processes, or on Dask.

Each executor takes the planned jobs and yields (job, outcome) as articles finish; the build
(run.py) records them. An outcome is the AudioResult, a DiskFullError (the build stops), or
a one-line reason the article failed (the build goes on).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Union

from listen.batch.jobs import Job
from listen.batch.stop import STOP
from listen.batch.worker import (
    THREAD_VARIABLES,
    EngineSpec,
    Task,
    run_task,
    set_thread_limits,
    start_worker,
)
from listen.errors import DiskFullError, ListenError
from listen.narration import EngineName

if TYPE_CHECKING:
    import concurrent.futures as futures

    from listen.audio import AudioResult
    from listen.batch.run import BuildOptions, Reporter

Outcome = Union["AudioResult", DiskFullError, str]
Runner = Callable[[list[Job], "BuildOptions", "Reporter"], Iterator[tuple[Job, Outcome]]]


def runner_for(options: BuildOptions, count: int, workers: Workers) -> Runner:
    """The executor for `count` articles: Dask when a scheduler is given, threads for gTTS,
    the process pool when more than one core and article, else this process."""
    if options.scheduler:
        from listen.batch.cluster import run_on_dask

        return run_on_dask
    if options.spec.engine is EngineName.GTTS:
        return run_in_threads  # network-bound; threads share one run-wide backoff
    if not in_processes(options, count):
        return run_here
    return workers.run


def waits_inside_an_article(runner: Runner, options: BuildOptions) -> bool:
    """Whether a stop must interrupt the runner at once: this process, or Dask, waits inside
    one article; the pools hear a stop between their short waits."""
    return runner is run_here or bool(options.scheduler)


def in_processes(options: BuildOptions, count: int) -> bool:
    """Whether `count` articles are narrated by a pool of local worker processes."""
    return (
        not options.scheduler and options.spec.engine is not EngineName.GTTS and worker_count(options) > 1 and count > 1
    )


def worker_count(options: BuildOptions) -> int:
    return options.jobs or os.cpu_count() or 1


def task_for(job: Job, options: BuildOptions) -> Task:
    return Task(
        job.article,
        options.out_dir / f"{job.slug}.{options.settings.audio_format}",
        options.spec,
        options.settings,
        options.cache_dir,
        not options.force,
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


def finished(outcome: Outcome) -> bool:
    """Whether the outcome is narrated audio (not a failure, not a full disk)."""
    return not isinstance(outcome, (str, DiskFullError))


def run_here(jobs: list[Job], options: BuildOptions, reporter: Reporter) -> Iterator[tuple[Job, Outcome]]:
    """In this process, one article at a time. `--jobs` is the build's budget of cores, so
    `--jobs 1` encodes on one thread, not two: a volunteer who asks for one job gets a
    machine that stays usable. Left at its default, a lone article gets every core. The
    count travels in the task's settings; nothing process-wide changes."""
    from listen.audio.writer import default_encode_jobs

    encode_jobs = min(options.settings.encode_jobs or default_encode_jobs(), worker_count(options))
    options = replace(options, settings=replace(options.settings, encode_jobs=encode_jobs))
    for job in jobs:
        reporter.started(job)
        yield job, outcome_of(lambda: run_task(task_for(job, options)))


def run_in_threads(jobs: list[Job], options: BuildOptions, reporter: Reporter) -> Iterator[tuple[Job, Outcome]]:
    import concurrent.futures as futures  # with logging and threading: only when there is work

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
        if in_processes(self.options, count):
            self._start()

    def run(self, jobs: list[Job], options: BuildOptions, reporter: Reporter) -> Iterator[tuple[Job, Outcome]]:
        spec = EngineSpec(
            options.spec.engine, options.spec.voice, options.spec.rate, options.spec.threads or self.threads
        )
        settings = replace(options.settings, encode_jobs=self.threads)  # one narration's encode threads
        yield from _drain(self._start(), jobs, replace(options, spec=spec, settings=settings), reporter, run_task)

    def _start(self) -> futures.ProcessPoolExecutor:
        if self._pool is None:
            import concurrent.futures as futures
            import multiprocessing

            from listen.batch.lifeline import BUILD_PID

            # A fork server imports listen (numpy, the engines) once and forks each worker from
            # it, where spawn made every worker import it all again (0.5-0.8 CPU s each). It
            # starts from a clean interpreter, so the threads this process has do not matter,
            # and it inherits the thread limits set here before numpy is imported in it.
            saved = {name: os.environ.get(name) for name in THREAD_VARIABLES}
            set_thread_limits(self.threads)
            os.environ[BUILD_PID] = str(os.getpid())  # the fork server dies with this process
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["listen.batch.lifeline", "listen.batch.worker", "listen.speech.narrator"])
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


def _drain(
    pool: futures.Executor, jobs: list[Job], options: BuildOptions, reporter: Reporter, function: Callable[[Task], Any]
) -> Iterator[tuple[Job, Outcome]]:
    """Keep every worker busy with a short queue, yield results as they finish."""
    import concurrent.futures as futures

    pending: dict[futures.Future[Any], Job] = {}
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
                if STOP.requested and not finished(outcome):
                    continue  # failed because the stop reached its ffmpeg: not a fault of the article
                yield job, outcome
            if STOP.requested:
                return
            submit_more()
    finally:
        for future in pending:
            future.cancel()
