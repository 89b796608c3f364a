"""Processes that die together: a killed or stopped build leaves no worker behind, and a
stop records every finished article before it exits."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_batch_faults import LISTEN, manifest, write_library

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng"),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]


def session_members(sid: int) -> list[int]:
    """Live processes of session `sid` (the build was started as its leader)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":  # fields[3]: session id; Z: a zombie
            found.append(int(entry.name))
    return found


def describe(pids: list[int]) -> list[str]:
    """What the survivors are, for the failure message: command, parent, what they wait on."""
    found = []
    for pid in pids:
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")[:100].decode()
            parent = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
            found.append(f"{pid} (parent {parent}, waiting in {Path(f'/proc/{pid}/wchan').read_text()}): {command}")
        except OSError:
            pass
    return found


def start_build(tmp_path: Path, count: int = 6) -> tuple[subprocess.Popen[str], Path]:
    library, out = tmp_path / "lib", tmp_path / "audio"
    write_library(library, count, paragraphs=10)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    command = [LISTEN, "build", str(library), "-d", str(out), "--engine", "espeak", "--jobs", "2"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    return process, out


def wait_for(condition, seconds: float = 120) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
def test_killing_the_build_leaves_no_worker_alive(tmp_path: Path, signum: int) -> None:
    process, out = start_build(tmp_path)
    try:
        assert wait_for(lambda: len(session_members(process.pid)) >= 4), "workers did not start"
        os.kill(process.pid, signum)  # the main process only, as a service manager or a user would
        process.wait(timeout=60)
        assert wait_for(lambda: session_members(process.pid) == [], 10), describe(session_members(process.pid))
    finally:
        for pid in session_members(process.pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize(
    ("stop", "said"),
    [(lambda pid: os.kill(pid, signal.SIGTERM), "by a signal (SIGTERM)"),
     (lambda pid: os.killpg(pid, signal.SIGINT), "by the user")],  # Ctrl-C: the whole group
    ids=["sigterm", "ctrl-c"],
)  # fmt: skip
def test_a_stop_records_every_finished_article_before_exit(tmp_path: Path, stop, said: str) -> None:
    process, out = start_build(tmp_path, count=8)
    try:
        assert wait_for(lambda: len(manifest(out)) >= 1)
        stop(process.pid)
        _, err = process.communicate(timeout=60)
        assert wait_for(lambda: session_members(process.pid) == [], 10), describe(session_members(process.pid))
    finally:
        for pid in session_members(process.pid):
            os.kill(pid, signal.SIGKILL)
    assert process.returncode == 1
    assert [line for line in err.splitlines() if "Stopped" in line] == [
        f"listen: Stopped {said}; finished articles are recorded, run again to continue."
    ]
    assert not [line for line in err.splitlines() if "failed" in line.lower()]  # a stop is not a failure
    assert "Traceback" not in err
    recorded = {entry["mp3"] for entry in manifest(out).values()}
    assert {p.name for p in out.glob("*.mp3")} == recorded  # every finished MP3 is in the manifest
    assert not [p for p in out.iterdir() if ".listen-tmp-" in p.name]
    data = json.loads((out / "manifest.json").read_text())
    assert len(data["articles"]) == len(recorded)
