"""The narration seam: every path that narrates (speak, build, the reader's listen-from-here and
Make MP3, line mode) applies the user's lexicon, parses the engine's name the same way, and
names an article's MP3 by one rule.

A recording engine stands in for the voices (a short tone per utterance, and a list of what it
was asked to say); the MP3s are really written with ffmpeg. Players are `cat`, so the real
Player runs without a sound card.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import listen.batch.worker as worker
import listen.speech.engines as engines
from listen.batch import executors
from listen.batch import run as batch_run
from listen.cli import main
from listen.errors import EngineError, ManifestError
from listen.narration import (
    AudioNames,
    EngineName,
    audio_name,
    engine_for,
    find_audio,
    narration_request,
    source_name,
    unique_slug,
)
from listen.linemode.session import Session
from listen.speech.lexicon import default_lexicon_path
from listen.speech.player import Player
from listen.state import Store
from listen.tui.services import Services, rows_with_audio
from tui_support import make_app, open_article, settle, wait_for

needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")

# Written for these tests: a file name with an underscore, a space and capitals (so its raw
# stem and its slug differ), and a place name spelled in three cases.
ARTICLE_NAME = "Quarry_Choir 2024.txt"
ARTICLE = """The Dunmallet Quarry Choir

Every second Thursday the old quarry office fills with singers from DUNMALLET and the farms around it.

Rehearsal nights

They warm up on scales while the kettle boils. The tenors come late, off the last dunmallet bus, still in their boots.
"""
LEXICON = "# how the choir says its own town\nDunmallet = Dun Mallet\n"
SLUG = "quarry-choir-2024"


class RecordingEngine:
    """A voice that hums a short tone and remembers every text it was given."""

    name = "recording"
    voice = "tone"
    sample_rate = 22050
    cache_key = "recording-tone-v1"

    def __init__(self, asked_for: str, rate: float) -> None:
        self.asked_for = asked_for
        self.rate = rate
        self.spoken: list[str] = []

    def synthesize(self, text: str) -> np.ndarray:
        self.spoken.append(text)
        t = np.arange(self.sample_rate // 5) / self.sample_rate
        return (np.sin(2 * np.pi * 220 * t) * 6000).astype(np.int16)


@pytest.fixture
def voices(monkeypatch: pytest.MonkeyPatch) -> list[RecordingEngine]:
    """Every engine any path opens, in order; planted where the seam and build's workers look."""
    made: list[RecordingEngine] = []

    def get_engine(name: str = "auto", *, voice=None, language="en", rate=1.0, threads=None, backoff=None):
        engine = RecordingEngine(name, rate)
        made.append(engine)
        return engine

    monkeypatch.setattr(engines, "get_engine", get_engine)
    monkeypatch.setattr(worker, "get_engine", get_engine)
    monkeypatch.setattr(worker, "_ENGINES", {})
    return made


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with the article, the user's lexicon.txt in its usual place, and cwd at tmp_path."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / ARTICLE_NAME).write_text(ARTICLE, encoding="utf-8")
    lexicon = default_lexicon_path()
    lexicon.parent.mkdir(parents=True, exist_ok=True)
    lexicon.write_text(LEXICON, encoding="utf-8")
    return folder


def cat_player(engine: Any, on_event: Callable[[Any], None]) -> Player:
    return Player(engine, on_event=on_event, command=["cat"])


# Each path narrates the article its own way and returns the MP3 it wrote (None: it only plays).


def by_speak(folder: Path, out: Path) -> Path | None:
    assert main(["speak", str(folder / ARTICLE_NAME), "-d", str(out)]) == 0
    return only_mp3(out)


def by_build(folder: Path, out: Path) -> Path | None:
    assert main(["build", str(folder), "-d", str(out), "--jobs", "1"]) == 0
    return only_mp3(out)


