"""DIR/manifest.json: what has been narrated, read by `publish`, the reader and the next run.

It is rewritten atomically after every finished article, so a killed run leaves the
manifest of everything finished before it, and nothing half-written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from listen import atomic
from listen.errors import ManifestError

VERSION = 1
NAME = "manifest.json"
SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")
FILES = {"mp3": ".mp3", "chapters_json": ".chapters.json", "vtt": ".vtt"}  # as the builder names them
AUDIOBOOK = ".m4b"  # `build --format m4b` records its audiobook under "mp3" too


def _problem(entry: object) -> str:
    """What is wrong with one manifest entry, or '' if nothing is."""
    if not isinstance(entry, dict):
        return "is not an object"
    slug = entry.get("slug")
    if not isinstance(slug, str) or not SLUG.fullmatch(slug):
        return "has no usable slug"
    if not isinstance(entry.get("source"), str) or not entry["source"]:
        return "has no source"
    for key, suffix in FILES.items():
        if entry.get(key) != slug + suffix and not (key == "mp3" and entry.get(key) == slug + AUDIOBOOK):
            # swapped or moved names would publish the wrong audio
            return f"names {entry.get(key)!r} as its {key}, not {slug + suffix!r}"
    for key in ("hash", "input_hash"):
        if not isinstance(entry.get(key, ""), str):
            return f"has a bad {key}"
    return ""


@dataclass
class Manifest:
    folder: Path
    articles: dict[str, dict] = field(default_factory=dict)  # by slug

    @classmethod
    def load(cls, folder: Path) -> "Manifest":
        """The folder's manifest, checked: any fault is one ManifestError line, never a
        traceback, and never an entry trusted that names another article's files."""
        path = Path(folder) / NAME
        if not path.exists():
            return cls(Path(folder))
        fix = "move it away and run again to rebuild it"
        try:
            data = json.loads(path.read_bytes().decode("utf-8"))
        except (OSError, ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
            raise ManifestError(f"{path} is damaged ({exc.__class__.__name__}); {fix}.") from exc
        entries = data.get("articles") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            raise ManifestError(f"{path} has no list of articles; {fix}.")
        articles: dict[str, dict] = {}
        for number, entry in enumerate(entries, 1):
            problem = _problem(entry)
            if problem:
                raise ManifestError(f"article {number} in {path} {problem}; {fix}.")
            if entry["slug"] in articles:
                raise ManifestError(f"{path} lists the slug {entry['slug']!r} twice; {fix}.")
            articles[entry["slug"]] = entry
        return cls(Path(folder), articles)

    def __post_init__(self) -> None:
        self._by_source = {entry.get("source"): slug for slug, entry in self.articles.items()}

    def slug_of(self, source: str) -> str | None:
        return self._by_source.get(source)

    def entry_for(self, source: str) -> dict | None:
        slug = self.slug_of(source)
        return self.articles.get(slug) if slug else None

    def has_files(self, slug: str) -> bool:
        entry = self.articles[slug]
        return all((self.folder / entry[key]).exists() for key in ("mp3", "chapters_json", "vtt"))

    def is_current(self, slug: str, digest: str) -> bool:
        """Done before with the same text and settings, and its files are still there."""
        entry = self.articles.get(slug)
        return entry is not None and entry.get("hash") == digest and self.has_files(slug)

    def record(self, entry: dict) -> None:
        self.articles[entry["slug"]] = entry
        self._by_source[entry["source"]] = entry["slug"]
        self.save()

    def update(self, slug: str, **fields: object) -> None:
        self.articles[slug].update(fields)
        self.save()

    def save(self) -> None:
        # Compact JSON: this runs after every article, and a library has thousands.
        entries = sorted(self.articles.values(), key=lambda e: e["slug"])
        data = json.dumps({"version": VERSION, "articles": entries}, separators=(",", ":"), ensure_ascii=False)
        atomic.write_text(self.folder / NAME, data)
