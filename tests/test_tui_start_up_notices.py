"""Pilot tests: what goes wrong at start-up is one line on the status line, and the reader opens.

A damaged state file, or a keymap that is bad TOML, names no real key, or nests 1,500 levels
deep, must neither stop the reader nor be printed to stderr where the screen hides it at once
(issues 18 part 5, 14).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_support import FIXTURES, open_article, pilot_test, settle

from listen.state import Store
from listen.tui.app import create_app
from listen.tui.screens.reader import ReaderScreen
from listen.tui.services import Services

DEEP = ".".join(["deeper"] * 1500)

KEYMAPS = [
    ("bad TOML", '[reader\nfind = "f"\n', "Keymap {path} ignored ("),
    ("unknown id", 'reader.fly = "f"\n', "Keymap: no key has the id 'reader.fly'"),
    ("1,500-level dotted key", f'{DEEP} = "f"\n', "Keymap: no key has the id 'deeper.deeper."),
    ("keys not text", "reader.find = 3\n", "Keymap: reader.find needs keys as text"),
]


@pytest.mark.parametrize(("case", "text", "said"), KEYMAPS, ids=[case for case, _, _ in KEYMAPS])
@pilot_test
async def test_a_bad_keymap_is_one_line_at_start_and_the_default_keys_work(
    tmp_path: Path, case: str, text: str, said: str
) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "keymap.toml").write_text(text, encoding="utf-8")
    app = create_app(
        FIXTURES,
        store=Store(tmp_path / "s.sqlite3"),
        services=Services(audio_dir=tmp_path / "audio"),
        config_dir=config,
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        status = app.status_text
        assert status.startswith("Library, 3 articles ")
        assert said.format(path=config / "keymap.toml") in status
        assert "\n" not in status and len(status) < 300, "one line, not a 1,500-level id"
        await open_article(pilot)
        await pilot.press("h")
        assert isinstance(app.screen, ReaderScreen)
        assert app.status_text == "Section 2 of 4: The workshop", "the default keys work"


@pilot_test
async def test_a_damaged_state_file_is_said_on_the_status_line_at_start(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite3"
    state.write_bytes(b"a shopping list, saved over the reading state by mistake\n" * 30)
    store = Store(state)
    assert store.notice, "the store saw the damage"
    app = create_app(FIXTURES, store=store, services=Services(audio_dir=tmp_path / "audio"), keymap={})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.status_text.startswith("Library, 3 articles ")
        assert "damaged" in app.status_text
        assert store.notice == "", "said once"


@pilot_test
async def test_the_notice_follows_the_article_when_one_is_opened_from_the_command_line(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite3"
    state.write_bytes(b"not a database at all\n" * 30)
    app = create_app(
        FIXTURES / "lantern-makers.md", store=Store(state), services=Services(audio_dir=tmp_path / "audio"), keymap={}
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.status_text.startswith("Opened: The Lantern Makers of Orrin Bay")
        assert "damaged" in app.status_text
