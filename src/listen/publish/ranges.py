"""Byte ranges as players ask for them (`Range: bytes=…`), read the way RFC 9110 allows.

Players seek by asking for a slice of the MP3; only one range is honoured, and a header that
cannot be read is ignored rather than refused, as the RFC asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RANGE_PATTERN = re.compile(r"bytes=(\d*)-(\d*)")
MAX_DIGITS = 18  # a byte position longer than this is past any file (and int() of 4,300 digits raises)


@dataclass(frozen=True)
class ByteRange:
    """An inclusive slice of a file, as HTTP counts it."""

    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start + 1


def parse_range(header: str, size: int) -> ByteRange | str | None:
    """One byte range, 'unsatisfiable', or None to ignore the header and send the whole file.

    Several ranges at once are answered with the whole file, which HTTP allows and every
    player handles; a malformed header is ignored, as RFC 9110 asks. A position of more
    than MAX_DIGITS digits is past the end of any file: unsatisfiable (int() of 4,300
    digits raised, and dropped the connection with a traceback).
    """
    match = RANGE_PATTERN.fullmatch(header.strip().replace(" ", ""))
    if not match or not (match[1] or match[2]):
        return None

    if not match[1]:  # "bytes=-N": the last N bytes
        suffix = _position(match[2])
        if suffix == 0 or size == 0:
            return "unsatisfiable"
        return ByteRange(max(0, size - suffix), size - 1)
    start = _position(match[1])
    end = _position(match[2]) if match[2] else size - 1
    if start >= size:
        return "unsatisfiable"
    if end < start:
        return None
    return ByteRange(start, min(end, size - 1))


def _position(digits: str) -> int:
    """A byte position; one of more than MAX_DIGITS digits is past the end of any file."""
    return int(digits) if len(digits) <= MAX_DIGITS else 10**MAX_DIGITS
