"""The domain functions the reader calls, gathered so tests and the bench can swap them.

Defaults import lazily from the domain packages: the reader opens even when an optional
part (narration, MP3 making) is missing, and says plainly what is not available. The domain
types below are imported for the type checker only, so each seam is checked where the reader
calls it and where a test or the bench swaps it, and nothing heavy loads with the reader.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from listen.errors import ListenError, UsageError

if TYPE_CHECKING:
    from listen.articles.library import ArticleSummary
    from listen.articles.model import Article
    from listen.articles.refresh import Refreshed
    from listen.audio import AudioResult
    from listen.narration import NarrationRequest
    from listen.speech.engines import Engine
    from listen.speech.player import Player, PlayerEvent
    from listen.speech.script import Script
    from listen.speech.voices import Voice
    from listen.state import ReaderSettings

Notify = Callable[[str], None]  # one line for the user while a link is fetched
NarrationProgress = Callable[[int, int], None]  # (utterances done, utterances in all)
PlayerEvents = Callable[["PlayerEvent"], None]  # called from the player's thread


def default_scan(folder: Path, *, feeds: bool = False) -> list[ArticleSummary]:
    """The folder's articles, the ones it refuses (with why) and the pages listen fetched to be
    read, each with where it came from; feed entries too with `feeds` (`listen read --web`)."""
    from listen.articles.library import scan_library
    from listen.articles.sources import cache_root

    return scan_library(folder, include_refused=True, web=cache_root(), feeds=feeds)


def scan_with_feeds(folder: Path) -> list[ArticleSummary]:
    """default_scan with every feed entry listen fetched (`listen read --web`)."""
    return default_scan(folder, feeds=True)


def default_refresh(path: Path) -> Refreshed:
    """A fetched article asked again from its page or feed: a Refreshed with one line to say."""
    from listen.articles.refresh import refresh

    return refresh(path)


def default_refresh_all(paths: list[Path]) -> tuple[list[Refreshed], str]:
    from listen.articles.refresh import refresh_all

    return refresh_all(paths)


def default_load(path: Path) -> Article:
    from listen.articles import load_article

    return load_article(path)


def default_fetch_link(address: str, notify: Notify) -> Path:
    """A web page's address → the cached copy the reader opens (fetched once, revalidated later)."""
    from listen.articles.fetch import is_url
    from listen.articles.sources import local_copy

    address = address.strip()
    if not is_url(address):
        raise UsageError(f"“{address}” is not a link; type a web address that starts with https:// or http://.")
    return local_copy(address, notify=notify)


def default_request(settings: ReaderSettings) -> NarrationRequest:
    """How the reader narrates, from its settings, with the user's lexicon (listen.narration)."""
    return _narration().request_from_settings(settings)


def default_build_script(article: Article, request: NarrationRequest) -> Script:
    return _narration().script_for(article, request)


def default_get_engine(request: NarrationRequest, language: str | None) -> Engine:
    try:
        return _narration().engine_for(request, language)
    except ImportError as exc:
        raise ListenError(f"Narration is not available: {exc}") from exc


def default_narrate(
    article: Article, dest: Path, engine: Engine, request: NarrationRequest, progress: NarrationProgress
) -> AudioResult:
    try:
        return _narration().narrate_article(article, dest, engine, request, progress=progress)
    except ImportError as exc:
        raise ListenError(f"Making an MP3 is not available: {exc}") from exc


def default_record(
    article: Article, result: AudioResult, request: NarrationRequest, engine: Engine, folder: Path
) -> bool:
    """Record a Make MP3 in the folder's manifest, as `build` would (listen.narration)."""
    return _narration().record_audio(article, result, request, engine, folder)


def default_audio_name(article: Article, folder: Path) -> Path:
    return _narration().audio_name(article, folder)


def default_voices() -> list[Voice]:
    """Every voice `listen voices` lists (speech.voices), for the settings' voice picker."""
    from listen.speech.voices import list_voices

    return list_voices()


def default_player(engine: Engine, on_event: PlayerEvents) -> Player:
    from listen.speech.player import Player

    return Player(engine, on_event=on_event)


def _narration() -> ModuleType:
    try:
        import listen.narration
    except ImportError as exc:
        raise ListenError(f"Narration is not available: {exc}") from exc
    return listen.narration


@dataclass(frozen=True)
class Services:
    """Everything outside the TUI that the TUI uses, one field per seam."""

    scan: Callable[[Path], list[ArticleSummary]] = default_scan
    load: Callable[[Path], Article] = default_load
    fetch_link: Callable[[str, Notify], Path] = default_fetch_link  # (address, notify) → file
    refresh: Callable[[Path], Refreshed] = default_refresh  # path → Refreshed (path, outcome, message)
    refresh_all: Callable[[list[Path]], tuple[list[Refreshed], str]] = default_refresh_all  # → (results, one line)
    request: Callable[[ReaderSettings], NarrationRequest] = default_request
    build_script: Callable[[Article, NarrationRequest], Script] = default_build_script
    get_engine: Callable[[NarrationRequest, str | None], Engine] = default_get_engine  # (request, language)
    narrate: Callable[[Article, Path, Engine, NarrationRequest, NarrationProgress], AudioResult] = default_narrate
    player: Callable[[Engine, PlayerEvents], Player] = default_player
    audio_name: Callable[[Article, Path], Path] = default_audio_name  # (article, audio folder) → its MP3
    record: Callable[[Article, AudioResult, NarrationRequest, Engine, Path], bool] = default_record  # True: recorded
    voices: Callable[[], list[Voice]] = default_voices  # for the voice picker
    audio_dir: Path = Path("audio")


def rows_with_audio(audio_dir: Path, rows: list[ArticleSummary]) -> frozenset[str]:
    """The paths (as the rows give them) of articles with an MP3 in `audio_dir`, named by the
    one rule of listen.narration (or by the reader's name from before it). Never raises."""
    try:
        names = _narration().AudioNames.read(audio_dir, strict=False)
    except ListenError:
        return frozenset()
    return frozenset(str(path) for path in names.with_audio([row.path for row in rows]))
