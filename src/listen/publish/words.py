"""The few words the listener's page puts around each article, in the article's language.

A Spanish article's block is marked `lang="es"`, so a screen reader switches to its Spanish
voice there: an English "Download MP3" inside it was read with Spanish sounds, and a listener
who reads no English met the one control they need in a language they do not read. The
audio file's own kind is named (MP3, or M4B for an audiobook), never MP3 for both.

Languages listen narrates natively (English, Spanish, French, German) have their words here;
any other language gets English, as the rest of the page is in English.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class PageWords:
    """Templates: {kind} is MP3 or M4B; {of} is the article's title for screen readers."""

    download: str  # the download link
    listen_fallback: str  # inside <audio>, for browsers that cannot play it
    transcript: str
    chapters: str
    by: str
    listening: str  # before the listening time ("4 min")
    of: str  # how {of} names the article: " of {title}"

    def phrase(self, template: str, *, kind: str = "", title: str = "") -> str:
        """`template` filled in, with the title in a visually hidden span (as HTML)."""
        of = f'<span class="vh">{escape(self.of.format(title=title))}</span>' if title else ""
        return template.format(kind=escape(kind), of=of)


WORDS = {
    "en": PageWords(
        download="Download {kind}{of}",
        listen_fallback="Download the {kind}{of}",
        transcript="Read the transcript{of}",
        chapters="Chapters{of}",
        by="by",
        listening="Listening time",
        of=" of {title}",
    ),
    "es": PageWords(
        download="Descargar el {kind}{of}",
        listen_fallback="Descargar el {kind}{of}",
        transcript="Leer la transcripción{of}",
        chapters="Capítulos{of}",
        by="por",
        listening="Duración",
        of=" de «{title}»",
    ),
    "fr": PageWords(
        download="Télécharger le {kind}{of}",
        listen_fallback="Télécharger le {kind}{of}",
        transcript="Lire la transcription{of}",
        chapters="Chapitres{of}",
        by="par",
        listening="Durée d’écoute",
        of=" de « {title} »",
    ),
    "de": PageWords(
        download="{kind} herunterladen{of}",
        listen_fallback="{kind} herunterladen{of}",
        transcript="Transkript lesen{of}",
        chapters="Kapitel{of}",
        by="von",
        listening="Hördauer",
        of=": „{title}“",
    ),
}


def words_for(language: str) -> PageWords:
    """The page's words for a language tag (`es`, `es-MX`, `fr_CA`), English when we have none."""
    primary = (language or "en").replace("_", "-").split("-")[0].lower()
    return WORDS.get(primary, WORDS["en"])


def audio_kind(file_name: str) -> str:
    """What the download is called: an audiobook (.m4b) is not an MP3."""
    return "M4B" if file_name.lower().endswith(".m4b") else "MP3"
