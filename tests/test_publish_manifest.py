"""Reading manifest.json: every problem is one clear line, nothing is published from a bad one."""

from __future__ import annotations

import json

import pytest
from browser.library import make_library

from listen.errors import ListenError
from listen.manifest import ManifestError, read_manifest


def rewrite(audio, change):
    data = json.loads((audio / "manifest.json").read_text())
    change(data)
    (audio / "manifest.json").write_text(json.dumps(data))


def test_entries_carry_the_real_mp3_size_not_the_manifest_claim(tmp_path):
    audio = make_library(tmp_path)
    rewrite(audio, lambda d: d["articles"][0].update(bytes=1))
    manifest = read_manifest(audio)
    assert [e.slug for e in manifest.entries] == ["harbour-ferry-returns", "library-night-hours"]
    first = manifest.entries[0]
    assert first.bytes == (audio / first.mp3).stat().st_size
    assert first.chapters[1].title == "On the slipway" and first.chapters[1].start_s == 1.2


def test_missing_manifest_names_the_fix(tmp_path):
    with pytest.raises(ManifestError, match="No manifest.json in .*listen build"):
        read_manifest(tmp_path)


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (lambda a: (a / "manifest.json").write_text("{not json"), "not valid JSON"),
        (lambda a: (a / "manifest.json").write_text("[]"), "no list of articles"),
        (lambda a: rewrite(a, lambda d: d.update(version=7)), "version 7"),
        (lambda a: (a / "harbour-ferry-returns.mp3").unlink(), "harbour-ferry-returns.mp3 is missing"),
        (lambda a: (a / "harbour-ferry-returns.mp3").write_bytes(b""), "is missing or empty"),
        (lambda a: rewrite(a, lambda d: d["articles"][0].pop("title")), "has no title"),
        (lambda a: rewrite(a, lambda d: d["articles"][0].update(slug="../x")), "unusable slug"),
        (lambda a: rewrite(a, lambda d: d["articles"][0].update(mp3="../secret.mp3")), "outside the folder"),
        (lambda a: rewrite(a, lambda d: d["articles"][0].update(mp3="/etc/passwd")), "outside the folder"),
        (lambda a: rewrite(a, lambda d: d["articles"][1].update(slug="harbour-ferry-returns")), "twice"),
        (lambda a: rewrite(a, lambda d: d["articles"][0].update(chapters=[{"title": "x"}])), "chapter list"),
    ],
)
def test_a_broken_manifest_is_one_line(tmp_path, breakage, message):
    audio = make_library(tmp_path)
    breakage(audio)
    with pytest.raises(ListenError, match=message) as caught:
        read_manifest(audio)
    assert "\n" not in str(caught.value)


def test_missing_sidecars_are_dropped_not_linked(tmp_path):
    audio = make_library(tmp_path)
    (audio / "harbour-ferry-returns.vtt").unlink()
    entry = read_manifest(audio).entries[0]
    assert entry.vtt == "" and entry.chapters_json == "harbour-ferry-returns.chapters.json"
