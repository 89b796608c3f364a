"""Read the batch builder's `manifest.json`: the publisher's only input about the audio.

The publisher never imports the batch code; it reads the file the builder leaves behind and
checks everything it is about to put on a page or in a feed, so a bad manifest stops the run
with one line instead of publishing a feed that points at nothing.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from listen.controls import printable
from listen.errors import ManifestError

from listen.batch.manifest import NAME as MANIFEST_NAME  # noqa: E402  (the writer owns the name and version)
from listen.batch.manifest import VERSION as SUPPORTED_VERSION  # noqa: E402
# Slugs become file names (transcripts/SLUG.html) and fragment ids, so keep them plain.
SLUG_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")




@dataclass(frozen=True)
class ChapterMark:
    """One chapter as the builder timed it; the page lists these as links into the audio."""

    title: str
    start_ms: int
    end_ms: int

    @property
    def start_s(self) -> float:
        return self.start_ms / 1000


@dataclass(frozen=True)
class Entry:
    """One narrated article: what it is, and the files that carry it (relative to the folder)."""

    slug: str
    title: str
    mp3: str
    bytes: int
    duration_s: float
    description: str = ""
    standfirst: str = ""
    source: str = ""
    author: str = ""
    date: str = ""
    language: str = "en"
    chapters_json: str = ""
    vtt: str = ""
    chapters: tuple[ChapterMark, ...] = ()
    created: str = ""
    transcript_vtt: str = ""  # NAME.transcript.vtt beside NAME.mp3, when the narration wrote one
    transcript_srt: str = ""


@dataclass(frozen=True)
class Manifest:
    """Every article in a published folder, in the order the builder wrote them."""

    folder: Path
    entries: tuple[Entry, ...]


def read_manifest(folder: Path) -> Manifest:
    """Load and check `folder/manifest.json`; every file it names must exist inside `folder`.

    The byte count of each MP3 is taken from the disk, not from the manifest, because a
    podcast app compares the enclosure length with what it downloads.
    """
    folder = Path(folder)
    path = folder / MANIFEST_NAME
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ManifestError(f"No {MANIFEST_NAME} in {folder}; run 'listen build' there first.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(f"Cannot read {path}: {exc}; run 'listen build' again.") from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ManifestError(
            f"{path} is not valid JSON (line {exc.lineno}); run 'listen build' again to rewrite it."
        ) from exc
    except RecursionError as exc:
        raise ManifestError(f"{path} is nested too deeply to be a manifest; run 'listen build' again.") from exc
    if not isinstance(data, dict) or not isinstance(data.get("articles"), list):
        raise ManifestError(f"{path} has no list of articles; run 'listen build' again to rewrite it.")
    if data.get("version") != SUPPORTED_VERSION:
        raise ManifestError(
            f"{path} is version {data.get('version')!r}; this listen reads version {SUPPORTED_VERSION}."
        )
    entries = tuple(_entry(item, index, path) for index, item in enumerate(data["articles"], 1))
    _check_unique(entries, path)
    _check_own_files(entries, path)
    return Manifest(folder=folder, entries=tuple(_with_files_checked(e, folder) for e in entries))


def _entry(item: Any, index: int, path: Path) -> Entry:
    where = f"article {index} in {path}"
    if not isinstance(item, dict):
        raise ManifestError(f"{where} is not an object; run 'listen build' again.")
    for key in ("slug", "title", "mp3"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise ManifestError(f"{where} has no {key}; run 'listen build' again.")
    slug = item["slug"]
    if not SLUG_PATTERN.fullmatch(slug):
        raise ManifestError(f"{where} has an unusable slug {slug!r}; use letters, digits, '-', '_' or '.'.")
    for key in ("mp3", "chapters_json", "vtt"):
        if item.get(key) and not isinstance(item[key], str):
            raise ManifestError(f"{where} has a {key} that is not a file name; run 'listen build' again.")
        if item.get(key) and not _is_inside(item[key]):
            raise ManifestError(f"{where} names {item[key]!r}, which is outside the folder.")

    try:
        duration = float(item.get("duration_s") or 0)
        chapters = tuple(
            ChapterMark(printable(str(c["title"])), int(c["start_ms"]), int(c.get("end_ms", c["start_ms"])))
            for c in item.get("chapters") or ()
        )
    except (TypeError, ValueError, KeyError) as exc:
        raise ManifestError(f"{where} has a bad duration or chapter list; run 'listen build' again.") from exc
    if not math.isfinite(duration) or duration < 0:
        raise ManifestError(f"{where} has a bad duration or chapter list; run 'listen build' again.")
    # Text is data, never control: an ESC or U+FFFE in a title once crashed the feed halfway,
    # after the page was written. Cleaned here, the feed and every page say the same.
    text = {k: printable(str(item.get(k) or "")) for k in ("description", "standfirst", "source", "author", "date", "created")}
    return Entry(
        slug=slug,
        title=printable(item["title"]).strip() or slug,
        mp3=item["mp3"],
        bytes=0,
        duration_s=duration,
        language=str(item.get("language") or "en"),
        chapters_json=str(item.get("chapters_json") or ""),
        vtt=str(item.get("vtt") or ""),
        chapters=chapters,
        **text,
    )


def _is_inside(name: str) -> bool:
    """A manifest file name must stay inside the folder: relative, no '..', no backslashes."""
    pure = PurePosixPath(name)
    return not pure.is_absolute() and ".." not in pure.parts and "\\" not in name and "\0" not in name


def _check_unique(entries: tuple[Entry, ...], path: Path) -> None:
    seen: set[str] = set()
    for entry in entries:
        if entry.slug in seen:
            raise ManifestError(f"{path} lists the slug {entry.slug!r} twice; run 'listen build' again.")
        seen.add(entry.slug)


def _check_own_files(entries: tuple[Entry, ...], path: Path) -> None:
    """The builder names every file after its slug: another name means swapped or moved
    entries, and the feed would give one article another's audio."""
    for index, entry in enumerate(entries, 1):
        for name in (entry.mp3, entry.chapters_json, entry.vtt):
            if name and not PurePosixPath(name).name.startswith(f"{entry.slug}."):
                raise ManifestError(
                    f"article {index} in {path} names {name!r}, not a file of its own slug {entry.slug!r} "
                    "(swapped entries?); run 'listen build' again."
                )


def _with_files_checked(entry: Entry, folder: Path) -> Entry:
    """Fill in the real MP3 size; drop sidecars that are missing rather than link to nothing."""
    mp3 = folder / entry.mp3
    try:
        size = mp3.stat().st_size if mp3.is_file() else -1
    except OSError:
        size = -1
    if size <= 0:
        raise ManifestError(f"{mp3} is missing or empty; run 'listen build' again to narrate '{entry.slug}'.")
    sidecars = {k: v for k, v in (("chapters_json", entry.chapters_json), ("vtt", entry.vtt)) if v}
    # Timed transcripts are found beside the MP3 by name, so older manifests get them too.
    stem = PurePosixPath(entry.mp3).with_suffix("")
    sidecars |= {"transcript_vtt": f"{stem}.transcript.vtt", "transcript_srt": f"{stem}.transcript.srt"}
    present: dict[str, Any] = {k: (v if (folder / v).is_file() else "") for k, v in sidecars.items()}
    return replace(entry, bytes=size, **present)
