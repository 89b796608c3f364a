"""Article → narrated MP3: the Script spoken by an engine, streamed into the audio writer.

Synthesis happens while the writer consumes blocks, so memory holds one chapter's
utterances at most. An optional utterance cache (anything with `get(key)` and
`put(key, pcm)`) lets a re-run or an edited article re-synthesise only what changed. If it
also has a `chapters` attribute (a listen.audio ChapterCache, as DiskUtteranceCache does),
each chapter is handed over in parts, one per paragraph (`chapter_parts`), each named by
what its audio is made of — its utterances' cache keys and pauses — so unchanged paragraphs
are neither pulled nor encoded again, only joined.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Protocol

import numpy as np

from listen.articles.model import Article
from listen.audio import AudioResult, Tags, silence, to_rate, write_narration
from listen.audio.chapter_cache import MIN_JOIN_PAUSE_MS, ChapterCache, KeyedChapter
from listen.audio.sidecars import TimedUtterance
from listen.speech.engines import Engine, synthesize_many
from listen.speech.script import Script, ScriptChapter, Utterance, build_script
from listen.speech.settings import Settings  # here too: where the narrator's callers have always found it

Progress = Callable[[int, int], None]  # (utterances done, utterances in all)


class UtteranceCache(Protocol):
    def __contains__(self, key: object) -> bool: ...

    def get(self, key: str) -> np.ndarray | None: ...

    def put(self, key: str, pcm: np.ndarray) -> None: ...


def narrate(
    article: Article,
    dest: Path,
    engine: Engine,
    *,
    settings: Settings = Settings(),
    cache: UtteranceCache | None = None,
    progress: Progress | None = None,
) -> AudioResult:
    script = script_for(article, settings)
    total = sum(len(c.utterances) for c in script.chapters)
    done = 0

    def advance(count: int = 1) -> None:
        nonlocal done
        done = min(done + count, total)  # a chapter pulled twice is not counted twice
        if progress is not None:
            progress(done, total)

    chapter_cache = getattr(cache, "chapters", None)
    if (
        not isinstance(chapter_cache, ChapterCache)
        or settings.pauses.chapter_ms < MIN_JOIN_PAUSE_MS
        or Path(dest).suffix.lower() == ".m4b"
    ):  # the chapter cache keeps MP3 pieces
        timed: list[list[TimedUtterance]] = [[] for _ in script.chapters]
        chapters = ((c.title, chapter_audio(c, engine, cache, advance, t)) for c, t in zip(script.chapters, timed))
        return write_narration(
            chapters,
            Path(dest),
            tags_for(article),
            bitrate_kbps=settings.bitrate_kbps,
            timeline=lambda: timed,
            cover=settings.cover,
            encode_jobs=settings.encode_jobs,
        )
    parts = [(number, part) for c in script.chapters for number, part in enumerate(chapter_parts(c))]
    timed = [[] for _ in parts]
    keyed = [
        KeyedChapter(
            part.title,
            chapter_key(engine, part),
            partial(chapter_audio, part, engine, cache, advance, timed[index]),
            partial(advance, len(part.utterances)),
            continues=number > 0,
        )
        for index, (number, part) in enumerate(parts)
    ]

    def timeline() -> list[list[TimedUtterance]]:
        # a part whose audio came from the chapter cache was never pulled: time it from
        # its utterances' cached PCM (the same PCM the cached piece was encoded from)
        return [
            t if t or not part.utterances else timed_from_cache(part, engine, cache)
            for t, (_, part) in zip(timed, parts)
        ]

    return write_narration(
        keyed,
        Path(dest),
        tags_for(article),
        bitrate_kbps=settings.bitrate_kbps,
        chapter_cache=chapter_cache,
        timeline=timeline,
        encode_jobs=settings.encode_jobs,
    )


def chapter_audio(
    chapter: ScriptChapter,
    engine: Engine,
    cache: UtteranceCache | None,
    advance: Callable[[], None],
    timed: list[TimedUtterance] | None = None,
) -> Iterator[np.ndarray]:
    """PCM blocks of one chapter at the audio rate: each utterance, then its pause.

    `timed` (emptied first, as a chapter may be pulled twice) receives each utterance's
    start and end, in samples from the chapter's start: the transcript's timing source."""
    if timed is not None:
        timed.clear()
    offset = 0
    texts = [u.text for u in chapter.utterances]
    keys = [utterance_key(engine, text) for text in texts]
    cached = {key for key in keys if key in cache} if cache is not None else set()
    fresh = synthesize_many(engine, [t for t, k in zip(texts, keys) if k not in cached])
    for utterance, key in zip(chapter.utterances, keys):
        if key in cached:
            pcm = cache.get(key)  # type: ignore[union-attr]
            if pcm is None:  # vanished or unreadable since we looked: speak it again
                pcm = engine.synthesize(utterance.text)
                cache.put(key, pcm)  # type: ignore[union-attr]
        else:
            pcm = next(fresh)
            if cache is not None:
                cache.put(key, pcm)
        audio, pause = to_rate(pcm, engine.sample_rate), silence(utterance.pause_ms)
        if timed is not None:
            timed.append(_timed(utterance, offset, audio.size))
        offset += audio.size + pause.size
        yield audio
        yield pause
        advance()


def timed_from_cache(chapter: ScriptChapter, engine: Engine, cache: UtteranceCache | None) -> list[TimedUtterance]:
    """A chapter's utterance timings from the utterance cache, without encoding anything
    (an utterance missing there is spoken again: its length is all that is needed)."""
    timed: list[TimedUtterance] = []
    offset = 0
    for utterance in chapter.utterances:
        pcm = cache.get(utterance_key(engine, utterance.text)) if cache is not None else None
        if pcm is None:
            pcm = engine.synthesize(utterance.text)
        length = to_rate(pcm, engine.sample_rate).size
        timed.append(_timed(utterance, offset, length))
        offset += length + silence(utterance.pause_ms).size
    return timed


def _timed(utterance: Utterance, offset: int, length: int) -> TimedUtterance:
    return TimedUtterance(
        utterance.display, offset, offset + length, utterance.kind, utterance.section, utterance.paragraph
    )


def chapter_parts(chapter: ScriptChapter) -> list[ScriptChapter]:
    """A chapter cut after every pause of at least MIN_JOIN_PAUSE_MS (paragraph and heading
    ends), into parts cached and so re-encoded on their own: an edit costs its paragraph.

    A join cannot be heard in such a pause; each one lengthens it by 26 to 52 ms (MP3 frames
    are whole, see audio/mp3.py), about 0.3% of a narration's length.
    """
    parts: list[ScriptChapter] = []
    taken: list[Utterance] = []
    for utterance in chapter.utterances:
        taken.append(utterance)
        if utterance.pause_ms >= MIN_JOIN_PAUSE_MS:
            parts.append(replace(chapter, utterances=tuple(taken)))
            taken = []
    if taken or not parts:
        parts.append(replace(chapter, utterances=tuple(taken)))
    return parts


def chapter_key(engine: Engine, chapter: ScriptChapter) -> str:
    """What a chapter's PCM is made of: the engine's rate, then each utterance's key and pause."""
    lines = [f"rate {engine.sample_rate}"]
    lines += [f"{utterance_key(engine, u.text)} {u.pause_ms}" for u in chapter.utterances]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def utterance_key(engine: Engine, text: str) -> str:
    return hashlib.sha256(f"{engine.cache_key}\n{text}".encode()).hexdigest()


def tags_for(article: Article) -> Tags:
    return Tags(
        title=article.title,
        artist=article.author or article.source,
        album=article.source,
        language=article.language,
        date=article.date,
        comment=article.standfirst,
    )


def script_for(article: Article, settings: Settings = Settings()) -> Script:
    """The script narration speaks, with the settings that also key its caches."""
    return build_script(article, pauses=settings.pauses, lexicon=settings.lexicon, options=settings.script)
