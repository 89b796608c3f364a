"""The saved reading state: positions, bookmarks and settings survive a restart."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from listen.state import Position, ReaderSettings, Store, article_key, default_state_path


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
    assert store.settings() == ReaderSettings()
    store.save_settings(ReaderSettings(theme="listen-light", rate=1.25, screen_reader=True))
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


# A damaged, locked or read-only state file: one line said, never a traceback or a silent loss.


def test_a_file_that_is_not_a_database_is_kept_aside_and_a_new_one_made(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"these are my notes, not a database\n" * 40)
    store = Store(path)
    kept = list(tmp_path.glob("state.sqlite3.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"these are my notes")
    notice = store.take_notice()
    assert "damaged" in notice and str(kept[0]) in notice and "\n" not in notice
    store.save_position("a", Position(2, 1))
    assert Store(path).position("a") == Position(2, 1) and Store(path).notice == ""


def test_a_database_damaged_inside_is_kept_aside_and_a_new_one_made(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    store = Store(path)
    for n in range(400):
        store.add_bookmark(f"article-{n}", Position(n, 0), "a label long enough to fill some pages " * 3)
    store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = bytearray(path.read_bytes())
    data[8192:16384] = b"\xa5" * 8192  # pages 3 and 4 (of 4 KiB) overwritten
    path.write_bytes(bytes(data))
    again = Store(path)
    assert "damaged" in again.notice
    assert list(tmp_path.glob("state.sqlite3.damaged-*"))
    assert again.bookmarks("article-1") == []


def test_a_locked_database_is_read_and_changes_are_kept_in_memory_with_a_notice(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "state.sqlite3"
    first = Store(path)
    first.save_position("a", Position(3, 0))
    first.add_bookmark("a", Position(1, 2), "the lamp room")
    holder = sqlite3.connect(str(path), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program holds the file
    try:
        store = Store(path)
        assert store.position("a") == Position(3, 0)  # what was saved is still read
        assert [b.label for b in store.bookmarks("a")] == ["the lamp room"]
        store.add_bookmark("a", Position(4, 0), "the keeper's ledger")  # kept for this session
        assert [b.label for b in store.bookmarks("a")] == ["the lamp room", "the keeper's ledger"]
        notice = store.take_notice()
        assert "cannot be written" in notice and "not be saved" in notice and "\n" not in notice
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_file_locked_after_opening_moves_to_memory_on_the_next_change(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "state.sqlite3"
    store = Store(path)
    store.save_position("a", Position(1, 0))
    holder = sqlite3.connect(str(path), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        store.save_position("a", Position(5, 0))  # no traceback: the change is kept in memory
        assert store.position("a") == Position(5, 0)
        assert "not be saved" in store.take_notice()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
