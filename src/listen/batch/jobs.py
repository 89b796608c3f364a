"""From the paths a volunteer gave to a list of jobs: what to narrate, under which name.

Every article is loaded (cleaned and sectioned) here, once, so its content hash can be
compared with the manifest before any synthesis: unchanged articles are skipped by content,
not by modification time. Slugs are stable: an article keeps the slug the manifest gave it;
a new article whose name is taken gets a suffix from its path, never another's files.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path

from listen.articles.formats import FORMATS
from listen.articles.model import Article, content_dict
from listen.articles.slug import slug_for
from listen.manifest import NAME as MANIFEST_NAME
from listen.manifest import Manifest
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
    input_file: InputFile | None = None  # those bytes' digest and the file's status, read before loading


@dataclass(frozen=True)
class Rejected:
    source: str
    reason: str


def collect(paths: list[Path], *, exclude: Path | None = None) -> tuple[list[Path], list[Rejected]]:
    """Article files under the given files and folders (recursively), and what was not one.

    Never input: the output folder `exclude`, and any folder listen built or published into
    (it holds a listen manifest.json): an output folder inside the input folder had its own
    transcript pages and index.html narrated, and the feed grew by them every run.
    """
    files: list[Path] = []
    rejected: list[Rejected] = []
    skip = exclude.resolve() if exclude is not None else None
    for root in paths:
        if not root.exists():
            rejected.append(Rejected(str(root), "no such file or folder"))
        elif root.is_file():
            if _is_output(root.resolve().parent, skip, ancestors=True):
                rejected.append(Rejected(str(root), "is in an output folder listen wrote; not an article"))
            else:
                files.append(root)
        elif _is_output(root.resolve(), skip, ancestors=True):
            rejected.append(Rejected(str(root), "is an output folder listen wrote; not articles"))
        else:
            for dirpath, dirnames, filenames in os.walk(root):
                if _is_output(Path(dirpath).resolve(), skip):
                    dirnames[:] = []
                    continue
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


def _is_output(folder: Path, exclude: Path | None, *, ancestors: bool = False) -> bool:
    """Whether `folder` is (or, with `ancestors`, is inside) the output folder or a folder
    listen wrote. A walk asks about each folder as it enters it, so it needs no ancestors."""
    for candidate in (folder, *folder.parents) if ancestors else (folder,):
        if candidate == exclude or _holds_listen_manifest(candidate):
            return True
    return False


def _holds_listen_manifest(folder: Path) -> bool:
    try:
        head = (folder / MANIFEST_NAME).read_bytes()[:200]
    except OSError:
        return False
    return head.lstrip().startswith(b"{") and b'"articles"' in head and b'"version"' in head


def plan_jobs(
    files: list[Path], manifest: Manifest, *, language: str | None = None
) -> tuple[list[Job], list[Rejected]]:
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


def load_article(path: Path) -> Article:
    """Load one article; the loaders (every parser) are imported only when one is needed, so a
    re-run with nothing changed never imports them."""
    from listen.articles.load import load_article as load

    return load(path)


def input_hash(path: Path, engine_key: str, settings_fingerprint: str) -> str:
    """The file's exact bytes with the voice and settings; '' if it cannot be read."""
    return input_hash_of(read_input(path).sha256, engine_key, settings_fingerprint)


def input_hash_of(sha256: str, engine_key: str, settings_fingerprint: str) -> str:
    """`input_hash` from the digest of the file's bytes (`InputFile.sha256`); '' for an unreadable file."""
    if not sha256:
        return ""
    before, after = _around_digest(engine_key, settings_fingerprint)
    return hashlib.sha256(f"{before}{sha256}{after}".encode()).hexdigest()


@functools.lru_cache(maxsize=64)
def _around_digest(engine_key: str, settings_fingerprint: str) -> tuple[str, str]:
    """What json.dumps([AUDIO_VERSION, sha256, engine_key, settings_fingerprint]) writes before and
    after the digest (hex digits, never escaped): the same text, without encoding the key and
    settings again for each of a thousand files."""
    return json.dumps([AUDIO_VERSION])[:-1] + ', "', '", ' + json.dumps([engine_key, settings_fingerprint])[1:]


# A file's status is trusted to stand for its bytes only once its last change (ctime) is this
# much older than the moment it was read: a change within the same tick of the file system's
# clock (2 s on FAT; a few ms elsewhere) could leave size, mtime and ctime as they were.
SETTLED_NS = 3_000_000_000


@dataclass(frozen=True)
class InputFile:
    """What a build knows of an article file's bytes: their sha256 ('' if it could not be
    read) and, when they can stand for them next time, the file's status as `status` gives it."""

    sha256: str
    status: tuple[int, ...] | None = None

    def record(self) -> dict[str, object]:
        """As the manifest keeps it beside `input_hash` (manifest.entry_record)."""
        return {"sha256": self.sha256, "stat": list(self.status) if self.status else None}


def status(st: os.stat_result) -> tuple[int, ...]:
    """Size, mtime, ctime, inode and device: what an edit, a copy or a replacement changes.
    ctime matters: `touch -r`, `cp -p`, `rsync -t` and tar put the old mtime back on new bytes,
    but nothing but the system clock sets ctime, so any such write still changes it."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def read_input(path: Path) -> InputFile:
    """The file's bytes hashed, with its status taken before they were read (a change while
    reading leaves a status that no longer matches), kept only if the file had settled."""
    try:
        with open(path, "rb") as file:
            before = os.fstat(file.fileno())
            digest = hashlib.sha256(file.read()).hexdigest()
    except OSError:
        return InputFile("")
    settled = time.time_ns() - max(before.st_ctime_ns, before.st_mtime_ns) > SETTLED_NS
    return InputFile(digest, status(before) if settled else None)


def recorded_input(entry: dict, path: Path) -> str:
    """The sha256 the manifest recorded for this file's bytes, if its status is still the one
    recorded with it (no read); else ''."""
    known = entry.get("input_file")
    if (
        not isinstance(known, dict)
        or not isinstance(known.get("sha256"), str)
        or not isinstance(known.get("stat"), list)
    ):
        return ""
    try:
        now = status(os.stat(path))
    except OSError:
        return ""
    return known["sha256"] if list(now) == known["stat"] else ""


def content_hash(article: Article, engine_key: str, settings_fingerprint: str) -> str:
    """Changes when the cleaned text, the voice or any setting that shapes the audio changes."""
    blob = json.dumps([AUDIO_VERSION, content_dict(article), engine_key, settings_fingerprint], ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()
