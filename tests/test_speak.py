"""`listen speak` end to end with espeak-ng: chapters, duration, loudness, sidecars, errors."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from listen.articles import load_article

pytestmark = pytest.mark.skipif(
    shutil.which("espeak-ng") is None or shutil.which("ffprobe") is None, reason="needs espeak-ng and ffmpeg"
)
LISTEN = str(Path(sys.executable).parent / "listen")
ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "articles").iterdir())
SEEDS = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt")) if (ROOT.parent / "shared" / "seeds").exists() else []


def speak(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([LISTEN, "speak", *args], capture_output=True, text=True, timeout=300)


def probe_chapters(mp3: Path) -> list[tuple[float, float, str]]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_chapters", "-of", "json", str(mp3)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [(float(c["start_time"]), float(c["end_time"]), c["tags"]["title"]) for c in json.loads(out)["chapters"]]


def loudness(mp3: Path) -> tuple[float, float]:
    log = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostats", "-i", str(mp3), "-af", "ebur128=peak=true", "-f", "null", "-"],
        capture_output=True, text=True,
    ).stderr  # fmt: skip
    summary = log[log.rindex("Summary:") :]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
    peak = float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary).group(1))
    return integrated, peak


@pytest.mark.slow
@pytest.mark.parametrize("source", SAMPLES + SEEDS, ids=lambda p: p.name)
def test_speak_gives_a_chaptered_mp3_at_podcast_loudness(source: Path, tmp_path: Path) -> None:
    result = speak(str(source), "-d", str(tmp_path), "--engine", "espeak")
    assert result.returncode == 0, result.stderr
    mp3 = next(tmp_path.glob("*.mp3"))
    chapters = probe_chapters(mp3)
    article = load_article(source)
    assert [title for _, _, title in chapters] == [s.heading for s in article.sections]
    starts = [start for start, _, _ in chapters]
    assert starts == sorted(starts) and starts[0] == 0.0
    duration = float(subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(mp3)],
        capture_output=True, text=True, check=True,
    ).stdout)  # fmt: skip
    assert abs(duration - chapters[-1][1]) < 0.1
    integrated, true_peak = loudness(mp3)
    assert -20.0 <= integrated <= -18.0
    assert true_peak <= -1.5
    sidecar = json.loads(mp3.with_suffix(".chapters.json").read_text())
    assert [c["title"] for c in sidecar["chapters"]] == [s.heading for s in article.sections]
    assert mp3.with_suffix(".vtt").read_text().startswith("WEBVTT")
    assert f"Wrote {mp3}" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.txt"], "no such file"),
        (["{sample}", "--engine", "nonesuch"], "unknown speech engine"),
        (["{sample}", "--rate", "9"], "rate"),
        (["{sample}", "-o", "out.wav"], "must be an .mp3"),
        (["{sample}", "--lexicon", "no-lexicon.txt"], "does not exist"),
        (["{sample}", "--lang", "xx", "--engine", "espeak"], "xx"),
    ],
)
def test_speak_errors_are_one_line_and_leave_no_files(args: list[str], message: str, tmp_path: Path) -> None:
    sample = str(ROOT / "articles" / "harbour-ferry-returns.md")
    args = [a.replace("{sample}", sample) for a in args]
    result = subprocess.run([LISTEN, "speak", *args, "-d", str(tmp_path / "out")] if "-o" not in args
                            else [LISTEN, "speak", *args], capture_output=True, text=True, cwd=tmp_path, timeout=120)  # fmt: skip
    assert result.returncode != 0
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not list(tmp_path.rglob("*.mp3"))
