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

    def slug_of(self, source: str) -> str | None:
        for slug, entry in self.articles.items():
            if entry.get("source") == source:
                return slug
        return None

    def is_current(self, slug: str, digest: str) -> bool:
        """Done before with the same text and settings, and its files are still there."""
        entry = self.articles.get(slug)
        if not entry or entry.get("hash") != digest:
            return False
        return all((self.folder / entry[key]).exists() for key in ("mp3", "chapters_json", "vtt"))

    def record(self, entry: dict) -> None:
        self.articles[entry["slug"]] = entry
        self.save()

    def save(self) -> None:
        entries = sorted(self.articles.values(), key=lambda e: e["slug"])
        atomic.write_text(self.folder / NAME, json.dumps({"version": VERSION, "articles": entries}, indent=1, ensure_ascii=False))
