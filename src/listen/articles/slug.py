"""File-name-safe, stable names for an article's outputs: 'Café Night!.txt' → 'cafe-night'."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

MAX_SLUG = 80


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:MAX_SLUG].rstrip("-") or "article"


def slug_for(path: Path) -> str:
    """An article's slug comes from its file name, which the user chose and which stays put."""
    return slugify(Path(path).stem)
