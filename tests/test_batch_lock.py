"""One writer per output folder, and nothing listen wrote is ever read back as an article."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from listen.batch.lock import FolderBusyError, output_lock
from listen.batch.run import BuildOptions, build
from listen.batch.worker import EngineSpec
from listen.publish.publisher import publish
from test_batch import Quiet, article, voices  # noqa: F401  (voices: a fixture)
from test_batch_faults import LISTEN, manifest, write_library

SPEC = EngineSpec("espeak")  # the test double voices(SPEC) plants stands in for it


def options(tmp_path: Path, out: Path, **kw) -> BuildOptions:
    return BuildOptions(out_dir=out, spec=SPEC, jobs=1, cache_dir=tmp_path / "cache", **kw)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    folder.mkdir()
    for n in range(2):
        (folder / f"story-{n}.txt").write_text(article(n), encoding="utf-8")
    return folder


def test_a_second_build_into_a_busy_folder_refuses_with_one_line_naming_the_first(tmp_path, library, voices) -> None:  # noqa: F811
    voices(SPEC)
    out = tmp_path / "audio"
    out.mkdir()
    with output_lock(out):
        with pytest.raises(FolderBusyError) as refused:
            build([library], options(tmp_path, out), Quiet())
    message = str(refused.value)
    assert f"(PID {os.getpid()})" in message and "--wait" in message and "\n" not in message
    assert not (out / "manifest.json").exists()
    assert build([library], options(tmp_path, out), Quiet()).exit_code == 0  # released


def test_with_wait_a_second_build_runs_after_the_first(tmp_path, library, voices, capfd) -> None:  # noqa: F811
    voices(SPEC)
    out = tmp_path / "audio"
    out.mkdir()
    held = threading.Event()

    def first() -> None:
        with output_lock(out):
            held.set()
            time.sleep(0.5)

    thread = threading.Thread(target=first)
    thread.start()
    held.wait()
    report = build([library], options(tmp_path, out, wait=True), Quiet())
    thread.join()
    assert report.exit_code == 0 and len(report.narrated) == 2
    assert "waiting for the listen build" in capfd.readouterr().err


def test_an_output_folder_inside_the_input_is_never_narrated(tmp_path, library, voices) -> None:  # noqa: F811
    voices(SPEC)
    out = library / "audio"
    first = build([library], options(tmp_path, out), Quiet())
    assert len(first.narrated) == 2
    publish(out, "https://example.org/pod")
    elsewhere = library / "old-site"  # a folder published by an earlier build, moved here
    shutil.copytree(out, elsewhere)
    again = build([library], options(tmp_path, out), Quiet())
    assert again.narrated == [] and len(again.unchanged) == 2
    assert not [r for r in again.skipped if "audio" in r.source or "old-site" in r.source]
    assert len(json.loads((out / "manifest.json").read_text())["articles"]) == 2


def test_a_published_page_named_on_the_command_line_is_refused(tmp_path, library, voices) -> None:  # noqa: F811
    voices(SPEC)
    out = tmp_path / "audio"
    build([library], options(tmp_path, out), Quiet())
    publish(out, "https://example.org/pod")
    with pytest.raises(Exception) as nothing:
        build([out / "index.html"], options(tmp_path, tmp_path / "other"), Quiet())
    assert "no articles found" in str(nothing.value)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")
def test_two_concurrent_builds_into_one_folder_lose_no_manifest_entry(tmp_path: Path) -> None:
    out = tmp_path / "audio"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    runs = []
    for name in ("north", "south"):
        write_library(tmp_path / name, 4, paragraphs=2)
        for path in (tmp_path / name).iterdir():
            path.rename(path.with_name(f"{name}-{path.name}"))
        command = [LISTEN, "build", str(tmp_path / name), "-d", str(out), "--engine", "espeak", "--jobs", "1", "--wait"]
        runs.append(subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    results = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], results
    assert len(manifest(out)) == 8


def test_a_new_output_folder_on_a_read_only_disk_is_one_line(tmp_path, library, voices) -> None:  # noqa: F811
    from listen.errors import OutputError

    voices(SPEC)
    disk = tmp_path / "disk"
    disk.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(disk)]).returncode
    ):
        pytest.skip("needs root to mount a read-only tmpfs")
    try:
        with pytest.raises(OutputError) as refused:
            build([library], options(tmp_path, disk / "audio"), Quiet())
        assert "\n" not in str(refused.value) and str(disk / "audio") in str(refused.value)
    finally:
        subprocess.run(["umount", str(disk)])
