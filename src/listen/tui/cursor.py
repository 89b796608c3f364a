"""Where the terminal cursor goes: the one place that decides it, for every widget.

Screen readers in a terminal read what is under the cursor. The app asks this module for
the cursor position while it writes each frame (see ListenApp.cursor_position), so the
cursor lands on the new focus in the same frame that draws it, never one step behind.
A navigable widget takes part by having ``cursor_anchor() -> Offset | None``: the screen
cell of the first letter of its focused item.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from textual.app import App, ScreenStackError
from textual.geometry import Offset


@runtime_checkable
class CursorAnchored(Protocol):
    def cursor_anchor(self) -> Offset | None: ...


def cursor_position(app: App, requested: Offset) -> Offset:
    """The focused widget's anchor, else what a text input asked for (Input, TextArea)."""
    try:
        focused = app.screen.focused
    except ScreenStackError:  # no screen yet (start-up, shut-down): nowhere better to be
        return requested
    if isinstance(focused, CursorAnchored):
        anchor = focused.cursor_anchor()
        if anchor is not None:
            return anchor
    return requested
