"""The chapter lists beside each MP3: Podcasting 2.0 JSON chapters and WebVTT chapters.

Feeds point at NAME.chapters.json (the <podcast:chapters> tag) and web players load
NAME.vtt as a <track kind="chapters">; both say the same thing as the CHAP frames, from the
same ChapterMarks, so an app shows the same chapters whichever it reads.
"""

from __future__ import annotations

import json
from pathlib import Path

from listen.audio.chapters import ChapterMark, element_ids

JSON_CHAPTERS_VERSION = "1.2.0"


def sidecar_paths(dest: Path) -> tuple[Path, Path]:
    """NAME.chapters.json and NAME.vtt beside NAME.mp3."""
    return dest.with_suffix(".chapters.json"), dest.with_suffix(".vtt")


def chapters_json(marks: tuple[ChapterMark, ...], title: str = "") -> str:
    """Podcasting 2.0 JSON chapters; json.dumps does the escaping, non-ASCII kept as is."""
    document: dict[str, object] = {"version": JSON_CHAPTERS_VERSION}
    if title.strip():
        document["title"] = " ".join(title.split())
    document["chapters"] = [
        {"startTime": mark.start_ms / 1000, "endTime": mark.end_ms / 1000, "title": mark.title}
        for mark in marks
    ]
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def webvtt(marks: tuple[ChapterMark, ...]) -> str:
    """A WebVTT chapters track: one cue per chapter, id 'chpN' as in the ID3 frames."""
    cues = ["WEBVTT", ""]
    for element_id, mark in zip(element_ids(marks), marks):
        cues += [element_id, f"{vtt_time(mark.start_ms)} --> {vtt_time(mark.end_ms)}", vtt_text(mark.title), ""]
    return "\n".join(cues)


def vtt_time(ms: int) -> str:
    """HH:MM:SS.mmm; hours grow past two digits rather than wrap."""
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def vtt_text(title: str) -> str:
    """Cue text on one line with &, < and > escaped, so '-->' or a tag cannot break the cue."""
    text = " ".join(title.split())
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
