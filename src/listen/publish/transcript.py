"""The text behind each narration, so deaf and hard-of-hearing visitors (and search) get it too.

First choice: the timed transcript the narration wrote beside the MP3 (NAME.transcript.vtt),
which is exactly what was said, with headings and paragraphs, and travels with the folder:
the page is the same wherever `listen publish` runs. Folders narrated before listen wrote
timed transcripts fall back to the article's source, as follows.

The manifest records each source relative to the folder, and `read_manifest` gives it as an
absolute path, so the text is found wherever `publish` runs. Manifests of version 1 named it
as `listen build` saw it (relative to the folder it ran in): `listen.manifest.locate_source`
looks for it beside the published folder, then in the current folder, then inside it. When the source cannot be found or read,
the transcript falls back to what the manifest holds and says so on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from listen.articles.model import Article
from listen.audio.sidecars import Cue, read_transcript_vtt
from listen.errors import ListenError
from listen.manifest import Entry, locate_source

Loader = Callable[[Path], Article]


@dataclass(frozen=True)
class Transcript:
    """What was said (timed cues), else the article's cleaned text, else None with the reason
    when only the manifest was available."""

    entry: Entry
    article: Article | None
    missing_reason: str = ""
    cues: tuple[Cue, ...] = ()

    @property
    def complete(self) -> bool:
        return self.article is not None or bool(self.cues)


def load_transcript(entry: Entry, folder: Path, load: Loader | None = None) -> Transcript:
    """The timed transcript beside the MP3, else the article behind `entry` loaded with
    `load` (default: listen.articles.load_article)."""
    if entry.transcript_vtt:
        try:
            cues = read_transcript_vtt((folder / entry.transcript_vtt).read_text(encoding="utf-8"))
        except (OSError, UnicodeError):
            cues = ()
        if cues:
            return Transcript(entry, None, cues=cues)
    load = load or default_loader()
    if load is None:
        return Transcript(entry, None, "this listen cannot read articles yet")
    path = source_path(entry, folder)
    if path is None:
        reason = f"its source {entry.source} was not found" if entry.source else "the manifest names no source"
        return Transcript(entry, None, reason)
    try:
        return Transcript(entry, load(path))
    except (ListenError, OSError, UnicodeError) as exc:
        return Transcript(entry, None, f"its source {entry.source} could not be read ({exc})")


def source_path(entry: Entry, folder: Path) -> Path | None:
    """Where the article's source is on this machine, or None (see the module docstring)."""
    if not entry.source:
        return None
    path = locate_source(entry.source, folder)
    return path if path.is_file() else None


def default_loader() -> Loader | None:
    """The article loader, imported late: the publisher must work while it is being written."""
    try:
        from listen.articles import load_article  # type: ignore[attr-defined]
    except ImportError:
        return None
    return load_article
