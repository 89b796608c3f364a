"""The work one process (or one Dask worker) does: narrate one article with a voice loaded once.

A process keeps its engines in `_ENGINES`, so a worker that narrates hundreds of articles
loads the piper model once. The same function serves the local pool and Dask.

Engines, the narrator and numpy are imported when a task runs, not with this module: the
build's planning uses EngineSpec and must stay light when there is nothing to narrate.
"""

from __future__ import annotations

import os
import signal
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from listen.articles.model import Article
from listen.narration import EngineName

if TYPE_CHECKING:
    from listen.audio import AudioResult
    from listen.speech.engines import Engine
    from listen.speech.narrator import Settings


@dataclass(frozen=True)
class EngineSpec:
    """What to ask get_engine for; picklable, so it can travel to worker processes.

    `engine` is an EngineName: the CLI parses --engine once (narration_request), and a name
    given here as text (a script, a test) is parsed the same way, so `GTTS` and `gtts` are one
    engine everywhere a build compares it (the gTTS back-off, the engine stamps)."""

    engine: EngineName = EngineName.AUTO
    voice: str | None = None
    rate: float = 1.0
    threads: int | None = None  # piper's sentences / espeak's processes at once; None: default_threads()

    def __post_init__(self) -> None:
        object.__setattr__(self, "engine", EngineName.parse(self.engine))

    def open(self, language: str) -> Engine:
        key = (self, language)
        if key not in _ENGINES:
            _ENGINES[key] = get_engine(
                self.engine, voice=self.voice, language=language, rate=self.rate, threads=self.threads
            )
        return _ENGINES[key]


def opened(spec: EngineSpec, language: str) -> Engine | None:
    """The engine `spec.open(language)` gave in this process, if it was asked already."""
    return _ENGINES.get((spec, language))


@dataclass(frozen=True)
class Task:
    article: Article
    dest: Path
    spec: EngineSpec
    settings: Settings
    cache_dir: Path | None
    read_cache: bool = True  # False with --force: nothing cached is trusted, new audio is kept


_ENGINES: dict[tuple[EngineSpec, str], Engine] = {}


THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def get_engine(name: str, **options: Any) -> Engine:
    """speech.engines.get_engine, imported when an engine is first opened."""
    from listen.speech.engines import get_engine as open_engine

    return open_engine(name, **options)


def start_worker(threads: int) -> None:
    """A local pool worker's first act: die with the build, leave Ctrl-C to it, limit threads.

    The worker's parent is the fork server, which dies with the build (lifeline.py), so
    asking Linux for SIGKILL when the parent dies makes a killed build take its workers
    with it (their ffmpeg children follow them the same way).
    Ctrl-C reaches every process in the terminal's group: the build decides what stops, so
    a worker ignores it and is ended by the build once finished articles are recorded.
    """
    from listen.batch.lifeline import die_with_parent

    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    set_thread_limits(threads)


def set_thread_limits(threads: int) -> None:
    """Keep jobs × threads within the cores: BLAS/OpenMP pools read these when they start
    (they are those libraries' own settings; listen's travel as arguments: the engine's
    threads in the task's EngineSpec, a narration's encode threads in its Settings)."""
    for name in THREAD_VARIABLES:
        os.environ[name] = str(threads)


def run_task(task: Task) -> AudioResult:
    """Narrate into task.dest (atomically); used by the in-process and local process runners."""
    from listen.batch.cache import DiskUtteranceCache
    from listen.speech.narrator import narrate

    engine = task.spec.open(task.article.language)
    cache = DiskUtteranceCache(task.cache_dir, read=task.read_cache)
    return narrate(task.article, task.dest, engine, settings=task.settings, cache=cache)


def run_remote_task(task: Task) -> tuple[AudioResult, dict[str, bytes]]:
    """On a Dask worker: narrate into a private temp folder and send the files back as bytes.

    The worker's own utterance cache (in its user cache dir) is used; the client writes the
    files into its output folder atomically, so the client's guarantees hold.
    """
    with tempfile.TemporaryDirectory(prefix="listen-remote-") as folder:
        local = Task(task.article, Path(folder) / task.dest.name, task.spec, task.settings, None, task.read_cache)
        result = run_task(local)
        files = {path.name: path.read_bytes() for path in (result.path, *result.sidecars)}
    return result, files
