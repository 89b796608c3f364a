"""Utterance audio kept on disk, so a re-run or an edited article re-synthesises only what changed.

Keys are sha256 hex strings (engine identity + spoken text, see speech.narrate.utterance_key);
values are the engine's raw mono int16 PCM behind a header that carries their length and a
checksum of key and samples. Files are written atomically, so a killed run never leaves a
truncated entry, and every entry is checked when read, because a disk or a hand can damage it
later (or move it to another key's name): a bad entry is removed, said in one line, and spoken
again. Its `chapters/` subfolder holds the chapter cache (listen.audio.chapter_cache).

A cache that cannot be written (full or read-only disk) is said once and then only read:
the narration goes on without it.
"""

from __future__ import annotations

import struct
import time
from pathlib import Path

import numpy as np
import platformdirs

from listen import atomic
from listen.audio.chapter_cache import ChapterCache, digest, warn
from listen.errors import OutputError

MAGIC = b"LPCM1\0"
HEADER = struct.Struct("<6sQ32s")  # magic, samples, checksum (hex of 16 bytes)
SUFFIX = ".lpcm"  # entries of the unchecked format (.pcm) are never read
STALE_TEMP_S = 15 * 60  # a temporary file this old belongs to a run that was killed


def default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir("listen")) / "utterances"


class DiskUtteranceCache:
    def __init__(self, folder: Path | None = None, *, read: bool = True) -> None:
        self.folder = Path(folder) if folder else default_cache_dir()
        self.read = read  # False (--force): nothing here is trusted, new audio is still kept
        self.hits = 0
        self.misses = 0
        self.dropped = 0
        self.writable = True
        self.chapters = ChapterCache(self.folder / "chapters", read=read)

    def __contains__(self, key: object) -> bool:
        found = self.read and isinstance(key, str) and self._path(key).exists()
        if found:
            self.hits += 1
        else:
            self.misses += 1
        return found

    def get(self, key: str) -> np.ndarray | None:
        if not self.read:
            return None
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        pcm = decode_entry(key, data)
        if pcm is None:
            self.dropped += 1
            warn(f"a spoken sentence in the cache was damaged ({path.name}); removed it and speaking it again.")
            try:
                path.unlink(missing_ok=True)
            except OSError:
                pass
        return pcm

    def put(self, key: str, pcm: np.ndarray) -> None:
        if not self.writable:
            return
        try:
            atomic.write_bytes(self._path(key), encode_entry(key, pcm))
        except OutputError as error:
            # The cache only saves time; a full or read-only cache dir must not fail narration.
            self.writable = False
            warn(f"cannot write the audio cache ({error}); going on without keeping new audio.")

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}{SUFFIX}"


def encode_entry(key: str, pcm: np.ndarray) -> bytes:
    samples = np.asarray(pcm, dtype="<i2").tobytes()
    return HEADER.pack(MAGIC, len(samples) // 2, digest(key, samples).encode("ascii")) + samples


def decode_entry(key: str, data: bytes) -> np.ndarray | None:
    """The samples of an entry, or None if its header, length or checksum is wrong."""
    if len(data) < HEADER.size:
        return None
    magic, count, check = HEADER.unpack_from(data)
    samples = data[HEADER.size :]
    if magic != MAGIC or count * 2 != len(samples) or check != digest(key, samples).encode("ascii"):
        return None
    return np.frombuffer(samples, dtype="<i2").astype(np.int16)


def sweep_stale_temporaries(folder: Path | None = None, older_than_s: float = STALE_TEMP_S) -> int:
    """Remove temporary files killed runs left in the cache; return how many.

    Only old ones: another build sharing the cache may be writing a fresh one right now.
    """
    root = Path(folder) if folder else default_cache_dir()
    removed = 0
    cutoff = time.time() - older_than_s
    for pattern in (f"*/.*{atomic.TEMP_MARK}*", f"chapters/*/.*{atomic.TEMP_MARK}*"):
        for path in root.glob(pattern):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except OSError:
                pass
    return removed
