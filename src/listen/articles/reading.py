"""An article in reading order: the blocks a reader stands on, shared by the TUI and line mode.

Plain functions over the Article model, without Textual or any terminal, so the full-screen
reader and line mode (`listen read --plain`) move by the same paragraphs, sections and
matches, and a position saved by one is found by the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from listen.articles.model import Article
from listen.state import Position


@dataclass(frozen=True)
class ReadingBlock:
    """One thing the reader can stand on: the title, the standfirst, a heading or a paragraph."""

    kind: str  # "title", "standfirst", "heading" or "paragraph"
    text: str
    section: int
    paragraph: int  # -1 for the title, standfirst and headings

    @property
    def position(self) -> Position:
        return Position(self.section, self.paragraph)


def build_blocks(article: Article) -> list[ReadingBlock]:
    """Blocks in reading order. The first section's heading is skipped when it repeats the title."""
    blocks = [ReadingBlock("title", article.title, 0, -1)]
    if article.standfirst:
        blocks.append(ReadingBlock("standfirst", article.standfirst, 0, -1))
    for number, section in enumerate(article.sections):
        same_as_title = number == 0 and section.heading.strip() == article.title.strip()
        if section.heading and not same_as_title:
            blocks.append(ReadingBlock("heading", section.heading, number, -1))
        for index, paragraph in enumerate(section.paragraphs):
            blocks.append(ReadingBlock("paragraph", paragraph, number, index))
    return blocks


def block_for(blocks: list[ReadingBlock], position: Position) -> int:
    """The block a saved position names, or the nearest one before it if the text changed."""
    best = 0
    for number, block in enumerate(blocks):
        if block.position == position:
            return number
        if (block.section, block.paragraph) <= (position.section, position.paragraph):
            best = number
    return best


def find_blocks(blocks: list[ReadingBlock], query: str) -> list[int]:
    """Blocks whose text contains `query`, ignoring case."""
    needle = query.casefold()
    if not needle:
        return []
    return [n for n, block in enumerate(blocks) if needle in block.text.casefold()]


def section_starts(blocks: list[ReadingBlock]) -> list[int]:
    """The first block of each section: its heading, or the title for a lead section that has
    none of its own.

    A first section with a heading of its own starts at that heading, not at the title above
    it: otherwise "next section" from the top skips it, and Contents item 1 lands on the title.
    """
    starts: list[int] = []
    seen: set[int] = set()
    for number, block in enumerate(blocks):
        if block.kind in ("title", "standfirst"):
            continue
        if block.section not in seen:
            seen.add(block.section)
            starts.append(0 if block.section == 0 and block.kind != "heading" else number)
    return starts or [0]
