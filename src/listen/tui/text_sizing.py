"""Real scaled text through kitty's text-sizing protocol (OSC 66): detect it, lay out, encode.

Block letters (big_text.py) work in every terminal, but a terminal that can draw a letter
twice as big from its own font gives sharper, more readable text. kitty (0.40+) does that
when sent ``ESC ] 66 ; s=2 ; text BEL``: each character becomes a 2×2 block of cells.

* **Detect** before Textual owns the terminal (it reads stdin from its own thread): kitty's
  recommended probe, answered within one round trip, never longer than a short timeout,
  with the terminal's modes restored whatever happens. Terminals and multiplexers that do
  not implement the protocol (tmux among them) come out "not supported", and the block
  letters stay. ``LISTEN_TEXT_SIZING=on|off`` overrides the probe for a terminal that lies.
* **Lay out**: each wrapped line is one row of real text (so find, the current-block mark
  and the cursor logic keep working on real characters), then the rows its scaled glyphs
  cover, then a row of line spacing.
* **Encode**: the scaled glyphs are drawn after each of Textual's frames (cursor.py) and
  erased before the next one (by writing their row of text back), because ordinary text
  written over the lower rows of a scaled character does not erase it: the terminal skips
  past it instead.

Nothing here imports Textual.
"""

from __future__ import annotations

import os
import re
import select
import termios
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # the layout pulls in the article loaders: only the reader needs them
    from listen.articles.reading import ReadingBlock
    from listen.tui.layout import Line

ENV = "LISTEN_TEXT_SIZING"
TIMEOUT = 0.2  # seconds: a terminal that answers at all answers within a round trip
# Carriage return, then a cursor position report (CPR) before and after a space drawn two
# cells wide (w=2, the width part) and a space drawn 2×2 (s=2, the scale part), then a
# primary device attributes query (DA1): every terminal answers that, so one that never
# answers CPR still ends the wait at once instead of at the timeout.
PROBE = b"\r\x1b[6n\x1b]66;w=2; \x07\x1b[6n\x1b]66;s=2; \x07\x1b[6n\x1b[c"
CLEAN_UP = b"\r\x1b[2K"  # erasing the line erases any multicell character on it
CPR = re.compile(rb"\x1b\[(\d+);(\d+)R")
DA1 = re.compile(rb"\x1b\[\?[0-9;]*c")

LARGE_KINDS = ("title", "heading")  # one step bigger than the body, where the line still fits
HEADING_CHARS = 12  # fewest characters a heading line may hold at the bigger scale
SAVE, RESTORE = "\x1b7", "\x1b8"  # DECSC/DECRC: Textual's cursor and colours are put back


# Detection ---------------------------------------------------------------------------


def override(env: Mapping[str, str]) -> bool | None:
    """LISTEN_TEXT_SIZING: on/1/yes → True, off/0/no → False, unset/auto (or unknown) → None."""
    value = env.get(ENV, "").strip().lower()
    if value in ("on", "1", "yes", "true"):
        return True
    if value in ("off", "0", "no", "false"):
        return False
    return None


def detect(env: Mapping[str, str] | None = None, *, fd_in: int = 0, fd_out: int = 2, timeout: float = TIMEOUT) -> bool:
    """Whether the terminal on `fd_in`/`fd_out` draws scaled text (or the override says so).

    The defaults are the descriptors Textual itself reads and writes (stdin, stderr). Only a
    terminal in the foreground is probed: a background process would be stopped for
    touching the terminal's modes.
    """
    forced = override(os.environ if env is None else env)
    if forced is not None:
        return forced
    try:
        if not (os.isatty(fd_in) and os.isatty(fd_out)) or os.ttyname(fd_in) != os.ttyname(fd_out):
            return False
        if os.tcgetpgrp(fd_in) != os.getpgrp():
            return False
        return scales(probe(fd_in, fd_out, timeout))
    except (OSError, termios.error):  # a terminal that went away, or modes it will not take
        return False


class Replies(NamedTuple):
    columns: list[int]  # the cursor's column in each position report, in order
    answered: bool  # the DA1 answer came, so nothing more is on its way


def probe(fd_in: int, fd_out: int, timeout: float = TIMEOUT) -> Replies:
    """Send PROBE with the terminal in raw mode, read the replies, erase what it drew."""
    saved = termios.tcgetattr(fd_in)
    raw = termios.tcgetattr(fd_in)
    raw[3] &= ~(termios.ICANON | termios.ECHO)  # signals (Ctrl-C) still work
    raw[6][termios.VMIN] = 0
    raw[6][termios.VTIME] = 0
    replies = Replies([], False)
    try:
        termios.tcsetattr(fd_in, termios.TCSANOW, raw)
        os.write(fd_out, PROBE)
        replies = read_replies(lambda wait: read_some(fd_in, wait), timeout)
        os.write(fd_out, CLEAN_UP)
    finally:
        if not replies.answered:  # a late answer must not reach Textual as key presses
            termios.tcflush(fd_in, termios.TCIFLUSH)
        termios.tcsetattr(fd_in, termios.TCSANOW, saved)
    return replies


def read_some(fd: int, wait: float) -> bytes:
    ready, _, _ = select.select([fd], [], [], max(0.0, wait))
    return os.read(fd, 1024) if ready else b""


