"""Frames for a screen reader: write only the rows whose text or look really changed.

Textual repaints whole regions: a screen that opens rewrites every row, the footer and the
status line included, and a widget that refreshes rewrites all its rows even when they read
the same. A terminal screen reader that speaks what is written (tdsr) then says the footer
and every unchanged row again; one that compares screens (Fenrir) is not fooled, but still
gets the bytes. `RowFilter` sits in the driver (cursor.CursorDriver, screen-reader mode
only) and keeps what each span of each row last received: a span written again with exactly
the same characters and styles is left out of the write.

The one exception is the row the cursor moves to: it is written whenever the frame draws it,
even unchanged, so a screen reader that speaks what is written still hears the new focus
after a key (End in a list) where the text itself did not change.

Only frames in Textual's own shape are filtered (absolute moves, then text and colour codes);
anything else is written untouched and the filter forgets what it knew, so it can never
leave the screen different from what Textual meant.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

MOVE = re.compile(r"\x1b\[(\d+);(\d+)H")
SGR = re.compile(r"\x1b\[[0-9;:]*m")
# Textual's start-up questions to the terminal (DECRQM: synchronized output, in-band resize).
# Terminal emulators inside screen readers do not answer them and some print the final "p".
QUERIES = ("\x1b[?2026$p", "\x1b[?2048$p")


def without_queries(data: str) -> str:
    """`data` less the mode queries a screen reader's emulator would print as text."""
    for query in QUERIES:
        if query in data:
            data = data.replace(query, "")
    return data


class RowFilter:
    """What each row of the terminal shows, span by span, as far as this filter wrote it."""

    def __init__(self) -> None:
        self.rows: dict[int, list[tuple[int, int, str]]] = {}
        self.cursor_row: int | None = None

    def forget(self) -> None:
        self.rows.clear()

    def filter(self, data: str) -> str:
        """`data` with every span that would rewrite the same thing left out."""
        moves = list(MOVE.finditer(data))
        if not moves or moves[0].start() != 0:
            if "\x1b[2J" in data or "\x1b[?1049" in data:
                self.forget()
            return data
        pieces: list[tuple[int, int, str]] = []
        for move, following in zip(moves, [*moves[1:], None]):
            payload = data[move.end() : following.start() if following else len(data)]
            if "\x1b" in SGR.sub("", payload):
                self.forget()  # a sequence this filter does not model: write as it is
                return data
            pieces.append((int(move.group(2)) - 1, int(move.group(1)) - 1, payload))
        *drawn, (cursor_x, cursor_y, tail) = pieces
        if tail.strip("\n"):  # the frame ends in text, not in the cursor's move: leave it be
            self.forget()
            return data
        moved = cursor_y != self.cursor_row
        self.cursor_row = cursor_y
        out = []
        for x, y, payload in drawn:
            text = payload[:-1] if payload.endswith("\n") else payload
            end = x + cell_len(SGR.sub("", text))
            row = self.rows.setdefault(y, [])
            if (x, end, text) in row and not (moved and y == cursor_y):
                continue
            row[:] = [span for span in row if span[1] <= x or span[0] >= end]
            row.append((x, end, text))
            out.append(f"\x1b[{y + 1};{x + 1}H{payload}")
        out.append(f"\x1b[{cursor_y + 1};{cursor_x + 1}H")
        return "".join(out)
