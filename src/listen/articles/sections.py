"""Plan an article's sections: the one list both the reader's headings and the narrator's
chapters come from.

Loaders turn a file into a Draft (title, standfirst, metadata and a flat list of heading and
paragraph blocks). `plan_article` drops boilerplate paragraphs, groups the blocks under their
headings and, when an article has no headings at all, splits a long body at paragraph
boundaries into parts of roughly even length, titled from their first words.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from listen.articles.back_matter import is_back_matter, only_at_the_end
from listen.articles.boilerplate import is_boilerplate
from listen.articles.model import Article, Section, count_words

# A headless article is split into parts of about this many words (300–600 each).
PART_WORDS = 450
MAX_PART_WORDS = 600
TITLE_WORDS = 6


@dataclass(frozen=True)
class Block:
    """One heading, paragraph or code block. `back_matter` on a heading is what the loader knows:
    True when the document's own semantics (an EPUB's epub:type) say it opens back matter,
    False when they say it cannot (a sub-sub-section of a book's chapter named "Footnotes"),
    None when only its name can tell."""

    kind: Literal["heading", "paragraph", "code"]
    text: str
    level: int = 0
    back_matter: bool | None = None


@dataclass(frozen=True)
class Draft:
    """What a loader found, before planning: no decisions about sections yet."""

    title: str
    blocks: tuple[Block, ...]
    standfirst: str = ""
    meta: dict[str, str] = field(default_factory=dict)


def plan_article(draft: Draft, *, language: str, path: Path | None = None) -> Article:
    blocks = [b for b in draft.blocks if b.text and not (b.kind == "paragraph" and is_boilerplate(b.text))]
    sections = plan_sections(draft.title, blocks)
    return Article(
        title=draft.title,
        standfirst="" if is_boilerplate(draft.standfirst) else draft.standfirst,
        sections=sections,
        author=draft.meta.get("author", ""),
        source=draft.meta.get("source", ""),
        date=draft.meta.get("date", ""),
        language=language,
        path=path,
    )


def plan_sections(title: str, blocks: list[Block]) -> tuple[Section, ...]:
    """Group blocks under their headings; split a long article that has none.

    A section headed like back matter ("References", "See also"…) is marked as such, and so
    is every deeper section under it, until a heading at its level or above. A name that is
    also a topic ("Sources", "Literature") counts only in the article's closing run.
    """
    sections: list[Section] = []
    heading, level = title, 1
    paragraphs: list[str] = []
    code: set[int] = set()
    back_level = 0  # the level of the back-matter heading we are under, 0 when none
    topical: list[bool] = []  # per section: back matter only by a name that is also a topic
    by_topic = False

    def close() -> None:
        back = bool(back_level) and heading != title
        sections.append(Section(heading, tuple(paragraphs), level, frozenset(code), back))
        topical.append(back and by_topic)

    for block in blocks:
        if block.kind == "heading":
            if paragraphs or heading != title or sections:
                close()
            heading, level, paragraphs, code = block.text, block.level or 2, [], set()
            if back_level and level <= back_level:
                back_level = 0
            if not back_level and (block.back_matter or (block.back_matter is None and is_back_matter(heading))):
                back_level = level
                by_topic = block.back_matter is None and only_at_the_end(heading)
        else:
            if block.kind == "code":
                code.add(len(paragraphs))
            paragraphs.append(block.text)
    if paragraphs or heading != title:
        close()
    sections = read_topics_not_at_the_end(sections, topical)
    if len(sections) == 1 and sections[0].heading == title and not sections[0].code:
        return split_evenly(title, sections[0].paragraphs)
    return tuple(sections)


def read_topics_not_at_the_end(sections: list[Section], topical: list[bool]) -> list[Section]:
    """Unmark sections that are back matter only by a topical name when they stand among the
    article's text: back matter closes an article or, as a book's copyright page does, opens it
    before any text. Elsewhere the name is a topic of the article."""
    opening = [True] * len(sections)  # nothing before this section but back matter or an empty title
    for i in range(1, len(sections)):
        before = sections[i - 1]
        opening[i] = opening[i - 1] and (before.back_matter or (i - 1 == 0 and not before.paragraphs))
    closing = True  # every section after this one is back matter
    kept = list(sections)
    for i in range(len(kept) - 1, -1, -1):
        if topical[i] and not closing and not opening[i]:
            kept[i] = replace(kept[i], back_matter=False)
        closing = closing and kept[i].back_matter
    return kept


def split_evenly(title: str, paragraphs: tuple[str, ...]) -> tuple[Section, ...]:
    """Split a headless body at paragraph boundaries into parts of roughly even length."""
    total = sum(count_words(p) for p in paragraphs)
    parts = max(1, round(total / PART_WORDS))
    if parts == 1 and total > MAX_PART_WORDS:
        parts = 2
    if parts == 1:
        return (Section(title, paragraphs, 1),)
    target = total / parts
    groups: list[list[str]] = [[]]
    done = 0
    for paragraph in paragraphs:
        groups[-1].append(paragraph)
        done += count_words(paragraph)
        if done >= target * len(groups) and len(groups) < parts:
            groups.append([])
    groups = [g for g in groups if g]
    sections = [Section(title, tuple(groups[0]), 1)]
    sections += [Section(title_from_words(g[0]), tuple(g), 2) for g in groups[1:]]
    return tuple(sections)


def title_from_words(paragraph: str) -> str:
    """'The council voted late on…': a part's title from its first words, never more."""
    words = paragraph.split()
    title = " ".join(words[:TITLE_WORDS]).rstrip(".,;:!?")
    return title + ("…" if len(words) > TITLE_WORDS else "")
