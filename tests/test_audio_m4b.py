"""`--format m4b`: an audiobook whose chapters ffprobe lists and whose tags mutagen reads, at the MP3's loudness."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from mutagen.mp4 import MP4, MP4Cover

from listen.audio import SAMPLE_RATE, Tags, write_narration
from listen.audio.chapters import ChapterMark
from listen.audio.loudness import TARGET_LUFS, TRUE_PEAK_DBTP
from listen.audio.m4b import ffmetadata
from listen.errors import OutputError
from audio_support import ebur128

LISTEN = [sys.executable, "-c", "import sys; from listen.cli import main; sys.exit(main())"]
needs_tools = pytest.mark.skipif(
    not (shutil.which("espeak-ng") and shutil.which("ffmpeg") and shutil.which("ffprobe")),
    reason="needs espeak-ng, ffmpeg and ffprobe",
)

# Written for this test: front matter with a byline, a heading with a colon and an ampersand,
# a semicolon in a heading (FFMETADATA needs it escaped) and a paragraph of numbers.
ARTICLE = """---
title: Allotment notes; the autumn dig
author: Wren Okafor
---

Most plots go quiet in October, but ours never does. Leeks stand in rows, and the
compost heaps steam on cold mornings like small sleeping animals.

## Beans & brassicas: what stayed

The runner beans gave up after the first frost on the 14th. The kale carried on as if
nothing had happened; it always does.

## Water = work

