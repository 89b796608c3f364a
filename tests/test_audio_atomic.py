"""All three files or none: errors, Ctrl-C and kill -9 never leave a partial narration."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from listen.atomic import TEMP_MARK, clean_leftovers
from listen.audio import SAMPLE_RATE, Tags, write_narration
from listen.audio.ffmpeg import check
from listen.errors import OutputError

FINAL = {"story.mp3", "story.chapters.json", "story.vtt"}


def tone(seconds: float) -> np.ndarray:
    t = np.arange(round(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return (np.sin(2 * np.pi * 330 * t) * 9000).astype(np.int16)


def failing_after(blocks: int, error: BaseException):
    def chapter():
        for _ in range(blocks):
            yield tone(0.5)
        raise error

    yield "First", iter([tone(1.0)])
    yield "Second", chapter()


@pytest.mark.parametrize("error", [RuntimeError("engine crashed"), KeyboardInterrupt()], ids=["error", "ctrl-c"])
def test_an_iterator_that_fails_halfway_leaves_no_files(tmp_path: Path, error: BaseException) -> None:
    with pytest.raises(type(error)):
        write_narration(failing_after(4, error), tmp_path / "story.mp3", Tags(title="T"))
    assert list(tmp_path.iterdir()) == []


def test_a_failure_while_tagging_leaves_no_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("listen.audio.writer.write_tags", broken)
    with pytest.raises(OutputError, match="disk is full"):
        write_narration([("A", iter([tone(1.0)]))], tmp_path / "story.mp3", Tags(title="T"))
    assert list(tmp_path.iterdir()) == []


def test_sidecars_are_removed_if_the_mp3_cannot_be_put_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace

    def replace(src: str | Path, dst: str | Path) -> None:
        if Path(dst).suffix == ".mp3":
            raise OSError(13, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr("listen.atomic.os.replace", replace)
    with pytest.raises(OutputError, match="permission denied"):
        write_narration([("A", iter([tone(1.0)]))], tmp_path / "story.mp3", Tags(title="T"))
    assert list(tmp_path.iterdir()) == []


def test_an_encoder_failure_is_an_output_error_that_names_the_cause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("listen.audio.lame.OUTPUT_RATE", 12345)  # no MP3 has this rate
    cause = "LAME failed while encoding .*story.mp3: Unable to set the output sample rate"
    with pytest.raises(OutputError, match=cause):
        write_narration([("A", iter([tone(1.0)]))], tmp_path / "story.mp3", Tags(title="T"))
    assert list(tmp_path.iterdir()) == []


WRITER = """
import sys, time
from pathlib import Path
import numpy as np
from listen.audio import SAMPLE_RATE, Tags, write_narration
from listen.audio.ffmpeg import check

block = (np.sin(2 * np.pi * 330 * np.arange(SAMPLE_RATE) / SAMPLE_RATE) * 9000).astype(np.int16)
slow = sys.argv[2] == "spooling"

def chapter():
    for second in range(1200):
        if slow:
            time.sleep(0.01)
        yield block
    print("spooled", flush=True)

def progress(seconds):
    if seconds == 5:
        print("writing", flush=True)

write_narration([("One", chapter())], Path(sys.argv[1]), Tags(title="Killed"), progress=progress)
print("finished", flush=True)
"""


@pytest.mark.parametrize(("stage", "wait_for"), [("spooling", "writing"), ("encoding", "spooled")])
def test_kill_9_leaves_no_final_file_and_leftovers_that_clean_up(tmp_path: Path, stage: str, wait_for: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(out / "story.mp3"), stage], stdout=subprocess.PIPE, text=True
    )
    try:
        for line in proc.stdout:  # type: ignore[union-attr]
            if line.strip() == wait_for:
                break
        time.sleep(0.3)  # well inside the stage: 20 minutes of audio take seconds to encode
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not FINAL & {p.name for p in out.iterdir()}
    leftovers = list(out.iterdir())
    assert all(TEMP_MARK in p.name for p in leftovers)
    assert_nobody_writes(leftovers)
    assert sorted(clean_leftovers(out)) == sorted(leftovers)
    assert list(out.iterdir()) == []


def assert_nobody_writes(paths: list[Path]) -> None:
    """No process (an orphaned ffmpeg) still holds one of `paths` open, even a moment later."""
    time.sleep(0.5)
    targets = {str(p) for p in paths}
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        try:
            links = {os.readlink(fd) for fd in fd_dir.iterdir()}
        except OSError:
            continue
        assert not targets & links, f"{fd_dir.parent} still writes a leftover"


class _Exited:
    """Stands in for an ffmpeg process that has already exited with `code`."""

    def __init__(self, code: int) -> None:
        self.code = code

    def wait(self) -> int:
        return self.code


@pytest.mark.parametrize(
    ("stderr", "message"),
    [
        (b"[mp3 @ 0x1] Error writing trailer: No space left on device\n", "disk is full"),
        (b"/out/story.mp3: Permission denied\n", "permission denied"),
    ],
)
def test_ffmpeg_write_failures_become_the_usual_output_errors(stderr: bytes, message: str) -> None:
    with pytest.raises(OutputError, match=message):
        check(_Exited(1), io.BytesIO(stderr), Path("/out/story.mp3"), "encoding")  # type: ignore[arg-type]
