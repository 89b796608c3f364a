"""DIR/manifest.json: what has been narrated into a folder, and the only code that writes it.

`build`, the reader's Make MP3 and listen-from-here's audio all record through `Manifest`;
`publish`, the reader and the next build read it through `Manifest.load` or `read_manifest`.
It sits beside listen.narration, below batch, publish and the TUI, and imports none of them.

- Every write is atomic (a temporary name renamed into place), so a killed writer leaves the
  manifest of everything finished before it, and nothing half-written.
- Two writers are safe: each change is applied to the file as it is on disk, under a short
  lock on DIR/.listen-manifest.lock; a writer re-reads only when someone else wrote since its
  last look, so a build of thousands does not re-read the file after every article.
- Sources are recorded relative to the folder (`../articles/x.md`), so `publish` from any
  folder, and a project moved as a whole, still find them. In memory, a source is as this
  process names it (`source_name`: relative to the working folder when inside it), so the
  builder can compare it with the files it was given. Version 1 manifests recorded sources
  relative to wherever the build ran; they are read as before and written as version 2.
"""

from __future__ import annotations

import fcntl
import json
import math
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from listen import atomic
from listen.controls import printable
from listen.errors import ManifestError

VERSION = 2
READABLE = (1, 2)  # 1: sources relative to where the build ran
NAME = "manifest.json"
LOCK_NAME = ".listen-manifest.lock"  # hidden: never served, never scanned as an article
SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")  # slugs become file names and fragment ids
FILES = {"mp3": ".mp3", "chapters_json": ".chapters.json", "vtt": ".vtt"}  # as the narrator names them
AUDIOBOOK = ".m4b"  # `--format m4b` records its audiobook under "mp3" too


@dataclass(frozen=True)
class ChapterMark:
    """One chapter as players see it: a title and where it starts and ends, in ms."""

    title: str
    start_ms: int
    end_ms: int

    @property
    def start_s(self) -> float:
        return self.start_ms / 1000


@dataclass(frozen=True)
class Entry:
    """One narrated article as readers see it: what it is, and its files (relative to the folder)."""

    slug: str
    title: str
    mp3: str  # the audio file: NAME.mp3, or NAME.m4b for an audiobook
    bytes: int
    duration_s: float
    description: str = ""
    standfirst: str = ""
    source: str = ""  # a path valid on this machine: absolute, or as recorded by a version 1 build
    author: str = ""
    date: str = ""
    language: str = "en"
    chapters_json: str = ""
    vtt: str = ""
    chapters: tuple[ChapterMark, ...] = ()
    created: str = ""
    transcript_vtt: str = ""  # NAME.transcript.vtt beside the audio, when the narration wrote one
    transcript_srt: str = ""

    @property
    def is_audiobook(self) -> bool:
        return self.mp3.endswith(AUDIOBOOK)


@dataclass(frozen=True)
class Listing:
    """Every article in a narrated folder, checked for publishing, in the order recorded."""

    folder: Path
    entries: tuple[Entry, ...]


def read_manifest(folder: Path) -> Listing:
    """The folder's articles for `publish`; every file named must exist inside `folder`.

    The byte count of each audio file is taken from the disk, not from the manifest, because
    a podcast app compares the enclosure length with what it downloads.
    """
    folder = Path(folder)
    if not (folder / NAME).exists():
        raise ManifestError(f"No {NAME} in {folder}; run 'listen build' there first.")
    version, raw = _read(folder)
    path = folder / NAME
    entries = []
    for index, item in enumerate(raw, 1):
        entry = _typed(item, f"article {index} in {path}")
        source = item["source"]
        if version >= 2 and not Path(source).is_absolute():
            source = str(Path(os.path.normpath(folder.resolve() / source)))
        entries.append(_with_files_checked(replace(entry, source=printable(source)), folder))
    return Listing(folder=folder, entries=tuple(entries))


