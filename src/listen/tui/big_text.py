"""Large text: the reading text drawn as big letters made of block characters, reflowed.

Bold or a bigger terminal font is not the same thing: a low-vision reader needs each letter
several rows tall without losing the rest of the desktop. Letters come from FIGlet fonts
(pyfiglet, a maintained renderer), chosen by looking at them at 80 and 120 columns (issue 14):
at level 2 "ansi_regular", every letter 5 rows tall in strokes of whole blocks (the quadrant
fonts "smblock", 3 rows, and "smmono12", 5 rows in half-cell strokes, read as broken lines);
at level 3 "blocky", every letter 7 rows tall. Headings take the next font up only where a
line of it still holds HEADING_CHARS characters, so a heading is never one word a screen.
Both fonts draw capitals only: at this size the shapes of capitals are the easier to tell.
Glyphs are laid side by side without smushing, so each source character owns known columns:
that is what lets find mark a hit inside big letters. Words wrap to the window, and each
row of big letters is followed by a blank row, for line spacing.

The same letters draw the library, help, contents, bookmarks, settings and the status line
(`big_lines`), so large text does not stop at the reader.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from listen.articles.reading import ReadingBlock
from listen.tui.layout import Line

FONTS = {2: ("ansi_regular", "blocky"), 3: ("blocky", "blocky")}  # level -> (body, headings)
FALLBACK = "blocky"  # glyphs a font lacks (ansi_regular has no quotes, +, =, |) come from here
HEADING_CHARS = 12  # fewest characters a line of a heading's bigger font must hold
LARGE_KINDS = ("title", "heading")
ASCII_FOR = {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "\u00a0": " "}
STRAIGHTENED = str.maketrans(ASCII_FOR)


@dataclass(frozen=True)
class Font:
    name: str
    height: int
    glyphs: dict[str, tuple[str, ...]]

    def width(self, text: str) -> int:
        return sum(map(self.widths.__getitem__, text))

    @property
    def widths(self) -> dict[str, int]:
        """Each glyph's width in cells (measured once per font: wrapping asks for it a lot)."""
        return _widths(self.name)


@dataclass(frozen=True)
class BigRow:
    """One wrapped row of source text and the rows of block characters that draw it."""

    source: str
    columns: tuple[int, ...]  # the first column of each source character, then the row's width
    rows: tuple[str, ...]


@lru_cache(maxsize=8)
def load_font(name: str) -> Font:
    glyphs = figlet_glyphs(name)
    height = len(glyphs["A"])
    # Rows blank in every glyph (above the capitals, below the descenders) are only lost space.
    inked = [r for r in range(height) if any(rows[r].strip() for rows in glyphs.values())]
    top, bottom = (inked[0], inked[-1] + 1) if inked else (0, height)
    glyphs = {c: rows[top:bottom] for c, rows in glyphs.items()}
    height = bottom - top
    if name != FALLBACK:  # cut or padded to this font's height, from the top
        for character, rows in load_font(FALLBACK).glyphs.items():
            if character not in glyphs:
                blank = (" " * len(rows[0]),) * max(0, height - len(rows))
                glyphs[character] = (*rows[:height], *blank)
    return Font(name, height, glyphs)


def figlet_glyphs(name: str) -> dict[str, tuple[str, ...]]:
    from pyfiglet import FigletFont  # loaded only when someone asks for large text

    figlet = FigletFont(name)
    glyphs: dict[str, tuple[str, ...]] = {}
    for code in range(32, 127):
        rows = figlet.chars.get(code)
        if rows:
            width = max(len(row) for row in rows)
            glyphs[chr(code)] = tuple(row.replace(figlet.hardBlank, " ").ljust(width) for row in rows)
    return glyphs


def fonts(level: int, width: int) -> tuple[Font, Font]:
    """The (body, headings) fonts of `level` for a window `width` cells wide."""
    body, headings = (load_font(name) for name in FONTS[level])
    if width // max(1, headings.width("n")) < HEADING_CHARS:
        headings = body
    return body, headings


def big_lines(text: str, width: int, level: int, *, heading: bool = False, most: int = 0) -> list[str]:
    """`text` in big letters wrapped to `width` cells: the rows of each line of letters, then a
    blank row. For lists and messages; the reader lays out with layout_large.

    `most` (if not 0) lines of letters at most, the last ending "..." when the text is longer.
    """
    body, headings = fonts(level, width)
    font = headings if heading else body
    rows = big_rows(text, width, font)
    if most and len(rows) > most:  # the last line filled with as much as fits, then "..."
        last = " ".join(big.source for big in rows[most - 1 :])
        while last and font.width(last + "...") > width:
            last = last[:-1]
        rows = [*rows[: most - 1], draw(last.rstrip() + "...", font)]
    # A font with a row for descenders (blank under every capital) has its line spacing built
    # in: one more blank row only after the last line, to part this text from the next.
    spaced = bool(font.glyphs["A"][-1].strip())
    lines: list[str] = []
    for number, big in enumerate(rows):
        lines.extend(big.rows)
        if spaced or number == len(rows) - 1:
            lines.append("")
    return lines


