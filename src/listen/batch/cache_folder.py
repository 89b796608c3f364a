"""Where the utterance cache lives, and sweeping what killed runs left in it.

Apart from the cache itself (cache.py, which needs numpy and the chapter cache) because every
build sweeps the folder, and a build with nothing to narrate should import neither.
"""

from __future__ import annotations

import time
from pathlib import Path

import platformdirs

from listen import atomic

STALE_TEMP_S = 15 * 60  # a temporary file this old belongs to a run that was killed


def default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir("listen")) / "utterances"


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
