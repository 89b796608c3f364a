"""`listen publish`: one plain line per run, one line per problem, nothing half-written."""

from __future__ import annotations

import pytest
from browser.library import make_library
from PIL import Image

from listen.cli import main

BASE = "https://example.org/audio/"


def test_publish_prints_one_line_and_writes_everything(tmp_path, capsys):
    audio = make_library(tmp_path)
    assert main(["publish", str(audio), "--base-url", BASE, "--title", "Harbour Radio"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith(
        f"Published 2 articles to {audio}/: feed.xml, index.html, 2 transcripts"
    )
    for name in ("feed.xml", "index.html", "transcripts/harbour-ferry-returns.html"):
        assert (audio / name).is_file()
    assert not [p for p in audio.rglob("*") if ".listen-tmp-" in p.name]


def test_missing_base_url_is_a_usage_error(tmp_path, capsys):
    audio = make_library(tmp_path)
    assert main(["publish", str(audio)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--base-url" in err
    assert not (audio / "feed.xml").exists()


@pytest.mark.parametrize("url", ["example.org/audio", "ftp://example.org/", "https://example.org/?x=1"])
def test_a_base_url_that_is_not_a_web_folder_is_refused(tmp_path, capsys, url):
    assert main(["publish", str(make_library(tmp_path)), "--base-url", url]) == 2
    assert "--base-url" in capsys.readouterr().err


def test_a_missing_mp3_stops_the_run_with_one_line(tmp_path, capsys):
    audio = make_library(tmp_path)
    (audio / "library-night-hours.mp3").unlink()
    assert main(["publish", str(audio), "--base-url", BASE]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "library-night-hours.mp3 is missing" in err and "Traceback" not in err
    assert not (audio / "index.html").exists()


def test_a_missing_manifest_is_one_line(tmp_path, capsys):
    assert main(["publish", str(tmp_path), "--base-url", BASE]) == 1
    assert capsys.readouterr().err.startswith("listen: No manifest.json in")


def test_cover_image_is_copied_in_and_named_in_the_feed(tmp_path, capsys):
    audio = make_library(tmp_path)
    cover = tmp_path / "Cover Art.PNG"
    Image.new("RGB", (1400, 1400), (200, 40, 40)).save(cover, format="PNG")
    assert main(["publish", str(audio), "--base-url", BASE, "--image", str(cover)]) == 0
    assert (audio / "cover.png").read_bytes() == cover.read_bytes()
    assert f'<itunes:image href="{BASE}cover.png"/>' in (audio / "feed.xml").read_text()


@pytest.mark.parametrize("name", ["missing.png", "cover.gif"])
def test_a_bad_cover_image_is_a_usage_error(tmp_path, capsys, name):
    audio = make_library(tmp_path)
    (tmp_path / "cover.gif").write_bytes(b"GIF89a")
    assert main(["publish", str(audio), "--base-url", BASE, "--image", str(tmp_path / name)]) == 2
    assert "--image" in capsys.readouterr().err


def test_transcripts_of_removed_articles_are_removed(tmp_path, capsys):
    audio = make_library(tmp_path)
    stale = audio / "transcripts" / "gone.html"
    stale.parent.mkdir()
    stale.write_text("old")
    assert main(["publish", str(audio), "--base-url", BASE]) == 0
    assert not stale.exists()
