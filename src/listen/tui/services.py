"""The domain functions the reader calls, gathered so tests and the bench can swap them.

Defaults import lazily from the domain packages: the reader opens even when an optional
part (narration, MP3 making) is missing, and says plainly what is not available.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from listen.errors import ListenError


def default_scan(folder: Path) -> list[Any]:
    from listen.articles.library import scan_library

    return scan_library(folder)


def default_load(path: Path) -> Any:
    from listen.articles import load_article

    return load_article(path)


def default_build_script(article: Any) -> Any:
    try:
        from listen.speech.script import build_script
    except ImportError as exc:
        raise ListenError(f"Narration is not available: {exc}") from exc
    return build_script(article)


def default_get_engine(name: str, voice: str | None, language: str, rate: float) -> Any:
    try:
        from listen.speech.engines import get_engine
    except ImportError as exc:
        raise ListenError(f"Narration is not available: {exc}") from exc
    return get_engine(name=name, voice=voice, language=language, rate=rate)


def default_narrate(article: Any, dest: Path, engine: Any, progress: Callable[..., None]) -> Any:
    try:
        from listen.speech.narrate import narrate
    except ImportError as exc:
        raise ListenError(f"Making an MP3 is not available: {exc}") from exc
    return narrate(article, dest, engine=engine, progress=progress)


def default_player(engine: Any, on_event: Callable[[Any], None]) -> Any:
    from listen.speech.player import Player

    return Player(engine, on_event=on_event)


@dataclass(frozen=True)
class Services:
    """Everything outside the TUI that the TUI uses, one field per seam."""

    scan: Callable[[Path], list[Any]] = default_scan
    load: Callable[[Path], Any] = default_load
    build_script: Callable[[Any], Any] = default_build_script
    get_engine: Callable[[str, str | None, str, float], Any] = default_get_engine
    narrate: Callable[[Any, Path, Any, Callable[..., None]], Any] = default_narrate
    player: Callable[[Any, Callable[[Any], None]], Any] = default_player
    audio_dir: Path = Path("audio")


def narrated_sources(audio_dir: Path) -> frozenset[str]:
    """Absolute paths of articles whose MP3 exists, from the batch builder's manifest.

    A missing or unreadable manifest means "no audio yet", never an error: the library
    must open anyway.
    """
    manifest = audio_dir / "manifest.json"
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        entries = data.get("articles", []) if isinstance(data, dict) else []
    except (OSError, ValueError):
        return frozenset()
    found = set()
    for entry in entries:
        if not isinstance(entry, dict) or not entry.get("source") or not entry.get("mp3"):
            continue
        mp3 = resolve(audio_dir, entry["mp3"])
        if mp3 is not None and mp3.is_file():
            for base in (audio_dir.parent, audio_dir, Path.cwd()):
                source = (base / entry["source"]).resolve()
                if source.exists():
                    found.add(str(source))
                    break
    return frozenset(found)


def rows_with_audio(audio_dir: Path, rows: list[Any]) -> frozenset[str]:
    """The paths (as the rows give them) of articles with an MP3: built by `listen build`
    (in the manifest) or made from the reader (audio_dir/<file name>.mp3, see tui/mp3.py)."""
    sources = narrated_sources(audio_dir)
    try:
        made = {path.stem for path in audio_dir.glob("*.mp3")}
    except OSError:
        made = set()
    return frozenset(
        str(row.path)
        for row in rows
        if Path(row.path).stem in made or (sources and str(Path(row.path).resolve()) in sources)
    )


def resolve(base: Path, name: str) -> Path | None:
    path = Path(name)
    if path.is_absolute():
        return path
    for root in (base, base.parent, Path.cwd()):
        if (root / path).exists():
            return (root / path).resolve()
    return None
