"""The files beside each MP3: chapter lists (Podcasting 2.0 JSON, WebVTT) and timed transcripts.

Feeds point at NAME.chapters.json (the <podcast:chapters> tag) and web players load
NAME.vtt as a <track kind="chapters">; both say the same thing as the CHAP frames, from the
same ChapterMarks, so an app shows the same chapters whichever it reads.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from listen.audio.chapters import ChapterMark, element_ids
from listen.audio.pcm import samples_to_ms, samples_to_ms_ceil

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
        {"startTime": mark.start_ms / 1000, "endTime": mark.end_ms / 1000, "title": mark.title} for mark in marks
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


# --- Timed transcripts: one cue per spoken sentence -------------------------------------------
#
# NAME.transcript.vtt and NAME.transcript.srt carry what was said and when, one cue per
# utterance (a sentence, a heading, the title), timed from the same sample counts as the
# chapter marks (see writer.py): a cue starts at floor(first sample × 1000 / rate) ms and
# ends when its speech ends (the pause after it is not part of the cue). The VTT cue ids say
# what each cue is ("12 sentence 3.1": the 12th cue, a sentence of section 3, paragraph 1),
# so the transcript page can be rebuilt with its headings and paragraphs from the file beside
# the MP3 alone, wherever `listen publish` runs.


@dataclass(frozen=True)
class Cue:
    """One utterance as heard: its written text and where its speech starts and ends, in ms."""

    text: str
    start_ms: int
    end_ms: int
    kind: str = "sentence"  # title, standfirst, heading or sentence (speech.script.Kind)
    section: int = 0
    paragraph: int = -1


def transcript_paths(dest: Path) -> tuple[Path, Path]:
    """NAME.transcript.vtt and NAME.transcript.srt beside NAME.mp3."""
    return dest.with_suffix(".transcript.vtt"), dest.with_suffix(".transcript.srt")


def transcript_vtt(cues: Sequence[Cue]) -> str:
    """A WebVTT captions track, one cue per utterance, ids as in the comment above."""
    lines = ["WEBVTT", ""]
    for number, cue in enumerate(cues, start=1):
        lines += [
            f"{number} {cue.kind} {cue.section}.{cue.paragraph}",
            f"{vtt_time(cue.start_ms)} --> {vtt_time(cue.end_ms)}",
            vtt_text(cue.text),
            "",
        ]
    return "\n".join(lines)


def transcript_srt(cues: Sequence[Cue]) -> str:
    """The same cues as SubRip: numbered, comma before the milliseconds, plain text."""
    lines: list[str] = []
    for number, cue in enumerate(cues, start=1):
        times = f"{vtt_time(cue.start_ms).replace('.', ',')} --> {vtt_time(cue.end_ms).replace('.', ',')}"
        lines += [str(number), times, " ".join(cue.text.split()), ""]
    return "\n".join(lines)


_CUE_ID = re.compile(r"\d+ (title|standfirst|heading|sentence) (\d+)\.(-?\d+)")
_CUE_TIMES = re.compile(r"(\d+):(\d\d):(\d\d)\.(\d{3}) --> (\d+):(\d\d):(\d\d)\.(\d{3})")


def read_transcript_vtt(text: str) -> tuple[Cue, ...]:
    """The cues of a transcript_vtt() file (other WebVTT files: text and times, kind 'sentence')."""
    cues: list[Cue] = []
    for block in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").strip()):
        lines = block.split("\n")
        at = next((i for i, line in enumerate(lines) if _CUE_TIMES.match(line)), None)
        if at is None:
            continue
        times = [int(part) for part in _CUE_TIMES.match(lines[at]).groups()]  # type: ignore[union-attr]
        start = ((times[0] * 60 + times[1]) * 60 + times[2]) * 1000 + times[3]
        end = ((times[4] * 60 + times[5]) * 60 + times[6]) * 1000 + times[7]
        body = html.unescape(" ".join(lines[at + 1 :]).strip())
        found = _CUE_ID.fullmatch(lines[at - 1]) if at else None
        if found:
            cues.append(Cue(body, start, end, found[1], int(found[2]), int(found[3])))
        else:
            cues.append(Cue(body, start, end))
    return tuple(cues)


@dataclass(frozen=True)
class TimedUtterance:
    """An utterance as its narrator made it: where its speech starts and ends, in samples
    counted from the first sample of the chapter (or chapter part) that holds it."""

    text: str
    start: int
    end: int
    kind: str = "sentence"
    section: int = 0
    paragraph: int = -1


def place_cues(parts: Sequence[Sequence[TimedUtterance]], starts: Sequence[int | None]) -> tuple[Cue, ...]:
    """Cues for the whole narration: each part's utterances moved to where the part starts.

    `starts` holds each part's first sample in the finished audio (None: it had no audio),
    the same numbers the chapter marks come from, so cues and chapters always agree.
    """
    cues = []
    for timed, first in zip(parts, starts):
        if first is None:
            continue
        for utterance in timed:
            if utterance.end > utterance.start and utterance.text.strip():
                cues.append(
                    Cue(
                        " ".join(utterance.text.split()),
                        samples_to_ms(first + utterance.start),
                        samples_to_ms_ceil(first + utterance.end),
                        utterance.kind,
                        utterance.section,
                        utterance.paragraph,
                    )
                )
    return tuple(cues)
