"""Utterance audio kept on disk, so a re-run or an edited article re-synthesises only what changed.

Keys are sha256 hex strings (engine identity + spoken text, see speech.narrator.utterance_key);
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
from pathlib import Path

import numpy as np

from listen import atomic
from listen.audio.chapter_cache import ChapterCache, digest, warn
from listen.batch.cache_folder import (
    STALE_TEMP_S,
    default_cache_dir,
    sweep_stale_temporaries,
)
from listen.errors import OutputError

__all__ = [
    "STALE_TEMP_S",
    "DiskUtteranceCache",
    "decode_entry",
    "default_cache_dir",
    "encode_entry",
    "sweep_stale_temporaries",
]

MAGIC = b"LPCM1\0"
HEADER = struct.Struct("<6sQ32s")  # magic, samples, checksum (hex of 16 bytes)
SUFFIX = ".lpcm"  # entries of the unchecked format (.pcm) are never read


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
