"""Nothing to do costs nothing (issue 17 part 3): an unchanged `listen build` imports no narration,
parsing or network modules, and its fast path still sees every change that matters.

The builds here run the real command in a subprocess with espeak-ng (the engine stamps of
batch/engine_keys.py only exist for real engines), each with its own cache folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from listen.batch.engine_keys import EngineKeys, engine_stamp
from listen.batch.worker import EngineSpec

SRC = Path(__file__).resolve().parents[1] / "src"

# Modules an unchanged re-run has no use for: audio and speech (numpy, the engines, the
# rules), article parsing, the network, the progress bar, the reader.
HEAVY = (
    "numpy",
    "requests",
    "urllib3",
    "rich",
    "textual",
    "trafilatura",
    "lxml",
    "markdown_it",
    "feedparser",
    "ebooklib",
    "PIL",
    "ftfy",
    "chardet",
    "num2words",
    "gtts",
    "piper",
    "onnxruntime",
    "distributed",
    "listen.audio",
    "listen.speech.engines",
    "listen.speech.normalize",
    "listen.speech.narrator",
    "listen.articles.load",
    "listen.articles.html",
    "listen.articles.markdown",
    "listen.articles.text",
    "listen.batch.cache",
    "listen.batch.cluster",
    "listen.tui",
)

# Runs `listen build ARGS...` in this interpreter and prints, last, the modules it imported.
PROBE = """
import json, sys
from listen.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")


def story(n: int, extra: str = "") -> str:
    return (
        f"Notes From the Ferry, Part {n}\n\n"
        f"The morning crossing left at six, and passenger {n} counted the gulls on the rail.{extra}\n\n"
        "By the second bell the fog had lifted over the breakwater.\n"
    )


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    folder.mkdir()
    for n in range(3):
        (folder / f"ferry-{n}.txt").write_text(story(n), encoding="utf-8")
    return folder


def environment(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg-cache")
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg-data")
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")])
    env.pop("FORCE_COLOR", None)
    env.pop("TTY_COMPATIBLE", None)
    return env


def build(library: Path, tmp_path: Path, *options: str) -> tuple[int, str, list[str]]:
    """(exit status, stdout, modules imported) of `listen build LIBRARY -d OUT --engine espeak`."""
    command = [
        sys.executable,
        "-c",
        PROBE,
        "build",
        str(library),
        "-d",
        str(tmp_path / "out"),
        "--engine",
        "espeak",
        *options,
    ]
    done = subprocess.run(command, check=False, env=environment(tmp_path), capture_output=True, text=True, timeout=300)
    *lines, last = done.stdout.strip().splitlines()
    probe = json.loads(last)
    assert done.returncode == 0, done.stderr
    return probe["code"], "\n".join(lines), probe["modules"]


def heavy_in(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)]


@needs_espeak
def test_an_unchanged_rerun_imports_nothing_that_narrates_parses_or_fetches(library: Path, tmp_path: Path) -> None:
    code, out, first = build(library, tmp_path)
    assert code == 0 and "3 to narrate, 0 unchanged." in out
    assert "numpy" in first and "listen.speech.engines" in first  # the probe sees what a build imports
    code, out, again = build(library, tmp_path)
    assert code == 0 and "0 to narrate, 3 unchanged." in out
    assert heavy_in(again) == []


@needs_espeak
def test_the_fast_path_still_sees_an_edit_a_new_rate_and_damaged_or_missing_audio(
    library: Path, tmp_path: Path
) -> None:
    build(library, tmp_path)
    out_dir = tmp_path / "out"
    manifest = json.loads((out_dir / "manifest.json").read_text())["articles"]
    slug_of = {Path(entry["source"]).name: entry["slug"] for entry in manifest}

    (library / "ferry-0.txt").write_text(story(0, " A child waved from the quay."), encoding="utf-8")
    _, out, modules = build(library, tmp_path)
    assert "1 to narrate, 2 unchanged." in out and "numpy" in modules

    mp3 = out_dir / f"{slug_of['ferry-1.txt']}.mp3"
    mp3.write_bytes(mp3.read_bytes()[: mp3.stat().st_size // 2])  # a truncated MP3
    (out_dir / f"{slug_of['ferry-2.txt']}.vtt").unlink()  # a missing sidecar
    _, out, _ = build(library, tmp_path)
    assert "2 to narrate, 1 unchanged." in out

    _, out, _ = build(library, tmp_path, "--rate", "1.25")  # the engine's key changes
    assert "3 to narrate, 0 unchanged." in out
    _, out, modules = build(library, tmp_path, "--rate", "1.25")
    assert "0 to narrate, 3 unchanged." in out and heavy_in(modules) == []


def test_a_known_stamp_gives_the_key_without_opening_the_engine_and_a_changed_voice_file_opens_it(
    tmp_path: Path,
) -> None:
    model = tmp_path / "voices" / "harbour-medium.onnx"
    model.parent.mkdir()
    model.write_bytes(b"model one")
    model.with_name(model.name + ".json").write_text('{"audio": {"sample_rate": 22050}}')
    spec = EngineSpec("piper", voice=str(model))
    opened: list[str] = []

    def open_key(language: str) -> str:
        opened.append(language)
        return f"piper/{model.read_bytes().decode()}/{language}"

    keys = EngineKeys(spec, tmp_path / "cache", open_key)
    assert keys("en") == "piper/model one/en" and opened == ["en"]
    keys.save()
    again = EngineKeys(spec, tmp_path / "cache", open_key)
    assert again("en") == "piper/model one/en" and opened == ["en"]  # known: nothing opened

    before = engine_stamp(spec, "en")
    model.write_bytes(b"model two, longer")  # a new voice file under the same name
    assert engine_stamp(spec, "en") != before
    fresh = EngineKeys(spec, tmp_path / "cache", open_key)
    assert fresh("en") == "piper/model two, longer/en" and opened == ["en", "en"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (EngineSpec("espeak"), EngineSpec("espeak", rate=1.5)),
        (EngineSpec("espeak"), EngineSpec("espeak", voice="en-gb")),
        (EngineSpec("espeak"), EngineSpec("piper")),
        (EngineSpec("auto"), EngineSpec("espeak")),
    ],
)
def test_another_engine_voice_or_rate_has_another_stamp(first: EngineSpec, second: EngineSpec) -> None:
    assert engine_stamp(first, "en") != engine_stamp(second, "en")
    assert engine_stamp(first, "en") != engine_stamp(first, "fr")


def test_espeak_by_any_name_has_one_stamp() -> None:
    assert engine_stamp(EngineSpec("espeak-ng"), "en") == engine_stamp(EngineSpec("ESPEAK"), "en")
