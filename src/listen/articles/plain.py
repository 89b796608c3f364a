"""Plain text, the commonest case: scraped news with a title line and blank-line paragraphs.

The first non-empty line is the title; a short quoted or italic paragraph right after it is
the standfirst; a short line with no closing punctuation and blank lines around it starts a
section. Hard-wrapped lines are joined; list lines keep their own paragraph.
"""

from __future__ import annotations

import re

from listen.articles.sections import Block, Draft

MAX_TITLE_WORDS = 30
MAX_STANDFIRST_WORDS = 45
MAX_HEADING_WORDS = 12
MAX_HEADING_CHARS = 80

_LIST_ITEM = re.compile(r"^([-*•–]|\d{1,3}[.)])\s+")
_QUOTES = ("\"", "“", "”", "'", "‘", "’", "«", "»", "„")
_ITALIC = re.compile(r"^([*_])(?!\1)(.+?)\1$")
_CLOSING = tuple(".!?,;:…") + _QUOTES + (")", "]")


def parse_plain(text: str, fallback_title: str) -> Draft:
    chunks = [c for c in text.split("\n\n") if c.strip()]
    if not chunks:
        return Draft(fallback_title, ())
    first_lines = chunks[0].split("\n")
    title = first_lines[0]
    if len(title.split()) > MAX_TITLE_WORDS:
        title, rest = fallback_title, chunks
    else:
        rest = (["\n".join(first_lines[1:])] if len(first_lines) > 1 else []) + chunks[1:]
    standfirst = ""
    if rest and (found := standfirst_of(rest[0])):
        standfirst, rest = found, rest[1:]
    blocks: list[Block] = []
    for index, chunk in enumerate(rest):
        if looks_like_heading(chunk) and index + 1 < len(rest):
            blocks.append(Block("heading", chunk, 2))
        else:
            blocks.extend(Block("paragraph", p) for p in paragraphs_of(chunk))
    return Draft(title, tuple(blocks), standfirst)


def standfirst_of(chunk: str) -> str:
    """The standfirst if `chunk` is a short quoted or italic line, else ''."""
    line = " ".join(chunk.split())
    if len(line.split()) > MAX_STANDFIRST_WORDS:
        return ""
    if (italic := _ITALIC.match(line)) is not None:
        return italic.group(2).strip()
    if line.startswith(_QUOTES) and line.rstrip(".").endswith(_QUOTES):
        return line
    return ""


def looks_like_heading(chunk: str) -> bool:
    if "\n" in chunk or len(chunk) > MAX_HEADING_CHARS or len(chunk.split()) > MAX_HEADING_WORDS:
        return False
    if chunk.endswith(_CLOSING) or _LIST_ITEM.match(chunk):
        return False
    return chunk[0].isupper() or chunk[0].isdigit()


def paragraphs_of(chunk: str) -> list[str]:
    """Join hard-wrapped lines into one paragraph; keep list items as separate paragraphs."""
    paragraphs: list[str] = []
    for line in chunk.split("\n"):
        if not line:
            continue
        if paragraphs and not _LIST_ITEM.match(line):
            paragraphs[-1] += " " + line
        else:
            paragraphs.append(line)
    return paragraphs
