"""A user's pronunciation lexicon: `pattern = replacement`, one per line.

    # comments and blank lines are ignored
    Nguyen = Win
    SQL = sequel
    /\\bcolou?r\\b/ = colour      ← a pattern between slashes is a regular expression

Plain patterns match whole words, ignoring case. The default file lives in the user's
config dir (`listen lexicon path` prints it); `--lexicon FILE` uses another.

A lexicon is user input that runs on every sentence, so it is bounded: a regular expression
that backtracks catastrophically ran past 180 s, and a replacement that grows the text
reached 3 GB. Rules run on the `regex` module with a time limit per sentence (TIME_LIMIT_S;
the module checks it as it goes, so a stop comes within about three times that), and the
text may grow to at most GROWTH times its length (plus GROWTH_SLACK characters) over all
rules, counted as the replacements are made, before anything that big is built. Either
limit fails with one line naming the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from listen.errors import ListenError

if TYPE_CHECKING:
    import regex as re


class LexiconError(ListenError):
    """A lexicon file has a line we cannot use, or a rule ran past its bounds."""


class _TooLong(Exception):
    """A rule's replacements passed the growth limit (raised inside re.sub)."""


TIME_LIMIT_S = 0.25
GROWTH = 10
GROWTH_SLACK = 1000


@dataclass(frozen=True)
class Lexicon:
    entries: tuple[tuple[re.Pattern[str], str], ...] = ()
    source: str = ""
    lines: tuple[int, ...] = ()  # the line each entry came from, for error messages

    def apply(self, text: str) -> str:
        limit = GROWTH * len(text) + GROWTH_SLACK
        for number, (pattern, replacement) in enumerate(self.entries):
            size = len(text)

            def grow(match: re.Match[str], replacement: str = replacement) -> str:
                nonlocal size
                size += len(replacement) - (match.end() - match.start())
                if size > limit:
                    raise _TooLong
                return replacement

            try:
                text = pattern.sub(grow, text, timeout=TIME_LIMIT_S)
            except TimeoutError:
                raise LexiconError(
                    f"{self._rule(number)} takes too long on one sentence (it backtracks); simplify the pattern."
                ) from None
            except _TooLong:
                raise LexiconError(
                    f"{self._rule(number)} makes the text more than {GROWTH} times longer; check its replacement."
                ) from None
        return text

    def _rule(self, number: int) -> str:
        line = f" line {self.lines[number]}" if number < len(self.lines) else ""
        return f"{self.source or 'lexicon'}{line}: the rule {self.entries[number][0].pattern!r}"

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
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        pattern, sep, replacement = line.rpartition("=")
        pattern, replacement = pattern.strip(), replacement.strip()
        if not sep or not pattern:
            raise LexiconError(f"{source} line {number}: expected 'word = how to say it', got {line!r}.")
        entries.append((compile_pattern(pattern, source, number), replacement))
        lines.append(number)
    return Lexicon(tuple(entries), source, tuple(lines))


def compile_pattern(pattern: str, source: str, number: int) -> re.Pattern[str]:
    import regex as re  # only with a lexicon: an empty one (most builds) never needs it

    if len(pattern) > 2 and pattern.startswith("/") and pattern.endswith("/"):
        try:
            return re.compile(pattern[1:-1])
        except re.error as exc:
            raise LexiconError(f"{source} line {number}: bad regular expression ({exc}).") from None
    return re.compile(rf"(?<!\w){re.escape(pattern)}(?!\w)", re.IGNORECASE)
