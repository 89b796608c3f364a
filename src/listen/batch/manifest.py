"""DIR/manifest.json: what has been narrated, read by `publish`, the reader and the next run.

It is rewritten atomically after every finished article, so a killed run leaves the
manifest of everything finished before it, and nothing half-written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from listen import atomic
from listen.errors import ManifestError

VERSION = 1
NAME = "manifest.json"




@dataclass
class Manifest:
    folder: Path
    articles: dict[str, dict] = field(default_factory=dict)  # by slug

    @classmethod
    def load(cls, folder: Path) -> "Manifest":
        path = Path(folder) / NAME
        if not path.exists():
            return cls(Path(folder))
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entries = data["articles"]
            return cls(Path(folder), {entry["slug"]: entry for entry in entries})
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ManifestError(
                f"{path} is damaged ({exc.__class__.__name__}); move it away and run again to rebuild it."
            ) from exc

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
        return bool(entry) and entry.get("hash") == digest and self.has_files(slug)

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
