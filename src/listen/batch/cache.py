"""Utterance audio kept on disk, so a re-run or an edited article re-synthesises only what changed.

Keys are sha256 hex strings (engine identity + spoken text, see speech.narrate.utterance_key);
values are the engine's raw mono int16 PCM. Files are written atomically, so a killed run
never leaves a truncated entry that a later run would trust. Its `chapters/` subfolder holds
the chapter cache (listen.audio.chapter_cache): chapters measured and encoded, so an edited
article re-encodes only the chapters that changed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import platformdirs

from listen import atomic
from listen.audio.chapter_cache import ChapterCache
from listen.errors import OutputError


def default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir("listen")) / "utterances"


class DiskUtteranceCache:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder) if folder else default_cache_dir()
        self.hits = 0
        self.misses = 0
        self.chapters = ChapterCache(self.folder / "chapters")

    def __contains__(self, key: object) -> bool:
        found = isinstance(key, str) and self._path(key).exists()
        if found:
            self.hits += 1
        else:
            self.misses += 1
        return found

    def get(self, key: str) -> np.ndarray | None:
        try:
            return np.frombuffer(self._path(key).read_bytes(), dtype="<i2").astype(np.int16)
        except OSError:
            return None

    def put(self, key: str, pcm: np.ndarray) -> None:
        try:
            atomic.write_bytes(self._path(key), np.asarray(pcm, dtype="<i2").tobytes())
        except OutputError:
            # The cache only saves time; a full or read-only cache dir must not fail narration.
            # (A full disk is caught where it matters: when the MP3 itself is written.)
            pass

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pcm"
