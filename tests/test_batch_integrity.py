"""A damaged cache never reaches a published MP3: each kind of damage is found, said in one
line, and the entry made again; a damaged output never gets its final name."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from listen.audio import cached_writer
from listen.batch.cache import sweep_stale_temporaries
from listen.batch.worker import EngineSpec
from test_batch import article, run_build, voices  # noqa: F401  (voices: a fixture)

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")
SPEC = EngineSpec("espeak")  # the test double voices(SPEC) plants stands in for it


def manifest_of(out: Path) -> dict[str, dict]:
    if not (out / "manifest.json").exists():
        return {}
    return {e["slug"]: e for e in json.loads((out / "manifest.json").read_text())["articles"]}


def decoded(mp3: Path) -> tuple[str, str]:
    """(md5 of the decoded samples, ffmpeg's decode errors)."""
    run = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(mp3), "-map", "0:a", "-f", "md5", "-"], capture_output=True, text=True
    )
    return run.stdout.strip(), run.stderr.strip()


def pieces(cache: Path) -> list[Path]:
    return sorted((cache / "chapters").rglob("*.mp3"), key=lambda p: p.stat().st_size)


def utterances(cache: Path) -> list[Path]:
    return sorted(p for p in cache.glob("*/*pcm"))


def flip(path: Path, at: float = 0.5, count: int = 64) -> None:
    data = bytearray(path.read_bytes())
    start = int(len(data) * at)
    for i in range(start, min(start + count, len(data))):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))


def swap(a: Path, b: Path) -> None:
    data = a.read_bytes()
    a.write_bytes(b.read_bytes())
    b.write_bytes(data)


def without_chapter_cache(cache: Path) -> None:
    """So the next build must read its utterances (the chapter cache would spare it that)."""
    shutil.rmtree(cache / "chapters")


def truncate_piece(cache: Path) -> None:
    path = pieces(cache)[-1]
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def flip_piece(cache: Path) -> None:
    flip(pieces(cache)[-1])


def empty_piece(cache: Path) -> None:
    pieces(cache)[-1].write_bytes(b"")


def lengthen_piece(cache: Path) -> None:
    path = pieces(cache)[-1]
    path.write_bytes(path.read_bytes() + path.read_bytes()[-2000:])


def swap_pieces(cache: Path) -> None:
    first, last = pieces(cache)[0], pieces(cache)[-1]
    swap(first, last)
    swap(first.with_suffix(".sum"), last.with_suffix(".sum"))


def edit_measurement(cache: Path) -> None:
    path = sorted((cache / "chapters").rglob("*.json"))[0]
    data = json.loads(path.read_text())
    data["samples"] = data["samples"] // 2
    path.write_text(json.dumps(data))


def flip_utterance(cache: Path) -> None:
    without_chapter_cache(cache)
    flip(utterances(cache)[0], at=0.7, count=16)


def truncate_utterance(cache: Path) -> None:
    without_chapter_cache(cache)
    path = utterances(cache)[0]
    path.write_bytes(path.read_bytes()[:-301])


def swap_utterances(cache: Path) -> None:
    without_chapter_cache(cache)
    found = sorted(utterances(cache), key=lambda p: p.stat().st_size)
    swap(found[0], found[-1])


CORRUPTIONS = [
    truncate_piece, flip_piece, empty_piece, lengthen_piece, swap_pieces,
    edit_measurement, flip_utterance, truncate_utterance, swap_utterances,
]  # fmt: skip


@pytest.mark.parametrize("corrupt", CORRUPTIONS, ids=lambda f: f.__name__)
def test_a_damaged_cache_entry_is_remade_and_the_mp3_is_what_a_clean_build_makes(
    corrupt,
    tmp_path: Path,
    voices,
    capfd,  # noqa: F811
) -> None:
    voices(SPEC)
    library = tmp_path / "library"
    library.mkdir()
    (library / "story.txt").write_text(article(1, paragraphs=4), encoding="utf-8")
    assert run_build(library, tmp_path, SPEC).exit_code == 0
    out, cache = tmp_path / "audio", tmp_path / "cache"
    clean, errors = decoded(out / "story.mp3")
    assert clean and not errors
    capfd.readouterr()

    corrupt(cache)
    (out / "story.mp3").unlink()  # the next build narrates it again, from the damaged cache
    report = run_build(library, tmp_path, SPEC)

    assert report.exit_code == 0, report.failed
    assert decoded(out / "story.mp3") == (clean, "")
    said = [line for line in capfd.readouterr().err.splitlines() if "damaged" in line]
    assert said and all(line.startswith("listen: ") for line in said)
    entry = manifest_of(out)["story"]
    assert abs(entry["duration_s"] - float(_probe_duration(out / "story.mp3"))) < 0.1


