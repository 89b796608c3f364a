"""Speech engines: pick one by name (or let `auto` pick an offline one) and speak utterances.

    engine = get_engine("auto", language="en", rate=1.25)
    pcm = engine.synthesize("One sentence.")          # mono int16 at engine.sample_rate

`auto` prefers piper (natural) over espeak-ng (robotic, fast) and never picks gTTS, which
sends the text to Google. Each engine module imports its heavy library only when used, so
importing this package and calling `describe_engines()` stays cheap.
"""

from __future__ import annotations

from listen.errors import EngineError
from listen.speech.engines import espeak, piper  # gtts on use: it imports requests (0.1-0.4 s)
from listen.speech.engines.backoff import Backoff, shared_backoff
from listen.speech.engines.base import (
    ENGINE_NAMES,
    Availability,
    Engine,
    EngineInfo,
    default_threads,
    synthesize_many,
)

__all__ = [
    "ENGINE_NAMES",
    "Availability",
    "Backoff",
    "Engine",
    "EngineInfo",
    "default_threads",
    "describe_engines",
    "get_engine",
    "shared_backoff",
    "synthesize_many",
]

NO_ENGINE_HINT = "install one with: pip install 'listen[piper]' or sudo apt-get install espeak-ng"


def get_engine(
    name: str = "auto",
    *,
    voice: str | None = None,
    language: str = "en",
    rate: float = 1.0,
    threads: int | None = None,
    backoff: Backoff | None = None,
) -> Engine:
    """A ready engine, or EngineError/NetworkError with one line saying what to do.

    `threads` bounds piper's concurrent sentences and espeak's concurrent processes; a batch
    runner passes its share of the cores (EngineSpec.threads), anyone else gets up to 4.
    `backoff` (gTTS only) lets a batch runner share one pause across all its engines;
    by default every gTTS engine in the process shares `shared_backoff`.
    """
    choice = name.strip().lower()
    voice = voice.strip() if voice and voice.strip() else None  # a blank setting is no choice
    if voice is not None and choice in ("auto", "piper", "espeak", "espeak-ng"):
        # --voice may be a language ("fr"), a voice's name or a model path: voices.py decides
        # which engine speaks it (with --engine auto) and what that engine is handed.
        from listen.speech.voices import resolve

        engine_name, voice = resolve(voice, choice)
        choice = engine_name if choice == "auto" else choice
    if choice == "auto":
        return _auto(language, rate, threads)
    if choice == "piper":
        return piper.open_piper(voice, language=language, rate=rate, threads=threads)
    if choice in ("espeak", "espeak-ng"):
        return espeak.open_espeak(voice, language=language, rate=rate, workers=threads or default_threads())
    if choice == "gtts":
        from listen.speech.engines import gtts

        return gtts.open_gtts(voice, language=language, rate=rate, backoff=backoff)
    raise EngineError(f"unknown speech engine '{name}'; choose auto, piper, espeak or gtts")


def describe_engines() -> list[EngineInfo]:
    """Every engine, whether it works here and why not; never raises, never touches the network."""
    return [_describe_piper(), _describe_espeak(), _describe_gtts()]


def _auto(language: str, rate: float, threads: int | None) -> Engine:
    """piper if it has a voice for the language, else espeak-ng if it knows the language."""
    reasons = []
    piper_ready = piper.availability()
    if piper_ready.ok:
        try:
            piper.voice_for(language)
        except EngineError:
            reasons.append(f"no piper voice for '{language}'")
        else:
            return piper.open_piper(language=language, rate=rate, threads=threads)
    else:
        reasons.append("piper is not installed")
    espeak_ready = espeak.availability()
    if espeak_ready.ok:
        try:
            espeak.voice_for(language)
        except EngineError:
            reasons.append(f"espeak-ng has no '{language}' voice")
        else:
            return espeak.open_espeak(language=language, rate=rate, workers=threads or default_threads())
    else:
        reasons.append("espeak-ng is not installed")
    raise EngineError(f"no offline speech engine for '{language}' ({'; '.join(reasons)}); {NO_ENGINE_HINT}")


def _describe_piper() -> EngineInfo:
    ready = piper.availability()
    voices = piper.installed_voices() if ready.ok else []
    return EngineInfo(
        name="piper",
        available=ready,
        voices=tuple(files.id for files in voices),
        languages=tuple(sorted({files.language for files in voices})),
        offline=True,
        note="natural voices, roughly 10-18x real time; more with 'listen voices add NAME', or --voice model.onnx",
    )


def _describe_espeak() -> EngineInfo:
    ready = espeak.availability()
    try:
        languages = espeak.languages() if ready.ok else ()
    except EngineError as error:
        ready, languages = Availability(False, str(error)), ()
    return EngineInfo(
        name="espeak",
        available=ready,
        languages=languages,
        offline=True,
        note="robotic but very fast; many languages",
    )


def _describe_gtts() -> EngineInfo:
    from listen.speech.engines import gtts

    ready = gtts.availability()
    return EngineInfo(
        name="gtts",
        available=ready,
        languages=gtts.languages() if ready.ok else (),
        offline=False,
        note="sends the text to Google; used only when chosen with --engine gtts",
    )
