"""Screen-reader mode with Pilot: the cursor's place for every navigable widget, the driver's
framing of each write, calm settings, and self-voicing through a fake `spd-say`."""

from __future__ import annotations

import os
import stat
import time
from dataclasses import replace
from pathlib import Path

from textual.drivers.linux_driver import LinuxDriver
from textual.geometry import Offset

from listen.state import Store
from listen.tui import cursor
from listen.tui.screens.voices import VoiceScreen
from listen.tui.voice import SpeechDispatcher
from tui_support import BOX_AND_BLOCK, make_app, open_article, pilot_test, screen_text, settle, wait_for


def reader_app(tmp_path: Path, **settings: object):
    store = Store(tmp_path / "state.sqlite3")
    store.save_settings(replace(store.settings(), screen_reader=True, **settings))
    return make_app(tmp_path, store=store)


def test_each_write_ends_with_the_cursor_shown_and_draws_with_it_hidden() -> None:
    assert cursor.framed("frame", visible=True, was_visible=False) == "\x1b[?25lframe\x1b[?25h"
    assert cursor.framed("frame", visible=False, was_visible=True) == "frame\x1b[?25l"
    assert cursor.framed("frame", visible=False, was_visible=False) == "frame"
    # A synchronized frame: hidden inside the bracket, shown just before it closes.
    assert cursor.framed(cursor.SYNC_START, visible=True, was_visible=True) == cursor.SYNC_START + cursor.HIDE
    assert cursor.framed("frame", visible=True, was_visible=True, in_sync=True) == "frame"
    assert cursor.framed(cursor.SYNC_END, visible=True, was_visible=True) == cursor.SHOW + cursor.SYNC_END
    assert cursor.driver_class(LinuxDriver) is cursor.CursorDriver
    assert cursor.driver_class(object) is object  # other platforms keep Textual's own driver


@pilot_test
async def test_the_cursor_sits_on_the_first_letter_of_whatever_has_focus(tmp_path: Path) -> None:
    app = reader_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.cursor_visible and app.animation_level == "none"

        def letter() -> str:
            at = app.cursor_position
            return screen_text(app)[at.y][at.x :]

        await pilot.press("down")
        assert letter().startswith("Reading the Tide Tables Without Tears, 120 words")
        await pilot.press("l", "a")
        assert app.cursor_position == Offset(1 + 2, 0)  # after "la" in the filter box, the top row
        await pilot.press("escape")
        await open_article(pilot)
        assert letter().startswith("The Lantern Makers of Orrin Bay")
        await pilot.press("h")
        assert letter().startswith("The workshop")
        await pilot.press("t")  # contents: one entry at a time
        await pilot.pause()
        assert letter().startswith("2. The workshop")
        await pilot.press("down", "enter")
        await pilot.pause()
        assert letter().startswith("The winter fair")
        await pilot.press("question_mark")
        await pilot.pause()
        assert letter().startswith("Down or j: Next paragraph")
        await pilot.press("down")
        assert letter().startswith("Up or k: Previous paragraph")
        assert not BOX_AND_BLOCK.search("".join(screen_text(app)))


@pilot_test
async def test_screen_reader_mode_shows_only_the_focus_the_status_and_one_footer(tmp_path: Path) -> None:
    """Every screen: the focus (one item, or the current block), the status line and the same
    footer; no title, column heads or other items for a screen reader to read again."""
    app = reader_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)

        def shown() -> list[str]:
            return [row.strip() for row in screen_text(app) if row.strip()]

        footer = "? Help · Ctrl+G Back · Ctrl+Q Quit"
        assert shown() == ["A Bread Club for the Night Shift, 70 words, 1 min", "Library, 3 articles", footer]
        await open_article(pilot)
        assert shown()[-1] == footer and shown()[0] == "| The Lantern Makers of Orrin Bay"
        await pilot.press("j", "j")
        rows = shown()
        assert rows[0].startswith("| Every October the windows of a narrow shop")
        assert all(row.startswith("| ") for row in rows[:-2]), rows  # the block alone
        assert rows[-2:] == ["Section 1 of 4, paragraph 1 of 2", footer]
        for key, first in (("t", "1. The Lantern Makers of Orrin Bay"), ("question_mark", "Down or j: Next paragraph")):
            await pilot.press(key)
            await pilot.pause()
            assert shown()[0] == first and shown()[-1] == footer and len(shown()) == 3, shown()
            await pilot.press("ctrl+g")
            await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert shown() == [
            "Theme: listen-dark",
            "Settings, 7 in all; Left and Right change a setting, Ctrl+G closes",
            footer,
        ]


