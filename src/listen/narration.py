"""The narration seam: one description of how to narrate, and one rule for where the audio goes.

`listen speak`, `listen build`, the reader's listen-from-here and Make MP3 (from the reader and
the library) and line mode's `play` all come through here, so they cannot disagree:

- the engine's name is normalised once (`EngineName.parse`: `GTTS`, ` gtts ` and `gtts` are
  the same engine, so a build with any of them takes gTTS's shared back-off);
- the user's lexicon.txt (or `--lexicon FILE`) is loaded in one place, `narration_request`;
- an article's script and engine come from `script_for` and `engine_for`;
- one rule names an article's MP3 (`audio_name`): the slug of its file name, as `build` has
  always done; the name the folder's manifest already gives that article if it has one; a short
  suffix from its path when another article holds the slug. Standard input has no file name:
  its slug comes from the title.

MP3s the reader made before this rule were named after the raw file stem
(`bbc_politics_112.mp3`); `find_audio` still finds them, and nothing writes that name again.

The script builder, engines and the audio writer are imported only when used, so the reader
and line mode open fast, and where narration is not installed they say so in one line.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from listen.articles.slug import slug_for, slugify
from listen.manifest import Manifest, entry_record, source_name
from listen.errors import EngineError, ManifestError
from listen.speech.lexicon import Lexicon, load_lexicon

if TYPE_CHECKING:
    from listen.articles.model import Article
    from listen.speech.script import Pauses, Script, ScriptOptions
    from listen.audio import AudioResult
    from listen.speech.engines import Backoff, Engine
    from listen.speech.narrator import Settings, UtteranceCache


class EngineName(StrEnum):
    """The engines a user can ask for; `auto` picks an offline one."""

    AUTO = "auto"
    PIPER = "piper"
    ESPEAK = "espeak"
    GTTS = "gtts"

    @classmethod
    def parse(cls, text: str) -> EngineName:
        """`text` as the user typed it (any case, spaces around, `espeak-ng`), or EngineError."""
        if isinstance(text, cls):
            return text
        choice = str(text).strip().lower()
        choice = _ALIASES.get(choice, choice)
        try:
            return cls(choice)
        except ValueError:
            raise EngineError(f"unknown speech engine '{text}'; choose auto, piper, espeak or gtts") from None


_ALIASES = {"espeak-ng": "espeak", "": "auto"}


@dataclass(frozen=True)
class NarrationRequest:
    """How to narrate: everything besides the article that decides what is heard.

    Build one with `narration_request` (it loads the lexicon); the engine name is an
    EngineName, so nothing downstream compares raw strings.
    """

    engine: EngineName = EngineName.AUTO
    voice: str | None = None
    rate: float = 1.0
    lexicon: Lexicon = field(default_factory=Lexicon)
    script: ScriptOptions = field(default_factory=lambda: _script_module().ScriptOptions())
    pauses: Pauses = field(default_factory=lambda: _script_module().Pauses())
    bitrate_kbps: int = 64
    audio_format: str = "mp3"  # or "m4b" (audio/m4b.py)
    cover: Path | None = None  # the M4B's cover image
    encode_jobs: int | None = None  # threads encoding one narration (None: as many as help, up to 2)

    def __post_init__(self) -> None:
        object.__setattr__(self, "engine", EngineName.parse(self.engine))
        object.__setattr__(self, "voice", self.voice or None)

    @property
    def settings(self) -> Settings:
        """The audio settings speech.narrator takes (and every cache key holds)."""
        from listen.speech.settings import Settings

        return Settings(
            pauses=self.pauses,
            bitrate_kbps=self.bitrate_kbps,
            lexicon=self.lexicon,
            script=self.script,
            audio_format=self.audio_format,
            cover=self.cover,
            encode_jobs=self.encode_jobs,
        )


def narration_request(
    *,
    engine: str = "auto",
    voice: str | None = None,
    rate: float = 1.0,
    lexicon: Path | str | None = None,
    script: ScriptOptions | None = None,
    pauses: Pauses | None = None,
    bitrate_kbps: int = 64,
    audio_format: str = "mp3",
    cover: Path | None = None,
    encode_jobs: int | None = None,
) -> NarrationRequest:
    """The one place a request is made and the lexicon is loaded: `lexicon` names a file,
    or None for the user's own lexicon.txt when there is one (LexiconError if it is bad).
    `script` and `pauses` default to ScriptOptions() and Pauses()."""
    module = _script_module()
    return NarrationRequest(
        engine=EngineName.parse(engine),
        voice=voice,
        rate=rate,
        lexicon=load_lexicon(lexicon),
        script=script or module.ScriptOptions(),
        pauses=pauses or module.Pauses(),
        bitrate_kbps=bitrate_kbps,
        audio_format=audio_format,
        cover=cover,
        encode_jobs=encode_jobs,
    )


def request_from_settings(settings: Any) -> NarrationRequest:
    """The reader's and line mode's request, from their saved settings (engine, voice, rate)."""
    return narration_request(engine=settings.engine, voice=settings.voice or None, rate=settings.rate)


def script_for(article: Article, request: NarrationRequest) -> Script:
    return _script_module().build_script(
        article, pauses=request.pauses, lexicon=request.lexicon, options=request.script
    )


def engine_for(
    request: NarrationRequest,
    language: str | None,
    *,
    threads: int | None = None,
    backoff: Backoff | None = None,
) -> Engine:
    """A ready engine for an article in `language` (English when unknown)."""
    from listen.speech.engines import get_engine

    return get_engine(
        name=request.engine.value,
        voice=request.voice,
        language=language or "en",
        rate=request.rate,
        threads=threads,
        backoff=backoff,
    )


def narrate_article(
    article: Article,
    dest: Path,
    engine: Engine,
    request: NarrationRequest,
    *,
    cache: UtteranceCache | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> AudioResult:
    """The article as `request` says, into `dest` (atomically), with its sidecars."""
    from listen.speech.narrator import narrate

    return narrate(article, dest, engine, settings=request.settings, cache=cache, progress=progress)


def record_audio(
    article: Article, result: AudioResult, request: NarrationRequest, engine: Engine, folder: Path
) -> bool:
    """Record audio made outside `build` (the reader's Make MP3) in `folder`'s manifest,
    through its one writer, with the hashes `build` compares: `publish` then lists it and
    `build` skips it while the text, voice and settings are unchanged (a build with --lang
    compares another fingerprint, and narrates it again). An article read from standard input
    has no source to compare: False, nothing recorded. ManifestError if the manifest is damaged."""
    from listen.batch.jobs import content_hash, input_hash  # the builder's own comparison

    path = _path_of(article)
    if path is None:
        return False
    fingerprint = request.settings.fingerprint
    entry = entry_record(
        result.path.with_suffix("").name,
        source_name(path),
        article,
        result,
        digest=content_hash(article, engine.cache_key, fingerprint),
        input_hash=input_hash(path, engine.cache_key, f"{fingerprint}|"),  # as build without --lang
        engine=engine.name,
        voice=getattr(engine, "voice", None),
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )
    Manifest.load(folder).record(entry)
    return True


def _script_module() -> Any:
    """speech.script, imported when narration is asked for: the library, which only needs
    audio names, opens without paying for number-to-words and the language tables."""
    import listen.speech.script

    return listen.speech.script


# Naming ------------------------------------------------------------------------------------


def audio_name(article_or_path: Any, folder: Path) -> Path:
    """Where an article's MP3 goes in `folder`, by the one rule (see the module docstring).

    ManifestError if the folder's manifest is damaged: a name chosen without it could
    take another article's files.
    """
    return AudioNames.read(folder).name_for(article_or_path)


def find_audio(path: Path | str, folder: Path) -> Path | None:
    """The article's MP3 in `folder` if one was made: by the rule, or by the reader's old name.

    Never raises: a damaged manifest only means fewer articles are known to have audio."""
    return AudioNames.read(folder, strict=False).find(path)


@dataclass(frozen=True)
class AudioNames:
    """A folder's names, read once from its manifest: slug → source, and source → slug."""

    folder: Path
    taken: Mapping[str, str | None] = field(default_factory=dict)  # slug → source as recorded
    by_path: Mapping[str, str] = field(default_factory=dict)  # resolved source path → slug

    @classmethod
    def read(cls, folder: Path, *, strict: bool = True) -> AudioNames:
        folder = Path(folder)
        try:
            articles = Manifest.load(folder).articles
        except ManifestError:
            if strict:
                raise
            articles = {}
        taken = {slug: entry.get("source") for slug, entry in articles.items()}
        by_path = {_resolved(source): slug for slug, source in taken.items() if source}
        return cls(folder, taken, by_path)

    def slug_for(self, article_or_path: Any) -> str:
        path = _path_of(article_or_path)
        if path is None:
            return slugify(getattr(article_or_path, "title", "") or "article")
        if self.by_path:
            known = self.by_path.get(_resolved(str(path)))
            if known is not None:
                return known
        base = slug_for(path)
        if base not in self.taken:
            return base
        return unique_slug(base, source_name(path), self.taken)

    def name_for(self, article_or_path: Any) -> Path:
        return self.folder / f"{self.slug_for(article_or_path)}.mp3"

    def find(self, path: Path | str) -> Path | None:
        for candidate in self._candidates(Path(path)):
            if candidate.is_file():
                return candidate
        return None

    def with_audio(self, paths: Iterable[Path | str]) -> list[Path | str]:
        """Those of `paths` whose MP3 is in the folder (as `find`), listing the folder once."""
        try:
            present = {entry.name for entry in os.scandir(self.folder) if entry.name.endswith(".mp3")}
        except OSError:
            return []
        return [path for path in paths if any(c.name in present for c in self._candidates(Path(path)))]

    def _candidates(self, path: Path) -> tuple[Path, Path]:
        """By the rule, then by the reader's old name (the raw file stem), never written now."""
        return self.name_for(path), self.folder / f"{path.stem}.mp3"


def unique_slug(base: str, source: str, taken: Mapping[str, str | None]) -> str:
    """`base`, unless another source holds it: then `base` and a suffix from `source`."""
    if base not in taken or taken[base] == source:
        return base
    return f"{base}-{hashlib.sha1(source.encode()).hexdigest()[:6]}"


def _path_of(article_or_path: Any) -> Path | None:
    if isinstance(article_or_path, (str, Path)):
        return Path(article_or_path)
    path = getattr(article_or_path, "path", None)
    return Path(path) if path else None


def _resolved(source: str) -> str:
    """A recorded source as an absolute path: relative ones are relative to the working
    folder, as `source_name` records them."""
    return str(Path(source).resolve())
