"""An Article as the reader shows it: blocks in reading order, reflowed into lines.

Plain functions without Textual, so they are cheap to test and fast enough to reflow a
100,000-word article on every change of terminal width.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from rich.cells import cell_len

from listen.articles.model import Article
from listen.state import Position


@dataclass(frozen=True)
class Block:
    """One thing the reader can stand on: the title, the standfirst, a heading or a paragraph."""

    kind: str  # "title", "standfirst", "heading" or "paragraph"
    text: str
    section: int
    paragraph: int  # -1 for the title, standfirst and headings

    @property
    def position(self) -> Position:
        return Position(self.section, self.paragraph)


class Line(NamedTuple):
    """One row of reflowed text, with the block it belongs to ("" text for the gap after it).

    A NamedTuple rather than a frozen dataclass: a long article has tens of thousands of
    lines, and tuples are several times cheaper to make.
    """

    block: int
    kind: str
    text: str
    cells: int


def build_blocks(article: Article) -> list[Block]:
    """Blocks in reading order. The first section's heading is skipped when it repeats the title."""
    blocks = [Block("title", article.title, 0, -1)]
    if article.standfirst:
        blocks.append(Block("standfirst", article.standfirst, 0, -1))
    for number, section in enumerate(article.sections):
        same_as_title = number == 0 and section.heading.strip() == article.title.strip()
        if section.heading and not same_as_title:
            blocks.append(Block("heading", section.heading, number, -1))
        for index, paragraph in enumerate(section.paragraphs):
            blocks.append(Block("paragraph", paragraph, number, index))
    return blocks


def layout_blocks(blocks: list[Block], measure: int) -> tuple[list[Line], list[int]]:
    """Reflow every block to `measure` cells; return the lines and each block's first line."""
    lines: list[Line] = []
    starts: list[int] = []
    for number, block in enumerate(blocks):
        starts.append(len(lines))
        for text, cells in wrap(block.text, measure):
            lines.append(Line(number, block.kind, text, cells))
        lines.append(Line(number, block.kind, "", 0))
    return lines, starts


def wrap(text: str, width: int) -> list[tuple[str, int]]:
    """Greedy word wrap by terminal cells; a word longer than a line is cut across lines.

    ASCII text (one cell per character) is wrapped by a regular expression, in C, which is
    what lets a 100,000-word article reflow in a few milliseconds.
    """
    if text.isascii():
        lines = ascii_line_pattern(width).findall(" ".join(text.split()))
        return [(line, len(line)) for line in lines] or [("", 0)]
    out: list[tuple[str, int]] = []
    words: list[str] = []
    used = 0
    for word in text.split():
        size = len(word) if word.isascii() else cell_len(word)
        while size > width:
            if words:
                out.append((" ".join(words), used))
                words, used = [], 0
            head, word = cut(word, width)
            out.append((head, cell_len(head)))
            size = len(word) if word.isascii() else cell_len(word)
        needed = size if not words else used + 1 + size
        if needed > width:
            out.append((" ".join(words), used))
            words, used = [word], size
        else:
            words.append(word)
            used = needed
    if words or not out:
        out.append((" ".join(words), used))
    return out


@lru_cache(maxsize=16)
def ascii_line_pattern(width: int) -> re.Pattern[str]:
    """The longest run of at most `width` characters ending before a space, or a cut word."""
    return re.compile(rf"\S.{{0,{width - 1}}}(?=\s|$)|\S{{{width}}}")


def cut(word: str, width: int) -> tuple[str, str]:
    end = 0
    while end < len(word) and cell_len(word[: end + 1]) <= width:
        end += 1
    end = max(1, end)
    return word[:end], word[end:]


def block_for(blocks: list[Block], position: Position) -> int:
    """The block a saved position names, or the nearest one before it if the text changed."""
    best = 0
    for number, block in enumerate(blocks):
        if block.position == position:
            return number
        if (block.section, block.paragraph) <= (position.section, position.paragraph):
            best = number
    return best


def find_blocks(blocks: list[Block], query: str) -> list[int]:
    """Blocks whose text contains `query`, ignoring case."""
    needle = query.casefold()
    if not needle:
        return []
    return [n for n, block in enumerate(blocks) if needle in block.text.casefold()]


def section_starts(blocks: list[Block]) -> list[int]:
    """The first block of each section (its heading, or the title for the lead section)."""
    starts: list[int] = []
    seen: set[int] = set()
    for number, block in enumerate(blocks):
        if block.section not in seen:
            seen.add(block.section)
            starts.append(0 if block.section == 0 else number)
    return starts