@pilot_test
async def test_settings_read_one_per_line_and_change_in_place(tmp_path: Path) -> None:
    app = reader_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", "down")
        await pilot.pause()

        def row() -> str:
            at = app.cursor_position
            return screen_text(app)[at.y][at.x :].strip()

        assert row() == "Text size: Normal"
        await pilot.press("right")
        assert row() == "Text size: Large (letters 5 rows tall)" and app.settings.text_size == "large"
        await pilot.press("left", "left")
        assert row() == "Text size: Larger (letters 7 rows tall)" and app.settings.text_size == "larger"
        await pilot.press("down", "down", "down", "enter")  # the rate cycles on Enter too
        assert row() == "Speaking rate: 1.1×"  # from 1×, the next of narration.RATES
        # Enter on Voice opens the voice picker; its last line types a name instead.
        await pilot.press("down", "down", "enter")
        await wait_for(lambda: isinstance(app.screen, VoiceScreen), pilot)
        await pilot.press("end", "enter")
        await settle(pilot)
        await pilot.press("a", "l", "t", "o")
        await pilot.press("ctrl+g")  # closes the box only, keeping the voice as it was
        await pilot.pause()
        assert app.settings.voice == "" and row() == "Voice: default"
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, VoiceScreen), pilot)
        await pilot.press("end", "enter")
        await settle(pilot)
        await pilot.press("a", "l", "t", "o", "enter")
        await pilot.pause()
        assert app.settings.voice == "alto" and row() == "Voice: alto"
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert screen_text(app)[1].strip().startswith("A Bread Club")  # back in the library (row 0: filter)


@pilot_test
async def test_settings_and_dialogs_draw_no_boxes_or_blocks(tmp_path: Path) -> None:
    app = reader_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_article(pilot)
        await pilot.press("t")
        await pilot.pause()
        assert not BOX_AND_BLOCK.search("".join(screen_text(app))), "contents"
        await pilot.press("escape", "f2")
        await pilot.pause()
        assert not BOX_AND_BLOCK.search("\n".join(screen_text(app))), "\n".join(screen_text(app))


