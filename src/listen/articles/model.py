"""The one model of an article that the reader, the narrator and the publisher share."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# A comfortable narration pace for English news text; used for estimates only.
WORDS_PER_MINUTE = 160


@dataclass(frozen=True)
class Section:
    """A heading and the paragraphs under it. The narrator makes one chapter per section.

    `code` holds the indices of paragraphs that are code blocks (their text keeps its line
    breaks and indentation); `back_matter` marks references, notes, see also and the like.
    Both are part of the article and shown by the reader; narration replaces a code block
    with a short spoken cue and skips back matter unless the listener asks for them.
    """

    heading: str
    paragraphs: tuple[str, ...]
    level: int = 2
    code: frozenset[int] = frozenset()
    back_matter: bool = False

    @property
    def words(self) -> int:
        return count_words(self.heading) + sum(count_words(p) for p in self.paragraphs)

    def is_code(self, index: int) -> bool:
        return index in self.code


@dataclass(frozen=True)
class Article:
    """A cleaned article: what a careful editor would keep, never a word invented."""

    title: str
    sections: tuple[Section, ...]
    standfirst: str = ""
    author: str = ""
    source: str = ""
    date: str = ""
    language: str = "en"
    path: Path | None = field(default=None, compare=False)

    @property
    def words(self) -> int:
        body = sum(count_words(p) for s in self.sections for p in s.paragraphs)
        return count_words(self.title) + count_words(self.standfirst) + body

    @property
    def listening_minutes(self) -> float:
        return self.words / WORDS_PER_MINUTE

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(p for s in self.sections for p in s.paragraphs)


def content_dict(article: Article) -> dict:
    """The article's content as plain data: for JSON output and for content hashes."""
    return {
        "title": article.title,
        "standfirst": article.standfirst,
        "author": article.author,
        "source": article.source,
        "date": article.date,
        "language": article.language,
        "sections": [section_dict(s) for s in article.sections],
    }


def section_dict(section: Section) -> dict:
    data: dict = {"heading": section.heading, "level": section.level, "paragraphs": list(section.paragraphs)}
    if section.code:
        data["code"] = sorted(section.code)
    if section.back_matter:
        data["back_matter"] = True
    return data


def count_words(text: str) -> int:
    return len(text.split())


def listening_time(minutes: float) -> str:
    """'4 min', '1 h 05 min': how long an article takes to hear, for people and feeds."""
    whole = max(1, round(minutes))
    if whole < 60:
        return f"{whole} min"
    return f"{whole // 60} h {whole % 60:02d} min"
