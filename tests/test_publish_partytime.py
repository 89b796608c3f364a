"""The feed as Podcast Index reads it: podcast-partytime, its own parser, run by Node.

The npm package is installed with the browser-test tools (scripts/bootstrap-test-extras);
the test skips only when Node itself is missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from test_publish_directories import BASE, READY, with_timed_transcript

from listen.cli import main

BROWSER_DIR = Path(__file__).parent / "browser"

pytestmark = [
    pytest.mark.slow,  # a real Node.js parser
    pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed"),
]


def partytime(feed: Path) -> dict:
    if not (BROWSER_DIR / "node_modules" / "podcast-partytime" / "package.json").is_file():
        pytest.fail("npm package podcast-partytime is not installed; run 'scripts/bootstrap-test-extras'")
    done = subprocess.run(
        ["node", str(BROWSER_DIR / "check-feed.mjs"), str(feed)], capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(done.stdout)


def test_podcast_index_reads_owner_category_artwork_and_timed_transcripts(tmp_path, capsys):
    audio = with_timed_transcript(tmp_path)
    assert main(["publish", str(audio), "--base-url", BASE, "--title", "Harbour Radio", *READY]) == 0
    feed = partytime(audio / "feed.xml")
    assert feed["parsed"] and feed["title"] == "Harbour Radio" and feed["language"] == "en"
    assert feed["owner"] == {"name": "Mira Ostrowska", "email": "mira@example.org"}
    assert feed["author"] == "Harbour Radio volunteers" and feed["explicit"] is False
    assert "news" in feed["categories"]
    assert feed["itunesImage"] == f"{BASE}listen-cover.png"
    ferry = next(item for item in feed["items"] if item["title"] == "The harbour ferry returns")
    assert ferry["enclosure"]["url"] == f"{BASE}harbour-ferry-returns.mp3"
    assert ferry["enclosure"]["length"] == (audio / "harbour-ferry-returns.mp3").stat().st_size
    assert ferry["chapters"]["url"] == f"{BASE}harbour-ferry-returns.chapters.json"
    assert [(t["type"], t.get("rel"), t["language"]) for t in ferry["transcripts"]] == [
        ("text/vtt", "captions", "en"),
        ("application/srt", "captions", "en"),
        ("text/html", None, "en"),
    ]


def test_podcast_index_reads_explicit(tmp_path, capsys):
    audio = with_timed_transcript(tmp_path)
    assert main(["publish", str(audio), "--base-url", BASE, "--explicit", *READY]) == 0
    assert partytime(audio / "feed.xml")["explicit"] is True
