"""Every fault in a manifest.json is one line, for `build` and for `publish`: no traceback,
and never an entry trusted that names another article's files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from listen.batch.run import BuildOptions, build
from listen.batch.worker import EngineSpec
from listen.cli import main
from listen.errors import ManifestError
from test_batch import Quiet, article, voices  # noqa: F401  (voices: a fixture)

SPEC = EngineSpec("espeak")  # the test double voices(SPEC) plants stands in for it


def edit(change):
    def apply(path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data), encoding="utf-8")

    return apply


def raw(text: bytes):
    return lambda path: path.write_bytes(text)


def swap_names(data: dict) -> None:
    first, second = data["articles"][:2]
    for key in ("mp3", "chapters_json", "vtt"):
        first[key], second[key] = second[key], first[key]


FAULTS = {
    "empty file": raw(b""),
    "cut short": lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
    "not utf-8": raw(b'{"version": 1, "articles": [{"slug": "caf\xe9"}]}'),
    "a list": raw(b"[1, 2, 3]"),
    "nested too deep": raw(b"[" * 100_000 + b"]" * 100_000),
    "articles not a list": edit(lambda d: d.update(articles={"story-0": {}})),
    "article a string": edit(lambda d: d["articles"].__setitem__(0, "story-0")),
    "no slug": edit(lambda d: d["articles"][0].pop("slug")),
    "slug a list": edit(lambda d: d["articles"][0].update(slug=["story-0"])),
    "slug twice": edit(lambda d: d["articles"][1].update(slug=d["articles"][0]["slug"])),
    "mp3 missing": edit(lambda d: d["articles"][0].pop("mp3")),
    "mp3 outside": edit(lambda d: d["articles"][0].update(mp3="../story-0.mp3")),
    "mp3 a number": edit(lambda d: d["articles"][0].update(mp3=7)),
    "swapped file names": edit(swap_names),
    "duration not a number": edit(lambda d: d["articles"][0].update(duration_s=float("nan"))),
    "chapters a string": edit(lambda d: d["articles"][0].update(chapters="one, two")),
    "chapter start of 5000 digits": edit(lambda d: d["articles"][0]["chapters"][0].update(start_ms="9" * 5000)),
}


@pytest.fixture
def built(tmp_path: Path, voices) -> Path:  # noqa: F811
    voices(SPEC)
    library = tmp_path / "library"
    library.mkdir()
    for n in range(2):
        (library / f"story-{n}.txt").write_text(article(n), encoding="utf-8")
    out = tmp_path / "audio"
    assert (
        build([library], BuildOptions(out_dir=out, spec=SPEC, jobs=1, cache_dir=tmp_path / "cache"), Quiet()).exit_code
        == 0
    )
    return out


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_publish_says_one_line_and_writes_nothing(built: Path, capsys, fault) -> None:
    fault(built / "manifest.json")
    code = main(["publish", str(built), "--base-url", "https://example.org/pod/"])
    err = capsys.readouterr().err
    if code == 0:  # the only faults publish may pass over are ones that change nothing it writes
        pytest.fail(f"published from a damaged manifest: {err}")
    assert code == 1 and err.startswith("listen: ") and err.count("\n") == 1 and "Traceback" not in err
    assert not (built / "feed.xml").exists() and not (built / "index.html").exists()


BUILD_PASSES = {"duration not a number", "chapters a string", "chapter start of 5000 digits"}  # rewritten by the build


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_build_says_one_line_or_rebuilds(built: Path, tmp_path: Path, capsys, fault, request) -> None:
    fault(built / "manifest.json")
    options = BuildOptions(out_dir=built, spec=SPEC, jobs=1, cache_dir=tmp_path / "cache")
    if request.node.callspec.id in BUILD_PASSES:
        assert build([tmp_path / "library"], options, Quiet()).exit_code == 0
        return
    with pytest.raises(ManifestError) as refused:
        build([tmp_path / "library"], options, Quiet())
    assert "\n" not in str(refused.value) and "manifest.json" in str(refused.value)