def _probe_duration(mp3: Path) -> str:
    return subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(mp3)],
        capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip


def test_force_trusts_nothing_in_the_cache_and_repairs_it(tmp_path: Path, voices) -> None:  # noqa: F811
    voices(SPEC)
    library = tmp_path / "library"
    library.mkdir()
    (library / "story.txt").write_text(article(2, paragraphs=3), encoding="utf-8")
    run_build(library, tmp_path, SPEC)
    clean, _ = decoded(tmp_path / "audio" / "story.mp3")
    voice = voices(SPEC)
    for piece in pieces(tmp_path / "cache"):  # damaged, and their checksums made to agree
        flip(piece)
        data = piece.read_bytes()
        from listen.audio.chapter_cache import digest

        piece.with_suffix(".sum").write_text(f"{len(data)} {digest(piece.name, data)}\n")
    voice.spoken.clear()
    assert run_build(library, tmp_path, SPEC, force=True).exit_code == 0
    assert voice.spoken  # spoken again, not read from the cache
    assert decoded(tmp_path / "audio" / "story.mp3") == (clean, "")
    (tmp_path / "audio" / "story.mp3").unlink()
    assert run_build(library, tmp_path, SPEC).exit_code == 0  # the cache --force rewrote is good
    assert decoded(tmp_path / "audio" / "story.mp3") == (clean, "")


def test_an_mp3_that_does_not_decode_is_never_given_its_name(tmp_path: Path, voices, monkeypatch) -> None:  # noqa: F811
    voices(SPEC)
    library = tmp_path / "library"
    library.mkdir()
    (library / "story.txt").write_text(article(3), encoding="utf-8")
    real_join = cached_writer.join

    def damaged_join(paths, dest, tmp, room):  # as if a disk flipped bytes under the join
        real_join(paths, dest, tmp, room)
        flip(Path(tmp), at=0.6, count=400)

    monkeypatch.setattr(cached_writer, "join", damaged_join)
    report = run_build(library, tmp_path, SPEC)
    assert report.exit_code == 1
    assert "did not decode cleanly" in report.failed[0].reason or "decodes to" in report.failed[0].reason
    out = tmp_path / "audio"
    assert not (out / "story.mp3").exists() and not (out / "story.vtt").exists()
    assert "story" not in manifest_of(out)


def test_stale_temporaries_in_the_cache_are_swept_but_fresh_ones_are_left(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    old = cache / "ab" / ".abcd.lpcm.listen-tmp-x1"
    fresh = cache / "chapters" / "cd" / ".cdef.json.listen-tmp-x2"
    for path in (old, fresh):
        path.parent.mkdir(parents=True)
        path.write_bytes(b"")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    assert sweep_stale_temporaries(cache) == 1
    assert not old.exists() and fresh.exists()


def test_a_full_cache_disk_builds_without_the_cache_and_says_so(tmp_path: Path, voices, capfd) -> None:  # noqa: F811
    cache = tmp_path / "cache"
    cache.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(cache)]).returncode:
        pytest.skip("needs root to mount a tiny tmpfs as the cache disk")
    try:
        voices(SPEC)
        library = tmp_path / "library"
        library.mkdir()
        for n in range(2):
            (library / f"story-{n}.txt").write_text(article(n, paragraphs=6), encoding="utf-8")
        report = run_build(library, tmp_path, SPEC)
        assert report.exit_code == 0, (report.failed, report.stopped)
        assert len(manifest_of(tmp_path / "audio")) == 2
        for n in range(2):
            assert decoded(tmp_path / "audio" / f"story-{n}.mp3")[1] == ""
        assert "without it" in capfd.readouterr().err
    finally:
        subprocess.run(["umount", str(cache)])
