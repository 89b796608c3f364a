"""Detecting kitty's text-sizing protocol (OSC 66), laying text out for it and encoding it.

Detection runs against a pseudo-terminal whose other end answers like kitty, like a terminal
without the protocol, with only a device-attributes answer, or not at all; the terminal's
modes must come back as they were every time. No real kitty is available here.
"""

from __future__ import annotations

import argparse
import os
import re
import termios
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from listen.cli import read
from listen.state import ReaderSettings, Store
from listen.tui import text_sizing
from listen.tui.cursor import SYNC_END, SYNC_START, overlaid
from listen.articles.reading import ReadingBlock
from listen.tui.text_sizing import (
    CLEAN_UP,
    PROBE,
    Overlay,
    Replies,
    ScaledLine,
    detect,
    draw,
    erase,
    layout_scaled,
    override,
    probe,
    scales,
)

PATIENT = 10.0  # seconds: answers end the wait at once; this only bounds a broken test


class FakeTerminal:
    """The terminal's end of a pty: answers each CPR with the next scripted column, and DA1."""

    def __init__(self, columns: list[int], *, da1: bool = True) -> None:
        self.master, self.slave = os.openpty()
        self.columns = list(columns)
        self.da1 = da1
        self.received = b""
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        answered = 0
        while True:
            try:
                chunk = os.read(self.master, 4096)
            except OSError:
                return
            if not chunk:
                return
            self.received += chunk
            queries = re.findall(rb"\x1b\[6n|\x1b\[c", self.received)
            for query in queries[answered:]:
                if query == b"\x1b[6n" and self.columns:
                    self.answer(f"\x1b[1;{self.columns.pop(0)}R".encode())
                elif query == b"\x1b[c" and self.da1:
                    self.answer(b"\x1b[?62;22c")
            answered = len(queries)

    def answer(self, reply: bytes) -> None:
        try:
            os.write(self.master, reply)
        except OSError:  # the program's end is closed: nobody is listening any more
            pass

    def wait_to_receive(self, data: bytes) -> bool:
        for _ in range(int(PATIENT / 0.01)):
            if data in self.received:
                return True
            time.sleep(0.01)
        return False

    def modes(self) -> list:
        return termios.tcgetattr(self.slave)

    def close(self) -> None:
        os.close(self.slave)  # the master's reads then fail, which ends serve()
        self.thread.join(timeout=PATIENT)
        os.close(self.master)


@pytest.fixture
def terminal() -> Iterator[list[FakeTerminal]]:
    made: list[FakeTerminal] = []
    yield made
    for term in made:
        term.close()


def answering(made: list[FakeTerminal], columns: list[int], *, da1: bool = True) -> FakeTerminal:
    term = FakeTerminal(columns, da1=da1)
    made.append(term)
    return term


# Detection -----------------------------------------------------------------------------


def test_a_terminal_answering_like_kitty_supports_scaled_text(terminal: list[FakeTerminal]) -> None:
    term = answering(terminal, [1, 3, 5])  # the w=2 space moved 2 cells, the s=2 space 2 more
    before = term.modes()
    replies = probe(term.slave, term.slave, PATIENT)
    assert replies == Replies([1, 3, 5], True)
    assert scales(replies)
    assert term.modes() == before, "the terminal's modes are restored"
    assert term.received.startswith(PROBE)
    assert term.wait_to_receive(PROBE + CLEAN_UP), "what the probe drew is erased"


@pytest.mark.parametrize(
    "columns, why",
    [
        ([1, 1, 1], "ignores the escape: the cursor never moves"),
        ([1, 2, 3], "draws each probe space as one ordinary cell"),
        ([1, 3, 3], "knows the width part only"),
        ([1, 9, 17], "prints the escape's text"),
        ([1, 3], "answered only two of the three reports"),
    ],
)
def test_a_terminal_without_the_protocol_gets_block_letters(
    terminal: list[FakeTerminal], columns: list[int], why: str
) -> None:
    term = answering(terminal, columns)
    before = term.modes()
    replies = probe(term.slave, term.slave, PATIENT)
    assert replies.answered
    assert not scales(replies), why
    assert term.modes() == before


