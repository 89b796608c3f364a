"""Article → Script: what will be spoken, chapter by chapter, utterance by utterance.

The Script is the seam between reading and listening: `speak`, `build` and the reader's
"listen from here" all use it. One chapter per planned section (the first also carries the
title and standfirst); each utterance is one sentence in its spoken form, with a pointer
back to the section and paragraph it came from so the reader can follow along.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from listen.articles.model import Article
from listen.speech.lexicon import Lexicon
from listen.speech.normalize import ABBREVIATIONS, normalize

Kind = Literal["title", "standfirst", "heading", "sentence"]

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


def build_script(article: Article, *, pauses: Pauses = Pauses(), lexicon: Lexicon | None = None) -> Script:
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

    chapters: list[ScriptChapter] = []
    opening = say(article.title, 0, -1, "title", pauses.heading_ms)
    if article.standfirst:
        opening += say(article.standfirst, 0, -1, "standfirst", pauses.paragraph_ms)
    sections = article.sections or ()
    if not sections:
        chapters.append(ScriptChapter(article.title, 0, tuple(opening)))
    for number, section in enumerate(sections):
        utterances = opening if number == 0 else []
        if not (number == 0 and section.heading == article.title):
            utterances += say(section.heading, number, -1, "heading", pauses.heading_ms)
        for index, paragraph in enumerate(section.paragraphs):
            utterances += say(paragraph, number, index, "sentence", pauses.paragraph_ms)
        if utterances:
            utterances[-1] = _with_pause(utterances[-1], pauses.chapter_ms)
        chapters.append(ScriptChapter(section.heading, number, tuple(utterances)))
    return Script(article.title, lang, tuple(chapters))


def split_sentences(paragraph: str, language: str = "en") -> list[str]:
    """Sentences of a paragraph, not fooled by 'Dr. Vell' or '9 p.m.'; overlong ones split softly."""
    abbreviations = tuple(ABBREVIATIONS.get(language, {}))
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        candidate = paragraph[start:match.start()].rstrip()
        if candidate.endswith(abbreviations) or re.search(r"\b[A-Z]\.$", candidate):
            continue  # "Dr. Vell", "J. Smith": not the end of a sentence
        sentences.append(paragraph[start:match.end()].strip())
        start = match.end()
    sentences.append(paragraph[start:].strip())
    return [piece for sentence in sentences if sentence for piece in _cap_length(sentence)]


def _cap_length(sentence: str) -> list[str]:
    """An engine copes badly with a 1,000-word 'sentence': split at commas, then by words."""
    words = sentence.split()
    if len(words) <= MAX_UTTERANCE_WORDS:
        return [sentence]
    pieces: list[str] = []
    for clause in _SOFT_BREAK.split(sentence):
        clause_words = clause.split()
        for i in range(0, len(clause_words), MAX_UTTERANCE_WORDS):
            chunk = " ".join(clause_words[i:i + MAX_UTTERANCE_WORDS])
            if pieces and len(pieces[-1].split()) + len(chunk.split()) <= MAX_UTTERANCE_WORDS:
                pieces[-1] += " " + chunk
            else:
                pieces.append(chunk)
    return pieces


def _with_pause(utterance: Utterance, pause_ms: int) -> Utterance:
    return Utterance(utterance.text, utterance.display, utterance.section, utterance.paragraph, utterance.kind, pause_ms)