@lru_cache(maxsize=16)
def _widths(name: str) -> dict[str, int]:
    return {character: len(rows[0]) for character, rows in load_font(name).glyphs.items()}


def plain_ascii(text: str, font: Font) -> str:
    """The text in characters the font has: typographic quotes straightened, accents dropped."""
    clean = " ".join(text.split()).translate(STRAIGHTENED)
    if clean.isascii() and clean.isprintable() and all(c in font.glyphs for c in set(clean)):
        return clean  # the common case, without a look at each character
    return "".join(c if c in font.glyphs else unaccented(c, font) for c in clean)


def unaccented(character: str, font: Font) -> str:
    """'é' → 'e'; a character with no ASCII form (or none the font has) → '?'."""
    plain = unicodedata.normalize("NFKD", character).encode("ascii", "ignore").decode()
    return "".join(c if c in font.glyphs else "?" for c in plain) or "?"


def big_rows(text: str, width: int, font: Font) -> list[BigRow]:
    """Greedy word wrap measured in the font's cells; a word wider than a row is cut."""
    return [draw(source, font) for source in wrapped(text, width, font)]


def wrapped(text: str, width: int, font: Font) -> list[str]:
    """The text of each row of big letters, before any is drawn (drawing is the slow part).

    Widths are added up as the line grows, not measured again for each word: a library of
    10,000 titles is wrapped at every change of size.
    """
    widths = font.widths
    words = plain_ascii(text, font).split(" ")
    space = widths[" "]
    rows: list[str] = []
    line, used = "", 0
    for word in words:
        size = sum(map(widths.__getitem__, word))
        while size > width:  # a word wider than a row is cut across rows
            if line:
                rows.append(line)
                line, used = "", 0
            cut, taken = 0, 0
            while cut < len(word) and (taken + widths[word[cut]] <= width or cut == 0):
                taken += widths[word[cut]]
                cut += 1
            rows.append(word[:cut])
            word, size = word[cut:], size - taken
        if not line:
            line, used = word, size
        elif used + space + size <= width:
            line, used = f"{line} {word}", used + space + size
        else:
            rows.append(line)
            line, used = word, size
    if line or not rows:
        rows.append(line)
    return rows


def draw(source: str, font: Font) -> BigRow:
    columns = [0]
    for character in source:
        columns.append(columns[-1] + len(font.glyphs[character][0]))
    rows = tuple("".join(font.glyphs[c][r] for c in source).rstrip() for r in range(font.height))
    return BigRow(source, tuple(columns), rows)


def layout_large(blocks: list[ReadingBlock], width: int, level: int) -> tuple[list[Line], list[int], dict[int, BigRow]]:
    """Like layout_blocks, in big letters: lines, each block's first line, and each line's BigRow."""
    body, headings = fonts(level, width)
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


@lru_cache(maxsize=4096)
def entry_rows(text: str, width: int, level: int, scale: bool = False) -> tuple[tuple[str, int], ...]:
    """One entry of a list (an article's title) in large text: its rows, each with the scale
    the terminal draws it at (0: drawn as it is, in big letters or blank).

    Wrapped, never cut: a low-vision reader needs the whole title as much as anyone. With the
    terminal's own scaled text (text_sizing.py) each wrapped line is a row of real text, then
    the rows its glyphs cover and a row of spacing; otherwise the big letters of big_lines.
    """
    if scale:
        from listen.tui.layout import wrap

        rows: list[tuple[str, int]] = []
        for line, _ in wrap(" ".join(text.split()), max(1, width // level)):
            rows.append((line, level))
            rows.extend((" ", 0) for _ in range(level))
        return tuple(rows) or (("", 0),)
    return tuple((row, 0) for row in big_lines(text, width, level))


def entry_height(text: str, width: int, level: int, scale: bool = False) -> int:
    """len(entry_rows(...)) without drawing a letter: a library of 10,000 titles is measured
    in a fraction of a second, and only the entries on screen are drawn."""
    if scale:
        from listen.tui.layout import wrap

        return len(wrap(" ".join(text.split()), max(1, width // level))) * (level + 1)
    body, _ = fonts(level, width)
    lines = len(wrapped(text, width, body))
    spaced = bool(body.glyphs["A"][-1].strip())
    return lines * body.height + (lines if spaced else 1)
