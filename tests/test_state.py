"""The saved reading state: positions, bookmarks and settings survive a restart."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from listen.errors import ListenError
from listen.state import Position, Settings, Store, article_key, default_state_path


def test_position_round_trips_and_is_replaced(tmp_path: Path) -> None:
    store = Store(tmp_path / "state.sqlite3")
    assert store.position("a") is None
    store.save_position("a", Position(2, 3))
    store.save_position("a", Position(1, -1))
    store.close()
    assert Store(tmp_path / "state.sqlite3").position("a") == Position(1, -1)


def test_bookmarks_are_listed_in_reading_order_and_not_duplicated(tmp_path: Path) -> None:
    store = Store(":memory:")
    later = store.add_bookmark("a", Position(3, 0), "later")
    earlier = store.add_bookmark("a", Position(1, 2), "earlier")
    again = store.add_bookmark("a", Position(3, 0), "later again")
    store.add_bookmark("b", Position(0, 0), "other article")
    assert again == later
    assert [m.label for m in store.bookmarks("a")] == ["earlier", "later"]
    store.remove_bookmark(earlier.id)
    assert [m.label for m in store.bookmarks("a")] == ["later"]


def test_settings_default_save_and_ignore_broken_values(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    store = Store(path)
    assert store.settings() == Settings()
    store.save_settings(Settings(theme="listen-light", rate=1.25, screen_reader=True))
    store.close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE settings SET value = '\"fast\"' WHERE key = 'rate'")
        db.execute("UPDATE settings SET value = 'not json' WHERE key = 'engine'")
    saved = Store(path).settings()
    assert saved.theme == "listen-light" and saved.screen_reader
    assert saved.rate == 1.0 and saved.engine == "auto"


def test_state_lives_in_the_user_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_state_path() == tmp_path / "data" / "listen" / "state.sqlite3"


def test_article_key_is_the_absolute_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert article_key("x.txt") == str(tmp_path / "x.txt")


def test_an_unopenable_state_file_is_one_line_that_names_the_fix(tmp_path: Path) -> None:
    (tmp_path / "state.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(ListenError, match="move that file away"):
        Store(tmp_path / "state.sqlite3")
