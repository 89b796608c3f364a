"""Chapters encoded once and kept: an edited article costs the chapters that changed.

A narrator that knows what each chapter's PCM is made of (the utterance cache keys and the
pauses) names it with a `KeyedChapter.key`; speech/narrate.py hands each chapter over in
parts, one per paragraph, so an edit costs its paragraph. For each key the cache keeps, as
files in its folder:

- KEY.json — the chapter's length in samples and its 400 ms block loudnesses (loudness.py),
  so the whole narration's gain is known without reading its audio again;
- KEY-RECIPE.mp3 — the chapter encoded as a piece (mp3.py) at one gain and bitrate; RECIPE
  hashes everything else that shapes the encode, FORMAT_VERSION included.

Every file is written under a temporary name and renamed, so a killed run never leaves an
entry a later run would trust (only a marked temporary file, never read). Entries are never
changed, so concurrent builds sharing the folder at most encode the same piece twice.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from listen.atomic import atomic_path
from listen.audio.loudness import LIMIT_DBFS
from listen.audio.mp3 import LAME_QUALITY, OUTPUT_RATE, PieceInfo, piece_info
from listen.audio.pcm import SAMPLE_RATE

FORMAT_VERSION = 1  # bump when pieces or measurements made by older code must not be used
# Chapters are joined in the pause that ends each one, and are encoded (gain, resampler,
# limiter, MP3 frames) as if from silence: with this much pause the limiter (50 ms release)
# and the MP3 frames' overlap (26 ms) have settled, so a join sounds like the pause it is.
# Narrators use the cache only when their chapter pause is at least this long.
MIN_JOIN_PAUSE_MS = 500


def _nothing() -> None:
    pass


@dataclass(frozen=True)
class KeyedChapter:
    """A chapter whose audio is named by `key`: the same key must always mean the same PCM.

    `blocks()` makes its int16 blocks at SAMPLE_RATE (it may be called again if the cached
    encode cannot be used); `skipped()` is called when its audio came from the cache instead.
    A chapter may come in several parts, each cached on its own, so an edit costs only its
    part: the parts after the first have `continues` set (their title is not used) and must
    each begin after a pause of at least MIN_JOIN_PAUSE_MS at the end of the part before.
    """

    title: str
    key: str
    blocks: Callable[[], Iterable[np.ndarray]]
    skipped: Callable[[], None] = field(default=_nothing)
    continues: bool = False


@dataclass(frozen=True, eq=False)
class Measurement:
    """A chapter's length in samples (before frame fill) and its block loudnesses (LUFS)."""

    samples: int
    blocks: np.ndarray


class ChapterCache:
    """Chapter measurements and encoded pieces in `folder` (made when first written to)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.encodes = 0  # pieces encoded by this object, for tests and benchmarks

    def usable(self) -> bool:
        """Whether the folder exists or can be made, and can be written to."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return False
        return os.access(self.folder, os.W_OK | os.X_OK)

    def measurement(self, key: str) -> Measurement | None:
        try:
            data = json.loads(self._path(key, ".json").read_text(encoding="utf-8"))
            return Measurement(int(data["samples"]), np.array(data["blocks"], dtype=np.float64))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put_measurement(self, key: str, measured: Measurement) -> None:
        blocks = np.round(np.asarray(measured.blocks, dtype=np.float64), 2).tolist()
        text = json.dumps({"samples": measured.samples, "blocks": blocks}, separators=(",", ":"))
        with atomic_path(self._path(key, ".json")) as tmp:
            tmp.write_text(text, encoding="utf-8")

    def piece(self, key: str, gain_db: float, bitrate_kbps: int) -> Path:
        """Where the piece for `key` encoded at this gain and bitrate is (or will be) kept."""
        recipe = f"{FORMAT_VERSION}|{SAMPLE_RATE}|{OUTPUT_RATE}|{LAME_QUALITY}|{LIMIT_DBFS}|{bitrate_kbps}|{gain_db:.2f}"
        return self._path(key, f"-{hashlib.sha256(recipe.encode()).hexdigest()[:16]}.mp3")

    def piece_info(self, key: str, gain_db: float, bitrate_kbps: int) -> PieceInfo | None:
        """The cached piece's frame count, delay and padding; None if it is not there."""
        try:
            return piece_info(self.piece(key, gain_db, bitrate_kbps))
        except OSError:
            return None

    def _path(self, key: str, suffix: str) -> Path:
        name = hashlib.sha256(f"{FORMAT_VERSION}\n{key}".encode()).hexdigest()
        return self.folder / name[:2] / f"{name}{suffix}"
