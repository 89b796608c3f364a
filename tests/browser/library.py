"""A small narrated library on disk, as the batch builder would leave it, for publish/serve tests.

The MP3s are real (silent MPEG-1 Layer III frames a browser can decode) but made here in a
few lines, so the tests need neither an engine nor ffmpeg.
"""

from __future__ import annotations

import json
from pathlib import Path

FRAME_SECONDS = 1152 / 44100
# MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, mono, no CRC: each frame is 417 bytes; zero side
# information decodes as silence.
SILENT_FRAME = bytes([0xFF, 0xFB, 0x90, 0xC4]) + bytes(413)

ARTICLES = [
    {
        "slug": "harbour-ferry-returns",
        "title": "The harbour ferry returns",
        "standfirst": "After two winters on the slipway, the old boat carries passengers again.",
        "description": "After two winters on the slipway, the old boat carries passengers again.",
        "date": "2026-11-01",
        "chapters": [
            ("The harbour ferry returns", 0, 1200),
            ("On the slipway", 1200, 2400),
            ("First crossing", 2400, 3000),
        ],
    },
    {
        "slug": "library-night-hours",
        "title": "Library keeps its lights on late",
        "standfirst": "",
        "description": "The reading room now closes at ten on weekdays.",
        "date": "2026-10-20",
        "chapters": [("Library keeps its lights on late", 0, 1500), ("Who comes after dark", 1500, 3000)],
    },
]


def silent_mp3(seconds: float) -> bytes:
    return SILENT_FRAME * max(1, round(seconds / FRAME_SECONDS))


def vtt(chapters: list[tuple[str, int, int]]) -> str:
    def stamp(ms: int) -> str:
        return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"

    cues = [f"{i}\n{stamp(a)} --> {stamp(b)}\n{title}\n" for i, (title, a, b) in enumerate(chapters, 1)]
    return "WEBVTT\n\n" + "\n".join(cues)


def make_library(root: Path, articles: list[dict] | None = None, *, sources: bool = True) -> Path:
    """Write root/audio (MP3s, sidecars, manifest.json) and, if `sources`, root/articles/*.md."""
    audio = root / "audio"
    audio.mkdir(parents=True, exist_ok=True)
    (root / "articles").mkdir(exist_ok=True)
    entries = []
    for article in articles or ARTICLES:
        slug, chapters = article["slug"], article["chapters"]
        seconds = chapters[-1][2] / 1000
        mp3 = silent_mp3(seconds)
        (audio / f"{slug}.mp3").write_bytes(mp3)
        (audio / f"{slug}.vtt").write_text(vtt(chapters), encoding="utf-8")
        json_chapters = {"version": "1.2.0", "chapters": [{"startTime": a / 1000, "title": t} for t, a, _ in chapters]}
        (audio / f"{slug}.chapters.json").write_text(json.dumps(json_chapters), encoding="utf-8")
        source = f"articles/{slug}.md"
        if sources:
            body = "\n\n".join(f"## {t}\n\nA paragraph about {t.lower()}." for t, _, _ in chapters[1:])
            (root / source).write_text(f"# {article['title']}\n\n{body}\n", encoding="utf-8")
        entries.append(
            {
                "slug": slug,
                "source": source,
                "title": article["title"],
                "standfirst": article.get("standfirst", ""),
                "description": article.get("description", ""),
                "author": article.get("author", ""),
                "date": article.get("date", ""),
                "language": article.get("language", "en"),
                "mp3": f"{slug}.mp3",
                "chapters_json": f"{slug}.chapters.json",
                "vtt": f"{slug}.vtt",
                "bytes": len(mp3),
                "duration_s": seconds,
                "chapters": [{"title": t, "start_ms": a, "end_ms": b} for t, a, b in chapters],
                "hash": "0" * 64,
                "engine": "espeak",
                "voice": "en-us",
                "created": "2026-11-23T08:00:00+00:00",
            }
        )
    (audio / "manifest.json").write_text(json.dumps({"version": 1, "articles": entries}, indent=1), encoding="utf-8")
    return audio


def markdown_loader(path: Path):
    """A stand-in for listen.articles.load_article that reads the Markdown make_library writes."""
    from listen.articles.model import Article, Section

    lines = path.read_text(encoding="utf-8").split("\n\n")
    title = lines[0].removeprefix("# ").strip()
    sections, heading, paragraphs = [], "", []
    for block in lines[1:]:
        block = block.strip()
        if block.startswith("## "):
            if heading or paragraphs:
                sections.append(Section(heading, tuple(paragraphs)))
            heading, paragraphs = block[3:], []
        elif block:
            paragraphs.append(block)
    sections.append(Section(heading, tuple(paragraphs)))
    return Article(title=title, sections=tuple(sections), path=path)