We carried 40 cans a week in August. A second water butt, at £35, would have saved
most of that walking.
"""


def listen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*LISTEN, *args], capture_output=True, text=True, cwd=cwd, timeout=240)


def png(path: Path, size: int = 64) -> Path:
    from PIL import Image

    Image.new("RGB", (size, size), (10, 60, 120)).save(path)
    return path


def ffprobe_chapters(path: Path) -> list[dict]:
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-of", "json", "-show_chapters", "-show_streams", "-show_format", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


@needs_tools
def test_speak_m4b_has_chapters_tags_cover_and_loudness(tmp_path: Path) -> None:
    (tmp_path / "dig.md").write_text(ARTICLE, encoding="utf-8")
    cover = png(tmp_path / "cover.png")
    done = listen("speak", "dig.md", "--engine", "espeak", "--format", "m4b", "--cover", str(cover), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    book = tmp_path / "audio" / "dig.m4b"
    assert "dig.m4b" in done.stdout and book.is_file()

    probe = ffprobe_chapters(book)
    titles = [c["tags"]["title"] for c in probe["chapters"]]
    assert titles == ["Allotment notes; the autumn dig", "Beans & brassicas: what stayed", "Water = work"]
    starts = [float(c["start_time"]) for c in probe["chapters"]]
    assert starts[0] == 0 and starts == sorted(starts)
    assert float(probe["chapters"][-1]["end_time"]) == pytest.approx(float(probe["format"]["duration"]), abs=0.1)
    audio = next(s for s in probe["streams"] if s["codec_type"] == "audio")
    assert (audio["codec_name"], audio["profile"], audio["channels"], audio["sample_rate"]) == ("aac", "LC", 1, "22050")

    book_file = MP4(book)
    assert [(round(c.start, 1), c.title) for c in book_file.chapters] == [
        (round(s, 1), t) for s, t in zip(starts, titles)
    ]
    tags = book_file.tags
    assert tags["©nam"] == ["Allotment notes; the autumn dig"]
    assert tags["©ART"] == ["Wren Okafor"]
    assert tags["©alb"] == ["Allotment notes; the autumn dig"]
    assert tags["©gen"] == ["Audiobook"]
    assert tags["covr"][0].imageformat == MP4Cover.FORMAT_PNG and bytes(tags["covr"][0]) == cover.read_bytes()

    integrated, true_peak = ebur128(book)
    assert abs(integrated - TARGET_LUFS) <= 1.0
    assert true_peak <= TRUE_PEAK_DBTP
    assert sorted(p.name for p in book.parent.iterdir()) == sorted(
        [
            "dig.m4b",
            "dig.chapters.json",
            "dig.vtt",
            "dig.transcript.vtt",
            "dig.transcript.srt",
            "manifest.json",
            ".listen-manifest.lock",
        ]  # recorded, so publish lists it and build skips it
    )


@needs_tools
def test_output_named_m4b_chooses_the_format_and_a_bad_cover_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "dig.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "cover.png").write_text("not an image", encoding="utf-8")
    done = listen("speak", "dig.md", "-e", "espeak", "-o", "out/dig.m4b", "--cover", "cover.png", cwd=tmp_path)
    assert done.returncode != 0
    assert done.stderr.count("\n") == 1 and "neither a JPEG nor a PNG" in done.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())

    done = listen("speak", "dig.md", "-e", "espeak", "-o", "out/dig.m4b", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert ffprobe_chapters(tmp_path / "out" / "dig.m4b")["format"]["format_name"].startswith("mov,mp4")

    done = listen("speak", "dig.md", "-e", "espeak", "--cover", "cover.png", cwd=tmp_path)
    assert done.returncode == 2 and "--cover is for --format m4b" in done.stderr


@needs_tools
def test_a_narration_that_fails_midway_leaves_no_m4b_nor_temporary(tmp_path: Path) -> None:
    def chapters():
        yield "One", iter([np.zeros(SAMPLE_RATE, dtype=np.int16) + 1000])
        raise OSError(28, "No space left on device")

    with pytest.raises((OutputError, OSError)):
        write_narration(chapters(), tmp_path / "broken.m4b", Tags(title="Broken"))
    assert list(tmp_path.iterdir()) == []


@needs_tools
def test_build_format_m4b_narrates_each_article_to_an_audiobook(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "dig.md").write_text(ARTICLE, encoding="utf-8")
    (articles / "gulls.txt").write_text(
        "Gulls at the bins\n\nThe council has ordered lids with clips. The gulls have learned clips.\n",
        encoding="utf-8",
    )
    done = listen("build", "articles", "-d", "out", "-e", "espeak", "--format", "m4b", "-j", "1", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    books = sorted(p.name for p in (tmp_path / "out").glob("*.m4b"))
    assert books == ["dig.m4b", "gulls.m4b"]
    assert not list((tmp_path / "out").glob("*.mp3"))
    assert len(ffprobe_chapters(tmp_path / "out" / "dig.m4b")["chapters"]) == 3
    again = listen("build", "articles", "-d", "out", "-e", "espeak", "--format", "m4b", "-j", "1", cwd=tmp_path)
    assert "2 unchanged" in again.stdout


@pytest.mark.parametrize(
    ("title", "line"),
    [
        ("Plain", "title=Plain"),
        ("Water = work", "title=Water \\= work"),
        ("Beans; brassicas", "title=Beans\\; brassicas"),
        ("#1 in the league", "title=\\#1 in the league"),
        ("back\\slash", "title=back\\\\slash"),
        ("two\nlines", "title=two lines"),
    ],
)
def test_ffmetadata_escapes_what_would_end_a_value(title: str, line: str) -> None:
    text = ffmetadata(Tags(title=title), (ChapterMark(title, 0, 1000),))
    assert text.startswith(";FFMETADATA1\n")
    assert line in text.splitlines()
    assert text.count("[CHAPTER]") == 1 and "START=0" in text and "END=1000" in text


@needs_tools
def test_published_m4b_episodes_are_enclosed_as_audio_mp4(tmp_path: Path) -> None:
    import feedparser

    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "dig.md").write_text(ARTICLE, encoding="utf-8")
    assert (
        listen("build", "articles", "-d", "out", "-e", "espeak", "--format", "m4b", "-j", "1", cwd=tmp_path).returncode
        == 0
    )
    done = listen("publish", "out", "--base-url", "https://example.org/pod", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    enclosure = feedparser.parse(str(tmp_path / "out" / "feed.xml")).entries[0].enclosures[0]
    assert (enclosure.href, enclosure.type) == ("https://example.org/pod/dig.m4b", "audio/mp4")


def speech_like(seconds: float = 3.0) -> np.ndarray:
    """A tone with syllable-like bursts: loud enough to need limiting after the gain."""
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    envelope = (np.sin(2 * np.pi * 3 * t) > 0).astype(float)
    return np.round(np.sin(2 * np.pi * 330 * t) * envelope * 8000).astype(np.int16)


@needs_tools
def test_an_encode_over_the_true_peak_is_redone_with_a_lower_ceiling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from listen.audio import m4b

    measured: list[float] = []
    filters: list[str] = []
    real_filters = m4b.encode_filters

    def filters_seen(gain_db: float, rate: int, limit: float) -> str:
        filters.append(f"{limit:.2f}")
        return real_filters(gain_db, rate, limit)

    def peak(path: Path, dest: Path) -> float:
        measured.append(m4b.TRUE_PEAK_DBTP + 1.0 if not measured else m4b.TRUE_PEAK_DBTP - 1.0)
        return measured[-1]

    monkeypatch.setattr(m4b, "encode_filters", filters_seen)
    monkeypatch.setattr(m4b, "true_peak", peak)
    write_narration([("Only", iter([speech_like()]))], tmp_path / "twice.m4b", Tags(title="Twice"))
    assert len(measured) == 2
    first, second = (float(limit) for limit in filters)
    assert first == m4b.AAC_LIMIT_DBFS and second == pytest.approx(first - 1.0 - m4b.PEAK_MARGIN_DB)
    assert (tmp_path / "twice.m4b").is_file()


@needs_tools
def test_a_true_peak_that_stays_over_is_an_error_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from listen.audio import m4b

    monkeypatch.setattr(m4b, "true_peak", lambda path, dest: 0.0)
    with pytest.raises(OutputError, match="Cannot keep the true peak"):
        write_narration([("Only", iter([speech_like()]))], tmp_path / "loud.m4b", Tags(title="Loud"))
    assert list(tmp_path.iterdir()) == []


@needs_tools
def test_true_peak_reads_what_ebur128_reports(tmp_path: Path) -> None:
    from listen.audio import m4b

    write_narration([("Only", iter([speech_like()]))], tmp_path / "tone.m4b", Tags(title="Tone"))
    assert m4b.true_peak(tmp_path / "tone.m4b", tmp_path / "tone.m4b") == pytest.approx(
        ebur128(tmp_path / "tone.m4b")[1], abs=0.05
    )
    assert m4b.true_peak(tmp_path / "tone.m4b", tmp_path / "tone.m4b") <= TRUE_PEAK_DBTP
