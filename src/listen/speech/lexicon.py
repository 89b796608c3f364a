"""A user's pronunciation lexicon: `pattern = replacement`, one per line.

    # comments and blank lines are ignored
    Nguyen = Win
    SQL = sequel
    /\\bcolou?r\\b/ = colour      ← a pattern between slashes is a regular expression

Plain patterns match whole words, ignoring case. The default file lives in the user's
config dir (`listen lexicon path` prints it); `--lexicon FILE` uses another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from listen.errors import ListenError


class LexiconError(ListenError):
    """A lexicon file has a line we cannot use."""


@dataclass(frozen=True)
class Lexicon:
    entries: tuple[tuple[re.Pattern[str], str], ...] = ()
    source: str = ""

    def apply(self, text: str) -> str:
        for pattern, replacement in self.entries:
            text = pattern.sub(lambda _m, r=replacement: r, text)
        return text

    @property
    def fingerprint(self) -> str:
        """Changes when any entry changes; part of the audio cache key."""
        return "|".join(f"{p.pattern}={r}" for p, r in self.entries)


def default_lexicon_path() -> Path:
    return Path(platformdirs.user_config_dir("listen")) / "lexicon.txt"


def load_lexicon(path: Path | str | None = None) -> Lexicon:
    """The lexicon at `path`, or the default one if it exists, or an empty one."""
    if path is None:
        path = default_lexicon_path()
        if not path.exists():
            return Lexicon()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise LexiconError(f"Lexicon {path} does not exist; check the path.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"Cannot read lexicon {path} ({exc}); save it as UTF-8 text.") from exc
    return parse_lexicon(text, str(path))


def parse_lexicon(text: str, source: str = "lexicon") -> Lexicon:
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        pattern, sep, replacement = line.rpartition("=")
        pattern, replacement = pattern.strip(), replacement.strip()
        if not sep or not pattern:
            raise LexiconError(f"{source} line {number}: expected 'word = how to say it', got {line!r}.")
        entries.append((compile_pattern(pattern, source, number), replacement))
    return Lexicon(tuple(entries), source)


def compile_pattern(pattern: str, source: str, number: int) -> re.Pattern[str]:
    if len(pattern) > 2 and pattern.startswith("/") and pattern.endswith("/"):
        try:
            return re.compile(pattern[1:-1])
        except re.error as exc:
            raise LexiconError(f"{source} line {number}: bad regular expression ({exc}).") from None
    return re.compile(rf"(?<!\w){re.escape(pattern)}(?!\w)", re.IGNORECASE)
