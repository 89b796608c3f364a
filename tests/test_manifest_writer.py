"""listen.manifest, the one writer of DIR/manifest.json: relative sources (publish from any
folder), two writers at once lose nothing, version 1 manifests are read and written as 2,
and MP3s made in the reader are recorded so `publish` lists them and `build` skips them."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest

from listen.batch.run import BuildOptions, build
from listen.batch.worker import EngineSpec
from listen.cli import main
from listen.manifest import NAME, Manifest, read_manifest
from listen.publish.publisher import publish
from test_batch import Quiet, article, voices  # noqa: F401  (voices: a fixture)
from test_narration_seam import ARTICLE_NAME, SLUG, by_reader, library  # noqa: F401  (library: a fixture)
from test_narration_seam import voices as recording_voices  # noqa: F401

needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")
SPEC = EngineSpec("espeak")  # the test double voices(SPEC) plants stands in for it
BASE = "https://example.org/pod/"


def built_project(root: Path, voices) -> Path:  # noqa: F811
    """root/articles narrated into root/audio, the build run from root as a volunteer would."""
    voices(SPEC)
    (root / "articles").mkdir(parents=True)
    (root / "articles" / "ferry.txt").write_text(article(1), encoding="utf-8")
    (root / "articles" / "lights.txt").write_text(article(2), encoding="utf-8")
    options = BuildOptions(out_dir=Path("audio"), spec=SPEC, jobs=1, cache_dir=root / "cache")
    assert build([Path("articles")], options, Quiet()).exit_code == 0
    return root / "audio"


def test_publishing_from_another_folder_finds_every_source(tmp_path: Path, voices, monkeypatch) -> None:  # noqa: F811
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.chdir(project)
    audio = built_project(project, voices)
    recorded = {e["source"] for e in json.loads((audio / NAME).read_text())["articles"]}
    assert recorded == {"../articles/ferry.txt", "../articles/lights.txt"}
    elsewhere = tmp_path / "elsewhere" / "deeper"
    elsewhere.mkdir(parents=True)
    monkeypatch.chdir(elsewhere)
    result = publish(audio, BASE)
    assert result.articles == 2 and result.manifest_only == ()
    page = (audio / "transcripts" / "ferry.html").read_text(encoding="utf-8")
    assert "Paragraph 2 of story 1 has a few plain words in it." in page


def test_a_project_moved_as_a_whole_still_publishes_its_text(tmp_path: Path, voices, monkeypatch) -> None:  # noqa: F811
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.chdir(project)
    built_project(project, voices)
    monkeypatch.chdir(tmp_path)
    project.rename(tmp_path / "moved")
    assert publish(tmp_path / "moved" / "audio", BASE).manifest_only == ()


def test_a_rebuild_from_another_folder_narrates_nothing_again(tmp_path: Path, voices, monkeypatch) -> None:  # noqa: F811
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.chdir(project)
    audio = built_project(project, voices)
    spoken = len(voices(SPEC).spoken)
    monkeypatch.chdir(tmp_path)
    options = BuildOptions(out_dir=audio, spec=SPEC, jobs=1, cache_dir=project / "cache")
    report = build([project / "articles"], options, Quiet())
    assert report.narrated == [] and len(report.unchanged) == 2
    assert len(voices(SPEC).spoken) == spoken


def record(slug: str, source: str) -> dict:
    return {
        "slug": slug,
        "source": source,
        "title": slug,
        "mp3": f"{slug}.mp3",
        "chapters_json": f"{slug}.chapters.json",
        "vtt": f"{slug}.vtt",
        "hash": "h",
        "duration_s": 1.0,
    }


def test_two_writers_at_once_lose_nothing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "audio"
    folder.mkdir()
    writers = [Manifest.load(folder), Manifest.load(folder)]  # each with its own, soon stale, view

    def write(number: int) -> None:
        for n in range(25):
            writers[number].record(record(f"w{number}-{n}", f"articles/w{number}-{n}.txt"))

    threads = [threading.Thread(target=write, args=(number,)) for number in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    on_disk = Manifest.load(folder).articles
    assert len(on_disk) == 50
    assert on_disk["w1-7"]["source"] == "articles/w1-7.txt"  # as this process names it
    raw = json.loads((folder / NAME).read_text())
    assert {e["source"] for e in raw["articles"]} >= {"../articles/w0-0.txt", "../articles/w1-24.txt"}


def test_a_writer_keeps_what_another_recorded_since_it_loaded(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "audio"
    stale = Manifest.load(folder)
    Manifest.load(folder).record(record("made-in-reader", "articles/a.txt"))
    stale.record(record("made-by-build", "articles/b.txt"))
    stale.update("made-in-reader", input_hash="x")
    assert set(Manifest.load(folder).articles) == {"made-in-reader", "made-by-build"}
    assert Manifest.load(folder).articles["made-in-reader"]["input_hash"] == "x"


def test_a_version_1_manifest_is_read_and_written_as_version_2(tmp_path: Path, monkeypatch) -> None:
    project = tmp_path / "project"
    (project / "articles").mkdir(parents=True)
    (project / "articles" / "a.txt").write_text("A\n\nText.\n")
    folder = project / "audio"
    folder.mkdir()
    old = {"version": 1, "articles": [record("a", "articles/a.txt")]}  # relative to where that build ran
    (folder / NAME).write_text(json.dumps(old))
    monkeypatch.chdir(tmp_path)  # not where that build ran: the source is found beside the folder
    manifest = Manifest.load(folder)
    manifest.record(record("b", "project/articles/b.txt"))
    raw = json.loads((folder / NAME).read_text())
    assert raw["version"] == 2
    assert {e["slug"]: e["source"] for e in raw["articles"]} == {"a": "../articles/a.txt", "b": "../articles/b.txt"}


def test_a_manifest_from_a_newer_listen_is_refused_not_overwritten(tmp_path: Path) -> None:
    folder = tmp_path / "audio"
    folder.mkdir()
    (folder / NAME).write_text(json.dumps({"version": 3, "articles": []}))
    with pytest.raises(Exception, match="version 3"):
        Manifest.load(folder)
    assert json.loads((folder / NAME).read_text())["version"] == 3


@needs_ffmpeg
def test_an_mp3_made_in_the_reader_is_published_and_not_narrated_again(
    library: Path,
    tmp_path: Path,
    recording_voices,
    monkeypatch,  # noqa: F811
) -> None:
    out = tmp_path / "audio"
    made = by_reader(library, out, "m")
    assert made == out / f"{SLUG}.mp3"  # named by the one rule, as build names it
    entry = Manifest.load(out).articles[SLUG]
    assert entry["source"] == f"articles/{ARTICLE_NAME}" and entry["hash"] and entry["input_hash"]

    assert main(["publish", str(out), "--base-url", BASE]) == 0
    assert [e.slug for e in read_manifest(out).entries] == [SLUG]
    assert f"{SLUG}.mp3" in (out / "feed.xml").read_text(encoding="utf-8")

    spoken = sum(len(engine.spoken) for engine in recording_voices)
    assert main(["build", str(library), "-d", str(out), "--jobs", "1"]) == 0
    assert sum(len(engine.spoken) for engine in recording_voices) == spoken, "build narrated it again"
    assert sorted(p.name for p in out.glob("*.mp3")) == [f"{SLUG}.mp3"]


@needs_ffmpeg
def test_an_mp3_made_by_speak_is_published_and_not_narrated_again(
    library: Path,
    tmp_path: Path,
    recording_voices,
    monkeypatch,  # noqa: F811
) -> None:
    out = tmp_path / "audio"
    assert main(["speak", str(library / ARTICLE_NAME), "-d", str(out)]) == 0
    assert Manifest.load(out).articles[SLUG]["mp3"] == f"{SLUG}.mp3"
    assert main(["publish", str(out), "--base-url", BASE]) == 0
    assert [e.slug for e in read_manifest(out).entries] == [SLUG]
    spoken = sum(len(engine.spoken) for engine in recording_voices)
    assert main(["build", str(library), "-d", str(out), "--jobs", "1"]) == 0
    assert sum(len(engine.spoken) for engine in recording_voices) == spoken, "build narrated it again"


@needs_ffmpeg
def test_speak_to_a_named_file_leaves_the_manifest_alone(library: Path, tmp_path: Path, recording_voices) -> None:  # noqa: F811
    out = tmp_path / "elsewhere"
    assert main(["speak", str(library / ARTICLE_NAME), "-o", str(out / "my name.mp3")]) == 0
    assert not (out / NAME).exists()


def test_a_build_starting_leaves_alone_what_another_running_writer_is_writing(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from listen.atomic import TEMP_MARK, atomic_path, clean_leftovers

    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live = tmp_path / f".story.mp3{TEMP_MARK}{other.pid}-abc"  # a reader's Make MP3, mid-write
        live.write_bytes(b"half an mp3")
        gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
        dead = tmp_path / f".other.mp3{TEMP_MARK}{int(gone.stdout)}-def"  # its writer was killed
        dead.write_bytes(b"left behind")
        older = tmp_path / f".old.vtt{TEMP_MARK}x1y2"  # named before writers put their PID in
        older.write_bytes(b"left behind")
        assert sorted(clean_leftovers(tmp_path)) == sorted([dead, older])
        assert live.exists()
    finally:
        other.kill()
        other.wait()
    assert clean_leftovers(tmp_path) == [live]
    with atomic_path(tmp_path / "new.mp3") as tmp:
        assert tmp.name.startswith(f".new.mp3{TEMP_MARK}{os.getpid()}-")  # whose it is
