"""The terminal cursor: where it goes and whether it is seen. The one place that decides both.

Screen readers and braille displays in a terminal (Orca, NVDA, Speakup, Fenrir, BRLTTY…)
read what is under the cursor. Textual hides the cursor and leaves it at 0,0 unless an
Input moves it, so a list or an article tells them nothing. Two pieces fix that:

* **Where.** The app asks `cursor_position` while it writes each frame (see
  ListenApp.cursor_position), so the cursor lands on the new focus in the same frame that
  draws it, never one step behind. A navigable widget takes part by having
  ``cursor_anchor() -> Offset | None``: the screen cell of the first letter of its focused
  item.
* **Seen.** Textual has no public switch to show the cursor; it writes ``ESC[?25l`` once when
  it starts. Every byte it writes goes through its driver, and an App picks its driver with
  the public ``get_driver_class()``. `CursorDriver` wraps each write as *hide, data, show*
  while the app wants the cursor seen: the cursor never wanders visibly while a frame is
  drawn, and is shown, already on the focus, at the end of the same write as the frame.
  Where the terminal takes synchronized updates, Textual brackets a frame with separate
  begin and end writes; then the hide goes just after the begin and the show just before
  the end, so the terminal shows the new frame and the cursor's new place at one instant.
  It also asks for a steady (non-blinking) cursor, because a blink is a change to report.
  When nothing is drawn nothing is written, so an idle reader stays silent.

The same driver draws **scaled text** (text_sizing.py) when the terminal has it: the
reader's scaled lines are erased at the start of each frame (just after the synchronized
update's begin) and drawn again at its end (just before the end), so the terminal shows
Textual's frame and the big glyphs over it at one instant. Without synchronized updates
each write is wrapped the same way.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from rich.cells import cell_len
from textual.app import App, ScreenStackError
from textual.geometry import Offset
from textual.widgets import Input, OptionList

from listen.tui.compat import LinuxDriver, driver_app, option_first_line
from listen.tui.frames import RowFilter, without_queries
from listen.tui.host import reader_host
from listen.tui.text_sizing import Overlay

SYNC_START = "\x1b[?2026h"  # as Textual writes them (textual._ansi_sequences), each alone
SYNC_END = "\x1b[?2026l"
HIDE = "\x1b[?25l"
SHOW = "\x1b[?25h"
STEADY = "\x1b[?12l\x1b[2 q"  # no blinking (xterm's att610, then DECSCUSR "steady block")
DEFAULT_SHAPE = "\x1b[0 q"  # give the shell back the terminal's own cursor shape


@runtime_checkable
class CursorAnchored(Protocol):
    def cursor_anchor(self) -> Offset | None: ...


def cursor_position(app: App, requested: Offset) -> Offset:
    """Where the focus is, read fresh for the frame being written.

    In order: a widget's own anchor (lists, the article); a text box's insertion point
    (Input and TextArea only tell the app when their selection changes, which may be before
    they are laid out); else the first cell of the focused widget's content (help text, a
    switch). With nothing focused, whatever was last asked for.
    """
    try:
        focused = app.screen.focused
    except ScreenStackError:  # no screen yet (start-up, shut-down): nowhere better to be
        return requested
    if focused is None:
        return requested
    if isinstance(focused, CursorAnchored):
        anchor = focused.cursor_anchor()
        if anchor is not None:
            return anchor
    if isinstance(focused, OptionList) and focused.highlighted is not None:
        # Any list of options (a Select's drop-down too): the highlighted one's first letter.
        region = focused.scrollable_content_region
        row = option_first_line(focused, focused.highlighted) - int(focused.scroll_y)
        if 0 <= row < region.height:
            return Offset(region.x, region.y + row)
    if isinstance(focused, Input):
        # Input's own cursor_screen_offset is one cell past the end when the insertion point
        # is at the end (it leaves room to scroll); a screen reader needs the cell it draws.
        region = focused.content_region
        cells = cell_len(focused.value[: focused.cursor_position])
        return Offset(region.x + cells - int(focused.scroll_x), region.y)
    offset = getattr(focused, "cursor_screen_offset", None)
    if isinstance(offset, Offset):
        return offset
    region = focused.content_region
    return Offset(region.x, region.y) if region.area else requested


def framed(data: str, *, visible: bool, was_visible: bool, in_sync: bool = False) -> str:
    """What to write for `data` so that the cursor ends the write (or the frame) as wanted."""
    if visible:
        if data == SYNC_START:
            return data + HIDE
        if data == SYNC_END:
            return SHOW + data
        return data if in_sync else HIDE + data + SHOW
    if was_visible:
        return data + HIDE
    return data


def overlaid(data: str, overlay: Overlay | None, *, visible: bool, was_visible: bool, in_sync: bool = False) -> str:
    """framed(), with the scaled text erased before a frame and drawn again after it."""
    if overlay is None:
        return framed(data, visible=visible, was_visible=was_visible, in_sync=in_sync)
    if data == SYNC_START:
        return framed(data, visible=visible, was_visible=was_visible) + overlay.before_frame()
    if data == SYNC_END:
        return overlay.after_frame() + framed(data, visible=visible, was_visible=was_visible)
    if not in_sync:
        data = overlay.before_frame() + data + overlay.after_frame()
    return framed(data, visible=visible, was_visible=was_visible, in_sync=in_sync)


class CursorDriver(LinuxDriver):
    """Textual's Linux driver, showing a steady cursor while the app's `cursor_visible` is true,
    and drawing scaled text over each frame while the app's `text_sizing` is true."""

    _shown = False
    _in_sync = False
    _overlay: Overlay | None = None
    rows: RowFilter | None = None  # screen-reader mode: only changed rows are written (frames.py)

    def _wants_cursor(self) -> bool:
        return reader_host(driver_app(self)).cursor_visible

    def forget_rows(self) -> None:
        """The terminal may no longer show what was written (a resize): write whole frames again."""
        if self.rows is not None:
            self.rows.forget()

    def start_application_mode(self) -> None:
        super().start_application_mode()
        app = driver_app(self)
        if reader_host(app).text_sizing:
            from listen.tui.widgets.article_view import scaled_lines

            self._overlay = Overlay(lambda: scaled_lines(app))

    def write(self, data: str) -> None:
        visible = self._wants_cursor()
        if visible:
            # Screen-reader mode: no start-up questions a screen reader's terminal prints as
            # text, and no row written again unchanged (each would be read out again).
            data = without_queries(data)
            if not data:
                return
            if self.rows is None:
                self.rows = RowFilter()
            data = self.rows.filter(data)
        elif self.rows is not None:
            self.rows = None
        prefix = STEADY if visible and not self._shown else ""
        super().write(
            prefix + overlaid(data, self._overlay, visible=visible, was_visible=self._shown, in_sync=self._in_sync)
        )
        if data == SYNC_START:
            self._in_sync = True
        elif data == SYNC_END:
            self._in_sync = False
        self._shown = visible

    def stop_application_mode(self) -> None:
        self._overlay = None  # nothing is drawn on the screen the shell gets back
        self.rows = None
        if self._shown:
            super().write(DEFAULT_SHAPE)
        super().stop_application_mode()
        self._shown = False


def driver_class(default: Any) -> Any:
    """CursorDriver where Textual would use its Linux driver; otherwise Textual's own choice."""
    return CursorDriver if default is LinuxDriver else default
