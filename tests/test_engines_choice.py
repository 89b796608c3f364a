"""Choosing an engine (`get_engine`, `auto`), describing them, and `listen engines`."""

from __future__ import annotations

import json
import os
import shutil
from types import SimpleNamespace

import pytest

from listen.batch import worker
from listen.cli import ListenArgumentParser
from listen.cli import engines as engines_command
from listen.errors import EngineError
from listen.speech import engines
from listen.speech.engines import Availability, espeak, piper

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
NOT_INSTALLED = Availability(False, "not installed")


@pytest.fixture
def no_piper_load(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """Stand in for loading piper's model (seconds); records what auto asked for."""
    asked: list[dict] = []

    def fake_open_piper(voice=None, **options):
        asked.append({"voice": voice, **options})
        return SimpleNamespace(name="piper", voice=voice or "en_US-joe-medium")

    monkeypatch.setattr(piper, "open_piper", fake_open_piper)
    monkeypatch.setattr(piper, "availability", lambda: Availability(True, "ready"))
    monkeypatch.setattr(piper, "installed_voices", lambda: [piper.VoiceFiles("en_US-joe-medium", None, None, "en")])
    return asked


def test_auto_prefers_piper_when_it_has_a_voice_for_the_language(no_piper_load) -> None:
    assert engines.get_engine("auto", language="en-US", rate=1.25).name == "piper"
    assert no_piper_load[0]["rate"] == 1.25


@needs_espeak
@pytest.mark.slow  # a real engine
def test_auto_falls_back_to_espeak_for_a_language_piper_lacks(no_piper_load) -> None:
    engine = engines.get_engine("auto", language="es")
    assert (engine.name, engine.voice) == ("espeak", "es")
    assert no_piper_load == []


@needs_espeak
@pytest.mark.slow  # a real engine
def test_auto_uses_espeak_when_piper_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(piper, "availability", lambda: NOT_INSTALLED)
    assert engines.get_engine().name == "espeak"


def test_auto_never_picks_gtts_and_says_how_to_get_an_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(piper, "availability", lambda: NOT_INSTALLED)
    monkeypatch.setattr(espeak, "availability", lambda: NOT_INSTALLED)
    with pytest.raises(EngineError) as raised:
        engines.get_engine("auto")
    message = str(raised.value)
    assert "pip install 'listen[piper]'" in message and "apt-get install espeak-ng" in message
    assert "\n" not in message


@needs_espeak
@pytest.mark.slow  # a real engine
@pytest.mark.parametrize(
    ("voice", "engine_name"), [("en_US-joe-medium", "piper"), ("/voices/x.onnx", "piper"), ("en-gb", "espeak")]
)
def test_auto_with_a_voice_uses_the_engine_that_voice_belongs_to(no_piper_load, voice: str, engine_name: str) -> None:
    assert engines.get_engine("auto", voice=voice).name == engine_name


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: engines.get_engine("festival"),
            "unknown speech engine 'festival'; choose auto, piper, espeak or gtts",
        ),
        (lambda: engines.get_engine("espeak", rate=0.1), "speech rate 0.1 is out of range"),
        (lambda: engines.get_engine("gtts", rate=125), "speech rate 125 is out of range"),
    ],
)
def test_impossible_requests_are_one_line_errors(call, message: str) -> None:
    with pytest.raises(EngineError, match=message):
        call()


@pytest.mark.parametrize(
    ("engine", "module", "opener", "argument"),
    [("espeak", espeak, "open_espeak", "workers"), ("piper", piper, "open_piper", "threads")],
)
def test_a_build_worker_given_one_thread_opens_its_engine_with_one_thread_without_any_environment(
    monkeypatch: pytest.MonkeyPatch, engine: str, module, opener: str, argument: str
) -> None:
    for name in ("LISTEN_ENGINE_THREADS", *worker.THREAD_VARIABLES):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(worker, "_ENGINES", {})
    monkeypatch.setattr(os, "cpu_count", lambda: 8)  # the default would be 4
    asked: list[dict] = []
    monkeypatch.setattr(module, opener, lambda voice=None, **options: asked.append(options) or SimpleNamespace())
    worker.EngineSpec(engine, threads=1).open("en")
    assert [options[argument] for options in asked] == [1]


def test_an_engines_thread_count_is_not_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LISTEN_ENGINE_THREADS", "1")  # what a batch runner once set for its workers
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert engines.default_threads() == 4


def test_synthesize_many_works_for_an_engine_without_its_own() -> None:
    class Echo:
        def synthesize(self, text):
            return text.upper()

    assert list(engines.synthesize_many(Echo(), ["a", "b"])) == ["A", "B"]


def test_describe_engines_lists_every_engine_with_online_marked() -> None:
    described = engines.describe_engines()
    assert [info.name for info in described] == ["piper", "espeak", "gtts"]
    assert [info.offline for info in described] == [True, True, False]
    assert all(info.available.reason and "\n" not in info.available.reason for info in described)


def test_describe_engines_explains_a_missing_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(espeak.shutil, "which", lambda name: None)
    info = {i.name: i for i in engines.describe_engines()}["espeak"]
    assert not info.available.ok and "sudo apt-get install espeak-ng" in info.available.reason


def run_command(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    parser = ListenArgumentParser(prog="listen")
    engines_command.add_parser(parser.add_subparsers(dest="command"), "list speech engines")
    args = parser.parse_args(argv)
    status = args.run(args)
    return status, capsys.readouterr().out


def test_listen_engines_prints_one_plain_line_per_engine(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run_command(["engines"], capsys)
    lines = out.splitlines()
    assert status == 0
    assert [line.split(":")[0] for line in lines] == ["piper", "espeak", "gtts"]
    assert all((", offline" in line) != (", online" in line) for line in lines)
    assert ", online" in lines[2]


@needs_espeak
@pytest.mark.slow  # a real engine
def test_listen_engines_summarises_long_language_lists(capsys: pytest.CaptureFixture[str]) -> None:
    _, out = run_command(["engines"], capsys)
    espeak_line = next(line for line in out.splitlines() if line.startswith("espeak:"))
    assert f"{len(espeak.languages())} languages (en, es, fr, " in espeak_line and "…" in espeak_line


def test_listen_engines_says_why_an_engine_is_unavailable(monkeypatch, capsys) -> None:
    monkeypatch.setattr(espeak.shutil, "which", lambda name: None)
    _, out = run_command(["engines"], capsys)
    assert (
        "espeak: not available, offline; espeak-ng is not installed; install it with: sudo apt-get install espeak-ng"
        in out
    )


def test_listen_engines_json_is_machine_readable(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run_command(["engines", "--format", "json"], capsys)
    data = json.loads(out)
    assert status == 0
    assert [entry["name"] for entry in data] == ["piper", "espeak", "gtts"]
    assert set(data[0]) == {"name", "available", "voices", "languages", "offline", "note"}
    assert set(data[0]["available"]) == {"ok", "reason"}


def test_listen_engines_is_a_registered_command(capsys: pytest.CaptureFixture[str]) -> None:
    from listen.cli import main

    assert main(["engines"]) == 0
    assert capsys.readouterr().out.startswith("piper: ")