def test_a_terminal_that_only_answers_device_attributes_is_not_waited_for(terminal: list[FakeTerminal]) -> None:
    term = answering(terminal, [])
    before = term.modes()
    replies = probe(term.slave, term.slave, PATIENT)  # ends at the DA1 answer, not at the timeout
    assert replies == Replies([], True)
    assert not scales(replies)
    assert term.modes() == before


def test_a_silent_terminal_times_out_and_gets_its_modes_back(terminal: list[FakeTerminal]) -> None:
    term = answering(terminal, [], da1=False)
    before = term.modes()
    replies = probe(term.slave, term.slave, 0.05)
    assert replies == Replies([], False)
    assert not scales(replies)
    assert term.modes() == before


def test_modes_are_restored_when_the_probe_is_interrupted(
    terminal: list[FakeTerminal], monkeypatch: pytest.MonkeyPatch
) -> None:
    term = answering(terminal, [1, 3, 5])
    before = term.modes()

    def interrupted(*_: object) -> Replies:
        raise KeyboardInterrupt

    monkeypatch.setattr(text_sizing, "read_replies", interrupted)
    with pytest.raises(KeyboardInterrupt):
        probe(term.slave, term.slave, PATIENT)
    assert term.modes() == before


def test_detect_probes_a_terminal_in_the_foreground(
    terminal: list[FakeTerminal], monkeypatch: pytest.MonkeyPatch
) -> None:
    term = answering(terminal, [1, 3, 5])
    monkeypatch.setattr(os, "tcgetpgrp", lambda fd: os.getpgrp())  # the pty stands for our terminal
    assert detect({}, fd_in=term.slave, fd_out=term.slave, timeout=PATIENT)


def test_a_background_process_never_touches_the_terminal(
    terminal: list[FakeTerminal], monkeypatch: pytest.MonkeyPatch
) -> None:
    term = answering(terminal, [1, 3, 5])
    monkeypatch.setattr(os, "tcgetpgrp", lambda fd: os.getpgrp() + 1)
    assert not detect({}, fd_in=term.slave, fd_out=term.slave, timeout=PATIENT)
    assert term.received == b""


