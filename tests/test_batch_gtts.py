"""listen build with gTTS under a 429 storm from a fake of Google's endpoint (never the network)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import responses

from fake_google import ENDPOINT, FakeTime, google_body, tone_mp3
from listen.batch import worker
from listen.batch.run import BuildOptions, build
from listen.batch.worker import EngineSpec
from listen.speech.engines import backoff as backoff_module
from test_batch import Quiet  # the reporter that says nothing

pytest.importorskip("gtts")
pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")


@responses.activate
def test_a_429_storm_slows_the_whole_run_and_every_article_still_finishes(tmp_path: Path, monkeypatch) -> None:
    clock = FakeTime()
    shared = backoff_module.shared_backoff
    monkeypatch.setattr(shared, "sleep", clock.sleep)
    monkeypatch.setattr(shared, "clock", clock.clock)
    monkeypatch.setattr(shared, "_not_before", 0.0)
    monkeypatch.setattr(worker, "_ENGINES", {})
    for _ in range(3):
        responses.add(responses.POST, ENDPOINT, status=429, headers={"Retry-After": "7"})
    responses.add(responses.POST, ENDPOINT, status=503)
    responses.add(responses.POST, ENDPOINT, body=google_body(tone_mp3(tmp_path, 0.5, 300)))  # repeats from here on
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