@dataclass
class Manifest:
    """The writer's view: raw records by slug, sources as this process names them."""

    folder: Path
    articles: dict[str, dict] = field(default_factory=dict)  # by slug
    _portable: dict[str, str] = field(default_factory=dict, repr=False)  # slug → source as written
    _seen: tuple[int, int, int] | None = field(default=None, repr=False)  # the file as last read or written

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        """The folder's manifest (empty if there is none), checked: any fault is one
        ManifestError line, never a traceback, and never an entry trusted that names another
        article's files."""
        manifest = cls(Path(folder))
        manifest._reload()
        return manifest

    def __post_init__(self) -> None:
        self._by_source = {entry.get("source"): slug for slug, entry in self.articles.items()}

    def slug_of(self, source: str) -> str | None:
        return self._by_source.get(source)

    def entry_for(self, source: str) -> dict | None:
        slug = self.slug_of(source)
        return self.articles.get(slug) if slug else None

    def has_files(self, slug: str) -> bool:
        entry, folder = self.articles[slug], os.fspath(self.folder)
        return all(os.path.exists(os.path.join(folder, entry[key])) for key in ("mp3", "chapters_json", "vtt"))

    def is_current(self, slug: str, digest: str) -> bool:
        """Done before with the same text and settings, and its files are still there."""
        entry = self.articles.get(slug)
        return entry is not None and entry.get("hash") == digest and self.has_files(slug)

    def record(self, entry: dict) -> None:
        """Add or replace one article (its `source` as `source_name` gives it) and save.
        An older record of the same source under another slug is dropped."""
        problem = _problem(entry, check_names=True)
        if problem:
            raise ManifestError(f"the new entry for {entry.get('source')!r} {problem}; this is a bug in listen.")
        with self._writing():
            for slug in [
                s for s, e in self.articles.items() if e.get("source") == entry["source"] and s != entry["slug"]
            ]:
                del self.articles[slug]
            self.articles[entry["slug"]] = dict(entry)
            self._portable[entry["slug"]] = portable_source(entry["source"], self.folder)
            self.__post_init__()

    def update(self, slug: str, **fields: object) -> None:
        with self._writing():
            if slug in self.articles:
                self.articles[slug].update(fields)

    def update_many(self, changes: dict[str, dict[str, object]], *, unless_changed: str = "") -> None:
        """Several articles' fields in one write: a re-run may remember a thousand at once, and
        the whole manifest is rewritten each time. With `unless_changed` (a field name), an
        article another writer changed that field of since this view was read is left alone."""
        if not changes:
            return
        before = {slug: self.articles.get(slug, {}).get(unless_changed) for slug in changes}
        with self._writing():
            for slug, fields in changes.items():
                entry = self.articles.get(slug)
                if entry is not None and (not unless_changed or entry.get(unless_changed) == before[slug]):
                    entry.update(fields)

    def save(self) -> None:
        """Write the manifest as it is on disk plus nothing: rewrites it in the current version."""
        with self._writing():
            pass

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Under the folder's manifest lock: catch up with the file if another writer changed
        it, let the caller change this view, then write it atomically."""
        with _locked(self.folder):
            if _signature(self.folder) != self._seen:
                self._reload()
            yield
            # Compact JSON: this runs after every article, and a library has thousands.
            entries = [{**self.articles[slug], "source": self._portable[slug]} for slug in sorted(self.articles)]
            data = json.dumps({"version": VERSION, "articles": entries}, separators=(",", ":"), ensure_ascii=False)
            atomic.write_text(self.folder / NAME, data)
            self._seen = _signature(self.folder)

    def _reload(self) -> None:
        self._seen = _signature(self.folder)
        version, raw = _read(self.folder) if self._seen else (VERSION, [])
        self.articles, self._portable = {}, {}
        names, folder = SourceNames(), os.fspath(self.folder)
        for entry in raw:
            slug, recorded = entry["slug"], entry["source"]
            if version >= 2:
                self._portable[slug] = recorded
                entry = {**entry, "source": names(os.path.join(folder, recorded))}
            else:
                self._portable[slug] = portable_source(str(locate_source(recorded, self.folder)), self.folder)
            self.articles[slug] = entry
        self.__post_init__()


def entry_record(
    slug: str,
    source: str,
    article: Any,
    result: Any,
    *,
    digest: str,
    input_hash: str,
    engine: str,
    voice: str | None,
    created: str,
    input_file: dict | None = None,
) -> dict:
    """The record of one narrated article: `result` is the narrator's AudioResult, `digest`
    and `input_hash` what the builder compares next time (batch.jobs), with `input_file` (the
    digest of the file's bytes and its status, which spare reading it), `source` as
    `source_name` gives it. Text is data: it feeds pages and terminals, so it is made printable."""
    first = article.paragraphs[0] if article.paragraphs else ""
    return {
        "slug": slug,
        "source": source,
        "title": printable(article.title),
        "standfirst": printable(article.standfirst),
        "description": printable(article.standfirst or first),
        "author": printable(article.author),
        "date": printable(article.date),
        "language": article.language,
        "mp3": result.path.name,
        "chapters_json": next(p.name for p in result.sidecars if p.name.endswith(".chapters.json")),
        "vtt": next(p.name for p in result.sidecars if p.name.endswith(".vtt") and ".transcript." not in p.name),
        "bytes": result.path.stat().st_size if result.path.exists() else result.bytes,
        "duration_s": round(result.duration_s, 3),
        "chapters": [
            {"title": printable(c.title), "start_ms": c.start_ms, "end_ms": c.end_ms} for c in result.chapters
        ],
        "hash": digest,
        "input_hash": input_hash,
        **({"input_file": input_file} if input_file else {}),
        "engine": engine,
        "voice": voice,
        "created": created,
    }


def source_name(path: Path | str) -> str:
    """A source as this process names it: relative to the working folder when inside it,
    symbolic links resolved. (`SourceNames` names many at once, for the same answer.)"""
    return SourceNames()(path)


class SourceNames:
    """`source_name` for many paths at a time: a build names every file it is given and every
    source its manifest records, thousands on a re-run. `Path.resolve` looked up every folder
    of every path again (a stat per folder, then one more on the result), and the working
    folder once per call; that was a quarter of an unchanged re-run's time at 1,000 articles.

    Here each folder is resolved once and a file costs one lstat: resolving `folder/name` is
    resolving `folder`, then following `name` if it is a link, which is what `realpath` does
    step by step anyway. One instance is for one moment: it does not see a folder's link
    changed after it resolved it."""

    def __init__(self) -> None:
        cwd = os.path.realpath(os.getcwd())
        self._inside = cwd.rstrip("/") + "/"  # a path under the working folder starts with this
        self._cwd = cwd
        self._folders: dict[str, str] = {}

    def __call__(self, path: Path | str) -> str:
        real = self.resolve(os.fspath(path))
        if real == self._cwd:
            return "."
        return real[len(self._inside) :] if real.startswith(self._inside) else real

    def resolve(self, path: str) -> str:
        """os.path.realpath(path), each folder looked up once per instance."""
        head, tail = os.path.split(path)
        if tail in ("", ".", ".."):
            return os.path.realpath(path)
        folder = self._folders.get(head)
        if folder is None:
            folder = self._folders[head] = os.path.realpath(head or ".")
        joined = os.path.join(folder, tail)
        return os.path.realpath(joined) if os.path.islink(joined) else joined


def portable_source(source: str, folder: Path) -> str:
    """A source as the manifest records it: relative to the folder, in POSIX form."""
    return PurePosixPath(Path(os.path.relpath(Path(source).resolve(), Path(folder).resolve())).as_posix()).as_posix()


def locate_source(source: str, folder: Path) -> Path:
    """Where a version 1 source is: it was relative to wherever that build ran, usually the
    folder holding the output folder (`audio/` beside `articles/`), else the working folder,
    else the output folder itself; the first that exists, else the working folder's."""
    path = Path(source)
    if path.is_absolute():
        return path
    candidates = [Path(folder).parent / path, Path.cwd() / path, Path(folder) / path]
    return next((p for p in candidates if p.is_file()), Path.cwd() / path)


# Reading -----------------------------------------------------------------------------------


def _read(folder: Path) -> tuple[int, list[dict]]:
    """The version and the checked raw records of folder/manifest.json."""
    path = folder / NAME
    fix = f"move {path} away and run 'listen build' again to rebuild it"
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        return VERSION, []
    except json.JSONDecodeError as exc:
        raise ManifestError(f"{path} is not valid JSON (line {exc.lineno}); {fix}.") from exc
    except (OSError, ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise ManifestError(f"{path} is damaged ({exc.__class__.__name__}); {fix}.") from exc
    entries = data.get("articles") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ManifestError(f"{path} has no list of articles; {fix}.")
    version = data.get("version")
    if version not in READABLE:
        raise ManifestError(
            f"{path} is version {version!r}; this listen reads versions 1 and 2 (a newer listen wrote it?)."
        )
    seen: set[str] = set()
    for number, entry in enumerate(entries, 1):
        slug = entry.get("slug") if isinstance(entry, dict) else None
        if isinstance(slug, str) and slug in seen:
            raise ManifestError(f"{path} lists the slug {slug!r} twice; {fix}.")
        problem = _problem(entry, check_names=True)
        if problem:
            raise ManifestError(f"article {number} in {path} {problem}; {fix}.")
        seen.add(entry["slug"])
    return version, entries


def _problem(entry: object, *, check_names: bool) -> str:
    """What is wrong with one raw record, or '' if nothing is."""
    if not isinstance(entry, dict):
        return "is not an object"
    slug = entry.get("slug")
    if not isinstance(slug, str) or not slug.strip():
        return "has no slug"
    if not SLUG.fullmatch(slug):
        return f"has an unusable slug {slug!r} (letters, digits, '-', '_' or '.')"
    if not isinstance(entry.get("source"), str) or not entry["source"]:
        return "has no source"
    for key, suffix in FILES.items():
        name = entry.get(key)
        if name == slug + suffix or (key == "mp3" and name == slug + AUDIOBOOK):
            continue  # a slug (checked above) and a suffix: a plain name inside the folder
        if isinstance(name, str) and not _is_inside(name):
            return f"names {name!r}, which is outside the folder"
        if check_names:  # swapped or moved names would publish another article's audio
            return f"names {name!r} as its {key}, not {slug + suffix!r} (swapped entries?)"
    for key in ("hash", "input_hash"):
        if not isinstance(entry.get(key, ""), str):
            return f"has a bad {key}"
    return ""


def _typed(item: dict, where: str) -> Entry:
    if not isinstance(item.get("title"), str) or not item["title"].strip():
        raise ManifestError(f"{where} has no title; run 'listen build' again.")
    try:
        duration = float(item.get("duration_s") or 0)
        chapters = tuple(
            ChapterMark(printable(str(c["title"])), int(c["start_ms"]), int(c.get("end_ms", c["start_ms"])))
            for c in item.get("chapters") or ()
        )
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise ManifestError(f"{where} has a bad duration or chapter list; run 'listen build' again.") from exc
    if not math.isfinite(duration) or duration < 0:
        raise ManifestError(f"{where} has a bad duration or chapter list; run 'listen build' again.")
    # Text is data, never control: an ESC or U+FFFE in a title once crashed the feed halfway,
    # after the page was written. Cleaned here, the feed and every page say the same.
    text = {k: printable(str(item.get(k) or "")) for k in ("description", "standfirst", "author", "date", "created")}
    return Entry(
        slug=item["slug"],
        title=printable(item["title"]).strip() or item["slug"],
        mp3=item["mp3"],
        bytes=0,
        duration_s=duration,
        language=str(item.get("language") or "en"),
        chapters_json=str(item.get("chapters_json") or ""),
        vtt=str(item.get("vtt") or ""),
        chapters=chapters,
        **text,
    )


def _with_files_checked(entry: Entry, folder: Path) -> Entry:
    """Fill in the real audio size; drop sidecars that are missing rather than link to nothing."""
    audio = folder / entry.mp3
    try:
        size = audio.stat().st_size if audio.is_file() else -1
    except OSError:
        size = -1
    if size <= 0:
        raise ManifestError(f"{audio} is missing or empty; run 'listen build' again to narrate '{entry.slug}'.")
    sidecars = {k: v for k, v in (("chapters_json", entry.chapters_json), ("vtt", entry.vtt)) if v}
    # Timed transcripts are found beside the audio by name, so older manifests get them too.
    stem = PurePosixPath(entry.mp3).with_suffix("")
    sidecars |= {"transcript_vtt": f"{stem}.transcript.vtt", "transcript_srt": f"{stem}.transcript.srt"}
    present = {k: (v if (folder / v).is_file() else "") for k, v in sidecars.items()}
    return replace(
        entry,
        bytes=size,
        chapters_json=present.get("chapters_json", ""),
        vtt=present.get("vtt", ""),
        transcript_vtt=present["transcript_vtt"],
        transcript_srt=present["transcript_srt"],
    )


def _is_inside(name: str) -> bool:
    """A file name must stay inside the folder: relative, no '..', no backslashes."""
    pure = PurePosixPath(name)
    return bool(name) and not pure.is_absolute() and ".." not in pure.parts and "\\" not in name and "\0" not in name


# Writing -----------------------------------------------------------------------------------


def _signature(folder: Path) -> tuple[int, int, int] | None:
    """Which file is there now: every write renames a new file into place (a new inode)."""
    try:
        st = os.stat(folder / NAME)
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold the folder's manifest lock for one read-change-write (released however it ends)."""
    path = folder / LOCK_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise atomic.output_error(exc, path) from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
