"""Large text: the reading text drawn as big letters made of block characters, reflowed.

Bold or a bigger terminal font is not the same thing: a low-vision reader needs each letter
several rows tall without losing the rest of the desktop. Letters come from FIGlet fonts
(pyfiglet, a maintained renderer) whose glyphs are quadrant blocks: at level 2 the body uses
"smblock" (every letter at least 3 rows tall), at level 3 "mono9"; headings one step bigger.
Glyphs are laid side by side without smushing, so each source character owns known columns:
that is what lets find mark a hit inside big letters. Words wrap to the window, and each
row of big letters is followed by a blank row, for line spacing.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from listen.tui.layout import Block, Line

FONTS = {2: ("smblock", "mono9"), 3: ("mono9", "mono12")}  # level -> (body, headings)
LARGE_KINDS = ("title", "heading")
ASCII_FOR = {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "\u00a0": " "}


@dataclass(frozen=True)
class Font:
    name: str
    height: int
    glyphs: dict[str, tuple[str, ...]]

    def width(self, text: str) -> int:
        return sum(len(self.glyphs[c][0]) for c in text)


@dataclass(frozen=True)
class BigRow:
    """One wrapped row of source text and the rows of block characters that draw it."""

    source: str
    columns: tuple[int, ...]  # the first column of each source character, then the row's width
    rows: tuple[str, ...]


@lru_cache(maxsize=8)
def load_font(name: str) -> Font:
    from pyfiglet import FigletFont  # loaded only when someone asks for large text

    figlet = FigletFont(name)
    glyphs: dict[str, tuple[str, ...]] = {}
    for code in range(32, 127):
        rows = figlet.chars.get(code)
        if rows:
            width = max(len(row) for row in rows)
            glyphs[chr(code)] = tuple(row.replace(figlet.hardBlank, " ").ljust(width) for row in rows)
    return Font(name, figlet.height, glyphs)


def plain_ascii(text: str, font: Font) -> str:
    """The text in characters the font has: typographic quotes straightened, accents dropped."""
    out = []
    for character in " ".join(text.split()):
        character = ASCII_FOR.get(character, character)
        if len(character) == 1 and character not in font.glyphs:
            character = unicodedata.normalize("NFKD", character).encode("ascii", "ignore").decode() or "?"
        out.append("".join(c if c in font.glyphs else "?" for c in character))
    return "".join(out)


def big_rows(text: str, width: int, font: Font) -> list[BigRow]:
    """Greedy word wrap measured in the font's cells; a word wider than a row is cut."""
    words = plain_ascii(text, font).split(" ")
    space = font.width(" ")
    rows: list[str] = []
    line = ""
    for word in words:
        while font.width(word) > width:
            if line:
                rows.append(line)
                line = ""
            cut = 1
            while cut < len(word) and font.width(word[: cut + 1]) <= width:
                cut += 1
            rows.append(word[:cut])
            word = word[cut:]
        if not line:
            line = word
        elif font.width(line) + space + font.width(word) <= width:
            line = f"{line} {word}"
        else:
            rows.append(line)
            line = word
    if line or not rows:
        rows.append(line)
    return [draw(source, font) for source in rows]


def draw(source: str, font: Font) -> BigRow:
    columns = [0]
    for character in source:
        columns.append(columns[-1] + len(font.glyphs[character][0]))
    rows = tuple("".join(font.glyphs[c][r] for c in source).rstrip() for r in range(font.height))
    return BigRow(source, tuple(columns), rows)


def layout_large(blocks: list[Block], width: int, level: int) -> tuple[list[Line], list[int], dict[int, BigRow]]:
    """Like layout_blocks, in big letters: lines, each block's first line, and each line's BigRow."""
    body, headings = (load_font(name) for name in FONTS[level])
    lines: list[Line] = []
    starts: list[int] = []
    sources: dict[int, BigRow] = {}
    for number, block in enumerate(blocks):
        starts.append(len(lines))
        font = headings if block.kind in LARGE_KINDS else body
        for big in big_rows(block.text, width, font):
            for row in big.rows:
                sources[len(lines)] = big
                lines.append(Line(number, block.kind, row or " ", max(1, len(row))))
            lines.append(Line(number, block.kind, " ", 1))  # line spacing inside the block
        lines.append(Line(number, block.kind, "", 0))
    return lines, starts, sources


def hit_columns(big: BigRow, query: str) -> list[tuple[int, int]]:
    """The column ranges of `big`'s rows that draw an occurrence of `query`."""
    needle = query.casefold()
    haystack = big.source.casefold()
    spans = []
    start = haystack.find(needle) if needle and len(haystack) == len(big.source) else -1
    while start >= 0:
        spans.append((big.columns[start], big.columns[start + len(needle)]))
        start = haystack.find(needle, start + len(needle))
    return spans
