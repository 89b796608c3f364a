"""The Dask executor: articles narrated on a cluster's workers, their files written here.

Imported only for `build --scheduler`, so a build without Dask never imports it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from listen import atomic
from listen.batch.executors import Outcome, outcome_of, task_for
from listen.batch.jobs import Job
from listen.batch.worker import run_remote_task
from listen.errors import UsageError

if TYPE_CHECKING:
    from listen.audio import AudioResult
    from listen.batch.run import BuildOptions, Reporter

# A Dask build with no worker at all for this long gives up (exit 1) rather than wait forever.
NO_WORKERS_LIMIT_S = 120.0


def run_on_dask(jobs: list[Job], options: BuildOptions, reporter: Reporter) -> Iterator[tuple[Job, Outcome]]:
    """Send articles to a Dask cluster's workers; write what they return here, atomically.

    The scheduler hands a lost worker's articles to the others by itself; this says so in
    one line, and gives up on what is left, each article failed with the reason, when no
    worker at all has been there for NO_WORKERS_LIMIT_S (a build once waited with no word).
    """
    try:
        from distributed import Client, wait
    except ImportError as error:  # an extra: most machines narrate alone
        raise UsageError(
            "--scheduler needs Dask's 'distributed' package, which is not installed; "
            "install it with: pip install 'listen[cluster]'."
        ) from error

    from listen.audio.chapter_cache import warn

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
            future = client.submit(
                run_remote_task, task_for(job, options), pure=False, key=f"listen-{job.slug}-{time.time_ns()}"
            )
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


def _dask_workers(client: Any) -> set[str]:
    try:
        return set(client.scheduler_info().get("workers", {}))
    except Exception:  # noqa: BLE001 - a scheduler that does not answer has, for us, no workers
        return set()


def _write_remote(returned: tuple[AudioResult, dict[str, bytes]], out_dir: Path) -> AudioResult:
    from listen.audio import AudioResult

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
