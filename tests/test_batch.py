"""listen build: cache, manifest, slugs, faults — with a counting fake voice, in-process."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from listen.batch import worker
from listen.batch.run import BuildOptions, build
from listen.batch.worker import EngineSpec
from listen.cli import main
from listen.speech.lexicon import parse_lexicon
from listen.speech.narrator import Settings
from listen.speech.script import Pauses, ScriptOptions

RATE = 22050


class CountingVoice:
    """A fake engine: a short tone per utterance, and a record of every text it spoke."""

    name = "fake"
    voice = "tone"
    sample_rate = RATE

    def __init__(self, voice: str | None = None, rate: float = 1.0) -> None:
        self.cache_key = f"fake/{voice or 'tone'}/{rate}"
        self.spoken: list[str] = []

    def synthesize(self, text: str) -> np.ndarray:
        self.spoken.append(text)
        seconds = 0.05 * len(text.split())
        t = np.arange(int(RATE * seconds)) / RATE
        return (8000 * np.sin(2 * np.pi * 220 * t)).astype(np.int16)


@pytest.fixture
def voices(monkeypatch):
    """spec -> CountingVoice, registered where worker processes look engines up.

    The specs name a real engine (espeak): EngineSpec knows no other names, and the double
    registered for a spec is found before any engine of that name would be opened."""
    monkeypatch.setattr(worker, "_ENGINES", {})

    def voice_for(spec: EngineSpec, language: str = "en") -> CountingVoice:
        key = (spec, language)
        if key not in worker._ENGINES:
            worker._ENGINES[key] = CountingVoice(spec.voice, spec.rate)
        return worker._ENGINES[key]

    return voice_for


class Quiet:
    def planned(self, *a):
        pass

    def started(self, *a):
        pass

    def finished(self, *a):
        pass

    def failed(self, *a):
        pass


def article(n: int, paragraphs: int = 3) -> str:
    body = "\n\n".join(f"Paragraph {p} of story {n} has a few plain words in it." for p in range(paragraphs))
    return f"Story Number {n}\n\n{body}\n"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    folder.mkdir()
    for n in range(3):
        (folder / f"story-{n}.txt").write_text(article(n), encoding="utf-8")
    return folder


def run_build(library: Path, tmp_path: Path, spec: EngineSpec, **kw):
    options = BuildOptions(out_dir=tmp_path / "audio", spec=spec, jobs=1, cache_dir=tmp_path / "cache", **kw)
    return build([library], options, Quiet())


def test_build_narrates_each_article_and_writes_the_manifest(library, tmp_path, voices) -> None:
    spec = EngineSpec("espeak")
    voices(spec)
    report = run_build(library, tmp_path, spec)
    assert report.exit_code == 0 and len(report.narrated) == 3
    data = json.loads((tmp_path / "audio" / "manifest.json").read_text())
    assert data["version"] == 2  # 2: sources relative to the manifest's folder
    entries = {e["slug"]: e for e in data["articles"]}
    assert set(entries) == {"story-0", "story-1", "story-2"}
    entry = entries["story-1"]
    assert entry["title"] == "Story Number 1"
    assert entry["mp3"] == "story-1.mp3"
    assert entry["bytes"] == (tmp_path / "audio" / "story-1.mp3").stat().st_size
    assert entry["engine"] == "fake" and entry["voice"] == "tone"
    assert entry["chapters"][0]["title"] == "Story Number 1" and entry["chapters"][0]["start_ms"] == 0
    assert entry["duration_s"] > 1
    assert entry["source"] == "../library/story-1.txt"  # so publish finds it from any folder
    assert entry["description"].startswith("Paragraph 0 of story 1")
    for key in ("source", "hash", "created", "chapters_json", "vtt", "language"):
        assert entry[key]


def test_unchanged_rerun_synthesises_nothing(library, tmp_path, voices) -> None:
    spec = EngineSpec("espeak")
    voice = voices(spec)
    run_build(library, tmp_path, spec)
    spoken = len(voice.spoken)
    report = run_build(library, tmp_path, spec)
    assert len(voice.spoken) == spoken
    assert report.narrated == [] and len(report.unchanged) == 3


@pytest.mark.parametrize(
    "change",
    [
        {"spec": EngineSpec("espeak", rate=1.5)},
        {"spec": EngineSpec("espeak", voice="other")},
        {"settings": Settings(bitrate_kbps=96)},
        {"settings": Settings(pauses=Pauses(paragraph_ms=900))},
        {"settings": Settings(lexicon=parse_lexicon("story = tale"))},
        {"settings": Settings(script=ScriptOptions(code="read"))},
        {"settings": Settings(script=ScriptOptions(back_matter="read"))},
        {"force": True},
    ],
    ids=["rate", "voice", "bitrate", "pauses", "lexicon", "code", "back-matter", "force"],
)
def test_any_setting_that_shapes_the_audio_redoes_every_article(library, tmp_path, voices, change) -> None:
    spec = EngineSpec("espeak")
    voices(spec)
    run_build(library, tmp_path, spec)
    spec2 = change.pop("spec", spec)
    voices(spec2)
    report = run_build(library, tmp_path, spec2, **change)
    assert len(report.narrated) == 3


def test_editing_one_paragraph_resynthesises_only_that_paragraph(library, tmp_path, voices) -> None:
    spec = EngineSpec("espeak")
    voice = voices(spec)
    run_build(library, tmp_path, spec)
    path = library / "story-2.txt"
    path.write_text(path.read_text().replace("Paragraph 1 of story 2", "Paragraph one, edited, of story 2"))
    voice.spoken.clear()
    report = run_build(library, tmp_path, spec)
    assert [Path(s).name for s in report.narrated] == ["story-2.txt"]
    assert voice.spoken == ["Paragraph one, edited, of story two has a few plain words in it."]  # numbers in words


def test_slugs_never_collide_and_stay_stable(tmp_path, voices) -> None:
    spec = EngineSpec("espeak")
    voices(spec)
    for folder in ("a", "b"):
        (tmp_path / "lib" / folder).mkdir(parents=True)
        (tmp_path / "lib" / folder / "index.md").write_text(f"# Index {folder}\n\nText of {folder}.")
    run_build(tmp_path / "lib", tmp_path, spec)
    first = json.loads((tmp_path / "audio" / "manifest.json").read_text())["articles"]
    slugs = sorted(e["slug"] for e in first)
    assert slugs[0] == "index" and slugs[1].startswith("index-") and len(slugs) == 2
    run_build(tmp_path / "lib", tmp_path, spec, force=True)
    again = json.loads((tmp_path / "audio" / "manifest.json").read_text())["articles"]
    assert {e["source"]: e["slug"] for e in again} == {e["source"]: e["slug"] for e in first}
    assert len(list((tmp_path / "audio").glob("*.mp3"))) == 2


def test_bad_files_are_listed_with_reasons_and_do_not_stop_the_rest(library, tmp_path, voices, capsys) -> None:
    spec = EngineSpec("espeak")
    voices(spec)
    (library / "empty.txt").write_text("  \n")
    (library / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (library / "blob.txt").write_bytes(bytes(range(256)) * 8)
    report = run_build(library, tmp_path, spec)
    assert len(report.narrated) == 3
    assert {Path(f.source).name: f.reason for f in report.failed}.keys() == {"empty.txt", "blob.txt"}
    assert [Path(s.source).name for s in report.skipped] == ["photo.jpg"]
    assert report.exit_code == 1


def test_cli_build_exit_codes_and_summary(library, tmp_path, voices, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    voices(EngineSpec("espeak"))  # a fake voice, planted where build looks espeak up (any case of --engine)
    (library / "empty.txt").write_text(" ")
    code = main(["build", str(library), "-d", "out", "--engine", "ESPEAK", "--jobs", "1"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "Narrated 3 articles" in out and "1 failed" in out
    assert "empty.txt" in err and "is empty" in err
    assert main(["build", str(tmp_path / "nothing-here"), "-d", "out", "--engine", "espeak"]) == 2
    assert main(["build", str(library), "-d", "out", "--engine", "no-such-engine"]) == 2
    assert "unknown speech engine" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("mount") is None, reason="needs mount")
def test_a_full_disk_stops_cleanly_with_a_clear_message(library, tmp_path, voices) -> None:
    spec = EngineSpec("espeak")
    voices(spec)
    small = tmp_path / "small"
    small.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(small)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (not root)")
    try:
        for n in range(3, 8):
            (library / f"story-{n}.txt").write_text(article(n, paragraphs=30), encoding="utf-8")
        options = BuildOptions(out_dir=small, spec=spec, jobs=1, cache_dir=tmp_path / "cache")
        report = build([library], options, Quiet())
        assert "disk is full" in report.stopped
        assert report.exit_code == 1
        leftovers = [p.name for p in small.iterdir() if ".listen-tmp-" in p.name]
        assert leftovers == []
        for mp3 in small.glob("*.mp3"):  # whatever has a final name is complete and recorded
            assert mp3.stem in json.loads((small / "manifest.json").read_text())["articles"].__str__()
    finally:
        subprocess.run(["umount", str(small)], check=False)


def test_unchanged_files_are_not_even_parsed_and_a_cosmetic_edit_redoes_nothing(
    library, tmp_path, voices, monkeypatch
) -> None:
    from listen.batch import jobs

    spec = EngineSpec("espeak")
    voice = voices(spec)
    run_build(library, tmp_path, spec)
    loaded: list[str] = []
    real = jobs.load_article
    monkeypatch.setattr(jobs, "load_article", lambda path: loaded.append(Path(path).name) or real(path))
    assert len(run_build(library, tmp_path, spec).unchanged) == 3
    assert loaded == []
    path = library / "story-1.txt"
    path.write_text(path.read_text().replace("\n\n", "\n\n\n"))  # bytes change, words do not
    spoken = len(voice.spoken)
    report = run_build(library, tmp_path, spec)
    assert report.narrated == [] and loaded == ["story-1.txt"] and len(voice.spoken) == spoken
    loaded.clear()
    run_build(library, tmp_path, spec)
    assert loaded == []  # the new bytes were remembered


@pytest.mark.parametrize(("jobs", "encoders"), [(1, 1), (0, 2), (2, 2)])
def test_jobs_is_the_builds_budget_of_cores_when_it_runs_in_this_process(jobs, encoders, tmp_path, monkeypatch) -> None:
    """--jobs 1 encodes on one thread (the machine stays usable); by default a lone article gets every core.
    The count travels in the task's settings: nothing process-wide is changed."""
    from listen.audio import writer
    from listen.batch import executors

    seen: list[int | None] = []
    monkeypatch.setattr(writer, "default_encode_jobs", lambda: 2)  # as on a two-core machine
    monkeypatch.setattr(executors.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(executors, "run_task", lambda task: seen.append(task.settings.encode_jobs) or "done")
    monkeypatch.setattr(executors, "task_for", lambda job, options: options)  # what run_task gets: the settings

    class Quiet:
        def started(self, job) -> None:
            pass

    outcomes = list(executors.run_here(["a", "b"], BuildOptions(out_dir=tmp_path, jobs=jobs), Quiet()))
    assert [outcome for _, outcome in outcomes] == ["done", "done"]
    assert seen == [encoders, encoders]


def test_worker_processes_get_the_thread_limits_and_this_process_keeps_its_own(tmp_path, monkeypatch) -> None:
    import os

    from listen.batch.executors import Workers

    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    with Workers(BuildOptions(out_dir=tmp_path, jobs=2)) as workers:
        workers.expect(5)
        pool = workers._start()
        seen = {pool.submit(os.getenv, "OMP_NUM_THREADS").result(timeout=60) for _ in range(4)}
        assert seen == {str(workers.threads)}
    assert "OMP_NUM_THREADS" not in os.environ
