"""Which files `listen serve` hands out, and as what: only what `listen publish` writes.

A request path is reduced to plain name segments and resolved inside the folder; feed, index,
transcripts, audio, sidecars and artwork are served, not manifest.json (it holds local paths)
nor anything hidden, outside or not written by publish.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlsplit

from listen.publish.page import TRANSCRIPT_FOLDER

CONTENT_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4b": "audio/mp4",  # build --format m4b
    ".vtt": "text/vtt; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/rss+xml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
# Served: what `listen publish` writes. Root files by name or suffix; transcripts by suffix.
ROOT_NAMES = {"index.html", "feed.xml"}
ROOT_SUFFIXES = (".mp3", ".m4b", ".vtt", ".srt", ".chapters.json", ".css")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")  # the cover, wherever --image named it inside the folder


def resolve_request_path(root: Path, raw: str) -> Path | None:
    """The file a request path names inside `root`, or None if it is not a plain file there.

    Refused: NUL bytes, backslashes, '.' and '..' segments and hidden names (so also
    `.listen-tmp-` files), anything that resolves outside `root` (symlinks included), and
    folders other than the root, whose index.html is served instead of a listing.
    """
    path = urlsplit(raw).path if "://" in raw[:12] else raw.split("?", 1)[0].split("#", 1)[0]
    try:
        decoded = unquote_to_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\0" in decoded or "\\" in decoded or not decoded.startswith("/"):
        return None
    parts = [p for p in decoded.split("/") if p]
    if any(p.startswith(".") for p in parts):
        return None
    target = root.joinpath(*parts)
    try:
        real = target.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if real != root and root not in real.parents:
        return None
    if real.is_dir():
        real = real / "index.html"
        if not real.is_file():
            return None
    if not real.is_file() or not is_published(real.relative_to(root)):
        return None
    return real


def is_published(relative: Path) -> bool:
    """Whether a file (relative to the folder) is one `listen publish` writes or links to."""
    parts = relative.parts
    name = parts[-1].lower()
    if name.endswith(IMAGE_SUFFIXES):
        return True
    if len(parts) == 1:
        return name in ROOT_NAMES or name.endswith(ROOT_SUFFIXES)
    return len(parts) == 2 and parts[0] == TRANSCRIPT_FOLDER and name.endswith(".html")


def content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"
