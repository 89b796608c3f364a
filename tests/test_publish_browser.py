"""The published pages in a real browser: headless Debian Chromium, axe-core, html-validate.

tests/browser/check-page.mjs loads a page from a real `listen serve` on 127.0.0.1 and
reports axe-core's violations (WCAG 2.x A, AA, AAA and best practice), each player's
chapters track, where Tab goes first, and layout shifts. `scripts/bootstrap test` installs
Chromium (Debian) and the npm tools (scripts/bootstrap-test-extras); the tests skip, with the
reason, only where those are absent, and fail instead when CI is set, where they must be present.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from browser.library import ARTICLES, make_library, markdown_loader

from listen.audio.sidecars import Cue, transcript_vtt
from listen.publish.publisher import publish
from listen.publish.server import make_server

BROWSER_DIR = Path(__file__).parent / "browser"
NODE_MODULES = BROWSER_DIR / "node_modules"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
HOSTILE = '<script>alert(1)</script> & "quotes"'
pytestmark = pytest.mark.slow  # a real browser (Chromium) and Node.js


def missing_tools() -> str:
    if not Path(CHROMIUM).is_file():
        return "Chromium is not installed (Debian package 'chromium'; run 'scripts/bootstrap test')"
    if not shutil.which("node"):
        return "Node.js is not installed (Debian package 'nodejs'; run 'scripts/bootstrap test')"
    for package in ("axe-core", "puppeteer-core", "html-validate"):
        if not (NODE_MODULES / package / "package.json").is_file():
            return f"npm package {package} is not installed (run 'scripts/bootstrap-test-extras')"
    return ""


def require_tools() -> None:
    reason = missing_tools()
    if reason and os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must have it")
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A published library with a hostile title and a French article, served on loopback."""
    require_tools()
    root = tmp_path_factory.mktemp("site")
    articles = [
        *ARTICLES,
        {**ARTICLES[0], "slug": "hostile", "title": HOSTILE, "description": HOSTILE},
        {
            **ARTICLES[1],
            "slug": "bac",
            "title": "Le bac revient",
            "language": "fr",
            "description": "Le bac traverse à nouveau le port.",
        },
    ]
    audio = make_library(root, articles)
    (root / "articles" / "hostile.md").unlink()
    spoken = (
        Cue("The harbour ferry returns", 0, 900, "title"),
        Cue("On the slipway", 1200, 1900, "heading", 1),
        Cue("The boat came home at dawn.", 2000, 2900, "sentence", 1, 0),
    )
    (audio / "harbour-ferry-returns.transcript.vtt").write_text(transcript_vtt(spoken), encoding="utf-8")
    publish(audio, "http://127.0.0.1/", title="Harbour Radio", load=markdown_loader)
    server = make_server(audio, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield audio, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def check(url: str) -> dict:
    result = subprocess.run(
        ["node", str(BROWSER_DIR / "check-page.mjs"), url],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "CHROMIUM": CHROMIUM},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def index(site):
    return check(site[1])


def test_download_page_has_zero_axe_violations(index):
    assert index["status"] == 200 and index["axe"]["passes"] > 10
    assert index["axe"]["violations"] == []


def test_every_player_loads_its_chapters_track(index):
    chapters = [track for track in index["tracks"] if track["kind"] == "chapters"]
    assert len(chapters) == 4
    for track in chapters:
        assert track["readyState"] == 2, track  # 2 = LOADED
    first = chapters[0]
    assert first["cues"] == ["The harbour ferry returns", "On the slipway", "First crossing"]


def test_a_timed_transcript_loads_as_a_captions_track_from_the_served_address(index):
    captions = [track for track in index["tracks"] if track["kind"] == "captions"]
    assert [(t["audio"], t["src"], t["readyState"]) for t in captions] == [
        ("harbour-ferry-returns-player", "harbour-ferry-returns.transcript.vtt", 2)
    ]
    assert captions[0]["cues"] == ["The harbour ferry returns", "On the slipway", "The boat came home at dawn."]


def test_tab_reaches_the_skip_link_first_with_a_visible_outline(index):
    focus = index["focus"]
    assert focus["className"] == "skip" and focus["top"] >= 0
    assert focus["outlineStyle"] == "solid" and focus["outlineWidth"] == "3px"


def test_nothing_on_the_page_moves_while_it_loads(index):
    assert index["layoutShift"]["page"] == 0, index["layoutShift"]["shifted"]


def test_a_hostile_title_is_shown_as_text_in_the_browser(index):
    assert ["H2", HOSTILE] in index["headings"]
    assert all("alert(1)" not in script for script in index["scripts"])


@pytest.mark.parametrize("slug", ["harbour-ferry-returns", "hostile", "bac"])
def test_transcript_pages_have_zero_axe_violations(site, slug):
    report = check(f"{site[1]}transcripts/{slug}.html")
    assert report["axe"]["violations"] == []
    assert report["headings"][0][0] == "H1"
    assert report["lang"] == ("fr" if slug == "bac" else "en")


def test_pages_are_valid_html(site):
    audio, _ = site
    pages = [audio / "index.html", *sorted((audio / "transcripts").glob("*.html"))]
    result = subprocess.run(
        [
            str(NODE_MODULES / ".bin" / "html-validate"),
            "--config",
            str(BROWSER_DIR / "htmlvalidate.json"),
            *map(str, pages),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_episode_in_the_served_feed_plays_from_the_served_address(site):
    """Published for http://127.0.0.1/ (port 80, where nothing listens), served elsewhere:
    a browser subscribing at the served address still loads every enclosure (issue 13)."""
    audio, url = site
    result = subprocess.run(
        ["node", str(BROWSER_DIR / "check-feed-audio.mjs"), url],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "CHROMIUM": CHROMIUM},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    enclosures = json.loads(result.stdout.strip().splitlines()[-1])["enclosures"]
    assert len(enclosures) == 4
    for enclosure in enclosures:
        assert enclosure["url"].startswith(url) and "error" not in enclosure, enclosure
        assert enclosure["readyState"] >= 1 and enclosure["duration"] > 2, enclosure
