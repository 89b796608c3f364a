"""Chapters encoded once and kept: an edited article costs the chapters that changed.

A narrator that knows what each chapter's PCM is made of (the utterance cache keys and the
pauses) names it with a `KeyedChapter.key`; speech/narrator.py hands each chapter over in
parts, one per paragraph, so an edit costs its paragraph. For each key the cache keeps, as
files in its folder:

- KEY.json — the chapter's length in samples and its 400 ms block loudnesses (loudness.py),
  so the whole narration's gain is known without reading its audio again;
- KEY-RECIPE.mp3 — the chapter encoded as a piece (mp3.py) at one gain and bitrate; RECIPE
  hashes everything else that shapes the encode, FORMAT_VERSION included.

Every file is written under a temporary name and renamed, so a killed run never leaves an
entry a later run would trust (only a marked temporary file, never read). Entries are never
changed, so concurrent builds sharing the folder at most encode the same piece twice.

Every entry is also checked when read, because a disk, a copy or a hand can damage it after
it was written, and a damaged piece would be copied frame by frame into a published MP3: the
measurement carries a checksum of its key and values, and each piece has a KEY-RECIPE.sum
beside it holding its length and a checksum of its name and bytes (so a piece moved to
another entry's name fails too). A bad entry is removed, said in one line, and made again.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from listen.atomic import write_text
from listen.audio.loudness import LIMIT_DBFS
from listen.audio.mp3 import LAME_QUALITY, OUTPUT_RATE, PieceInfo, piece_info
from listen.audio.pcm import SAMPLE_RATE
from listen.errors import OutputError

FORMAT_VERSION = (
    3  # 3: pieces encoded in process (lame.py); bump when pieces or measurements made by older code must not be used
)
# Chapters are joined in the pause that ends each one, and are encoded (gain, resampler,
# limiter, MP3 frames) as if from silence: with this much pause the limiter (50 ms release)
# and the MP3 frames' overlap (26 ms) have settled, so a join sounds like the pause it is.
# Narrators use the cache only when their chapter pause is at least this long.
MIN_JOIN_PAUSE_MS = 500


def _nothing() -> None:
    pass


def warn(line: str) -> None:
    """One line on stderr about the cache: it only saves time, so its faults never stop a build."""
    print(f"listen: {line}", file=sys.stderr, flush=True)


def digest(name: str, data: bytes) -> str:
    """The checksum a cache entry carries: its name (so a swapped entry fails) and its bytes."""
    return hashlib.blake2b(name.encode() + b"\0" + data, digest_size=16).hexdigest()


class CacheUnwritable(Exception):
    """The cache folder refused a write (full, read-only): the narration goes on without it."""


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

    def __init__(self, folder: Path, *, read: bool = True) -> None:
        self.folder = Path(folder)
        self.read = read  # False (--force): trust nothing here, but write what is made
        self.encodes = 0  # pieces encoded by this object, for tests and benchmarks
        self.dropped = 0  # damaged entries removed, for tests

    def usable(self) -> bool:
        """Whether the folder exists or can be made, and can be written to."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return False
        return os.access(self.folder, os.W_OK | os.X_OK)

    def measurement(self, key: str) -> Measurement | None:
        path = self._path(key, ".json")
        if not self.read:
            return None
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        try:
            data = json.loads(raw)
            body = json.dumps({"samples": data["samples"], "blocks": data["blocks"]}, separators=(",", ":"))
            if data.get("check") != digest(path.name, body.encode()):
                raise ValueError("checksum")
            samples, blocks = int(data["samples"]), np.array(data["blocks"], dtype=np.float64)
            if samples < 0 or blocks.ndim != 1:
                raise ValueError("values")
            return Measurement(samples, blocks)
        except (ValueError, KeyError, TypeError, AttributeError):
            self._drop(path, "a chapter measurement")
            return None

    def put_measurement(self, key: str, measured: Measurement) -> None:
        path = self._path(key, ".json")
        blocks = np.round(np.asarray(measured.blocks, dtype=np.float64), 2).tolist()
        body = json.dumps({"samples": measured.samples, "blocks": blocks}, separators=(",", ":"))
        text = json.dumps({"samples": measured.samples, "blocks": blocks, "check": digest(path.name, body.encode())})
        try:
            write_text(path, text)
        except OutputError as exc:
            raise CacheUnwritable(str(exc)) from exc

    def has_piece(self, key: str, gain_db: float, bitrate_kbps: int) -> bool:
        """Whether a piece and its checksum are there (checked when used, by piece_info)."""
        piece = self.piece(key, gain_db, bitrate_kbps)
        return self.read and piece.exists() and piece.with_suffix(".sum").exists()

    def piece(self, key: str, gain_db: float, bitrate_kbps: int) -> Path:
        """Where the piece for `key` encoded at this gain and bitrate is (or will be) kept."""
        recipe = (
            f"{FORMAT_VERSION}|{SAMPLE_RATE}|{OUTPUT_RATE}|{LAME_QUALITY}|{LIMIT_DBFS}|{bitrate_kbps}|{gain_db:.2f}"
        )
        return self._path(key, f"-{hashlib.sha256(recipe.encode()).hexdigest()[:16]}.mp3")

    def piece_info(self, key: str, gain_db: float, bitrate_kbps: int) -> PieceInfo | None:
        """The cached piece's frame count, delay and padding; None if it is not there, or
        if it is damaged (then it is removed, with one line said, to be encoded again)."""
        piece = self.piece(key, gain_db, bitrate_kbps)
        if not self.read or not piece.exists():
            return None
        try:
            data = piece.read_bytes()
            recorded = piece.with_suffix(".sum").read_text(encoding="ascii").split()
        except FileNotFoundError:
            recorded = []
        except (OSError, UnicodeDecodeError):
            recorded = []
            data = b""
        info = None
        if recorded == [str(len(data)), digest(piece.name, data)]:
            try:
                info = piece_info(piece)
            except OSError:
                return None
        if info is None:
            self._drop(piece, "an encoded chapter")
        return info

    def seal(self, key: str, gain_db: float, bitrate_kbps: int) -> None:
        """Write the checksum of a piece just encoded into place (after it: a piece without
        one is never used)."""
        piece = self.piece(key, gain_db, bitrate_kbps)
        try:
            data = piece.read_bytes()
            write_text(piece.with_suffix(".sum"), f"{len(data)} {digest(piece.name, data)}\n")
        except (OSError, OutputError) as exc:
            raise CacheUnwritable(str(exc)) from exc

    def _drop(self, path: Path, what: str) -> None:
        self.dropped += 1
        warn(f"{what} in the cache was damaged ({path.name}); removed it and making it again.")
        for stale in (path, path.with_suffix(".sum")):
            try:
                stale.unlink(missing_ok=True)
            except OSError:
                pass

    def _path(self, key: str, suffix: str) -> Path:
        name = hashlib.sha256(f"{FORMAT_VERSION}\n{key}".encode()).hexdigest()
        return self.folder / name[:2] / f"{name}{suffix}"
