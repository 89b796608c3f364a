"""An Article as the reader shows it: blocks in reading order, reflowed into lines.

Plain functions without Textual, so they are cheap to test and fast enough to reflow a
100,000-word article on every change of terminal width.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from rich.cells import cell_len

from listen.plain.reading import Block, block_for, build_blocks, find_blocks, section_starts

__all__ = ["Block", "Line", "block_for", "build_blocks", "find_blocks", "layout_blocks", "section_starts", "wrap"]


class Line(NamedTuple):
    """One row of reflowed text, with the block it belongs to ("" text for the gap after it).

    A NamedTuple rather than a frozen dataclass: a long article has tens of thousands of
    lines, and tuples are several times cheaper to make.
    """

    block: int
    kind: str
    text: str
    cells: int


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
