"""What a book carries around its text, judged on its blocks: its printed contents, the
e-text's credits and transcriber's notes, the front matter before its opening (a title page,
a publisher's list, a dedication) and what a publisher bound in after "THE END".

Used by html_book.py for a book saved as one page, after the page's own wrapper is cut. The
front and end matter are kept, as back matter (shown by the reader, skipped by narration), not
dropped: the opening is a judgement, and a listener can still ask for them.
"""

from __future__ import annotations

import re

from listen.articles.gutenberg import CREDITS, NOTE_LABEL
from listen.articles.sections import Block

# The first chapter is found by its label, or as the first heading with this much prose under it.
OPENING_WORDS = 60
# Front matter (or what follows "THE END") is at most this share of the book's words.
FRONT_SHARE = 0.15
# The first chapter's label: "CHAPTER I", "Chapter 1", "Chapter One", "BOOK THE FIRST", "I. THE FERRY".
_FIRST = re.compile(
    r"^((chapter|book|part|chapitre|kapitel|cap[ií]tulo|livre|buch|libro)\s+(i|1|one|the\s+first|first|premier|eins|uno)\b|i\b\.?)",
    re.IGNORECASE,
)


def without_contents(blocks: list[Block]) -> list[Block]:
    """The book's printed contents (a heading "CONTENTS" and its lines, linked or not, down to
    the next heading): the reader's own contents list replaces it, and it is never read."""
    from listen.articles.epub_pages import FURNITURE_TITLES
    from listen.articles.plain_lines import CONTENTS

    kept: list[Block] = []
    skipping = False
    for block in blocks:
        if block.kind == "heading":
            skipping = bool(FURNITURE_TITLES.fullmatch(block.text.strip(" .:")) or CONTENTS.match(block.text))
            if skipping:
                continue
        if not skipping:
            kept.append(block)
    return kept


def without_etext_notes(blocks: list[Block]) -> list[Block]:
    """Production credits ("E-text prepared by …") and transcriber's notes, as a paragraph or as
    a section with its heading, are about the e-text, not the book (gutenberg.py drops the
    same from a plain-text e-text)."""
    kept: list[Block] = []
    skip_level = 0  # the level of a transcriber's-notes heading being skipped, 0 when none
    for block in blocks:
        if block.kind == "heading":
            if skip_level and (block.level or 2) <= skip_level:
                skip_level = 0
            if NOTE_LABEL.match(block.text):
                skip_level = block.level or 2
                continue
        if skip_level or CREDITS.match(block.text) or (block.kind == "paragraph" and NOTE_LABEL.match(block.text)):
            continue
        kept.append(block)
    return kept


def with_front_matter(blocks: list[Block]) -> list[Block]:
    """What stands before the book's opening (the title page set as lines or headings, a
    publisher's list, a frontispiece's caption, a dedication) as one section of front matter:
    shown by the reader, skipped by narration like back matter, so the listener starts at the
    preface or the first chapter. Front matter longer than FRONT_SHARE of the book is not
    front matter, and stays as it is."""
    opening = _opening(blocks)
    # A story's title set just above its first part ("A Scandal in Bohemia" over "I") opens it.
    while (
        opening
        and blocks[opening - 1].kind == "heading"
        and (blocks[opening - 1].level or 2) < (blocks[opening].level or 2)
    ):
        opening -= 1
    if not opening:
        return blocks
    front = blocks[:opening]
    if all(b.back_matter for b in front if b.kind == "heading") and front[0].kind == "heading":
        return blocks  # the book marks what it is already (an imprint, a copyright page)
    words = sum(len(b.text.split()) for b in blocks)
    if sum(len(b.text.split()) for b in front) > FRONT_SHARE * words:
        return blocks
    level = blocks[opening].level or 2
    lines = [Block("paragraph", b.text) for b in front]  # a title page's lines are not sections
    return [Block("heading", "Front matter", level, back_matter=True), *lines, *blocks[opening:]]


def _opening(blocks: list[Block]) -> int | None:
    """Where the book begins: the first named part ("PREFACE", "INTRODUCTION") or first
    chapter ("CHAPTER I.", "I. THE FERRY", "Chapter 1"); failing those, the first labelled
    heading; failing that, the first heading with a page of prose under it."""
    from listen.articles.plain_lines import one_line

    labelled: list[int] = []
    for index, block in enumerate(blocks):
        if block.kind != "heading":
            continue
        candidate = one_line(block.text)
        styles = candidate.styles if candidate is not None else frozenset()
        numbered = any(s.startswith(("chapter ", "roman")) for s in styles - {"chapter named"})
        if "chapter named" in styles or (numbered and _FIRST.match(block.text)):
            return index
        if numbered:
            labelled.append(index)
    if labelled:
        return labelled[0]
    for index, block in enumerate(blocks):
        if block.kind == "heading" and _prose_under(blocks, index) >= OPENING_WORDS:
            return index
    return None


def _prose_under(blocks: list[Block], index: int) -> int:
    words = 0
    for block in blocks[index + 1 :]:
        if block.kind == "heading":
            break
        words += len(block.text.split())
    return words


def with_end_matter(blocks: list[Block]) -> list[Block]:
    """ "THE END" closes the last chapter (it is read, as the author set it); what a publisher
    bound in after it (a list of the series, an advertisement) is back matter."""
    from listen.articles.plain_lines import END_MARK

    ends = [i for i, b in enumerate(blocks) if END_MARK.match(b.text)]
    if not ends:
        return blocks
    end = ends[-1]
    after = blocks[end + 1 :]
    words = sum(len(b.text.split()) for b in blocks)
    if sum(len(b.text.split()) for b in after) > FRONT_SHARE * words:
        return blocks
    kept = [*blocks[:end], Block("paragraph", blocks[end].text)]
    if any(b.kind == "paragraph" for b in after):
        level = min((b.level or 2 for b in blocks[:end] if b.kind == "heading"), default=2)
        kept += [Block("heading", "After the end", level, back_matter=True)]
        kept += [Block("paragraph", b.text) for b in after]
    return kept