def fake_spd_say(folder: Path) -> Path:
    """An `spd-say` that records its arguments, one call a line."""
    log = folder / "spd-say.log"
    script = folder / "spd-say"
    script.write_text(f'#!/bin/sh\nprintf "%s|" "$@" >> "{log}"\necho >> "{log}"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return log


def read_log(log: Path, lines: int, timeout: float = 5.0) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
        if len(found) >= lines:
            return found
        time.sleep(0.02)
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


@pilot_test
async def test_self_voicing_cancels_then_speaks_each_announcement(tmp_path: Path, monkeypatch=None) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = fake_spd_say(bin_dir)
    path = os.environ["PATH"]
    os.environ["PATH"] = f"{bin_dir}{os.pathsep}{path}"
    try:
        voice = SpeechDispatcher()
        assert voice.path == str(bin_dir / "spd-say")
        store = Store(tmp_path / "state.sqlite3")
        store.save_settings(replace(store.settings(), self_voicing=True))
        app = make_app(tmp_path, store=store)
        app.voice = voice
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            calls = read_log(log, 2)
            assert calls[-2:] == ["-C|", "-P|message|--|Library, 3 articles|"]
    finally:
        os.environ["PATH"] = path


def test_self_voicing_is_off_by_default_and_quiet_without_speech_dispatcher(tmp_path: Path) -> None:
    assert Store(tmp_path / "s.sqlite3").settings().self_voicing is False
    voice = SpeechDispatcher(command="no-such-spd-say")
    assert not voice.available
    voice.say("nothing happens")  # no thread, no error
    voice.close()


@pilot_test
async def test_ctrl_g_closes_the_innermost_thing_only(tmp_path: Path) -> None:
    """Ctrl+G is the Escape of screen-reader users whose reader keeps Escape (Fenrir): with a
    drop-down open in the settings form it closes the drop-down, and only then the settings."""
    from textual.widgets import Select

    from listen.tui.screens.settings import SettingsScreen

    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", "enter")  # settings (Ctrl+P beside F2), then open the theme's drop-down
        await pilot.pause()
        theme = app.screen.query_one("#theme", Select)
        assert theme.expanded
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert not theme.expanded and isinstance(app.screen, SettingsScreen)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert not isinstance(app.screen, SettingsScreen)


def recipe_article():
    """An article in our own words with a code block and a back-matter section."""
    from listen.articles.model import Article, Section

    code = "def lanterns(count):\n    for n in range(count):\n        light(n)"
    return Article(
        title="Wiring a Lantern Timer",
        sections=(
            Section(
                "Wiring a Lantern Timer", ("The timer is a small loop.", code, "Run it at dusk."), code=frozenset({1})
            ),
            Section("Notes", ("The loop assumes a relay per lantern.",), back_matter=True),
        ),
    )


@pilot_test
async def test_code_reads_as_code_and_back_matter_is_marked(tmp_path: Path) -> None:
    app = reader_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.show_article(recipe_article(), None)
        await pilot.pause()
        await pilot.press("j", "j")
        rows = [row.rstrip() for row in screen_text(app) if row.strip()]
        assert rows[:3] == [" | def lanterns(count):", " |     for n in range(count):", " |         light(n)"], rows
        assert app.status_text == "Section 1 of 2, paragraph 2 of 3: code, 3 lines"
        await pilot.press("h")
        assert screen_text(app)[0].strip() == "| Notes (not narrated)"
        assert app.status_text == "Section 2 of 2: Notes (not narrated)"
        await pilot.press("t")
        await pilot.pause()
        assert screen_text(app)[0].strip() == "2. Notes (not narrated)"


@pilot_test
async def test_a_paragraph_taller_than_the_screen_is_read_to_the_end(tmp_path: Path) -> None:
    from listen.articles.model import Article, Section

    long = " ".join(f"Lantern {n} hangs on the quay." for n in range(1, 121))
    article = Article(
        title="Counting Lanterns",
        sections=(
            Section(
                "Counting Lanterns",
                (long, "After the count."),
            ),
        ),
    )
    app = reader_app(tmp_path)
    async with app.run_test(size=(60, 16)) as pilot:
        await settle(pilot)
        app.show_article(article, None)
        await pilot.pause()
        seen, statuses = [], []
        for _ in range(12):
            await pilot.press("j")
            rows = [row.strip() for row in screen_text(app)]
            seen.extend(row[2:] for row in rows if row.startswith("| "))
            statuses.append(app.status_text)
            if "After the count." in seen:
                break
        assert " ".join(seen[:-1]) == long  # every word, in order, each row once
        parts = len(statuses) - 1
        assert parts > 2, statuses
        assert statuses[0] == f"Section 1 of 1, paragraph 1 of 2, part 1 of {parts}"
        assert statuses[-2] == f"Section 1 of 1, paragraph 1 of 2, part {parts} of {parts}"
        assert statuses[-1] == "Section 1 of 1, paragraph 2 of 2"


@pilot_test
async def test_self_voicing_without_spd_say_says_why_on_the_status_line(tmp_path: Path) -> None:
    from listen.tui.app import create_app
    from listen.tui.services import Services
    from tui_support import FIXTURES

    voice = SpeechDispatcher(command="no-such-spd-say")
    app = create_app(
        FIXTURES,
        store=Store(tmp_path / "s.sqlite3"),
        services=Services(audio_dir=tmp_path / "a"),
        keymap={},
        self_voicing=True,
        voice=voice,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.status_text.startswith("Library, 3 articles Self-voicing cannot speak: no-such-spd-say"), list(
            app.announcements
        )
        assert "not installed" in app.status_text
        await pilot.press("ctrl+s")
        assert app.status_text == "Sorted by date, newest first", "said once, not with every announcement"


@pilot_test
async def test_self_voicing_says_why_when_the_speech_server_refuses(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    failing = bin_dir / "spd-say"
    failing.write_text("#!/bin/sh\necho 'Failed to connect to Speech Dispatcher' >&2\nexit 1\n")
    failing.chmod(0o755)
    path = os.environ["PATH"]
    os.environ["PATH"] = f"{bin_dir}{os.pathsep}{path}"
    try:
        store = Store(tmp_path / "state.sqlite3")
        store.save_settings(replace(store.settings(), self_voicing=True))
        app = make_app(tmp_path, store=store)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            for _ in range(200):
                if "cannot speak" in app.status_text:
                    break
                await pilot.pause(0.02)
            assert app.status_text.startswith(
                "Self-voicing cannot speak: spd-say failed (Failed to connect to Speech Dispatcher)"
            )
            assert not app.voice.available
    finally:
        os.environ["PATH"] = path


def test_listen_read_self_voicing_without_spd_say_says_why_on_stderr(tmp_path: Path, monkeypatch, capsys) -> None:
    import argparse

    from listen.cli import read

    class NoRun:
        def run(self) -> None:
            pass

    monkeypatch.setattr("listen.tui.app.create_app", lambda path, **options: NoRun())
    monkeypatch.setenv("PATH", str(tmp_path))  # no spd-say anywhere
    monkeypatch.setenv("LISTEN_TEXT_SIZING", "off")
    args = argparse.Namespace(
        path=str(tmp_path),
        input_format=None,
        plain=False,
        screen_reader=False,
        theme=None,
        large_text=None,
        self_voicing=True,
        web=False,
    )
    assert read.run(args) == 0
    err = capsys.readouterr().err
    assert err.startswith("listen: Self-voicing cannot speak: spd-say (Speech Dispatcher) is not installed")
    assert err.count("\n") == 1
