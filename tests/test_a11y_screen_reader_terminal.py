"""Screen-reader mode in a real terminal (tmux), as a screen reader would meet it.

After every key of a walk through library, reader, find, help and back, tmux must report the
cursor visible and on the first letter of whatever has focus; the screen must hold no box,
block or braille characters; and once the reader is idle it must write nothing at all.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tui_support import BOX_AND_BLOCK, LISTEN, Terminal, articles_folder, terminal_env

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux"),
    pytest.mark.skipif(not LISTEN.exists(), reason="needs the installed listen in .venv"),
]

Focus = Callable[[list[str]], tuple[int, int] | None]


def list_row(lines: list[str]) -> tuple[int, int] | None:
    """The library shows the selected article alone, under the filter box, two cells in."""
    return (2, 1) if len(lines) > 1 and lines[1].startswith("  ") and lines[1].strip() else None


def current_block(lines: list[str]) -> tuple[int, int] | None:
    """The reader shows the current block alone, marked '| ' in the gutter on each of its rows."""
    for y, line in enumerate(lines):
        found = re.match(r"^ *\| ", line)
        if found:
            return found.end(), y
    return None


def find_box(text: str) -> Focus:
    """The find box: the insertion point, just after what was typed."""

    def where(lines: list[str]) -> tuple[int, int] | None:
        for y, line in enumerate(lines):
            if text and line.startswith(f" {text}") and "|" not in line:
                return 1 + len(text), y
            if not text and line.startswith(" Find a word, then Enter"):
                return 1, y
        return None

    return where


def help_line(text: str) -> Focus:
    """Help shows one key at a time, on the top row, one cell in."""

    def where(lines: list[str]) -> tuple[int, int] | None:
        return (1, 0) if lines and lines[0].strip() == text else None

    return where


WALK: list[tuple[tuple[str, ...], str, Focus]] = [
    (("Down",), "  Reading the Tide Tables", list_row),
    (("Down",), "  The Lantern Makers", list_row),
    (("Up",), "  Reading the Tide Tables", list_row),
    (("Down",), "  The Lantern Makers", list_row),
    (("Enter",), "Opened: The Lantern Makers of Orrin Bay", current_block),
    (("j",), "The standfirst", current_block),
    (("j",), "Section 1 of 4, paragraph 1 of 2", current_block),
    (("h",), "Section 2 of 4: The workshop", current_block),
    (("/",), "Find a word, then Enter", find_box("")),
    (("-l", "paper"), " paper", find_box("paper")),
    (("Enter",), "Match 2 of 3", current_block),
    (("n",), "Match 3 of 3", current_block),
    (("?",), "Help: Reader keys", help_line("Down or j: Next paragraph")),
    (("Down",), "Help: Reader keys", help_line("Up or k: Previous paragraph")),
    (("Down",), "Help: Reader keys", help_line("h or Ctrl+Down: Next section (heading)")),
    (("Escape",), "Reader, section 3 of 4, paragraph 2 of 2", current_block),
    (("q",), "Library, 3 articles", list_row),
]


def cursor_on_focus(terminal: Terminal, expected_text: str, focus: Focus) -> bool:
    lines = terminal.lines()
    if expected_text not in "\n".join(lines):
        return False
    target = focus(lines)
    x, y, visible = terminal.cursor()
    return visible and target == (x, y) and focus(terminal.lines()) == target


@pytest.fixture
def terminal(tmp_path: Path):
    term = Terminal(articles_folder(tmp_path), terminal_env(tmp_path), size=(80, 24))
    try:
        yield term
    finally:
        term.kill()


def test_cursor_is_visible_on_the_focus_after_every_key(terminal: Terminal) -> None:
    terminal.start(f"{LISTEN} read --screen-reader articles")
    terminal.wait_until(lambda: cursor_on_focus(terminal, "Library, 3 articles", list_row), "the library")
    for keys, text, focus in WALK:
        terminal.keys(*keys)
        terminal.wait_until(lambda: cursor_on_focus(terminal, text, focus), f"after {keys}: {text!r}")
        screen = terminal.screen()
        x, y, _ = terminal.cursor()
        under = screen.split("\n")[y][x : x + 1]
        assert under.strip() or focus is not current_block, f"the cursor is on a blank after {keys}"
        assert not BOX_AND_BLOCK.findall(screen), f"decoration after {keys}:\n{screen}"


def test_the_environment_variable_turns_screen_reader_mode_on(tmp_path: Path) -> None:
    term = Terminal(articles_folder(tmp_path), terminal_env(tmp_path, LISTEN_SCREEN_READER="1"), size=(80, 24))
    try:
        term.start(f"{LISTEN} read articles")
        term.wait_until(lambda: cursor_on_focus(term, "Library, 3 articles", list_row), "the library")
    finally:
        term.kill()


def test_an_idle_reader_writes_nothing_to_the_terminal(terminal: Terminal, tmp_path: Path) -> None:
    """No clock, spinner, blink or animation: five quiet seconds are zero bytes, on each screen."""
    written = tmp_path / "written.bin"
    terminal.start(f"{LISTEN} read --screen-reader articles")
    terminal.wait_for("Library, 3 articles")
    terminal.record(written)
    for keys, text in (
        (("-l", "lantern"), "1 of 3 articles match"),
        (("Escape", "Enter"), "Opened:"),
        (("/",), "Find a word"),
        (("Escape",), "Find closed"),  # alone: Escape and the next key at once would read as Alt+key
        (("?",), "Help: Reader keys"),
        (("Escape",), "Reader, "),
        (("F2",), "Settings, 7"),
    ):
        terminal.keys(*keys)  # filter box, reader, find box, help, settings: each has its own timers
        terminal.wait_for(text)
        time.sleep(1.0)  # let the last frame out
        before = written.stat().st_size if written.exists() else 0
        time.sleep(5.0)
        after = written.stat().st_size if written.exists() else 0
        assert after - before == 0, f"{after - before} bytes written while idle after {keys}"


def test_the_cursor_is_shown_only_where_the_new_focus_is_drawn(terminal: Terminal, tmp_path: Path) -> None:
    """Never one step behind: each show-cursor Textual writes after a key comes right after a
    move to the new item, in the same write as the frame that draws it."""
    written = tmp_path / "written.bin"
    terminal.start(f"{LISTEN} read --screen-reader articles")
    terminal.wait_until(lambda: cursor_on_focus(terminal, "Library, 3 articles", list_row), "the library")
    time.sleep(0.5)
    terminal.record(written)
    for title in ("Reading the Tide Tables", "The Lantern Makers"):  # shown one at a time, on row 1
        terminal.keys("Down")
        terminal.wait_until(lambda: title in terminal.lines()[1] and terminal.cursor()[:2] == (2, 1), title)
    time.sleep(0.5)
    data = written.read_text(encoding="utf-8", errors="replace")
    shows = [m.start() for m in re.finditer(re.escape("\x1b[?25h"), data)]
    assert len(shows) >= 2, repr(data)
    places = [re.search(r"\x1b\[(\d+);(\d+)H$", data[:at]) for at in shows]
    assert all(places), f"a show-cursor not right after a move: {data!r}"
    assert all(place.groups() == ("2", "3") for place in places if place), data


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")
def test_paused_narration_writes_nothing(tmp_path: Path) -> None:
    """Listen from here, then pause: the follow-along stops and five quiet seconds are zero bytes.

    The audio player is a stand-in on PATH (a "paplay" that swallows the WAV and takes a
    second over it), so no sound device is needed; synthesis is the real espeak-ng.
    """
    import os
    import stat
    from dataclasses import replace

    from listen.state import Store

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    player = bin_dir / "paplay"
    player.write_text("#!/bin/sh\ncat > /dev/null\nsleep 1\n")
    player.chmod(player.stat().st_mode | stat.S_IEXEC)
    env = terminal_env(tmp_path, PATH=f"{bin_dir}:{os.environ['PATH']}")
    store = Store(Path(env["XDG_DATA_HOME"]) / "listen" / "state.sqlite3")
    store.save_settings(replace(store.settings(), engine="espeak"))
    store.close()
    written = tmp_path / "written.bin"
    term = Terminal(articles_folder(tmp_path), env, size=(80, 24))
    try:
        term.start(f"{LISTEN} read --screen-reader articles")
        term.wait_for("Library, 3 articles")
        term.keys("Enter")
        term.wait_for("Opened:")
        term.keys("l")
        term.wait_for("Narrating from")
        term.keys("p")
        term.wait_for("Narration paused")
        term.record(written)
        time.sleep(1.0)  # let the last frame out
        before = written.stat().st_size if written.exists() else 0
        time.sleep(5.0)
        after = written.stat().st_size if written.exists() else 0
        assert after - before == 0, f"{after - before} bytes written while narration was paused"
        term.keys("p")
        term.wait_for("Narration resumed")
    finally:
        term.kill()
