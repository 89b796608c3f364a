"""An unchanged re-run does not read its articles: a file's status (size, mtime, ctime, inode,
device) recorded with the digest of its bytes stands for them (batch/plan.py, by_bytes). What
that shortcut must never hide: new bytes behind an old size and mtime, and a change within the
same tick of the file system's clock as the build that recorded the status.

In-process builds with the counting fake voice of test_batch; `read_input` is watched to see
which files a plan reads.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from listen.batch import jobs, plan
from listen.batch.worker import EngineSpec
from listen.manifest import Manifest, SourceNames
from test_batch import article, library, run_build, voices  # noqa: F401  (library, voices: fixtures)

SPEC = EngineSpec("espeak")  # the counting fake voice, planted where build looks espeak up


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files each plan reads, as it reads them."""
    seen: list[str] = []
    real = jobs.read_input

    def watched(path: Path) -> jobs.InputFile:
        seen.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(plan, "read_input", watched)
    return seen


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written a moment ago count as settled (the real margin is seconds)."""
    monkeypatch.setattr(jobs, "SETTLED_NS", 0)


def entries(tmp_path: Path) -> dict[str, dict]:
    data = json.loads((tmp_path / "audio" / "manifest.json").read_text(encoding="utf-8"))
    return {e["slug"]: e for e in data["articles"]}


def test_an_unchanged_rerun_reads_no_article(library, tmp_path, voices, reads, settled) -> None:
    voices(SPEC)
    assert len(run_build(library, tmp_path, SPEC).narrated) == 3
    recorded = entries(tmp_path)["story-1"]["input_file"]
    assert recorded["stat"][0] == (library / "story-1.txt").stat().st_size
    reads.clear()
    report = run_build(library, tmp_path, SPEC)
    assert report.narrated == [] and len(report.unchanged) == 3
    assert reads == []


def test_new_words_behind_the_old_size_and_mtime_are_narrated_again(library, tmp_path, voices, reads, settled) -> None:
    voice = voices(SPEC)
    run_build(library, tmp_path, SPEC)
    path = library / "story-1.txt"
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    edited = text.replace("plain words", "other words")  # same length: the size is kept
    assert edited != text and len(edited.encode()) == before.st_size
    path.write_text(edited, encoding="utf-8")  # in place: the inode is kept too
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `touch -r` or `cp -p` would
    assert path.stat().st_mtime_ns == before.st_mtime_ns and path.stat().st_ino == before.st_ino
    spoken = len(voice.spoken)
    reads.clear()
    report = run_build(library, tmp_path, SPEC)
    assert [Path(s).name for s in report.narrated] == ["story-1.txt"]  # its ctime gave it away
    assert any("other words" in text for text in voice.spoken[spoken:])
    assert len(report.unchanged) == 2 and "story-0.txt" not in reads


def test_a_touched_file_is_read_once_then_trusted_again(library, tmp_path, voices, reads, settled) -> None:
    voices(SPEC)
    run_build(library, tmp_path, SPEC)
    path = library / "story-2.txt"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns - 5_000_000_000))  # `touch -d`
    reads.clear()
    report = run_build(library, tmp_path, SPEC)
    assert report.narrated == [] and reads == ["story-2.txt"]  # read, the same bytes: unchanged
    assert entries(tmp_path)["story-2"]["input_file"]["stat"][1] == path.stat().st_mtime_ns  # remembered
    reads.clear()
    assert run_build(library, tmp_path, SPEC).narrated == [] and reads == []


def test_a_status_taken_just_after_a_change_is_not_trusted(library, tmp_path, voices, reads) -> None:
    """With the real margin: files written a moment before the build have no status recorded,
    so a second write in the same tick of the clock could not pass for the first."""
    voices(SPEC)
    run_build(library, tmp_path, SPEC)
    assert all(entry["input_file"]["stat"] is None for entry in entries(tmp_path).values())
    reads.clear()
    report = run_build(library, tmp_path, SPEC)
    assert report.narrated == [] and sorted(reads) == ["story-0.txt", "story-1.txt", "story-2.txt"]


def test_a_status_recorded_for_other_bytes_is_not_believed(library, tmp_path, voices, settled) -> None:
    """The manifest names the digest the status stands for: a status that matches beside a
    digest that does not (a hand-edited or older manifest) sends the file to be loaded."""
    voice = voices(SPEC)
    run_build(library, tmp_path, SPEC)
    manifest = Manifest.load(tmp_path / "audio")
    recorded = dict(manifest.articles["story-0"]["input_file"])
    manifest.update_many({"story-0": {"input_file": {**recorded, "sha256": "0" * 64}}})
    spoken = len(voice.spoken)
    report = run_build(library, tmp_path, SPEC)
    assert report.narrated == [] and len(voice.spoken) == spoken  # loaded: the same words, nothing narrated
    assert entries(tmp_path)["story-0"]["input_file"]["sha256"] == recorded["sha256"]  # and put right


def test_many_updates_leave_alone_an_article_another_writer_changed(tmp_path, library, voices, settled) -> None:
    voices(SPEC)
    run_build(library, tmp_path, SPEC)
    mine = Manifest.load(tmp_path / "audio")
    other = Manifest.load(tmp_path / "audio")
    other.update_many({"story-0": {"input_hash": "f" * 64}})  # e.g. the reader's Make MP3, meanwhile
    mine.update_many({"story-0": {"input_file": None}, "story-1": {"input_file": None}}, unless_changed="input_hash")
    after = entries(tmp_path)
    assert after["story-0"]["input_hash"] == "f" * 64 and after["story-0"]["input_file"] is not None
    assert after["story-1"]["input_file"] is None


def old_source_name(path: Path | str) -> str:
    """source_name as it was, with pathlib: the answer SourceNames must keep."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(Path(path).resolve())


