"""What every speech engine promises, so the script, build and TUI layers need not care which one speaks.

An engine turns ONE utterance (a sentence or a short paragraph) into mono int16 PCM. It is
created once (loading a model or checking a program is the slow part) and then called many
times; `cache_key` lets an utterance cache tell apart audio made by different voices or rates.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

from listen.errors import EngineError

ENGINE_NAMES = ("piper", "espeak", "gtts")

# Outside this range every engine either refuses or sounds broken; a typo like 125 is caught here.
MIN_RATE = 0.5
MAX_RATE = 3.0


@dataclass(frozen=True)
class Availability:
    """Whether an engine can be used here; `reason` is one line a user can act on."""

    ok: bool
    reason: str


@dataclass(frozen=True)
class EngineInfo:
    """One engine as `listen engines` and the TUI describe it."""

    name: str
    available: Availability
    voices: tuple[str, ...] = field(default_factory=tuple)
    languages: tuple[str, ...] = field(default_factory=tuple)
    offline: bool = True
    note: str = ""


@runtime_checkable
class Engine(Protocol):
    """A voice ready to speak.

    `synthesize_many` is optional: engines that can overlap work (espeak runs two processes)
    override it; an engine that subclasses Engine inherits the default, which maps
    `synthesize`. Callers holding an arbitrary object should use the module-level
    `synthesize_many(engine, texts)`, which works either way.
    """

    name: str
    voice: str
    sample_rate: int
    cache_key: str

    def synthesize(self, text: str) -> np.ndarray:
        """Mono int16 PCM at `sample_rate` for one utterance; empty text gives an empty array."""
        ...

    def synthesize_many(self, texts: Iterable[str]) -> Iterator[np.ndarray]:
        """PCM for each text, in order; the default speaks them one after another."""
        for text in texts:
            yield self.synthesize(text)


def synthesize_many(engine: object, texts: Iterable[str]) -> Iterator[np.ndarray]:
    """Speak `texts` in order with the engine's own batching when it has one."""
    many = getattr(engine, "synthesize_many", None)
    if many is not None:
        return iter(many(texts))
    return (engine.synthesize(text) for text in texts)  # type: ignore[attr-defined]


def silence(sample_rate: int, seconds: float = 0.0) -> np.ndarray:
    """Int16 zeros; an empty utterance is empty audio, not an error."""
    return np.zeros(int(round(sample_rate * seconds)), dtype=np.int16)


def check_rate(rate: float) -> float:
    """Refuse speeds no engine can honour, before any model is loaded."""
    if not MIN_RATE <= rate <= MAX_RATE:
        raise EngineError(
            f"speech rate {rate:g} is out of range; use a value from {MIN_RATE:g} to {MAX_RATE:g} (1.0 is normal)"
        )
    return float(rate)


def normalise_language(language: str) -> str:
    """BCP 47-ish tags in one spelling: 'en_US' and 'EN-us' both become 'en-us'."""
    return language.strip().replace("_", "-").lower()


def default_threads() -> int:
    """Threads (piper) or processes (espeak) per engine when its caller names none: up to 4 cores.

    A batch runner that shares the cores among processes passes its count explicitly
    (batch.worker.EngineSpec.threads → get_engine(threads=…)); no setting comes from the
    environment."""
    return max(1, min(4, os.cpu_count() or 1))
