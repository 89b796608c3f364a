"""From the paths a volunteer gave to a list of jobs: what to narrate, under which name.

Every article is loaded (cleaned and sectioned) here, once, so its content hash can be
compared with the manifest before any synthesis: unchanged articles are skipped by content,
not by modification time. Slugs are stable: an article keeps the slug the manifest gave it;
a new article whose name is taken gets a suffix from its path, never another's files.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, replace
from pathlib import Path

from listen.articles import FORMATS, Article, load_article
from listen.articles.model import content_dict
from listen.articles.slug import slug_for
from listen.batch.manifest import Manifest
from listen.errors import ListenError
from listen.narration import source_name, unique_slug  # the one naming rule, shared with speak and the reader

# Bump when the audio pipeline changes in a way that should redo every article.
AUDIO_VERSION = 1


@dataclass(frozen=True)
class Job:
    source: str  # as recorded in the manifest
    path: Path
    slug: str
    article: Article
    digest: str = ""  # content_hash: cleaned text + voice + settings
    input_hash: str = ""  # the file's bytes + voice + settings: skips even loading next time


@dataclass(frozen=True)
class Rejected:
    source: str
    reason: str


def collect(paths: list[Path]) -> tuple[list[Path], list[Rejected]]:
    """Article files under the given files and folders (recursively), and what was not one."""
    files: list[Path] = []
    rejected: list[Rejected] = []
    for root in paths:
        if not root.exists():
            rejected.append(Rejected(str(root), "no such file or folder"))
        elif root.is_file():
            files.append(root)
        else:
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    path = Path(dirpath, name)
                    if name.startswith("."):
                        continue
                    if path.suffix.lower() in FORMATS:
                        files.append(path)
                    else:
                        rejected.append(Rejected(str(path), f"not an article ({path.suffix or 'no extension'})"))
    unique = list(dict.fromkeys(files))
    return unique, rejected


def plan_jobs(files: list[Path], manifest: Manifest, *, language: str | None = None) -> tuple[list[Job], list[Rejected]]:
    """Load every file and give it a slug; files that fail to load are rejected with their reason.

    `language` overrides what the articles say or what was detected (the --lang option).
    """
    jobs: list[Job] = []
    failed: list[Rejected] = []
    taken = {slug: entry.get("source") for slug, entry in manifest.articles.items()}
    for path in files:
        source = source_name(path)
        try:
            article = load_article(path)
        except ListenError as error:
            failed.append(Rejected(source, str(error)))
            continue
        if language:
            article = replace(article, language=language)
        slug = manifest.slug_of(source) or unique_slug(slug_for(path), source, taken)
        taken[slug] = source
        jobs.append(Job(source, path, slug, article))
    return jobs, failed


def input_hash(path: Path, engine_key: str, settings_fingerprint: str) -> str:
    """The file's exact bytes with the voice and settings; '' if it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError:
        return ""
    raw = hashlib.sha256(data).hexdigest()
    return hashlib.sha256(json.dumps([AUDIO_VERSION, raw, engine_key, settings_fingerprint]).encode()).hexdigest()


def content_hash(article: Article, engine_key: str, settings_fingerprint: str) -> str:
    """Changes when the cleaned text, the voice or any setting that shapes the audio changes."""
    blob = json.dumps([AUDIO_VERSION, content_dict(article), engine_key, settings_fingerprint], ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()
