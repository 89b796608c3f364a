"""The installed `listen` in a real terminal (tmux): open, move by section, quit, reopen, resumed."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from tui_support import FIXTURES, REPO

LISTEN = REPO / ".venv" / "bin" / "listen"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux"),
    pytest.mark.skipif(not LISTEN.exists(), reason="needs the installed listen in .venv"),
]


class Terminal:
    """One tmux server of our own (its own socket), so nothing else's sessions are touched."""

    def __init__(self, cwd: Path, env: dict[str, str]) -> None:
        self.socket = f"listen-test-{uuid.uuid4().hex[:8]}"
        self.cwd = cwd
        self.env = env

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check)

    def start(self, command: str) -> None:
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items())
        # COLUMNS/LINES (set by some test runners) would override the real terminal size.
        command = f"env -u COLUMNS -u LINES {exports} {command}"
        self.tmux("new-session", "-d", "-x", "100", "-y", "30", "-c", str(self.cwd), command)

    def screen(self) -> str:
        result = self.tmux("capture-pane", "-p", check=False)
        return result.stdout if result.returncode == 0 else ""

    def running(self) -> bool:
        return self.tmux("has-session", check=False).returncode == 0

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", *keys)

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def wait_for_exit(self, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running():
                return
            time.sleep(0.05)
        raise AssertionError(f"listen did not quit; the screen was:\n{self.screen()}")

    def kill(self) -> None:
        self.tmux("kill-server", check=False)


@pytest.fixture
def terminal(tmp_path: Path):
    articles = tmp_path / "work" / "articles"
    articles.mkdir(parents=True)
    for source in FIXTURES.iterdir():
        shutil.copy(source, articles / source.name)
    env = {
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "TERM": "xterm-256color",
        "LANG": os.environ.get("LANG", "C.UTF-8"),
    }
    term = Terminal(tmp_path / "work", env)
    try:
        yield term
    finally:
        term.kill()


def test_reading_position_survives_quitting_and_reopening(terminal: Terminal) -> None:
    terminal.start(str(LISTEN))  # no command: the reader on ./articles
    terminal.wait_for("Library, 3 articles")
    terminal.keys("-l", "lantern")
    terminal.wait_for("1 of 3 articles match")
    terminal.keys("Enter")
    terminal.wait_for("Opened: The Lantern Makers of Orrin Bay")
    terminal.keys("h")
    terminal.wait_for("Section 2 of 4: The workshop")
    terminal.keys("h")
    terminal.wait_for("Section 3 of 4: The winter fair")
    terminal.wait_for("| The winter fair")  # the current block is marked in the gutter
    terminal.keys("C-q")
    terminal.wait_for_exit()

    terminal.start(f"{LISTEN} read articles")
    terminal.wait_for("Library, 3 articles")
    terminal.keys("-l", "lantern")
    terminal.wait_for("1 of 3 articles match")
    terminal.keys("Enter")
    terminal.wait_for("resumed at section 3 of 4")
    terminal.wait_for("| The winter fair")
    terminal.keys("C-q")
    terminal.wait_for_exit()
