"""The words around each article on the page are in the article's language, and name the file's
kind: an audiobook is an M4B, not an MP3."""

from __future__ import annotations

import re

import pytest

from listen.manifest import ChapterMark, Entry
from listen.publish.page import render_index
from listen.publish.site import Site
from listen.publish.words import audio_kind, words_for

SITE = Site("https://example.org/audio/")
CHAPTERS = (ChapterMark("Inicio", 0, 60_000), ChapterMark("El muelle", 60_000, 120_000))


def entry(language: str, audio: str = "muelle.mp3", **more) -> Entry:
    return Entry(
        slug="muelle",
        title="El muelle nuevo",
        mp3=audio,
        bytes=2_000_000,
        duration_s=120.0,
        language=language,
        chapters=CHAPTERS,
        author="Ana Ríos",
        **more,
    )


def visible(html: str) -> str:
    """The page's text with tags and the visually hidden spans removed."""
    html = re.sub(r'<span class="vh">.*?</span>', "", html)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize(
    ("language", "shown", "never"),
    [
        (
            "es",
            ["Descargar el MP3", "Capítulos", "Leer la transcripción", "Duración 2 min", "por Ana Ríos"],
            ["Download", "Chapters", "Read the transcript", "Listening time"],
        ),
        ("fr", ["Télécharger le MP3", "Chapitres", "Lire la transcription", "par Ana Ríos"], ["Download", "Chapters"]),
        (
            "de-AT",
            ["MP3 herunterladen", "Kapitel", "Transkript lesen", "Hördauer", "von Ana Ríos"],
            ["Download", "Chapters"],
        ),
        (
            "en",
            ["Download MP3", "Chapters", "Read the transcript", "Listening time 2 min", "by Ana Ríos"],
            ["Descargar"],
        ),
        ("nl", ["Download MP3", "Chapters"], []),  # no words of its own: English, as the rest of the page
    ],
)
def test_an_articles_controls_are_in_its_own_language(language, shown, never) -> None:
    block = visible(render_index([entry(language)], SITE))
    for words in shown:
        assert words in block, words
    for words in never:
        assert words not in block, words


def test_an_audiobook_is_offered_as_an_m4b_not_an_mp3() -> None:
    html = render_index([entry("en", "muelle.m4b")], SITE)
    assert "Download M4B" in visible(html) and "download the M4B files" in visible(html)
    assert "MP3" not in visible(html)
    spanish = render_index([entry("es", "muelle.m4b")], SITE)
    assert "Descargar el M4B" in visible(spanish)


def test_the_hidden_title_follows_the_languages_grammar_and_is_escaped() -> None:
    html = render_index(
        [Entry(slug="x", title="<b>Un día</b>", mp3="x.mp3", bytes=1, duration_s=1.0, language="es")], SITE
    )
    assert '<span class="vh"> de «&lt;b&gt;Un día&lt;/b&gt;»</span>' in html


@pytest.mark.parametrize(("tag", "primary"), [("es-MX", "es"), ("fr_CA", "fr"), ("DE", "de"), ("", "en"), ("pt", "en")])
def test_language_tags_pick_their_primary_languages_words(tag, primary) -> None:
    assert words_for(tag) == words_for(primary)


@pytest.mark.parametrize(("name", "kind"), [("a.mp3", "MP3"), ("a.m4b", "M4B"), ("A.M4B", "M4B")])
def test_the_file_kind_comes_from_its_name(name, kind) -> None:
    assert audio_kind(name) == kind
