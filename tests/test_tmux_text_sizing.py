"""The installed `listen` under tmux, which does not implement kitty's OSC 66.

Detection must say "not supported" there, so large text stays in block letters. Forced on
(LISTEN_TEXT_SIZING=on, as for a terminal that lies), the bytes the real driver writes are
recorded: tmux ignores the scaled glyphs but shows the row of real text under them, so the
glyphs' positions and colours can be checked against what tmux shows. No real kitty here.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from listen.tui.text_sizing import CLEAN_UP, PROBE
from tui_support import BOX_AND_BLOCK, LISTEN, Terminal, terminal_cells, terminal_env

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux"),
    pytest.mark.skipif(not LISTEN.exists(), reason="needs the installed listen in .venv"),
]

WORDS = "quick brown foxes jump over lazy dogs while big yellow kites glide"
DRAWN = re.compile(r"\x1b\[(\d+);(\d+)H\x1b\[0;([0-9;]*)m\x1b\]66;s=(\d);([^\x07]*)\x07")


def start(tmp_path: Path, command: str, **env: str) -> tuple[Terminal, Path]:
    """Start `command` under tmux once the recording of everything it writes has begun."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "letters.txt").write_text(f"Big letters\n\n{WORDS} {WORDS}.\n\nA second paragraph.\n", encoding="utf-8")
    term = Terminal(work, terminal_env(tmp_path, **env), size=(80, 24))
    term.start(f"sh -c 'read go; exec {command}'")  # waits for Enter, so nothing is written unrecorded
    record = tmp_path / "written.bin"
    term.record(record)
    term.keys("Enter")
    return term, record


def written(record: Path) -> str:
    return record.read_bytes().decode("utf-8", "replace") if record.exists() else ""


def test_under_tmux_detection_says_no_and_large_text_stays_in_block_letters(tmp_path: Path) -> None:
    term, record = start(tmp_path, f"{LISTEN} read --large-text 2 letters.txt")
    try:
        term.wait_for_big("Opened: Big letters")
        term.keys("j")
        term.wait_for_big("Section 1 of 1, paragraph 1 of 2")
        body = [row[4:78] for row in term.lines()[1:17]]  # above the status line, in big letters too
        assert BOX_AND_BLOCK.search("".join(body)), "\n".join(body)
        assert "quick" not in "".join(body), "the words are drawn in block letters, not as text"
        output = written(record)
        assert PROBE.decode() in output and CLEAN_UP.decode() in output, "the terminal was asked, then cleaned up"
        assert not DRAWN.search(output), "no scaled text is drawn where the terminal cannot show it"
    finally:
        term.kill()


def test_forced_on_the_driver_draws_scaled_text_over_the_rows_of_real_text(tmp_path: Path) -> None:
    term, record = start(tmp_path, f"{LISTEN} read --large-text 2 letters.txt", LISTEN_TEXT_SIZING="on")
    try:
        term.wait_for_big("Opened: Big letters")
        term.keys("j")
        term.wait_for_big("Section 1 of 1, paragraph 1 of 2")
        screen = term.lines()
        row = next(y for y, line in enumerate(screen) if "quick brown" in line)
        column = screen[row].index("quick brown")
        term.wait_until(lambda: any(d[4].startswith("quick brown") for d in DRAWN.findall(written(record))), "a draw")
        output = written(record)
        assert PROBE.decode() not in output, "forced on: the terminal is not asked"
        draws = [d for d in DRAWN.findall(output) if d[4].startswith("quick brown")]
        y, x, sgr, scale, text = draws[-1]
        assert (int(y) - 1, int(x) - 1, scale) == (row, column, "2"), "drawn over the row of real text"
        assert screen[row][column:].startswith(text), "the same words as the row of text"
        assert screen[row + 1][column:].strip() == "", "the row the glyphs cover is left empty"
        shown = {(cx, cy): (fg, bg) for cx, cy, _, fg, bg, _ in terminal_cells(term.screen(colours=True))}
        drawn_colours = terminal_cells(f"\x1b[{sgr}mx")[0][3:5]
        assert drawn_colours == shown[(column, row)], "in the current block's colours"

        term.keys("F1")
        term.wait_for_big("Help: Reader keys; Escape closes")
        term.tmux("pipe-pane")  # stop, then record only what is written while help is up
        help_record = tmp_path / "help.bin"
        term.record(help_record)
        term.keys("Down", "Down", "End")
        term.wait_until(lambda: len(written(help_record)) > 0, "help repainted")
        assert "\x1b]66;" not in written(help_record), "nothing drawn over help"
        term.tmux("pipe-pane")
        term.record(record)
        term.keys("F1")
        term.wait_for_big("Reader, section 1 of 1, paragraph 1 of 2")
        term.keys("C-q")
        term.wait_for_exit()
        output = written(record)
        left = output.rfind("\x1b[?1049l")
        assert left > 0 and "\x1b]66;" not in output[left:], "nothing drawn on the shell's screen after quitting"
    finally:
        term.kill()


# Large text on the library (issue 14): the titles a low-vision reader chooses from are drawn
# in letters at least 5 rows tall, whole (wrapped, never cut), and the selected one is marked.

LONG_TITLE = "Night buses and the people who drive them"


@pytest.mark.parametrize(("level", "shortest"), [(2, 5), (3, 7)])
def test_library_titles_in_large_text_are_whole_and_every_letter_is_tall(
    tmp_path: Path, level: int, shortest: int
) -> None:
    from listen.tui.big_text import big_lines

    work = tmp_path / "work"
    (work / "shelf").mkdir(parents=True)
    (work / "shelf" / "buses.txt").write_text(f"{LONG_TITLE}\n\nThey start before dawn.\n", encoding="utf-8")
    (work / "shelf" / "kites.txt").write_text("Kites over the hill\n\nA windy day in March.\n", encoding="utf-8")
    term = Terminal(work, terminal_env(tmp_path), size=(80, 24))
    status = len(big_lines("Library, 2 articles", 78, level, most=1)) - 1
    try:
        term.start(f"{LISTEN} read --large-text {level} shelf")
        term.wait_for_big("Library, 2 articles", level)
        term.keys("Down")  # the long title (sorted by title: "Kites…" comes first)
        drawn = [row.rstrip() for row in big_lines(LONG_TITLE, 80 - 2 - 2, level)]  # less marker, scrollbar
        term.wait_until(lambda: term.lines()[2][2:78].rstrip() == drawn[0], "the long title at the top of the list")
        screen = term.lines()
        area = screen[2 : 23 - status]  # under the title bar and filter, above the status line and footer
        assert all(row.startswith(">") for row in area if row[2:78].strip()), (
            "the marker runs down the selected title: focus is not shown by colour alone\n" + "\n".join(screen)
        )
        letters = [row[2:78] for row in area]  # before the scrollbar
        assert not any(c.isalpha() for row in letters for c in row), "the title is big letters, not text"
        groups = components(letters)
        whole = [g for g in groups if max(y for _, y in g) < len(letters) - 1]  # not cut by the status line
        heights = [max(y for _, y in g) - min(y for _, y in g) + 1 for g in whole]
        assert len(heights) >= 5, "\n".join(screen)  # a line of letters at least
        assert min(heights) >= shortest, (sorted(heights), "\n".join(screen))
        shown = [row[2:78].rstrip() for row in area]
        assert shown == drawn[: len(shown)], "the title wraps by words, from its first word, one title an entry"
    finally:
        term.kill()


def components(rows: list[str]) -> list[set[tuple[int, int]]]:
    from test_a11y_large_text import components as groups

    return groups(rows)
