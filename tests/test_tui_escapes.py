"""Text is data, never terminal control, in the reader (issue 18, part 2).

An article title or a file name holding OSC 52 (write the clipboard), OSC 0 (retitle the
terminal), CSI or DCS sequences must not reach the terminal when the reader shows it: in the
library's rows, the reader's title and headings, the status line, or an error naming the file.
The bytes are recorded as the terminal receives them (tmux pipe-pane).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from tui_support import LISTEN, Terminal, terminal_env

from listen.controls import printable
from listen.tui.screens.reader import marked_blocks, prepare

OSC_52 = "\x1b]52;c;bGlzdGVuIHdhcyBoZXJl\x07"  # "listen was here" into the clipboard
OSC_0 = "\x1b]0;retitled by an article\x07"
CSI = "\x1b[3;7r"  # set a scrolling region: Textual never writes one itself
DCS = "\x1bP1$qm\x1b\\"
ATTACKS = (OSC_52, "\x1b]52;", OSC_0, "\x1b]0;", CSI, DCS, "\x1bP")

PARAGRAPH = (
    "The ferry timetable on the harbour wall is printed twice a year, and the winter sheet always "
    "goes up a week late because the printer in town closes for the autumn fair."
)


def hostile_article(folder: Path) -> Path:
    folder.mkdir(parents=True)
    path = folder / "ferries.md"
    body = "\n\n".join([PARAGRAPH] * 6)
    path.write_text(
        f"# Ferries {OSC_52}and {OSC_0}winter {CSI}timetables\n\n{body}\n\n## Late {DCS}sheets\n\n{body}\n",
        encoding="utf-8",
    )
    return path


def test_blocks_the_reader_shows_hold_no_controls_even_if_the_article_does() -> None:
    """The reader's own door (prepare), for articles that did not come through the loaders."""
    from listen.articles.model import Article, Section

    article = Article(
        title=f"Ferries {OSC_52}and {OSC_0}winter",
        sections=(Section(heading=f"Late {CSI}sheets", paragraphs=(f"A {DCS}paragraph.",)),),
    )
    blocks = prepare(article).blocks
    assert [block.text for block in blocks] == ["Ferries and winter", "Late sheets", "A paragraph."]
    assert all(block.text == printable(block.text) for block in marked_blocks(article, blocks))


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
@pytest.mark.skipif(not LISTEN.exists(), reason="needs the installed listen in .venv")
def test_no_escape_sequence_from_a_title_or_file_name_reaches_the_terminal(tmp_path: Path) -> None:
    work = tmp_path / "work"
    hostile_article(work / "articles")
    named = work / f"named{OSC_0}{CSI}here"
    named.mkdir()
    (named / "empty.md").write_text("", encoding="utf-8")  # an error that names its path
    written = tmp_path / "written.bin"
    terminal = Terminal(work, terminal_env(tmp_path), size=(80, 24))
    try:
        # The program waits a second, so recording starts before its first byte.
        terminal.start(f"sh -c 'sleep 1; exec {LISTEN} read articles'")
        terminal.record(written)
        terminal.wait_for("Library, 1 article")
        terminal.keys("Enter")
        terminal.wait_for("Opened: Ferries and winter timetables")
        terminal.keys("h")
        terminal.wait_for("Section 2 of 2: Late")
        terminal.keys("t")
        terminal.wait_for("Contents, 2 sections")
        terminal.keys("Escape", "C-q")
        terminal.wait_for_exit()
        terminal.start(f"sh -c 'sleep 1; exec {LISTEN} read named*/empty.md'")
        terminal.record(written)  # a new pane: recorded too
        terminal.wait_for("is empty")
        time.sleep(0.5)
        terminal.keys("C-q")
        terminal.wait_for_exit()
        data = written.read_bytes().decode("utf-8", "replace")
        assert "Ferries and winter" in data and "is empty" in data, "the recording missed the screens"
        found = [attack for attack in ATTACKS if attack in data]
        assert not found, f"escape sequences from article data reached the terminal: {found!r}"
    finally:
        terminal.kill()
