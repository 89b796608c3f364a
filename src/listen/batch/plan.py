"""A build's plan: which articles to narrate, which are unchanged, which cannot be read.

Planning an unchanged library must cost next to nothing, because a volunteer re-runs a build
over thousands of articles to pick up a few new ones. In order, cheapest first:

1. `by_bytes`: a file whose exact bytes, engine key and settings hash to the `input_hash` the
   manifest recorded, and whose audio files are all there at the size recorded, is unchanged
   without being parsed. The engine key comes from `EngineKeys`, which opens the engine (a
   model load, for piper) only when its installed files changed since it was last opened.
   The bytes are not even read while the file's status (size, mtime, ctime, inode, device)
   is the one recorded with their digest, as make and rsync trust a file's status; ctime
   makes this safe against tools that put an old mtime back, and a status taken within
   seconds of the file's last change is not recorded (git's "racy" files), so an edit in
   the same tick of the file system's clock is still read. What it cannot see: bytes
   changed with size, mtime and ctime all kept, which takes resetting the system clock or
   a file system that keeps no ctime; `--force` narrates everything again.
2. `by_content`: every other file is loaded (cleaned and sectioned) and compared by its
   content hash, so an edit that changes nothing spoken (a blank line, a BOM) redoes
   nothing; its new bytes are remembered, so the next run is step 1 again.

Either way a changed file, lexicon, voice, rate, engine or setting changes the hash, and a
deleted or truncated MP3 (or sidecar) fails the files check: the article is narrated again.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from listen.batch.engine_keys import EngineKeys
from listen.batch.jobs import (
    Job,
    Rejected,
    content_hash,
    input_hash_of,
    plan_jobs,
    read_input,
    recorded_input,
)
from listen.manifest import Manifest, SourceNames
from listen.batch.worker import EngineSpec

if TYPE_CHECKING:
    from listen.batch.run import BuildOptions


def plan(
    files: list[Path], manifest: Manifest, options: BuildOptions, *, loading: Callable[[int], None] | None = None
) -> tuple[list[Job], list[str], list[Rejected]]:
    """What to narrate, what is unchanged, what cannot be read.

    `loading` is told how many files are to be loaded, at most that many to narrate, before
    they are (so worker processes can start while they load).
    """
    keys = EngineKeys(options.spec, options.cache_dir, lambda language: engine_key(options.spec, language))
    unchanged, to_load = by_bytes(files, manifest, options, keys)
    if loading is not None:
        loading(len(to_load))
    todo, more, failed = by_content(to_load, manifest, options, keys)
    keys.save()
    return todo, unchanged + more, failed


def by_bytes(
    files: list[Path], manifest: Manifest, options: BuildOptions, keys: EngineKeys
) -> tuple[list[str], list[Path]]:
    """(sources unchanged by their bytes, files to load).

    A file whose status (size, mtime, ctime, inode) is the one recorded with its digest is
    not even read (`jobs.recorded_input`); one whose status changed is read and hashed, and
    if its bytes are the same after all (a `touch`, a copy back), its new status is
    remembered, all in one write of the manifest."""
    fingerprint = _input_fingerprint(options)
    names = SourceNames()
    unchanged: list[str] = []
    to_load: list[Path] = []
    remember: dict[str, dict[str, object]] = {}
    for path in files:
        entry = manifest.entry_for(names(path))
        if entry and not options.force and intact(manifest, entry["slug"]):
            key = keys(entry.get("language", "en"))
            known, read = recorded_input(entry, path), None
            if not known:
                read = read_input(path)
                known = read.sha256
            expected = entry.get("input_hash")
            if expected and expected == input_hash_of(known, key, fingerprint):
                if read is not None and read.status is not None:
                    remember[entry["slug"]] = {"input_file": read.record()}
                unchanged.append(entry["source"])
                continue
        to_load.append(path)
    manifest.update_many(remember, unless_changed="input_hash")
    return unchanged, to_load


def by_content(
    files: list[Path], manifest: Manifest, options: BuildOptions, keys: EngineKeys
) -> tuple[list[Job], list[str], list[Rejected]]:
    """Load `files`: (jobs to narrate, sources whose spoken content is unchanged, failures).

    Each file's bytes are hashed before it is loaded, so a file changed while this runs
    is seen as changed next time. The engine is opened for every language loaded here, so
    a missing or broken engine stops the build before any work, not article by article."""
    read = {path: read_input(path) for path in files}
    loaded, failed = plan_jobs(files, manifest, language=options.language)
    fingerprint = _input_fingerprint(options)
    todo: list[Job] = []
    unchanged: list[str] = []
    remember: dict[str, dict[str, object]] = {}
    for job in loaded:
        key = engine_key(options.spec, job.article.language)
        keys.learn(job.article.language, key)
        job = replace(
            job,
            digest=content_hash(job.article, key, options.settings.fingerprint),
            input_hash=input_hash_of(read[job.path].sha256, key, fingerprint),
            input_file=read[job.path],
        )
        entry = manifest.articles.get(job.slug)
        if not options.force and entry and entry.get("hash") == job.digest and intact(manifest, job.slug):
            # same words, new bytes: remember them
            remember[job.slug] = {"input_hash": job.input_hash, "input_file": read[job.path].record()}
            unchanged.append(job.source)
        else:
            todo.append(job)
    manifest.update_many(remember, unless_changed="hash")
    return todo, unchanged, failed


def intact(manifest: Manifest, slug: str) -> bool:
    """The article's MP3 and sidecars are all there, the MP3 at the size recorded: a deleted
    or truncated file is narrated again (a stat each, no decoding)."""
    entry, folder = manifest.articles[slug], os.fspath(manifest.folder)
    try:
        size = os.stat(os.path.join(folder, entry["mp3"])).st_size
    except OSError:
        return False
    if not all(os.path.exists(os.path.join(folder, entry[key])) for key in ("chapters_json", "vtt")):
        return False
    recorded = entry.get("bytes")
    return size == recorded if isinstance(recorded, int) else True  # older entries: presence is all we know


def engine_key(spec: EngineSpec, language: str) -> str:
    """The engine's cache key; opening it here also checks it exists before any work starts."""
    return spec.open(language).cache_key


def _input_fingerprint(options: BuildOptions) -> str:
    return f"{options.settings.fingerprint}|{options.language or ''}"
