"""Screen-reader mode under a real screen reader: Fenrir, in its emulated-PTY mode, inside tmux.

Fenrir (the Debian package `fenrir`) runs listen as its PTY's program, keeps its own model of
the screen (pyte) and speaks what changes and what the cursor lands on. Its speech goes to a
tiny "synthesizer" (Fenrir's genericDriver running a shell script) that appends each utterance
to a file, so no sound device is needed; its settings live in the test's temp dir.

What Fenrir does (Debian's Fenrir 1.9.5, its default settings otherwise), and so what listen's
screen-reader mode is built for: after a key it speaks every row whose text changed, top to
bottom, and reads the cursor's row only when no text changed. Its PTY key layout keeps a bare
Escape ("stop speech") and F1-F3 for itself, so the walk uses ?, Ctrl+P and Ctrl+G, as a
Fenrir user would. The walk below checks, for every kind of key (list moves, typing, opening
and closing screens, reader moves, find, settings), that Fenrir says the new focus and
nothing but it, the status line and what was typed.
"""

from __future__ import annotations

import configparser
import re
import shutil
import time
from pathlib import Path

import pytest

from tui_support import BOX_AND_BLOCK, LISTEN, Terminal, articles_folder, terminal_env

FENRIR_SETTINGS = Path("/etc/fenrirscreenreader/settings/settings.conf")
FENRIR_PTY_KEYS = Path("/etc/fenrirscreenreader/keyboard/pty.conf")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux"),
    pytest.mark.skipif(
        shutil.which("fenrir") is None or not FENRIR_SETTINGS.exists() or not FENRIR_PTY_KEYS.exists(),
        reason="needs the Fenrir screen reader (Debian package fenrir)",
    ),
    pytest.mark.skipif(not LISTEN.exists(), reason="needs the installed listen in .venv"),
]

SEPARATOR = "\x1e"  # between utterances in the speech log
BYPASS = "M-:"  # Fenrir PTY mode: the next key goes to the program, not to Fenrir


class Fenrir:
    """Fenrir in PTY mode running `command`, in a tmux server of its own; speech to a file."""

    def __init__(self, tmp_path: Path, command: str) -> None:
        self.spoken_file = tmp_path / "spoken.log"
        self.heard = 0  # utterances already handed out by `after`
        say = tmp_path / "say.sh"
        say.write_text(f"#!/bin/sh\nprintf '%s\\036' \"$1\" >> '{self.spoken_file}'\n")
        say.chmod(0o755)
        settings = configparser.RawConfigParser()
        settings.optionxform = str  # type: ignore[assignment,method-assign]
        settings.read(FENRIR_SETTINGS)
        for section, option, value in (
            ("speech", "driver", "genericDriver"),
            ("speech", "genericSpeechCommand", f'{say} "fenrirText"'),
            ("sound", "enabled", "False"),
            ("braille", "enabled", "False"),
            ("remote", "enable", "False"),
            ("time", "enabled", "False"),
            ("screen", "driver", "ptyDriver"),
            ("keyboard", "driver", "ptyDriver"),
            ("keyboard", "keyboardLayout", str(FENRIR_PTY_KEYS)),
            ("general", "autoSpellCheck", "False"),  # needs python3-enchant, only recommended
            ("general", "debugLevel", "0"),
            ("general", "debugFile", str(tmp_path / "fenrir.log")),
            ("general", "shell", command),
        ):
            settings[section][option] = value
        self.settings = tmp_path / "fenrir.conf"
        with self.settings.open("w") as file:
            settings.write(file)
        self.terminal = Terminal(articles_folder(tmp_path), terminal_env(tmp_path), size=(80, 24))

    def start(self) -> None:
        self.terminal.start(f"fenrir -s {self.settings}")

    def utterances(self) -> list[str]:
        if not self.spoken_file.exists():
            return []
        return self.spoken_file.read_text(encoding="utf-8", errors="replace").split(SEPARATOR)[:-1]

    def after(self, *keys: str, expect: tuple[str, ...] = (), timeout: float = 20) -> str:
        """Press `keys`; return all Fenrir says until each of `expect` was said and it went quiet.

        Utterances are joined with newlines and runs of spaces are squeezed. Fenrir's own
        line-break pause (" , ") stays, so an expected text must lie within one screen line.
        """
        if keys:
            self.terminal.keys(*keys)
        deadline = time.monotonic() + timeout
        said = ""
        count, quiet_since = self.heard, time.monotonic()
        while time.monotonic() < deadline:
            utterances = self.utterances()
            if len(utterances) != count:
                count, quiet_since = len(utterances), time.monotonic()
            said = re.sub(r"[ \t]+", " ", "\n".join(utterances[self.heard :]))
            started = count > self.heard or time.monotonic() > deadline - timeout + 3  # said something, or 3 s
            if all(text in said for text in expect) and started and time.monotonic() - quiet_since > 0.6:
                self.heard = count
                return said
            time.sleep(0.05)
        raise AssertionError(
            f"after {keys} Fenrir never said {expect!r}; it said:\n{said}\nscreen:\n{self.terminal.screen()}"
        )

    def kill(self) -> None:
        self.terminal.kill()


