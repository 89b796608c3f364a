"""What the reader remembers between runs: reading positions, bookmarks and settings.

One small SQLite file in the user's data directory (platformdirs), so that reopening an
article resumes where the reader stopped, even after a crash: every change is committed
as it happens. This module knows nothing of Textual; the TUI is one of its callers.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

import platformdirs

from listen.errors import ListenError

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
class Settings:
    """Everything the Settings screen changes; unknown or broken saved values fall back here."""

    theme: str = "listen-dark"
    text_size: str = "normal"  # "normal", "large" (letters 3+ rows tall) or "larger"
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
        try:
            if target != ":memory:":
                Path(target).parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(target), check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL") if target != ":memory:" else None
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise ListenError(
                f"Cannot open the saved reading state at {target}: {exc}; "
                "move that file away and run listen again."
            ) from exc
        self.path = target

    def close(self) -> None:
        self._db.close()

    # Positions -----------------------------------------------------------------------

    def position(self, article: str) -> Position | None:
        row = self._db.execute(
            "SELECT section, paragraph FROM positions WHERE article = ?", (article,)
        ).fetchone()
        return Position(*row) if row else None

    def save_position(self, article: str, position: Position) -> None:
        self._db.execute(
            "INSERT INTO positions (article, section, paragraph, updated) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(article) DO UPDATE SET section = excluded.section, "
            "paragraph = excluded.paragraph, updated = excluded.updated",
            (article, position.section, position.paragraph, time.time()),
        )

    # Bookmarks -----------------------------------------------------------------------

    def bookmarks(self, article: str) -> list[Bookmark]:
        """Bookmarks of one article in reading order, so a list of them reads like the text."""
        rows = self._db.execute(
            "SELECT id, article, section, paragraph, label, created FROM bookmarks "
            "WHERE article = ? ORDER BY section, paragraph, id",
            (article,),
        ).fetchall()
        return [Bookmark(r[0], r[1], Position(r[2], r[3]), r[4], r[5]) for r in rows]

    def add_bookmark(self, article: str, position: Position, label: str) -> Bookmark:
        """Add a bookmark; adding one where one already is returns the existing one."""
        for existing in self.bookmarks(article):
            if existing.position == position:
                return existing
        created = time.time()
        cursor = self._db.execute(
            "INSERT INTO bookmarks (article, section, paragraph, label, created) VALUES (?, ?, ?, ?, ?)",
            (article, position.section, position.paragraph, label, created),
        )
        return Bookmark(int(cursor.lastrowid or 0), article, position, label, created)

    def remove_bookmark(self, bookmark_id: int) -> None:
        self._db.execute("DELETE FROM bookmarks WHERE id = ?", (bookmark_id,))

    # Settings ------------------------------------------------------------------------

    def settings(self) -> Settings:
        """Saved settings over the defaults; a value of the wrong type is ignored, not fatal."""
        saved = dict(self._db.execute("SELECT key, value FROM settings").fetchall())
        defaults = Settings()
        values = {}
        for field in fields(Settings):
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

    def save_settings(self, settings: Settings) -> None:
        with self._db:
            self._db.execute("BEGIN")
            for key, value in asdict(settings).items():
                self._db.execute(
                    "INSERT INTO settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, json.dumps(value)),
                )