def test_source_names_are_what_resolving_each_path_gives(tmp_path, monkeypatch) -> None:
    work = tmp_path / "work"
    (work / "articles" / "deep").mkdir(parents=True)
    (work / "articles" / "a.txt").write_text("x")
    (work / "articles" / "deep" / "b.md").write_text("x")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "c.html").write_text("x")
    (work / "linked").symlink_to(work / "articles" / "deep")  # a folder link
    (work / "articles" / "to-c.html").symlink_to(tmp_path / "elsewhere" / "c.html")  # a file link out
    (work / "articles" / "relative.md").symlink_to("deep/b.md")  # a relative file link
    (work / "loop.txt").symlink_to(work / "loop.txt")
    monkeypatch.chdir(work)
    cases = [
        "articles/a.txt",
        "./articles//a.txt",
        "articles/deep/../a.txt",
        "linked/b.md",
        "linked/../a.txt",  # `..` after a link: the link's target's parent
        "articles/to-c.html",
        "articles/relative.md",
        "articles/missing.txt",
        str(work / "articles" / "a.txt"),
        str(tmp_path / "elsewhere" / "c.html"),
        "../elsewhere/c.html",
        "articles/deep/",
        ".",
        "..",
        "a.txt",
    ]
    names = SourceNames()
    for case in cases:
        assert names(case) == old_source_name(case), case
        assert names(Path(case)) == old_source_name(case), case
    assert names("loop.txt")  # a link loop is named (pathlib raised), and fails later when read


@pytest.mark.parametrize(
    ("key", "settings"),
    [
        ("espeak-ng/1.51/en-us/22050/1.0", "pauses 1|64|lexicon 0"),
        ('piper/"harbour" voice\\model', "ünïcödé|tab\there"),
        ("key with a \0 nul", ""),
        ("", "rules 7|m4b"),
    ],
)
def test_the_input_hash_is_the_one_earlier_manifests_recorded(key: str, settings: str) -> None:
    digest = "3d0abc800c5994a5fc9989cc70b9d38dda8d285ea6fe5ceea1b1a64a2a758ccb"
    import hashlib

    old = hashlib.sha256(json.dumps([jobs.AUDIO_VERSION, digest, key, settings]).encode()).hexdigest()
    assert jobs.input_hash_of(digest, key, settings) == old
