"""index.html and the transcript pages, read as a screen reader would walk them: by headings."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from browser.library import make_library, markdown_loader

from listen.articles.model import Article, Section
from listen.manifest import read_manifest
from listen.publish.page import PALETTES, clock, file_size, human_date, render_transcript
from listen.publish.publisher import publish
from listen.publish.site import Site
from listen.publish.transcript import Transcript, source_path

BASE = "https://example.org/audio/"
HOSTILE = "<script>alert(1)</script>"


class Outline(HTMLParser):
    """Headings, elements with their attributes, and the text, the way assistive tech sees them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self.elements: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._heading: list | None = None
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), ""]
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if self._heading and tag == f"h{self._heading[0]}":
            self.headings.append((self._heading[0], self._heading[1].strip()))
            self._heading = None
        self._in_script = False

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[1] += data
        if self._in_script:
            self.scripts.append(data)

    def all(self, tag):
        return [attrs for name, attrs in self.elements if name == tag]


@pytest.fixture
def audio(tmp_path):
    folder = make_library(tmp_path)
    publish(folder, BASE, title="Harbour Radio", load=markdown_loader)
    return folder


def test_index_has_a_heading_player_download_and_chapters_per_article(audio):
    html = (audio / "index.html").read_text()
    page = Outline(html)
    assert page.all("html") == [{"lang": "en"}]
    assert [level for level, _ in page.headings] == [1, 2, 3, 2, 3]
    assert page.headings[1] == (2, "The harbour ferry returns")
    audios = page.all("audio")
    assert [a["src"] for a in audios] == ["harbour-ferry-returns.mp3", "library-night-hours.mp3"]
    assert all("controls" in a and a["preload"] == "none" for a in audios)
    tracks = page.all("track")
    assert [(t["kind"], t["src"]) for t in tracks] == [
        ("chapters", "harbour-ferry-returns.vtt"),
        ("chapters", "library-night-hours.vtt"),
    ]
    size = file_size((audio / "harbour-ferry-returns.mp3").stat().st_size)
    assert f"The harbour ferry returns</span> ({size})</a>" in html
    assert 'href="harbour-ferry-returns.mp3#t=1.2"' in html and "1 November 2026" in html
    assert 'href="transcripts/harbour-ferry-returns.html"' in html
    assert "Listening time 1 min" in html


def test_index_starts_with_a_skip_link_to_main_and_needs_no_script(audio):
    page = Outline((audio / "index.html").read_text())
    first_link = page.all("a")[0]
    assert first_link["href"] == "#main" and {"id": "main", "tabindex": "-1"} in page.all("main")
    # The only script seeks the player; every chapter link also works as a plain link.
    assert len(page.all("script")) == 1
    players = {a["id"]: a["src"] for a in page.all("audio")}
    seekers = [a for a in page.all("a") if "data-start" in a]
    assert len(seekers) == 5
    assert all(a["href"] == f"{players[a['data-player']]}#t={a['data-start']}" for a in seekers)


def test_transcript_has_the_cleaned_text_under_its_headings(audio):
    page = Outline((audio / "transcripts" / "harbour-ferry-returns.html").read_text())
    assert page.headings == [(1, "The harbour ferry returns"), (2, "On the slipway"), (2, "First crossing")]
    assert {"href": "../index.html"} in page.all("a")


def test_transcript_falls_back_to_the_manifest_and_says_so(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # sources are also looked for in the current folder
    audio = make_library(tmp_path, sources=False)
    result = publish(audio, BASE, load=markdown_loader)
    assert result.manifest_only == ("harbour-ferry-returns", "library-night-hours")
    assert "2 from the manifest only" in result.summary()
    html = (audio / "transcripts" / "library-night-hours.html").read_text()
    assert "The full text was not available" in html and "was not found" in html
    assert "The reading room now closes at ten on weekdays." in html
    assert "<li>Who comes after dark</li>" in html


def test_a_source_is_found_beside_the_folder_then_in_the_current_folder(tmp_path, monkeypatch):
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    audio = make_library(project)
    (audio.parent / "articles").rename(elsewhere)
    monkeypatch.chdir(tmp_path)
    elsewhere.rename(tmp_path / "articles")
    entry = read_manifest(audio).entries[0]
    assert source_path(entry, audio) == tmp_path / "articles" / "harbour-ferry-returns.md"
    (project / "articles").mkdir()
    (project / "articles" / "harbour-ferry-returns.md").write_text("# Beside")
    assert source_path(entry, audio) == project / "articles" / "harbour-ferry-returns.md"


def test_heading_levels_never_skip(tmp_path):
    audio = make_library(tmp_path)
    entry = read_manifest(audio).entries[0]
    article = Article(
        title="T",
        sections=(
            Section("", ("intro",)),
            Section("Deep", ("a",), level=4),
            Section("Deeper", ("b",), level=6),
            Section("Back", ("c",), level=4),
        ),
    )
    page = Outline(render_transcript(Transcript(entry, article), Site(BASE)))
    assert [level for level, _ in page.headings] == [1, 2, 3, 2]


def test_hostile_text_is_shown_as_text_everywhere(tmp_path):
    audio = make_library(tmp_path)
    data = json.loads((audio / "manifest.json").read_text())
    first = data["articles"][0]
    first.update(title=HOSTILE, description=f'"{HOSTILE}"', author="<img src=x onerror=alert(2)>")
    first["chapters"][1]["title"] = HOSTILE
    (audio / "manifest.json").write_text(json.dumps(data))
    hostile_article = lambda path: Article(
        title=HOSTILE,
        standfirst=HOSTILE,  # noqa: E731
        sections=(Section(HOSTILE, (HOSTILE, "a & b")),),
    )
    publish(audio, BASE, title=HOSTILE, author=HOSTILE, load=hostile_article)
    for name in ("index.html", "transcripts/harbour-ferry-returns.html"):
        html = (audio / name).read_text()
        page = Outline(html)
        assert "alert(1)" not in "".join(page.scripts), name
        assert not page.all("img"), name
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert (2, HOSTILE) in Outline((audio / "index.html").read_text()).headings


def contrast(foreground: str, background: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", sorted(PALETTES))
@pytest.mark.parametrize("role", ["text", "muted", "link", "visited", "focus"])
def test_every_colour_meets_aaa_contrast_in_both_schemes(scheme, role):
    palette = PALETTES[scheme]
    assert contrast(palette[role], palette["background"]) >= 7


@pytest.mark.parametrize(("value", "shown"), [(5, "0:05"), (81.2, "1:21"), (3723, "1:02:03")])
def test_clock(value, shown):
    assert clock(value) == shown


@pytest.mark.parametrize(("count", "shown"), [(512, "512 bytes"), (48_000, "48.0 kB"), (4_215_000, "4.2 MB")])
def test_file_size(count, shown):
    assert file_size(count) == shown


def test_human_date_keeps_what_it_cannot_read():
    assert human_date("2026-11-01") == "1 November 2026"
    assert human_date("autumn") == "autumn"