def read_replies(read: Callable[[float], bytes], timeout: float) -> Replies:
    """Collect replies until the DA1 answer (the last one asked for) or the timeout."""
    deadline = time.monotonic() + timeout
    data = b""
    while not DA1.search(data):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        data += read(remaining)
    return Replies([int(column) for _, column in CPR.findall(data)], bool(DA1.search(data)))


def scales(replies: Replies) -> bool:
    """Both parts work: the w=2 space moved the cursor exactly 2 cells, the s=2 space 2 more.

    Exact steps, not just "it moved": a terminal that prints the escape's text instead of
    understanding it moves the cursor too, by the length of that text.
    """
    if len(replies.columns) < 3:
        return False
    first, second, third = replies.columns[:3]
    return second - first == 2 and third - second == 2


# Layout ------------------------------------------------------------------------------


def layout_scaled(
    blocks: Sequence[ReadingBlock], measure: int, level: int
) -> tuple[list[Line], list[int], dict[int, int]]:
    """Like layout_blocks, for text the terminal scales by `level`: lines, block starts, scales.

    `measure` is in screen cells; a line of scale s holds measure // s cells of text. Each
    wrapped line is its text's row (kept in the returned dict with its scale), then s - 1
    rows the scaled glyphs cover, then a row of line spacing; a blank row ends each block.
    """
    from listen.tui.layout import Line, wrap

    heading = level + 1 if measure // (level + 1) >= HEADING_CHARS else level
    lines: list[Line] = []
    starts: list[int] = []
    scales: dict[int, int] = {}
    for number, block in enumerate(blocks):
        starts.append(len(lines))
        scale = heading if block.kind in LARGE_KINDS else level
        for text, cells in wrap(block.text, max(1, measure // scale)):
            scales[len(lines)] = scale
            lines.append(Line(number, block.kind, text, cells))
            lines.extend(Line(number, block.kind, " ", 1) for _ in range(scale))
        lines.append(Line(number, block.kind, "", 0))
    return lines, starts, scales


# Encoding ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ScaledLine:
    """One line of scaled text at a screen cell (0-based), as styled runs of text."""

    x: int
    y: int
    scale: int
    runs: tuple[tuple[str, str], ...]  # (SGR parameters, text), left to right
    cells: int  # the text's width at normal size
    background: str  # SGR parameters of the row's padding after the text


def sized(text: str, scale: int) -> str:
    """``ESC ] 66 ; s=scale ; text BEL``, split so no escape carries more than 4096 bytes."""
    clean = printable(text)
    pieces = [clean[i : i + 1000] for i in range(0, len(clean), 1000)]  # ≤ 4 bytes a character
    return "".join(f"\x1b]66;s={scale};{piece}\x07" for piece in pieces)


def select_graphic(sgr: str) -> str:
    """Exactly these attributes: reset, then set (Textual ends each styled run with a reset)."""
    return f"\x1b[0;{sgr}m" if sgr else "\x1b[0m"


def printable(text: str) -> str:
    """No control characters: one would end the escape early or move the cursor."""
    return "".join("?" if ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 else c for c in text)


def draw(lines: Sequence[ScaledLine]) -> str:
    """The escapes that draw `lines`, leaving the cursor and colours where they were."""
    return over(lines, lambda line, text: sized(text, line.scale), lambda line: "")


def erase(lines: Sequence[ScaledLine]) -> str:
    """Erase the scaled characters of `lines` by writing their rows of text back at normal size.

    Writing over any cell of a scaled character's first row erases the whole character, so
    the text, padded with spaces to the width its glyphs took, erases every one of them and
    leaves those cells as Textual drew them: a terminal that only claimed to scale text
    still shows the words.
    """
    return over(
        lines,
        lambda line, text: printable(text),
        lambda line: select_graphic(line.background) + " " * (line.scale - 1) * line.cells,
    )


def over(
    lines: Sequence[ScaledLine],
    run: Callable[[ScaledLine, str], str],
    tail: Callable[[ScaledLine], str],
) -> str:
    """Write each line at its place, each styled run through `run`, then `tail`; the cursor
    and colours are put back as they were."""
    if not lines:
        return ""
    out = [SAVE]
    for line in lines:
        out.append(f"\x1b[{line.y + 1};{line.x + 1}H")
        for sgr, text in line.runs:
            out.append(select_graphic(sgr) + run(line, text))
        out.append(tail(line))
    out.append("\x1b[0m" + RESTORE)
    return "".join(out)


class Overlay:
    """What is drawn over Textual's frames: erased before each frame, drawn again after it.

    `current` gives the lines to draw now (none when no reader in scaled text is on screen).
    Erasing first matters: the frame may write over the lower rows of a scaled character,
    which the terminal would skip past instead of overwriting, pushing the frame's text right.
    """

    def __init__(self, current: Callable[[], Sequence[ScaledLine]]) -> None:
        self.current = current
        self.shown: tuple[ScaledLine, ...] = ()

    def before_frame(self) -> str:
        out, self.shown = erase(self.shown), ()
        return out

    def after_frame(self) -> str:
        self.shown = tuple(self.current())
        return draw(self.shown)
