"""What the reader remembers between runs: reading positions, bookmarks and settings.

One small SQLite file in the user's data directory (platformdirs), so that reopening an
article resumes where the reader stopped, even after a crash: every change is committed
as it happens. This module knows nothing of Textual; the TUI is one of its callers.

The file can be damaged (a disk, a copy, a crash mid-write) or locked or read-only (another
program holds it). Neither may end in a traceback or a bookmark silently lost: a damaged
file is kept beside under a `.damaged-TIME` name and a fresh one made; a file that cannot be
written is read into memory, so this session still reads and keeps every change, and
`Store.notice` says, in one line, what happened and what is not saved. Callers show it.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from typing import Any
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

import platformdirs


APP_NAME = "listen"

SCHEMA = """
CREATE TABLE IF NOT EXISTS positions (
    article TEXT PRIMARY KEY,
    section INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS bookmarks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article TEXT NOT NULL,
    section INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    label TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS bookmarks_article ON bookmarks (article);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True, order=True)
class Position:
    """A place in an article: a section and a paragraph in it (-1 is the section's heading)."""

    section: int = 0
    paragraph: int = -1


@dataclass(frozen=True)
class Bookmark:
    """A place the reader chose to come back to, with the words that start it as its label."""

    id: int
    article: str
    position: Position
    label: str
    created: float


@dataclass(frozen=True)
class ReaderSettings:
    """The reader's saved preferences: everything the Settings screen changes; unknown or broken
    saved values fall back here. What changes the audio itself is listen.speech.settings.Settings."""

    theme: str = "listen-dark"
    text_size: str = "normal"  # "normal", "large" (letters 5 rows tall) or "larger" (7)
    screen_reader: bool = False
    self_voicing: bool = False  # speak each announcement through Speech Dispatcher
    engine: str = "auto"
    voice: str = ""
    rate: float = 1.0
    sort: str = "title"  # "title" or "date"


def default_state_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME)) / "state.sqlite3"


def default_config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME))


def article_key(path: Path | str) -> str:
    """The key positions and bookmarks are stored under: the article's absolute path."""
    return str(Path(path).expanduser().resolve())