@pytest.fixture
def fenrir(request: pytest.FixtureRequest, tmp_path: Path):
    reader = Fenrir(tmp_path, f"{LISTEN} read {request.param} articles")
    try:
        yield reader
    finally:
        reader.kill()


# Words Fenrir says for punctuation, and what it says that is not screen text.
PUNCTUATION_WORDS = {"dash", "slash", "plus", "backslash", "star", "bar", "tilde", "caret", "greater", "less"}
FILLER = {"has attribute", "bypass", "blank", ""}


def words(text: str) -> str:
    tokens = re.findall(r"[a-z0-9\u00c0-\u024f]+", text.lower().replace("…", " "))
    return " ".join(token for token in tokens if token not in PUNCTUATION_WORDS)


def spoken_rows(said: str) -> list[str]:
    """What was said, row by row (Fenrir pauses between rows with " , ")."""
    rows = [row for utterance in said.split("\n") for row in utterance.split(" , ")]
    return [words(row) for row in rows if row.strip() not in FILLER and words(row)]


def focus_and_status(terminal: Terminal) -> tuple[list[str], str]:
    """The focus (the cursor's row, and the block's following rows marked '| '), and the
    status line (the row above the footer)."""
    lines = terminal.lines()
    x, y, _ = terminal.cursor()
    rows = [lines[y]]
    while x >= 2 and lines[y][x - 2 : x] == "| " and y + 1 < len(lines) and lines[y + 1][x - 2 : x] == "| ":
        y += 1
        rows.append(lines[y])
    filled = [line for line in lines if line.strip()]
    return [words(row) for row in rows], words(filled[-2]) if len(filled) >= 2 else ""


# (keys, kind, text that shows the step is done): "nav" must say the new focus; "open" the
# focus or the new status line; "type" what was typed or the new status line; "ann" the status.
WALK: list[tuple[tuple[str, ...], str, str]] = [
    (("Down",), "nav", "Reading the Tide Tables"),
    (("Down",), "nav", "The Lantern Makers"),
    (("Up",), "nav", "Reading the Tide Tables"),
    (("-l", "l"), "type", "3 of 3 articles match"),
    (("-l", "a"), "type", "2 of 3 articles match"),
    (("C-g",), "open", "Library, 3 articles"),
    (("End",), "nav", "The Lantern Makers"),
    (("Home",), "nav", "A Bread Club"),
    (("End",), "nav", "The Lantern Makers"),
    (("Enter",), "open", "Opened: The Lantern Makers of Orrin Bay"),
    (("j",), "nav", "The standfirst"),
    (("j",), "nav", "Section 1 of 4, paragraph 1 of 2"),
    (("Down",), "nav", "Section 1 of 4, paragraph 2 of 2"),
    (("k",), "nav", "Section 1 of 4, paragraph 1 of 2"),
    (("h",), "nav", "Section 2 of 4: The workshop"),
    (("H",), "nav", "Section 1 of 4: The Lantern Makers"),
    (("/",), "open", "Find a word, then Enter"),
    (("-l", "paper"), "type", "“paper”: 3 matches"),
    (("Enter",), "open", "Match 1 of 3"),
    (("n",), "nav", "Match 2 of 3"),
    (("N",), "nav", "Match 1 of 3"),
    (("t",), "open", "Contents, 4 sections"),
    (("Down",), "nav", "2. The workshop"),
    (("Enter",), "open", "section 2 of 4, heading: The workshop"),
    (("b",), "ann", "Bookmark added"),
    (("?",), "open", "Help: Reader keys"),
    (("Down",), "nav", "Up or k: Previous paragraph"),
    (("Down",), "nav", "Next section (heading)"),
    (("C-g",), "open", "Reader, section 2 of 4, heading"),
    (("C-p",), "open", "Settings, 7"),
    (("Down",), "nav", "Text size: Normal"),
    (("Right",), "nav", "Text size: Large"),
    (("Left",), "nav", "Text size: Normal"),
    (("C-g",), "open", "Reader, section 2 of 4, heading"),
    (("q",), "open", "Library, 3 articles"),
]


@pytest.mark.parametrize("fenrir", ["--screen-reader"], indirect=True)
def test_fenrir_says_the_new_focus_and_nothing_else_after_every_key(fenrir: Fenrir) -> None:
    fenrir.start()
    fenrir.after(expect=("Library, 3 articles",), timeout=30)
    fenrir.terminal.wait_for("Library, 3 articles")
    status_before = ""
    problems = []
    for keys, kind, done in WALK:
        fenrir.terminal.keys(*keys)
        fenrir.terminal.wait_for(done)
        said = fenrir.after(expect=())
        focus, status = focus_and_status(fenrir.terminal)
        typed = words(keys[-1]) if kind == "type" else ""
        allowed = " ".join([*focus, status, typed])
        heard = spoken_rows(said)
        focus_said = bool(focus) and focus[0] in words(said)
        status_said = status != status_before and status in words(said)
        wanted = {
            "nav": focus_said,
            "open": focus_said or status_said,
            "type": typed in words(said).split() or status_said,
            "ann": status_said,
        }[kind]
        others = [row for row in heard if row not in allowed]
        if not wanted or others or BOX_AND_BLOCK.search(said):
            problems.append(f"{keys} ({kind}): said {said!r}; focus {focus[:1]}, status {status!r}")
        status_before = status
    assert not problems, "\n".join(problems)