def test_no_terminal_means_no_probe(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    try:
        assert not detect({}, fd_in=read_end, fd_out=write_end)
    finally:
        os.close(read_end)
        os.close(write_end)


@pytest.mark.parametrize(
    "value, expected",
    [("on", True), ("1", True), ("yes", True), ("off", False), ("0", False), ("no", False), ("", None), ("auto", None)],
)
def test_the_environment_overrides_the_probe(value: str, expected: bool | None) -> None:
    assert override({"LISTEN_TEXT_SIZING": value}) is expected
    if expected is not None:  # decided without touching any terminal (these descriptors are bad)
        assert detect({"LISTEN_TEXT_SIZING": value}, fd_in=-1, fd_out=-1) is expected


# Layout and escapes --------------------------------------------------------------------


def blocks() -> list[ReadingBlock]:
    return [
        ReadingBlock(kind="title", text="The lantern makers", section=0, paragraph=-1),
        ReadingBlock(kind="paragraph", text="paper lanterns fill the windows of a narrow shop", section=0, paragraph=0),
    ]


def test_each_scaled_line_is_its_text_then_the_rows_its_glyphs_cover_then_spacing() -> None:
    lines, starts, scaled = layout_scaled(blocks(), 60, 2)
    assert starts == [0, 5]
    assert scaled[0] == 3, "the title one step bigger"
    assert [line.text for line in lines[:5]] == ["The lantern makers", " ", " ", " ", ""]
    body = [number for number in scaled if number >= 5]
    assert all(scaled[n] == 2 for n in body)
    assert all(lines[n].cells <= 30 for n in body), "60 cells hold 30 characters at scale 2"
    assert len(body) == 2
    assert " ".join(lines[n].text for n in body) == blocks()[1].text
    assert all(lines[n + 1].text == lines[n + 2].text == " " for n in body)


def test_headings_stay_at_body_size_where_a_bigger_line_would_be_too_short() -> None:
    _, _, scaled = layout_scaled(blocks(), 30, 3)  # 30 // 4 = 7 characters: too few
    assert set(scaled.values()) == {3}


def test_draw_and_erase_place_each_run_with_its_colours_and_put_the_cursor_back() -> None:
    line = ScaledLine(
        x=3, y=10, scale=2, runs=(("97;40", "paper "), ("7;97;40", "lan\x1bterns")), cells=16, background="97;40"
    )
    drawn = draw([line])
    assert drawn == (
        "\x1b7\x1b[11;4H\x1b[0;97;40m\x1b]66;s=2;paper \x07\x1b[0;7;97;40m\x1b]66;s=2;lan?terns\x07\x1b[0m\x1b8"
    )
    # Erased by writing the row back at normal size, padded to the 32 cells the glyphs took.
    assert erase([line]) == (
        "\x1b7\x1b[11;4H\x1b[0;97;40mpaper \x1b[0;7;97;40mlan?terns\x1b[0;97;40m" + " " * 16 + "\x1b[0m\x1b8"
    )
    assert draw([]) == erase([]) == ""


def test_the_driver_erases_at_the_start_of_a_frame_and_draws_at_its_end() -> None:
    line = ScaledLine(x=3, y=10, scale=2, runs=(("", "paper"),), cells=5, background="")
    shown: list[ScaledLine] = [line]
    overlay = Overlay(lambda: shown)
    frame = [
        overlaid(data, overlay, visible=False, was_visible=False, in_sync=data != SYNC_START and data != SYNC_END)
        for data in (SYNC_START, "FRAME", SYNC_END)
    ]
    assert frame == [SYNC_START, "FRAME", draw([line]) + SYNC_END]
    shown.clear()  # e.g. help now covers the reader
    start = overlaid(SYNC_START, overlay, visible=False, was_visible=False)
    assert start == SYNC_START + erase([line])
    assert overlaid(SYNC_END, overlay, visible=False, was_visible=False) == SYNC_END
    # Without synchronized updates each write is wrapped, erase first.
    shown.append(line)
    assert overlaid("FRAME", overlay, visible=False, was_visible=False) == "FRAME" + draw([line])
    assert overlaid("FRAME", overlay, visible=False, was_visible=False).startswith(erase([line]) + "FRAME")


# The command line ----------------------------------------------------------------------


def saved(**values: object) -> None:
    store = Store()
    try:
        store.save_settings(ReaderSettings(**values))  # type: ignore[arg-type]
    finally:
        store.close()


@pytest.fixture
def probes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the probes instead of sending them; the terminal 'supports' scaled text."""
    calls: list[int] = []
    monkeypatch.delenv("LISTEN_TEXT_SIZING", raising=False)
    monkeypatch.setattr(text_sizing, "detect", lambda *a, **k: calls.append(1) or True)
    return calls


def test_the_terminal_is_asked_only_when_large_text_is_on(probes: list[int]) -> None:
    assert read.scaled_text_here(None, screen_reader=False) is False, "normal size saved"
    assert probes == []
    assert read.scaled_text_here("large", screen_reader=False) is True
    saved(text_size="larger")
    assert read.scaled_text_here(None, screen_reader=False) is True
    assert len(probes) == 2


def test_a_screen_reader_user_is_never_probed(probes: list[int]) -> None:
    assert read.scaled_text_here("large", screen_reader=True) is False
    saved(text_size="large", screen_reader=True)
    assert read.scaled_text_here("large", screen_reader=False) is False
    assert probes == []


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """The options `listen read` last built the app with; the app itself never runs."""
    options_seen: dict[str, object] = {}

    class NoRun:
        def run(self) -> None:
            pass

    def create_app(path: object, **options: object) -> NoRun:
        options_seen.update(options)
        return NoRun()

    monkeypatch.setattr("listen.tui.app.create_app", create_app)
    return options_seen


def test_listen_read_passes_what_it_found_to_the_app(
    probes: list[int], made: dict[str, object], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("LISTEN_SCREEN_READER", raising=False)
    args = argparse.Namespace(
        path=str(tmp_path),
        plain=False,
        screen_reader=False,
        theme=None,
        large_text="2",
        self_voicing=False,
        input_format=None,
        web=False,
    )
    assert read.run(args) == 0
    assert made["text_sizing"] is True and made["text_size"] == "large"
    monkeypatch.setenv("LISTEN_TEXT_SIZING", "off")
    read.run(args)
    assert made["text_sizing"] is False
    assert len(probes) == 1


def test_listen_read_web_lists_feed_entries_too(
    made: dict[str, object], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from listen.cli import build_parser
    from listen.tui.services import scan_with_feeds

    monkeypatch.setenv("LISTEN_TEXT_SIZING", "off")
    parser = build_parser()
    assert read.run(parser.parse_args(["read", str(tmp_path)])) == 0
    assert made["services"] is None  # the default library: pages fetched to read, no feed entries
    assert read.run(parser.parse_args(["read", "--web", str(tmp_path)])) == 0
    assert made["services"].scan is scan_with_feeds  # type: ignore[attr-defined]


def test_the_real_driver_write_brackets_each_frame(monkeypatch: pytest.MonkeyPatch) -> None:
    """CursorDriver.write as Textual calls it, without starting a terminal (LinuxDriver.write captured)."""
    from textual.drivers.linux_driver import LinuxDriver

    from listen.tui.cursor import CursorDriver

    sent: list[str] = []
    monkeypatch.setattr(LinuxDriver, "write", lambda self, data: sent.append(data))
    line = ScaledLine(x=3, y=10, scale=2, runs=(("", "paper"),), cells=5, background="")
    driver = object.__new__(CursorDriver)  # no __init__: it would take over the test's signals
    driver._app = argparse.Namespace(cursor_visible=False)
    driver._overlay = Overlay(lambda: [line])
    for data in ("FIRST", SYNC_START, "FRAME", SYNC_END, SYNC_START, "NEXT", SYNC_END):
        driver.write(data)
    assert sent == [
        "FIRST" + draw([line]),  # before synchronized updates are known: each write is wrapped
        SYNC_START + erase([line]),
        "FRAME",
        draw([line]) + SYNC_END,
        SYNC_START + erase([line]),
        "NEXT",
        draw([line]) + SYNC_END,
    ]


# The library's titles in the terminal's own scaled text (issue 14) ------------------------


def test_library_titles_are_rows_of_real_text_the_driver_draws_scaled(tmp_path: Path) -> None:
    import asyncio
    import itertools
    from dataclasses import replace

    from listen.tui.app import create_app
    from listen.tui.services import Services
    from listen.tui.widgets.article_view import scaled_lines

    shelf = tmp_path / "shelf"
    shelf.mkdir()
    long = "Night buses and the people who drive them through the sleeping city until dawn"
    (shelf / "buses.txt").write_text(f"{long}\n\nThey start early.\n", encoding="utf-8")
    (shelf / "kites.txt").write_text("Kites\n\nA windy hill.\n", encoding="utf-8")
    store = Store(tmp_path / "state.sqlite3")
    store.save_settings(replace(store.settings(), text_size="large"))
    app = create_app(shelf, store=store, services=Services(audio_dir=tmp_path / "audio"), keymap={}, text_sizing=True)

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(3):
                await app.workers.wait_for_complete()
                await pilot.pause()
            articles = app.screen.query_one("ArticleList")
            drawn = scaled_lines(app)
            assert drawn and all(line.scale == 2 for line in drawn)
            words = " ".join(text for line in drawn for _, text in line.runs)
            assert words == f"Kites {long}", words  # sorted by title; the long one wrapped, whole
            region = articles.scrollable_content_region
            ys = [line.y for line in drawn]
            assert all(b - a >= 3 for a, b in itertools.pairwise(ys)), "a text row, the row its glyphs cover, a space"
            assert all(line.y + 2 <= region.bottom for line in drawn), "no glyph spills out of the list"
            assert all(line.cells * 2 <= region.width for line in drawn), "each scaled line fits the width"
            assert [line.x for line in drawn] == [region.x + 2] * len(drawn), "after the marker"
            assert screen_row(app, ys[0]).startswith("> Kites"), "a row of real text under the glyphs"
            await pilot.press("down")  # the long title selected: its rows carry the marker
            await pilot.pause()
            assert screen_row(app, scaled_lines(app)[1].y).startswith("> Night buses")
            await pilot.press("f1")  # nothing is drawn over help
            await pilot.pause()
            assert scaled_lines(app) == []

    asyncio.run(run())


def screen_row(app: object, y: int) -> str:
    from tui_support import screen_text

    return screen_text(app)[y]
