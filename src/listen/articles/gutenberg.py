"""E-text books (Project Gutenberg and the sites that copy its layout): the book without the
wrapper around it.

A Gutenberg file is a header (the e-text's title, author, language, release notes), a start
marker, the book, an end marker and a long licence. Only the book is the article: the header
and licence are recognised by their markers and left out entirely, so no word of them can
reach the reader or the narration. The header's `Title:`, `Author:` and `Language:` fields
are the best metadata the file has, so they are kept as metadata. Production credits
("Produced by …") and transcriber's notes are about the e-text, not the book, and go too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# "*** START OF THE PROJECT GUTENBERG EBOOK THE LANTERN ***", "***START OF THIS PROJECT
# GUTENBERG EBOOK", and the same shape from sites that copied it ("*** START OF THE FADED PAGE
# EBOOK …"); older files end their header with "*END*THE SMALL PRINT! FOR PUBLIC DOMAIN …*END*".
_START = re.compile(
    r"^\*{3}\s*START\s+OF\s+(THE|THIS)\b.*\bE-?(BOOK|TEXT)\b.*$"
    r"|^\*{3}\s*START\s+OF\s+(THE|THIS)\s+PROJECT\s+GUTENBERG\b.*$"
    r"|^\*END\*\s*THE\s+SMALL\s+PRINT.*$",
    re.IGNORECASE | re.MULTILINE,
)
_END = re.compile(
    r"^\*{3}\s*END\s+OF\s+(THE|THIS)\b.*\bE-?(BOOK|TEXT)\b.*$"
    r"|^\*{3}\s*END\s+OF\s+(THE|THIS)\s+PROJECT\s+GUTENBERG\b.*$"
    r"|^End\s+of\s+(the\s+|this\s+)?Project\s+Gutenberg('s)?\b.*$",
    re.IGNORECASE | re.MULTILINE,
)
# A header field: "Title: The Lantern-Keeper's Daughter", continued on the lines after it
# until a blank line or the next field.
_FIELD = re.compile(r"^(Title|Author|Language|Translator|Editor|Illustrator)\s*:\s*(.*)$", re.IGNORECASE)
_ANY_FIELD = re.compile(r"^[A-Z][\w ]{0,30}:(\s|$)")
# A wrapped title's next line is its subtitle unless the first line stops mid-phrase.
_MID_PHRASE = re.compile(r"\b(of|and|the|a|an|in|on|to|for|with|from|by|or|at)$|[,;:—–-]$", re.IGNORECASE)
# The first line of older headers: "The Project Gutenberg EBook of The Lantern, by Ann Hale".
_OLD_TITLE_LINE = re.compile(r"^The Project Gutenberg E-?(?:Book|Text) of (.+?)(?:, by (.+))?$", re.IGNORECASE)
CREDITS = re.compile(
    r"^(Produced by|E-?text prepared by|This e-?(book|text) was (produced|prepared) by|Transcribed (from|by)"
    r"|Scanned (by|and proofread)|HTML version by)\b",
    re.IGNORECASE,
)
NOTE_LABEL = re.compile(
    r"^\[?\s*(transcriber|project gutenberg editor|e-?text editor)(['’]?s)?\s+notes?\b", re.IGNORECASE
)
# A paragraph about the e-text itself (its history, its releases), not about the book.
_ETEXT_TALK = re.compile(r"\bProject\s+Gutenberg\b|\be-?texts?\b", re.IGNORECASE)
# Notes on the edition are set at the book's edges: this many chunks from either end at most,
# and one note spans this many chunks at most (beyond that it is the book talking).
EDGE_CHUNKS = 40
MAX_NOTE_CHUNKS = 25

# The language names Gutenberg headers use, for the languages listen narrates and a few more.
LANGUAGE_CODES = {
    "english": "en",
    "french": "fr",
    "german": "de",
    "spanish": "es",
    "italian": "it",
    "portuguese": "pt",
    "dutch": "nl",
    "latin": "la",
    "finnish": "fi",
    "swedish": "sv",
    "danish": "da",
    "norwegian": "no",
    "polish": "pl",
    "russian": "ru",
    "greek": "el",
}


@dataclass(frozen=True)
class EText:
    """A book taken out of its e-text wrapper, with what the header said about it."""

    body: str
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.meta.get("title", "")


def unwrap_etext(text: str) -> EText | None:
    """The book inside a Project Gutenberg-style file, or None when `text` has no start marker.

    Everything before the last start marker of the file's opening and from the first end marker
    after it is dropped; so are credits and transcriber's notes at the book's edges.
    """
    if "***" not in text and "*END*" not in text and "utenberg" not in text and "UTENBERG" not in text:
        return None  # no marker can match: most articles are answered by four scans in C
    starts = [m for m in _START.finditer(text) if m.start() < len(text) // 2 + 1]
    if starts:
        header, start = text[: starts[0].start()], starts[-1].end()
    elif (end := _END.search(text)) is not None and end.start() > len(text) // 2:
        # A copy whose header was cut off by hand but whose licence was not: the fields left
        # at its top ("Title: …", "Author: …") are the header.
        header, start = _leading_fields(text)
    else:
        return None
    end = _END.search(text, start)
    body = text[start : end.start() if end else len(text)]
    return EText(_without_notes(body).strip("\n"), header_meta(header))


def _leading_fields(text: str) -> tuple[str, int]:
    """The run of header field lines at the top of `text` and where the text after them starts."""
    at = 0
    for match in re.finditer(r"[^\n]*\n?", text):
        line = match.group().strip()
        if line and not _FIELD.match(line) and not (_ANY_FIELD.match(line) and at == match.start()):
            break
        at = match.end()
    return text[:at], at


def header_meta(header: str) -> dict[str, str]:
    """Title, author and language from an e-text header; only the fields it has."""
    meta: dict[str, str] = {}
    lines = header.split("\n")
    for index, line in enumerate(lines):
        if (old := _OLD_TITLE_LINE.match(line.strip())) is not None:
            meta.setdefault("title", old.group(1).strip())
            if old.group(2):
                meta.setdefault("author", old.group(2).strip())
        if (found := _FIELD.match(line.strip())) is None:
            continue
        name, value = found.group(1).lower(), [found.group(2).strip()]
        for more in lines[index + 1 :]:  # a long title wraps onto indented lines
            if not more.strip() or _ANY_FIELD.match(more.strip()):
                break
            value.append(more.strip())
        joined = value[0]
        for more in value[1:]:
            joined += (" " if not joined or _MID_PHRASE.search(joined) else ": ") + more
        joined = joined.strip()
        if not joined:
            continue
        if name == "title":
            meta["title"] = joined
        elif name == "author":
            meta["author"] = joined
        elif name == "language":
            code = LANGUAGE_CODES.get(joined.split()[0].strip(",;").casefold(), "")
            if code:
                meta["language"] = code
    return meta


def _without_notes(body: str) -> str:
    """The body without production credits and transcriber's notes.

    A note is a bracketed block ("[Transcriber's Note: …]", to its closing bracket) or a
    "Transcriber's Notes" label with the paragraphs under it: to the end of the book when it
    comes after the text, else up to the next short line (the title page or a heading).
    """
    chunks = body.split("\n\n")
    kept: list[str] = []
    index = 0
    while index < len(chunks):
        chunk = chunks[index].strip()
        if CREDITS.match(chunk):
            index += 1
            continue
        if NOTE_LABEL.match(chunk):
            index = _after_note(chunks, index)
            continue
        kept.append(chunks[index])
        index += 1
    return "\n\n".join(_without_etext_talk(kept))


def _without_etext_talk(chunks: list[str]) -> list[str]:
    """The chunks without an editor's note on the e-text at either edge of the book ("This is
    the February 1992 release of…", the story of how the file was made): from the first
    paragraph that speaks of Project Gutenberg or the e-text to the last one, all of it."""
    front = [i for i in range(min(EDGE_CHUNKS, len(chunks))) if _ETEXT_TALK.search(chunks[i])]
    if front and front[-1] - front[0] < MAX_NOTE_CHUNKS:
        chunks = chunks[: front[0]] + chunks[front[-1] + 1 :]
    back = [i for i in range(max(len(chunks) - EDGE_CHUNKS, 0), len(chunks)) if _ETEXT_TALK.search(chunks[i])]
    if back and back[-1] - back[0] < MAX_NOTE_CHUNKS:
        chunks = chunks[: back[0]] + chunks[back[-1] + 1 :]
    return chunks


def _after_note(chunks: list[str], index: int) -> int:
    """The index of the first chunk after the transcriber's note that starts at `index`."""
    first = chunks[index].strip()
    if first.startswith("["):
        while index < len(chunks) and not chunks[index].rstrip().endswith("]"):
            index += 1
        return index + 1
    body_after = any(len(c.split()) > 40 for c in chunks[index + 1 :])
    index += 1
    if not body_after:  # the note closes the book: nothing after it is the book
        return len(chunks)
    while index < len(chunks) and not (len(chunks[index].split()) <= 8 and "\n" not in chunks[index].strip()):
        index += 1
    return index


def is_marker(line: str) -> str:
    """'start' or 'end' when a line is an e-text's start or end marker, else '': for books
    whose wrapper comes as HTML blocks (an EPUB) rather than one text."""
    line = line.strip()
    if _START.fullmatch(line):
        return "start"
    if _END.fullmatch(line):
        return "end"
    return ""
