"""Sidecars: Podcasting 2.0 JSON chapters and WebVTT chapters, escaped for each format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from listen.audio import ChapterMark
from listen.audio.sidecars import chapters_json, sidecar_paths, vtt_text, vtt_time, webvtt

MARKS = (
    ChapterMark('Le "café" & <co>', 0, 61_500),
    ChapterMark("Arrows --> and \\ backslashes", 61_500, 3_723_004),
)


def test_sidecars_sit_beside_the_mp3_with_their_own_suffixes() -> None:
    assert sidecar_paths(Path("/out/story.mp3")) == (Path("/out/story.chapters.json"), Path("/out/story.vtt"))


def test_json_chapters_follow_podcasting_2_0_version_1_2_0() -> None:
    document = json.loads(chapters_json(MARKS, "A title"))
    assert document == {
        "version": "1.2.0",
        "title": "A title",
        "chapters": [
            {"startTime": 0.0, "endTime": 61.5, "title": 'Le "café" & <co>'},
            {"startTime": 61.5, "endTime": 3723.004, "title": "Arrows --> and \\ backslashes"},
        ],
    }


def test_json_chapters_keep_non_ascii_readable_and_escape_quotes() -> None:
    text = chapters_json(MARKS)
    assert '"Le \\"café\\" & <co>"' in text


def test_webvtt_has_a_header_and_one_cue_per_chapter() -> None:
    assert webvtt(MARKS) == (
        "WEBVTT\n\n"
        'chp0\n00:00:00.000 --> 00:01:01.500\nLe "café" &amp; &lt;co&gt;\n\n'
        "chp1\n00:01:01.500 --> 01:02:03.004\nArrows --&gt; and \\ backslashes\n"
    )


@pytest.mark.parametrize(
    ("ms", "text"),
    [(0, "00:00:00.000"), (59_999, "00:00:59.999"), (3_600_000, "01:00:00.000"), (360_000_001, "100:00:00.001")],
)
def test_vtt_times_are_hours_minutes_seconds_and_millis(ms: int, text: str) -> None:
    assert vtt_time(ms) == text


def test_vtt_cue_text_is_one_line() -> None:
    assert vtt_text("two\n\nparagraphs") == "two paragraphs"