def by_line_mode(folder: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> Path | None:
    import listen.linemode.speaker as speaker

    monkeypatch.setattr(speaker, "_player", cat_player)
    said: list[str] = []
    session = Session(folder, Store(out.parent / "line.sqlite3"), said.append)
    session.start()
    session.handle("open 1")
    session.handle("play")
    wait_until(lambda: "Narration finished." in said, said)
    return None


def by_reader(folder: Path, out: Path, key: str) -> Path | None:
    """Press `key` in the reader (l: listen from here, m: Make MP3); the MP3 it says it saved."""
    status: list[str] = []

    async def drive() -> None:
        app = make_app(out.parent, folder, services=Services(audio_dir=out, player=cat_player))
        async with app.run_test(size=(100, 30)) as pilot:
            await open_article(pilot, folder / ARTICLE_NAME)
            await pilot.press(key)
            await settle(pilot)
            done = "Narration finished" if key == "l" else "MP3 saved: "
            await wait_for(lambda: app.status_text.startswith(done), pilot, timeout=30)
            status.append(app.status_text)

    asyncio.run(drive())
    return Path(status[0].removeprefix("MP3 saved: ")) if key == "m" else None


PATHS = {
    "speak": lambda folder, out, mp: by_speak(folder, out),
    "build": lambda folder, out, mp: by_build(folder, out),
    "reader listen from here": lambda folder, out, mp: by_reader(folder, out, "l"),
    "reader Make MP3": lambda folder, out, mp: by_reader(folder, out, "m"),
    "line mode play": lambda folder, out, mp: by_line_mode(folder, out, mp),
}


def only_mp3(out: Path) -> Path:
    made = sorted(out.glob("*.mp3"))
    assert len(made) == 1, made
    return made[0]


def wait_until(predicate: Callable[[], bool], said: list[str], timeout: float = 30.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, said
        time.sleep(0.05)


@needs_ffmpeg
@pytest.mark.parametrize("path", list(PATHS))
def test_the_users_lexicon_is_spoken_on_every_path(
    path: str, library: Path, tmp_path: Path, voices: list[RecordingEngine], monkeypatch: pytest.MonkeyPatch
) -> None:
    PATHS[path](library, tmp_path / "audio", monkeypatch)
    spoken = [text for engine in voices for text in engine.spoken]
    assert spoken, "nothing was spoken"
    assert not [text for text in spoken if "dunmallet" in text.lower()]
    assert any("Dun Mallet" in text for text in spoken)


@needs_ffmpeg
def test_speak_build_and_the_reader_give_an_article_one_name(
    library: Path, tmp_path: Path, voices: list[RecordingEngine], monkeypatch: pytest.MonkeyPatch
) -> None:
    names = {
        path: PATHS[path](library, tmp_path / path.replace(" ", "-"), monkeypatch).name
        for path in ("speak", "build", "reader Make MP3")
    }
    assert set(names.values()) == {f"{SLUG}.mp3"}, names


@needs_ffmpeg
def test_after_build_the_reader_and_speak_write_to_the_name_the_manifest_gave(
    library: Path, tmp_path: Path, voices: list[RecordingEngine], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "audio"
    out.mkdir()
    # Another article already holds the plain slug, so build gives ours a suffix.
    other = tmp_path / "elsewhere" / "quarry-choir-2024.md"
    other.parent.mkdir()
    other.write_text("# Another Choir\n\nA different article that happens to share the name.\n", encoding="utf-8")
    assert main(["build", str(other), "-d", str(out), "--jobs", "1"]) == 0
    assert main(["build", str(library), "-d", str(out), "--jobs", "1"]) == 0
    entries = json.loads((out / "manifest.json").read_text())["articles"]
    ours = next(e for e in entries if e["source"].endswith(ARTICLE_NAME))
    assert ours["slug"] != SLUG and ours["slug"].startswith(SLUG)
    expected = out / ours["mp3"]
    assert audio_name(library / ARTICLE_NAME, out) == expected
    before = sorted(p.name for p in out.glob("*.mp3"))
    assert main(["speak", str(library / ARTICLE_NAME), "-d", str(out)]) == 0
    assert by_reader(library, out, "m") == expected
    assert sorted(p.name for p in out.glob("*.mp3")) == before  # both rewrote build's file: no third name


def test_a_new_article_whose_slug_is_taken_gets_builds_suffix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "audio"
    out.mkdir()
    entry = {
        "slug": SLUG,
        "source": "other/quarry-choir-2024.md",
        "mp3": f"{SLUG}.mp3",
        "chapters_json": f"{SLUG}.chapters.json",
        "vtt": f"{SLUG}.vtt",
    }
    manifest = {"version": 1, "articles": [entry]}
    (out / "manifest.json").write_text(json.dumps(manifest))
    path = tmp_path / "articles" / ARTICLE_NAME
    expected = unique_slug(SLUG, source_name(path), {SLUG: "other/quarry-choir-2024.md"})
    assert expected != SLUG
    assert audio_name(path, out) == out / f"{expected}.mp3"
    assert AudioNames.read(out).name_for(path) == out / f"{expected}.mp3"


def test_a_damaged_manifest_stops_naming_but_not_the_library(tmp_path: Path) -> None:
    out = tmp_path / "audio"
    out.mkdir()
    (out / "manifest.json").write_text("{not json")
    with pytest.raises(ManifestError):
        audio_name(tmp_path / ARTICLE_NAME, out)
    assert find_audio(tmp_path / ARTICLE_NAME, out) is None


def test_mp3s_the_reader_made_under_its_old_name_are_still_found(tmp_path: Path) -> None:
    out = tmp_path / "audio"
    out.mkdir()
    old, new, none = tmp_path / ARTICLE_NAME, tmp_path / "Second Piece.md", tmp_path / "third.txt"
    (out / "Quarry_Choir 2024.mp3").write_bytes(b"ID3")  # the raw file stem, as the reader named it
    (out / "second-piece.mp3").write_bytes(b"ID3")

    class Row:
        def __init__(self, path: Path) -> None:
            self.path = path

    assert rows_with_audio(out, [Row(old), Row(new), Row(none)]) == {str(old), str(new)}
    assert find_audio(old, out) == out / "Quarry_Choir 2024.mp3"
    assert audio_name(old, out) == out / f"{SLUG}.mp3"  # but nothing writes the old name again


@pytest.mark.parametrize(
    ("typed", "engine"),
    [
        ("GTTS", EngineName.GTTS),
        (" gtts ", EngineName.GTTS),
        ("Piper", EngineName.PIPER),
        ("espeak-ng", EngineName.ESPEAK),
        ("ESPEAK", EngineName.ESPEAK),
        ("", EngineName.AUTO),
        ("Auto", EngineName.AUTO),
    ],
)
def test_engine_names_are_parsed_once_in_any_case(typed: str, engine: EngineName) -> None:
    assert EngineName.parse(typed) is engine
    assert narration_request(engine=typed).engine is engine


def test_an_unknown_engine_is_one_clear_line() -> None:
    with pytest.raises(EngineError, match=r"^unknown speech engine 'Festival'; choose auto, piper, espeak or gtts$"):
        narration_request(engine="Festival")


@pytest.mark.parametrize("typed", ["GTTS", "gTTS", "gtts"])
def test_build_with_gtts_in_any_case_takes_the_shared_back_off(
    typed: str, library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import listen.cli.build as build_command

    seen: list[batch_run.BuildOptions] = []

    def fake_build(paths, options, reporter):
        seen.append(options)
        return batch_run.BuildReport()

    monkeypatch.setattr(build_command, "build", fake_build)
    assert main(["build", str(library), "-d", str(tmp_path / "out"), "--engine", typed]) == 0
    (options,) = seen
    assert options.spec.engine is EngineName.GTTS
    assert executors.runner_for(options, 5, workers=None) is executors.run_in_threads  # type: ignore[arg-type]
    assert not executors.in_processes(options, 5)


@pytest.mark.parametrize("typed", ["GTTS", " gTTS", "gtts"])
def test_a_build_spec_given_gtts_as_text_in_any_case_takes_the_shared_back_off(typed: str, tmp_path: Path) -> None:
    spec = worker.EngineSpec(typed)  # as a script driving batch.run directly (or Dask) would give it
    assert spec.engine is EngineName.GTTS and spec == worker.EngineSpec(EngineName.GTTS)
    options = batch_run.BuildOptions(out_dir=tmp_path, spec=spec, jobs=4)
    assert executors.runner_for(options, 5, workers=None) is executors.run_in_threads  # type: ignore[arg-type]


def test_a_build_spec_with_an_unknown_engine_is_one_clear_line() -> None:
    with pytest.raises(EngineError, match=r"^unknown speech engine 'festival'; choose auto, piper, espeak or gtts$"):
        worker.EngineSpec("festival")


@pytest.mark.parametrize("typed", ["GTTS", "Gtts"])
def test_speak_and_the_reader_ask_for_gtts_by_its_one_name(typed: str, voices: list[RecordingEngine]) -> None:
    engine_for(narration_request(engine=typed), "en")

    class Saved:
        engine, voice, rate = typed, "", 1.0

    from listen.narration import request_from_settings

    engine_for(request_from_settings(Saved()), None)
    assert [engine.asked_for for engine in voices] == ["gtts", "gtts"]


def test_a_bad_lexicon_stops_line_mode_with_one_line(
    library: Path, tmp_path: Path, voices: list[RecordingEngine]
) -> None:
    default_lexicon_path().write_text("Dunmallet = Dun Mallet\nno equals sign on this line\n", encoding="utf-8")
    said: list[str] = []
    session = Session(library, Store(tmp_path / "line.sqlite3"), said.append)
    session.start()
    session.handle("open 1")
    session.handle("play")
    assert said[-1].startswith("Narration is not available: ")
    assert "line 2: expected 'word = how to say it'" in said[-1]
    assert not voices  # nothing was spoken with half a lexicon
