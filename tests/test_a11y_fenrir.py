"""Screen-reader mode under a real screen reader: Fenrir, in its emulated-PTY mode, inside tmux.

Fenrir (the Debian package `fenrir`) runs listen as its PTY's program, keeps its own model of
the screen (pyte) and speaks what changes and what the cursor lands on. Its speech goes to a
tiny "synthesizer" (Fenrir's genericDriver running a shell script) that appends each utterance
to a file, so no sound device is needed; its settings live in the test's temp dir.

What the walk shows about Fenrir and listen (Debian's Fenrir 1.9.5, its default settings otherwise):

* Fenrir reads the lines that changed after a key, in screen order, and only reads the cursor
  line when nothing else changed. listen marks the focus with text ("> " in the library, "| "
  in the reader's gutter), so after Down both the old and the new item are spoken; the new one
  is always among them, and the status line ("Section 1 of 4, paragraph 1 of 2") is said last.
* Where only the cursor moves (the help list), Fenrir reads exactly the line the cursor is on.
* Fenrir's PTY key layout takes a bare Escape for "stop speech" (and F1-F3 for its own
  commands), so Escape only reaches listen after Fenrir's bypass key (Alt+colon), as a Fenrir
  user would press it.
* Without --screen-reader it once also spoke the article's scroll bar as block characters;
  the reader has no scroll bar now (its title says "34%" instead), so there is none to speak.
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
            if all(text in said for text in expect) and time.monotonic() - quiet_since > 0.6:
                self.heard = count
                return said
            time.sleep(0.05)
        raise AssertionError(
            f"after {keys} Fenrir never said {expect!r}; it said:\n{said}\nscreen:\n{self.terminal.screen()}"
        )

    def kill(self) -> None:
        self.terminal.kill()


def title_last_spoken(said: str) -> str | None:
    """Of the three library titles, the one Fenrir said last."""
    titles = ("A Bread Club for the Night Shift", "Reading the Tide Tables", "The Lantern Makers of Orrin Bay")
    found = [(said.rfind(title), title) for title in titles if title in said]
    return max(found)[1] if found else None


def last_line(said: str) -> str:
    """The last thing said, leaving out Fenrir's "has attribute" (the cursor cell is styled)."""
    lines = [line.strip() for line in said.split("\n") if line.strip() not in ("", "has attribute")]
    return lines[-1] if lines else ""


@pytest.fixture
def fenrir(request: pytest.FixtureRequest, tmp_path: Path):
    reader = Fenrir(tmp_path, f"{LISTEN} read {request.param} articles")
    try:
        yield reader
    finally:
        reader.kill()


@pytest.mark.parametrize("fenrir", ["--screen-reader"], indirect=True)
def test_fenrir_speaks_the_new_focus_after_every_key(fenrir: Fenrir) -> None:
    fenrir.start()
    spoken = [fenrir.after(expect=("Library, 3 articles",), timeout=30)]

    said = fenrir.after("Down", expect=("Reading the Tide Tables",))
    assert title_last_spoken(said) == "Reading the Tide Tables", said
    spoken.append(said)
    said = fenrir.after("Down", expect=("The Lantern Makers of Orrin Bay",))
    assert title_last_spoken(said) == "The Lantern Makers of Orrin Bay", said
    spoken.append(said)
    # Up: Fenrir reads the changed rows top to bottom, so the new (upper) one comes first and
    # the one just left is said after it (see the module's docstring).
    spoken.append(fenrir.after("Up", expect=("Reading the Tide Tables",)))
    spoken.append(fenrir.after("Down", expect=("The Lantern Makers of Orrin Bay",)))

    steps: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
        (("Enter",), ("Opened: The Lantern Makers of Orrin Bay, 4 sections",)),
        (("j",), ("A small workshop keeps an old craft alive", "The standfirst")),
        (("j",), ("Every October the windows of a narrow shop", "Section 1 of 4, paragraph 1 of 2")),
        (("h",), ("Section 2 of 4: The workshop",)),
        (("/",), ("Find a word, then Enter",)),
        (("-l", "paper"), ("paper",)),
        (("Enter",), ("Visitors are welcome on Saturday mornings", "Match 2 of 3")),
        (("n",), ("The fair raises enough money to buy willow", "Match 3 of 3")),
        (("?",), ("Help: Reader keys",)),
        # The help list changes no text when the cursor moves: Fenrir reads the cursor's line.
        (("Down",), ("Up or k: Previous paragraph",)),
        (("Down",), ("Next section",)),
        ((BYPASS,), ("bypass",)),
        (("Escape",), ("Reader, section 3 of 4, paragraph 2 of 2",)),
        (("q",), ("Library, 3 articles", "The Lantern Makers of Orrin Bay")),
    ]
    for keys, expected in steps:
        spoken.append(fenrir.after(*keys, expect=expected))

    assert last_line(spoken[-5]) == "Up or k: Previous paragraph", spoken[-5]
    assert last_line(spoken[-4]) == "h or Ctrl plus Down: Next section heading", spoken[-4]
    decoration = [said for said in spoken if BOX_AND_BLOCK.search(said)]
    assert not decoration, f"Fenrir spoke decoration: {decoration}"
