"""Article → Script: what will be spoken, chapter by chapter, utterance by utterance.

The Script is the seam between reading and listening: `speak`, `build` and the reader's
"listen from here" all use it. One chapter per planned section (the first also carries the
title and standfirst); each utterance is one sentence in its spoken form, with a pointer
back to the section and paragraph it came from so the reader can follow along.

Code blocks and back matter are part of the article but not of a listening: by default a code
block becomes one short cue in the article's language ("Code example, 6 lines.") and back
matter sections (references, see also…) are left out, their headings named in one closing
line ("Not read: References, See also."), so the MP3, its chapter list and its sidecars hold
only what is heard. `ScriptOptions` asks for them to be read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, Literal

from listen.articles.model import Article, Section
from listen.speech.lexicon import Lexicon

if TYPE_CHECKING:
    from listen.speech.languages import Language

Kind = Literal["title", "standfirst", "heading", "sentence", "code", "note"]
CodeReading = Literal["cue", "read", "skip"]
BackMatterReading = Literal["skip", "read"]

# Where a sentence may end: after . ! ? … (and closing quotes), before a capital, digit or quote.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’»)]*\s+(?=[\"'“‘«(¿¡]?[A-ZÁÉÍÓÚÑ0-9])")
_SOFT_BREAK = re.compile(r"(?<=[,;:])\s+")


@dataclass(frozen=True)
class Pauses:
    """Silence after each kind of utterance, in milliseconds; all configurable."""

    sentence_ms: int = 250
    paragraph_ms: int = 700
    heading_ms: int = 800
    chapter_ms: int = 1500


@dataclass(frozen=True)
class ScriptOptions:
    """What narration does with code blocks and back matter; part of every audio cache key."""

    code: CodeReading = "cue"  # one spoken cue per block, each line read aloud, or nothing
    back_matter: BackMatterReading = "skip"  # references, notes, see also: left out, or read

    def __post_init__(self) -> None:
        if self.code not in ("cue", "read", "skip"):
            raise ValueError(f"code must be cue, read or skip, not {self.code!r}")
        if self.back_matter not in ("skip", "read"):
            raise ValueError(f"back_matter must be skip or read, not {self.back_matter!r}")

    @property
    def fingerprint(self) -> str:
        return f"code={self.code}|back_matter={self.back_matter}"


@dataclass(frozen=True)
class Utterance:
    text: str  # what the engine says
    display: str  # the sentence as written, for follow-along
    section: int  # index into Article.sections (0 for the title and standfirst)
    paragraph: int  # index into the section's paragraphs; -1 for title, standfirst and heading
    kind: Kind
    pause_ms: int


@dataclass(frozen=True)
class ScriptChapter:
    title: str
    section: int
    utterances: tuple[Utterance, ...]


@dataclass(frozen=True)
class Script:
    title: str
    language: str
    chapters: tuple[ScriptChapter, ...]
    skipped: tuple[str, ...] = ()  # names of the back matter left out of the narration, each once

    @property
    def utterances(self) -> Iterator[Utterance]:
        for chapter in self.chapters:
            yield from chapter.utterances

    def utterances_from(self, section: int, paragraph: int = -1) -> Iterator[Utterance]:
        """Everything from a place in the article onwards ("listen from here")."""
        for utterance in self.utterances:
            if (utterance.section, utterance.paragraph) >= (section, paragraph):
                yield utterance


MAX_UTTERANCE_WORDS = 60


def build_script(
    article: Article,
    *,
    pauses: Pauses = Pauses(),
    lexicon: Lexicon | None = None,
    options: ScriptOptions = ScriptOptions(),
) -> Script:
    from listen.speech.normalize import normalize

    lang = article.language
    lexicon = lexicon or Lexicon()

    def say(display: str, section: int, paragraph: int, kind: Kind, pause: int) -> list[Utterance]:
        pieces = split_sentences(display, lang) if kind == "sentence" else [display]
        out = []
        for piece in pieces:
            spoken = normalize(lexicon.apply(piece), lang)
            if spoken:
                out.append(Utterance(spoken, piece, section, paragraph, kind, pauses.sentence_ms))
        if out:
            out[-1] = _with_pause(out[-1], pause)
        return out

    def paragraph_utterances(section: Section, number: int, index: int, text: str) -> list[Utterance]:
        if not section.is_code(index):
            return say(text, number, index, "sentence", pauses.paragraph_ms)
        if options.code == "skip":
            return []
        if options.code == "read":
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            out = [u for line in lines for u in say(line, number, index, "code", pauses.sentence_ms)]
            if out:
                out[-1] = _with_pause(out[-1], pauses.paragraph_ms)
            return out
        cue = code_cue(text, lang)
        return [Utterance(cue, cue, number, index, "code", pauses.paragraph_ms)] if cue else []

    chapters: list[ScriptChapter] = []
    opening = say(article.title, 0, -1, "title", pauses.heading_ms)
    if article.standfirst:
        opening += say(article.standfirst, 0, -1, "standfirst", pauses.paragraph_ms)
    sections = article.sections or ()
    # Each name once: a serial's notes after every chapter are "Notes", said once, not six times.
    skipped = tuple(dict.fromkeys(s.heading for s in sections if s.back_matter and options.back_matter == "skip"))
    for number, section in enumerate(sections):
        if section.back_matter and options.back_matter == "skip":
            continue
        utterances, opening = opening + [], []
        if not (number == 0 and section.heading == article.title):
            utterances += say(section.heading, number, -1, "heading", pauses.heading_ms)
        for index, paragraph in enumerate(section.paragraphs):
            utterances += paragraph_utterances(section, number, index, paragraph)
        chapters.append(ScriptChapter(section.heading, number, tuple(utterances)))
    if opening:  # no sections, or every one was left out: the title is still said
        chapters.insert(0, ScriptChapter(article.title, 0, tuple(opening)))
    note = not_read(list(skipped), lang) if skipped else ""
    if note:
        last = chapters[-1]
        after = len(sections[last.section].paragraphs) if sections else 0  # the paragraph index after the last
        chapters[-1] = replace(
            last, utterances=(*last.utterances, Utterance(note, note, last.section, after, "note", 0))
        )
    chapters = [
        replace(c, utterances=(*c.utterances[:-1], _with_pause(c.utterances[-1], pauses.chapter_ms)))
        if c.utterances
        else c
        for c in chapters
    ]
    return Script(article.title, lang, tuple(chapters), skipped)


def _language(language: str) -> Language | None:
    """The language's speech tables; imported on first use, so the options and pauses above
    can be read (for a cache key) without loading the rules."""
    from listen.speech.languages import language_for

    return language_for(language)


def code_cue(code: str, language: str) -> str:
    """'Code example, 6 lines.' in the article's language; '' in a language without tables,
    where an English cue would be read by, say, an Italian voice (the block is then not heard)."""
    lang = _language(language)
    return lang.code_cue(len(code.strip("\n").splitlines()) or 1) if lang else ""


def not_read(headings: list[str], language: str) -> str:
    """'Not read: References, See also.'; '' in a language without tables (see code_cue)."""
    lang = _language(language)
    return lang.not_read(headings) if lang else ""


def split_sentences(paragraph: str, language: str = "en") -> list[str]:
    """Sentences of a paragraph, not fooled by 'Dr. Vell' or '9 p.m.'; overlong ones split softly."""
    not_an_end = _not_an_end(language)
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        candidate = paragraph[start : match.start()].rstrip()
        if not_an_end.search(candidate):
            continue  # "Dr. Vell", "J. Smith", "z. B. Hunde", "am 3. Oktober": not the end of a sentence
        sentences.append(paragraph[start : match.end()].strip())
        start = match.end()
    sentences.append(paragraph[start:].strip())
    return [piece for sentence in sentences if sentence for piece in _cap_length(sentence)]


@cache
def _not_an_end(language: str) -> re.Pattern[str]:
    """What a full stop ends when it does not end a sentence: an abbreviation or the first part of
    one ('z.' of 'z. B.', 'EE.' of 'EE. UU.'), an initial, and in German an ordinal ('3. Oktober')."""
    from listen.speech.normalize import abbreviations_for

    pieces: set[str] = set()
    for abbreviation in abbreviations_for(language):
        words = abbreviation.split()
        pieces.update(" ".join(words[:i]) for i in range(1, len(words) + 1) if words[i - 1].endswith("."))
    alternatives = [re.escape(p) for p in sorted(pieces, key=len, reverse=True)] + [r"[A-Z]\."]
    lang = _language(language)
    if lang is not None and lang.code == "de":
        alternatives.append(r"\d{1,2}\.")
    return re.compile(rf"(?<![\w.])(?:{'|'.join(alternatives)})$")


def _cap_length(sentence: str) -> list[str]:
    """An engine copes badly with a 1,000-word 'sentence': split at commas, then by words."""
    words = sentence.split()
    if len(words) <= MAX_UTTERANCE_WORDS:
        return [sentence]
    pieces: list[str] = []
    for clause in _SOFT_BREAK.split(sentence):
        clause_words = clause.split()
        for i in range(0, len(clause_words), MAX_UTTERANCE_WORDS):
            chunk = " ".join(clause_words[i : i + MAX_UTTERANCE_WORDS])
            if pieces and len(pieces[-1].split()) + len(chunk.split()) <= MAX_UTTERANCE_WORDS:
                pieces[-1] += " " + chunk
            else:
                pieces.append(chunk)
    return pieces


def _with_pause(utterance: Utterance, pause_ms: int) -> Utterance:
    return Utterance(
        utterance.text, utterance.display, utterance.section, utterance.paragraph, utterance.kind, pause_ms
    )
