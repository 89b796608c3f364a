"""Line mode (`listen read --plain`): typed commands, whole lines back, positions shared with the TUI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from listen.linemode.session import Session
from listen.state import Store
from tui_support import FIXTURES, LANTERN, LISTEN, articles_folder, make_app, pilot_test, settle, wait_for


def session(tmp_path: Path, store: Store | None = None) -> tuple[Session, list[str]]:
    said: list[str] = []
    return Session(FIXTURES, store or Store(tmp_path / "state.sqlite3"), said.append), said


def test_the_library_is_numbered_and_open_takes_a_number_or_a_title_word(tmp_path: Path) -> None:
    plain, said = session(tmp_path)
    plain.start()
    assert "Library, 3 articles:" in said
    assert "3. The Lantern Makers of Orrin Bay (1 min)" in said
    plain.handle("open 3")
    assert said[-2:] == [
        "Opened: The Lantern Makers of Orrin Bay, 4 sections, 1 minute.",
        "Title: The Lantern Makers of Orrin Bay",
    ]
    plain.handle("open tide")
    assert said[-2].startswith("Opened: Reading the Tide Tables")
    plain.handle("open 9")
    assert said[-1] == "No article 9; list shows the numbers."


def test_paragraphs_sections_and_find_move_like_the_full_screen_reader(tmp_path: Path) -> None:
    plain, said = session(tmp_path)
    plain.start()
    plain.handle("open 3")
    plain.handle("s 2")
    assert said[-1] == "Section 2 of 4: The workshop"
    plain.handle("n")
    assert said[-1].startswith("The shop was a chandler's")
    plain.handle("p")
    assert said[-1] == "Section 2 of 4: The workshop"
    plain.handle("/paper")
    assert said[-2] == "Match 2 of 3, section 2 of 4, paragraph 2 of 3:"
    plain.handle("/")
    assert said[-2].startswith("Match 3 of 3")
    plain.handle("/")
    assert said[-2].startswith("Match 1 of 3, from the top")
    plain.handle("/zebra")
    assert said[-1] == "No match for 'zebra'."
    plain.handle("bookmark")
    plain.handle("bookmark")
    assert said[-2:] == ["Bookmark added.", "A bookmark is already here."]
    plain.handle("frobnicate")
    assert said[-1] == "Unknown command 'frobnicate'; type help for the commands."


def test_play_without_speech_installed_says_so_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import listen.speech.engines as engines
    from listen.errors import ListenError

    def no_engine(**_: object) -> None:
        raise ListenError("no speech engine is installed")

    monkeypatch.setattr(engines, "get_engine", no_engine)
    plain, said = session(tmp_path)
    plain.start()
    plain.handle("open 3")
    plain.handle("play")
    assert said[-1] == "Narration is not available: no speech engine is installed"
    plain.handle("stop")
    assert said[-1] == "Nothing is playing."


@pilot_test
async def test_a_place_reached_in_line_mode_is_where_the_full_screen_reader_resumes(tmp_path: Path) -> None:
    store = Store(tmp_path / "state.sqlite3")
    plain, _ = session(tmp_path, store)
    plain.start()
    plain.handle("open 3")
    plain.handle("s 3")
    app = make_app(tmp_path, LANTERN, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # The announcement was made (a later one, e.g. the library finishing its scan, may
        # follow it on the status line), and the reader really is at section 3.
        await wait_for(lambda: any("resumed at section 3 of 4" in said for said in app.announcements), pilot)
        assert app.screen.where().startswith("section 3 of 4")


def test_line_mode_never_loads_textual() -> None:
    code = "import sys, listen.linemode.session, listen.linemode.speaker; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.slow
@pytest.mark.skipif(not LISTEN.exists(), reason="needs the installed listen in .venv")
def test_a_whole_reading_in_a_real_terminal_lists_opens_reads_finds_and_resumes(tmp_path: Path) -> None:
    work = articles_folder(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        TERM="dumb",
    )

    def start() -> pexpect.spawn:
        child = pexpect.spawn(
            str(LISTEN), ["read", "--plain", "articles"], cwd=str(work), env=env, encoding="utf-8", timeout=20
        )
        child.expect_exact("Type help for the commands.")
        return child

    child = start()
    try:
        child.expect_exact("3. The Lantern Makers of Orrin Bay")
        child.expect_exact("> ")
        child.sendline("open 3")
        child.expect_exact("Opened: The Lantern Makers of Orrin Bay, 4 sections, 1 minute.")
        child.expect_exact("> ")
        for _ in range(30):  # read to the end, a paragraph at a time
            child.sendline("n")
            if child.expect_exact(["End of the article.", "> "]) == 0:
                break
        else:
            pytest.fail("never reached the end of the article")
        child.expect_exact("> ")
        child.sendline("/willow")
        child.expect_exact("Match 1 of 2, from the top, section 1 of 4, paragraph 2 of 2:")
        child.expect_exact("They cut the frames from willow")
        child.expect_exact("> ")
        child.sendline("quit")
        child.expect_exact("Goodbye; your place is kept.")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)

    child = start()
    try:
        child.sendline("open lantern")
        child.expect_exact("Resumed at section 1 of 4, paragraph 2 of 2.")
        child.expect_exact("They cut the frames from willow")
        child.sendline("quit")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
