"""An article's language: from what the file says, else detected from its text.

Detection is py3langid's. Its model ships LZMA-compressed and takes about a second of CPU to
decompress, every run, which is most of what loading a plain-text article costs (a
4,000-word `listen speak` spent 1.4 of its 17.5 CPU s there). So the first run keeps the
decompressed arrays in listen's cache folder as plain .npy files, keyed by py3langid's version
and the model file's size and time, written to a temporary folder and renamed into place; later
runs map them from disk (the big table is memory-mapped; only the rows a sample touches are
read). The arrays are the same, so the answers are the same (tested against py3langid's own).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from array import array
from functools import cache
from pathlib import Path
from typing import Any

_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_].*)?$")
SAMPLE_CHARS = 700  # a paragraph or two is plenty for langid, and it is linear in length
_ARRAYS = ("ptc", "pc", "nextmove", "nextmove_row", "out_feat")


def language_of(declared: str, text: str) -> str:
    """ISO 639-1 code: the declared tag's primary subtag ('en-GB' → 'en'), else detected."""
    if declared and (match := _TAG.match(declared.strip())):
        return match.group(1).lower()
    return detect(text)


def detect(text: str) -> str:
    sample = text[:SAMPLE_CHARS]
    if len(sample.split()) < 3:
        return "en"
    code, _score = identifier().classify(sample)
    return str(code)


@cache
def identifier() -> Any:
    """py3langid's LanguageIdentifier with its default model, loaded from listen's cache
    folder when a run before this one left the model there (see the module docstring)."""
    import platformdirs
    import py3langid
    from py3langid import langid

    model = langid.MODEL_DIR / langid.MODEL_FILE
    stat = model.stat()
    key = f"py3langid-{py3langid.__version__}-{stat.st_size}-{stat.st_mtime_ns}"
    folder = Path(platformdirs.user_cache_dir("listen")) / "langid" / key
    try:
        arrays = _read(folder)
    except (OSError, ValueError, KeyError):  # absent, or damaged: decompress, and keep it
        shutil.rmtree(folder, ignore_errors=True)
        arrays = _decompressed(model)
        _keep(arrays, folder)
    return _built(langid, arrays)


def _read(folder: Path) -> dict[str, Any]:
    import numpy as np

    arrays: dict[str, Any] = {
        name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in _ARRAYS
    }
    arrays["classes"] = json.loads((folder / "classes.json").read_text("utf-8"))
    return arrays


def _decompressed(model: Path) -> dict[str, Any]:
    """The model's arrays as py3langid's own loader reads them (npz inside LZMA)."""
    import lzma

    import numpy as np

    with tempfile.TemporaryFile(suffix=".npz") as npz:
        with lzma.open(model) as source:
            shutil.copyfileobj(source, npz, 1 << 20)
        npz.seek(0)
        with np.load(npz, allow_pickle=False) as data:
            arrays: dict[str, Any] = {name: data[name] for name in _ARRAYS}
            arrays["classes"] = data["classes"].tolist()
    return arrays


def _keep(arrays: dict[str, Any], folder: Path) -> None:
    """Write the arrays into `folder` all at once (a temporary folder renamed into place).
    A cache that cannot be written only costs the next run the decompression again."""
    import numpy as np

    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".langid-", dir=folder.parent))
    except OSError:
        return
    try:
        for name in _ARRAYS:
            np.save(staging / f"{name}.npy", np.asarray(arrays[name]), allow_pickle=False)
        (staging / "classes.json").write_text(json.dumps(arrays["classes"]), "utf-8")
        os.rename(staging, folder)
    except OSError:
        pass  # another run put it there first, or the disk refused: either way nothing to do
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _built(langid: Any, arrays: dict[str, Any]) -> Any:
    """A LanguageIdentifier from the arrays, as py3langid's from_model_file builds one, but
    with the automaton's 39 MB transition table left mapped: a sample walks it once per byte
    (700 lookups), so copying it into a stdlib array, as py3langid does, costs more than the
    walk. Its row offsets are shifted as Python ints (a uint16 would overflow)."""
    import numpy as np

    def unsigned(values: Any) -> array[int]:
        values = np.ascontiguousarray(values)
        out = array({2: "H", 4: "I", 8: "L"}[values.dtype.itemsize])
        out.frombytes(memoryview(values).cast("B"))
        return out

    return langid.LanguageIdentifier(
        arrays["ptc"],
        np.asarray(arrays["pc"]),
        list(arrays["classes"]),
        arrays["nextmove"],
        np.asarray(arrays["out_feat"]).tolist(),
        tk_row=unsigned(arrays["nextmove_row"]),
    )
