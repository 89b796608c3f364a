"""ID3v2.3 tags with a CTOC and one CHAP frame per chapter, written with mutagen.

Players and ffprobe list CHAP frames in the order they appear in the file, but mutagen
writes frames sorted by (importance, encoded size, hash key): chapters would come out by
title length, then 'chp10' before 'chp2'. `_ChapterOrderID3` keeps mutagen's order for the
ordinary frames and then writes the CTOC and the CHAPs exactly in the order they were
added, each serialised by mutagen itself. It overrides `ID3Tags._write`, a private method
that has been stable since mutagen 1.31; tests/test_audio_mp3.py reads the order back with
ffprobe so a change in mutagen cannot go unnoticed.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from mutagen.id3 import CHAP, COMM, CTOC, ID3, TALB, TDRC, TIT2, TLAN, TPE1, CTOCFlags, Encoding
from mutagen.id3._tags import ID3Tags

from listen.audio.chapters import ChapterMark, element_ids

NO_OFFSET = 0xFFFFFFFF  # CHAP byte offsets: "not given, use the times"
UNKNOWN_LANGUAGE = "XXX"  # what ID3v2.3 asks for in COMM when the language is unknown
_CHAPTER_FRAMES = ("CTOC", "CHAP")
MAX_CTOC_ENTRIES = 255  # its entry count is one byte

# ISO 639-1 → ISO 639-2 for the languages the engines speak; ID3 wants three letters.
_LANGUAGES = {
    "ar": "ara",
    "ca": "cat",
    "cs": "ces",
    "cy": "cym",
    "da": "dan",
    "de": "deu",
    "el": "ell",
    "en": "eng",
    "es": "spa",
    "fa": "fas",
    "fi": "fin",
    "fr": "fra",
    "ga": "gle",
    "he": "heb",
    "hi": "hin",
    "hu": "hun",
    "id": "ind",
    "is": "isl",
    "it": "ita",
    "ja": "jpn",
    "ko": "kor",
    "nb": "nob",
    "nl": "nld",
    "no": "nor",
    "pl": "pol",
    "pt": "por",
    "ro": "ron",
    "ru": "rus",
    "sk": "slk",
    "sv": "swe",
    "sw": "swa",
    "tr": "tur",
    "uk": "ukr",
    "vi": "vie",
    "zh": "zho",
}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?")


@dataclass(frozen=True)
class Tags:
    """What a listener's app shows about a narration; empty fields are left out of the file."""

    title: str
    artist: str = ""
    album: str = ""
    language: str = ""
    date: str = ""
    comment: str = ""


def write_tags(mp3: Path, tags: Tags, marks: tuple[ChapterMark, ...]) -> None:
    """Replace the ID3 tag of `mp3` with `tags` and chapter frames for `marks`.

    If the tag fits the room the encoder reserved it is written in place; otherwise mutagen
    makes room, which rewrites the file once.
    """
    _tag(tags, marks).save(mp3, v1=0, v2_version=3, padding=_keep_room)


def tag_size(tags: Tags, marks: tuple[ChapterMark, ...]) -> int:
    """Bytes the tag will take, so the encoder can reserve exactly that much room."""
    buffer = io.BytesIO()
    _tag(tags, marks).save(buffer, v1=0, v2_version=3, padding=lambda info: 0)
    return len(buffer.getvalue())


def language_code(language: str) -> str:
    """A three-letter ISO 639-2 code for '' / 'en' / 'en-GB' / 'eng'; '' when unknown."""
    base = language.strip().lower().replace("_", "-").split("-")[0]
    if len(base) == 3 and base.isascii() and base.isalpha():
        return base
    return _LANGUAGES.get(base, "")


def id3_date(date: str) -> str:
    """The ISO 8601 prefix (YYYY, YYYY-MM or YYYY-MM-DD) of `date`, or '' if it has none."""
    found = _DATE.match(date.strip())
    return found.group(0) if found else ""


class _ChapterOrderID3(ID3):
    """An ID3 tag that writes its CTOC and CHAP frames last, in the order they were added."""

    def _write(self, config):  # type: ignore[no-untyped-def]
        chapter_frames = [frame for frame in self.values() if frame.FrameID in _CHAPTER_FRAMES]
        others = ID3Tags()
        for frame in self.values():
            if frame.FrameID not in _CHAPTER_FRAMES:
                others.add(frame)
        data = bytearray(ID3Tags._write(others, config))
        for frame in chapter_frames:
            single = ID3Tags()
            single.add(frame)
            data += ID3Tags._write(single, config)
        return data


def _tag(tags: Tags, marks: tuple[ChapterMark, ...]) -> ID3:
    tag = _ChapterOrderID3()
    utf8 = Encoding.UTF8  # saved as UTF-16 with a BOM: ID3v2.3 has no UTF-8
    text_frames = (
        (TIT2, tags.title),
        (TPE1, tags.artist),
        (TALB, tags.album),
        (TLAN, language_code(tags.language)),
        (TDRC, id3_date(tags.date)),
    )
    for frame, value in text_frames:
        if value.strip():
            tag.add(frame(encoding=utf8, text=[value.strip()]))
    if tags.comment.strip():
        lang = language_code(tags.language) or UNKNOWN_LANGUAGE
        tag.add(COMM(encoding=utf8, lang=lang, desc="", text=[tags.comment.strip()]))
    ids = element_ids(marks)
    for toc in _tables_of_contents(ids, tags.title.strip() or "Chapters"):
        tag.add(toc)
    for element_id, mark in zip(ids, marks):
        tag.add(
            CHAP(
                element_id=element_id,
                start_time=mark.start_ms,
                end_time=mark.end_ms,
                start_offset=NO_OFFSET,
                end_offset=NO_OFFSET,
                sub_frames=[TIT2(encoding=utf8, text=[mark.title])],
            )
        )
    tag.update_to_v23()  # TDRC becomes TYER/TDAT; sub-frames are converted too
    return tag


def _tables_of_contents(ids: list[str], title: str) -> list[CTOC]:
    """The top-level CTOC 'toc'; past 255 chapters (a CTOC's limit) it lists sub-tables."""
    flags = CTOCFlags.ORDERED
    if len(ids) <= MAX_CTOC_ENTRIES:
        groups: list[list[str]] = []
        children = ids
    else:
        groups = [ids[i : i + MAX_CTOC_ENTRIES] for i in range(0, len(ids), MAX_CTOC_ENTRIES)]
        children = [f"toc{n}" for n in range(len(groups))]
    top = CTOC(
        element_id="toc",
        flags=CTOCFlags.TOP_LEVEL | flags,
        child_element_ids=children,
        sub_frames=[TIT2(encoding=Encoding.UTF8, text=[title])],
    )
    subs = [
        CTOC(element_id=sub, flags=flags, child_element_ids=group, sub_frames=[])
        for sub, group in zip(children, groups)
    ]
    return [top, *subs]


def _keep_room(info) -> int:  # type: ignore[no-untyped-def]
    """Padding policy: use exactly the room there is, or make a little when it is too small."""
    return info.padding if info.padding >= 0 else 1024
