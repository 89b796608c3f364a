"""What screen-reader mode writes to the terminal after each key, by the rules of a screen reader
that speaks what is written (tdsr): it reads the cursor's row ~20 ms after an arrow key and
otherwise speaks every character a program writes.

So after any key the only rows with text written must be the new focus and the status line
(rows cleared to blank are silent), the row just left must not be written again, the footer
never, and a frame after an arrow key must be small. The bytes are recorded with tmux's
pipe-pane, as the terminal receives them.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest

from listen.tui.frames import MOVE, SGR
from tui_support import LISTEN, Terminal, articles_folder, terminal_env

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux"),
    pytest.mark.skipif(not LISTEN.exists(), reason="needs the installed listen in .venv"),
]

ARROW_FRAME_BYTES = 1024

# (keys, text on screen when the key is done, is it an arrow key)
WALK: list[tuple[tuple[str, ...], str, bool]] = [
    (("Down",), "Reading the Tide Tables", True),
    (("Down",), "The Lantern Makers", True),
    (("Up",), "Reading the Tide Tables", True),
    (("Home",), "A Bread Club", False),
    (("-l", "t"), "3 of 3 articles match", False),
    (("C-g",), "Library, 3 articles", False),
    (("End",), "The Lantern Makers", False),
    (("Enter",), "Opened: The Lantern Makers", False),
    (("Down",), "The standfirst", True),
    (("Down",), "Section 1 of 4, paragraph 1 of 2", True),
    (("j",), "Section 1 of 4, paragraph 2 of 2", False),
    (("Up",), "Section 1 of 4, paragraph 1 of 2", True),
    (("h",), "Section 2 of 4: The workshop", False),
    (("t",), "Contents, 4 sections", False),
    (("Down",), "3. The winter fair", True),
    (("Enter",), "heading: The winter fair", False),
    (("?",), "Help: Reader keys", False),
    (("Down",), "Up or k: Previous paragraph", True),
    (("C-g",), "Reader, section 3 of 4", False),
    (("C-p",), "Settings, 7", False),
    (("Down",), "Text size: Normal", True),
    (("Right",), "Text size: Large", True),
    (("Left",), "Text size: Normal", True),
    (("C-g",), "Reader, section 3 of 4", False),
    (("q",), "Library, 3 articles", False),
]


def text_of(payload: str) -> str:
    """The characters a payload puts on screen: colours, cursor shape and show/hide left out."""
    return re.sub(r"\x1b\[\?[0-9;]*[a-zA-Z]|\x1b\[[0-9 ]*q", "", SGR.sub("", payload)).rstrip("\n")


def rows_written(data: str) -> dict[int, str]:
    """Row -> the text written on it (escape codes left out), for rows given any text."""
    written: dict[int, str] = {}
    moves = list(MOVE.finditer(data))
    for move, following in zip(moves, [*moves[1:], None]):
        payload = data[move.end() : following.start() if following else len(data)]
        text = text_of(payload)
        if text.strip():
            row = int(move.group(1)) - 1
            written[row] = written.get(row, "") + text
    return written


def focus_and_status(terminal: Terminal) -> tuple[set[int], int]:
    """The focus's rows (the cursor's, and a block's rows marked '| ' below it) and the status row."""
    lines = terminal.lines()
    x, y, _ = terminal.cursor()
    rows = {y}
    while x >= 2 and lines[y][x - 2 : x] == "| " and y + 1 < len(lines) and lines[y + 1][x - 2 : x] == "| ":
        y += 1
        rows.add(y)
    filled = [number for number, line in enumerate(lines) if line.strip()]
    return rows, filled[-2]


def test_each_key_writes_only_the_new_focus_and_the_status_line(tmp_path: Path) -> None:
    written = tmp_path / "written.bin"
    terminal = Terminal(articles_folder(tmp_path), terminal_env(tmp_path), size=(80, 24))
    try:
        terminal.start(f"{LISTEN} read --screen-reader articles")
        terminal.wait_for("Library, 3 articles")
        time.sleep(1.0)
        terminal.record(written)
        problems = []
        for keys, done, arrow in WALK:
            before = written.stat().st_size if written.exists() else 0
            terminal.keys(*keys)
            terminal.wait_for(done)
            time.sleep(0.4)  # the last frame out
            data = written.read_bytes()[before:].decode("utf-8", "replace")
            focus, status = focus_and_status(terminal)
            others = {row: text for row, text in rows_written(data).items() if row not in focus | {status}}
            if others:
                problems.append(f"{keys}: wrote rows besides the focus {sorted(focus)} and status: {others}")
            if arrow and len(data.encode()) > ARROW_FRAME_BYTES:
                problems.append(f"{keys}: {len(data.encode())} bytes after an arrow key")
        assert not problems, "\n".join(problems)
    finally:
        terminal.kill()


def test_start_up_writes_each_line_once(tmp_path: Path) -> None:
    """One full frame: later frames at start-up write only what changed (the rows arriving)."""
    written = tmp_path / "written.bin"
    terminal = Terminal(articles_folder(tmp_path), terminal_env(tmp_path), size=(80, 24))
    try:
        # The program waits a second, so recording starts before its first byte.
        terminal.start(f"sh -c 'sleep 1; exec {LISTEN} read --screen-reader articles'")
        terminal.record(written)
        terminal.wait_for("Library, 3 articles")
        time.sleep(1.0)
        data = written.read_text(encoding="utf-8", errors="replace")
        assert "$p" not in data, "a terminal query a screen reader's emulator prints as text"
        counts: dict[str, int] = {}
        moves = list(MOVE.finditer(data))
        for move, following in zip(moves, [*moves[1:], None]):
            text = text_of(data[move.end() : following.start() if following else len(data)]).strip()
            if text:
                counts[text] = counts.get(text, 0) + 1
        repeated = {text: count for text, count in counts.items() if count > 1}
        assert not repeated, repeated
        assert any("A Bread Club" in text for text in counts) and any("Library, 3 articles" in t for t in counts)
    finally:
        terminal.kill()