class Store:
    """Positions, bookmarks and settings in one SQLite file (":memory:" for tests)."""

    def __init__(self, path: Path | str | None = None) -> None:
        target = default_state_path() if path is None else path
        self.path = target
        self.notice = ""  # one line for the user when the file could not be used as it is
        if target == ":memory:":
            self._db = self._memory()
            return
        try:
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._db = self._memory()
            self.notice = f"Cannot make the folder for the saved reading state ({exc.strerror}); changes in this session will not be saved."
            return
        try:
            self._db = self._open(Path(target))
        except sqlite3.DatabaseError as exc:
            if _is_damage(exc):
                self._db = self._start_afresh(Path(target))
            else:  # locked or read-only: read what is there, keep changes in memory
                self._db = self._in_memory_copy(Path(target), exc)

    def take_notice(self) -> str:
        """The notice not yet shown (then cleared), for a status line."""
        notice, self.notice = self.notice, ""
        return notice

    def close(self) -> None:
        self._db.close()

    def _open(self, target: Path) -> sqlite3.Connection:
        db = sqlite3.connect(str(target), check_same_thread=False, isolation_level=None, timeout=1.0)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            check = db.execute("PRAGMA quick_check").fetchone()
            if not check or check[0] != "ok":
                raise sqlite3.DatabaseError("database disk image is malformed")
            db.executescript(SCHEMA)
            db.execute("BEGIN IMMEDIATE")  # can it be written? (locked or read-only raise here)
            db.execute("ROLLBACK")
        except BaseException:
            db.close()
            raise
        return db

    def _memory(self) -> sqlite3.Connection:
        db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        db.executescript(SCHEMA)
        return db

    def _start_afresh(self, target: Path) -> sqlite3.Connection:
        """Keep the damaged file (and its journal) under another name; make a new one."""
        kept = target.with_name(f"{target.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            target.replace(kept)
            for suffix in ("-wal", "-shm"):
                side = target.with_name(target.name + suffix)
                if side.exists():
                    side.replace(kept.with_name(kept.name + suffix))
            db = self._open(target)
        except (OSError, sqlite3.Error) as exc:
            self.notice = (
                f"The saved reading state at {target} is damaged and cannot be replaced ({exc}); "
                "changes in this session will not be saved."
            )
            return self._memory()
        self.notice = f"The saved reading state was damaged; kept it as {kept} and started a new one."
        return db

    def _in_memory_copy(self, target: Path, exc: Exception) -> sqlite3.Connection:
        """This session reads the file and keeps its changes in memory; the notice says so."""
        db = self._memory()
        try:
            source = sqlite3.connect(f"file:{target}?mode=ro", uri=True, timeout=1.0)
            try:
                source.backup(db)
            finally:
                source.close()
            db.executescript(SCHEMA)
        except sqlite3.Error:
            pass  # nothing could be read either: start empty, as the notice says
        self.notice = (
            f"The saved reading state at {target} cannot be written ({exc}); changes in this session will not be saved."
        )
        return db

    def _write(self, action: Callable[[sqlite3.Connection], Any]) -> Any:
        """Run a query or a change; if the file fails now (locked, read-only, damaged), go on
        in memory with what could be read (the notice says so)."""
        try:
            return action(self._db)
        except sqlite3.DatabaseError as exc:
            if self.path == ":memory:":
                raise
            self._db.close()
            self._db = self._in_memory_copy(Path(self.path), exc)
            return action(self._db)

    # Positions -----------------------------------------------------------------------

    def position(self, article: str) -> Position | None:
        row = self._write(lambda db: db.execute(
            "SELECT section, paragraph FROM positions WHERE article = ?", (article,)
        ).fetchone())  # fmt: skip
        return Position(*row) if row else None

    def save_position(self, article: str, position: Position) -> None:
        self._write(lambda db: db.execute(
            "INSERT INTO positions (article, section, paragraph, updated) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(article) DO UPDATE SET section = excluded.section, "
            "paragraph = excluded.paragraph, updated = excluded.updated",
            (article, position.section, position.paragraph, time.time()),
        ))  # fmt: skip

    # Bookmarks -----------------------------------------------------------------------

    def bookmarks(self, article: str) -> list[Bookmark]:
        """Bookmarks of one article in reading order, so a list of them reads like the text."""
        rows = self._write(lambda db: db.execute(
            "SELECT id, article, section, paragraph, label, created FROM bookmarks "
            "WHERE article = ? ORDER BY section, paragraph, id",
            (article,),
        ).fetchall())  # fmt: skip
        return [Bookmark(r[0], r[1], Position(r[2], r[3]), r[4], r[5]) for r in rows]

    def add_bookmark(self, article: str, position: Position, label: str) -> Bookmark:
        """Add a bookmark; adding one where one already is returns the existing one."""
        for existing in self.bookmarks(article):
            if existing.position == position:
                return existing
        created = time.time()
        cursor = self._write(lambda db: db.execute(
            "INSERT INTO bookmarks (article, section, paragraph, label, created) VALUES (?, ?, ?, ?, ?)",
            (article, position.section, position.paragraph, label, created),
        ))  # fmt: skip
        return Bookmark(int(getattr(cursor, "lastrowid", 0) or 0), article, position, label, created)

    def remove_bookmark(self, bookmark_id: int) -> None:
        self._write(lambda db: db.execute("DELETE FROM bookmarks WHERE id = ?", (bookmark_id,)))

    # Settings ------------------------------------------------------------------------

    def settings(self) -> ReaderSettings:
        """Saved settings over the defaults; a value of the wrong type is ignored, not fatal."""
        saved = dict(self._write(lambda db: db.execute("SELECT key, value FROM settings").fetchall()))
        defaults = ReaderSettings()
        values = {}
        for field in fields(ReaderSettings):
            if field.name not in saved:
                continue
            try:
                value = json.loads(saved[field.name])
            except ValueError:
                continue
            default = getattr(defaults, field.name)
            if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if type(value) is type(default):
                values[field.name] = value
        return replace(defaults, **values)

    def save_settings(self, settings: ReaderSettings) -> None:
        def save(db: sqlite3.Connection) -> None:
            with db:
                db.execute("BEGIN")
                for key, value in asdict(settings).items():
                    db.execute(
                        "INSERT INTO settings (key, value) VALUES (?, ?) "
                        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        (key, json.dumps(value)),
                    )

        self._write(save)


def _is_damage(exc: sqlite3.DatabaseError) -> bool:
    """Whether SQLite says the file is not (or no longer) a sound database."""
    text = str(exc).lower()
    return any(word in text for word in ("not a database", "malformed", "corrupt", "disk image"))
