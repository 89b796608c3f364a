"""The installed `listen` in a real terminal (tmux): open, move by section, quit, reopen, resumed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tui_support import LISTEN, Terminal, articles_folder, terminal_env

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux"),
    pytest.mark.skipif(not LISTEN.exists(), reason="needs the installed listen in .venv"),
]


@pytest.fixture
def terminal(tmp_path: Path):
    term = Terminal(articles_folder(tmp_path), terminal_env(tmp_path))
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
