"""listen build with gTTS under a 429 storm from a fake of Google's endpoint (never the network)."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import responses

from listen.batch import worker
from listen.batch.run import BuildOptions, build
from listen.batch.worker import EngineSpec
from listen.speech.engines import backoff as backoff_module

pytest.importorskip("gtts")
pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")
ENDPOINT = "https://translate.google.com/_/TranslateWebserverUi/data/batchexecute"


def google_body(tmp_path: Path) -> str:
    mp3 = tmp_path / "tone.mp3"
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=300:duration=0.5",
         "-ar", "24000", "-ac", "1", "-c:a", "libmp3lame", "-b:a", "32k", str(mp3)],
        check=True,
    )  # fmt: skip
    audio = base64.b64encode(mp3.read_bytes()).decode("ascii")
    return ")]}'\n\n" + f'[["wrb.fr","jQ1olc","[\\"{audio}\\"]",null,null,null,"generic"]]\n'


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class Quiet:
    def planned(self, *a): pass
    def started(self, *a): pass
    def finished(self, *a): pass
    def failed(self, *a): pass


@responses.activate
def test_a_429_storm_slows_the_whole_run_and_every_article_still_finishes(tmp_path: Path, monkeypatch) -> None:
    clock = Clock()
    shared = backoff_module.shared_backoff
    monkeypatch.setattr(shared, "sleep", clock.sleep)
    monkeypatch.setattr(shared, "clock", lambda: clock.now)
    monkeypatch.setattr(shared, "_not_before", 0.0)
    monkeypatch.setattr(worker, "_ENGINES", {})
    for _ in range(3):
        responses.add(responses.POST, ENDPOINT, status=429, headers={"Retry-After": "7"})
    responses.add(responses.POST, ENDPOINT, status=503)
    responses.add(responses.POST, ENDPOINT, body=google_body(tmp_path))  # repeats from here on
    library = tmp_path / "lib"
    library.mkdir()
    for n in range(3):
        (library / f"note-{n}.txt").write_text(f"Short Note {n}\n\nOne line of text for note {n}.", encoding="utf-8")
    options = BuildOptions(out_dir=tmp_path / "audio", spec=EngineSpec("gtts"), jobs=2, cache_dir=tmp_path / "cache")
    report = build([library], options, Quiet())
    assert report.exit_code == 0, report.failed
    assert len(report.narrated) == 3
    assert clock.sleeps and max(clock.sleeps) >= 7  # Retry-After was honoured, run-wide
    entries = json.loads((tmp_path / "audio" / "manifest.json").read_text())["articles"]
    assert {e["engine"] for e in entries} == {"gtts"}
