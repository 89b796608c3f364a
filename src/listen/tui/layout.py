"""An Article as the reader shows it: blocks in reading order, reflowed into lines.

Plain functions without Textual, so they are cheap to test and fast enough to reflow a
100,000-word article on every change of terminal width.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple, overload

from rich.cells import cell_len

from listen.articles.reading import ReadingBlock

__all__ = [
    "Line",
    "Reflow",
    "layout_blocks",
    "line_count",
    "wrap",
    "wrap_block",
]


class Line(NamedTuple):
    """One row of reflowed text, with the block it belongs to ("" text for the gap after it).

    A NamedTuple rather than a frozen dataclass: a long article has tens of thousands of
    lines, and tuples are several times cheaper to make.
    """

    block: int
    kind: str
    text: str
    cells: int


def layout_blocks(blocks: list[ReadingBlock], measure: int) -> tuple[list[Line], list[int]]:
    """Reflow every block to `measure` cells; return the lines and each block's first line."""
    lines: list[Line] = []
    starts: list[int] = []
    for number, block in enumerate(blocks):
        starts.append(len(lines))
        for text, cells in wrap_block(block, measure):
            lines.append(Line(number, block.kind, text, cells))
        lines.append(Line(number, block.kind, "", 0))
    return lines, starts


class Reflow(Sequence[Line]):
    """Every block's lines at one measure, wrapped only when a line is asked for.

    Opening or resizing needs only how many lines each block takes (for the scroll height,
    the block's first line and paging): that is counted, not built. A block's Line tuples
    are made the first time one of its lines is read (drawn, or looked up) and kept, so a
    100,000-word article costs a count, plus the few screenfuls that are actually shown.
    """

    def __init__(self, blocks: Sequence[ReadingBlock], measure: int) -> None:
        self.blocks = blocks
        self.measure = measure
        counts = [  # + the gap after each block
            (len(code_lines(block.text, measure)) if block.kind == "code" else line_count(block.text, measure)) + 1
            for block in blocks
        ]
        self.starts: list[int] = [0, *accumulate(counts)][:-1] if counts else []
        self._total = sum(counts)
        self._built: dict[int, list[Line]] = {}

    def __len__(self) -> int:
        return self._total

    @overload
    def __getitem__(self, index: int) -> Line: ...

    @overload
    def __getitem__(self, index: slice) -> list[Line]: ...

    def __getitem__(self, index: int | slice) -> Line | list[Line]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._total))]
        if index < 0:
            index += self._total
        if not 0 <= index < self._total:
            raise IndexError("line index out of range")
        number = bisect_right(self.starts, index) - 1
        return self.block(number)[index - self.starts[number]]

    def block(self, number: int) -> list[Line]:
        """The lines of block `number`, the last one being the gap after it."""
        lines = self._built.get(number)
        if lines is None:
            block = self.blocks[number]
            lines = [Line(number, block.kind, text, cells) for text, cells in wrap_block(block, self.measure)]
            lines.append(Line(number, block.kind, "", 0))
            self._built[number] = lines
        return lines


def wrap_block(block: ReadingBlock, width: int) -> list[tuple[str, int]]:
    """A block's lines: prose wrapped at word boundaries, code as written (see code_lines)."""
    return code_lines(block.text, width) if block.kind == "code" else wrap(block.text, width)


def code_lines(text: str, width: int) -> list[tuple[str, int]]:
    """Code keeps its line breaks and indentation; a line wider than `width` is cut across rows
    (never re-wrapped at spaces, which would change what the code says)."""
    out: list[tuple[str, int]] = []
    for raw in text.expandtabs(4).rstrip("\n").split("\n"):
        line = raw.rstrip()
        if not line:
            out.append((" ", 1))  # a blank line inside code stays a (non-empty) row
            continue
        while cell_len(line) > width:
            head, line = cut(line, width)
            out.append((head, cell_len(head)))
        out.append((line, cell_len(line)))
    return out or [("", 0)]


def line_count(text: str, width: int) -> int:
    """How many lines `wrap(text, width)` makes, without making them (ASCII: one regex scan)."""
    if text.isascii():
        return len(ascii_line_pattern(width).findall(normalized(text))) or 1
    return len(wrap(text, width))


def normalized(text: str) -> str:
    """Runs of whitespace as single spaces, ends trimmed; most paragraphs already are."""
    if text[:1].isspace() or text[-1:].isspace() or any(space in text for space in OTHER_SPACES):
        return " ".join(text.split())
    return text


# What str.split() splits ASCII at, besides a single space ("  " is two spaces): each is
# looked for with `in`, a fast scan in C; a regular expression class is several times slower.
OTHER_SPACES = ("  ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")


def wrap(text: str, width: int) -> list[tuple[str, int]]:
    """Greedy word wrap by terminal cells; a word longer than a line is cut across lines.

    ASCII text (one cell per character) is wrapped by a regular expression, in C, which is
    what lets a 100,000-word article reflow in a few milliseconds.
    """
    if text.isascii():
        lines = ascii_line_pattern(width).findall(normalized(text))
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
