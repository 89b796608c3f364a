"""Every private Textual name listen uses, in one place, so a Textual upgrade breaks here first.

Textual is pinned (pyproject.toml), but a few things the reader needs have no public API:
the app behind a driver (to show the cursor for a screen reader), the loop to call from a
speech thread without waiting, the first line of a wrapped option, the option list's left
gutter, and taking a theme before the first stylesheet parse (app.py's start_in_theme).
Each use is a small function here; `PRIVATE_NAMES` lists them for tests/test_tui_compat.py,
which fails, naming the attribute, when a new Textual moves one of them.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rich.terminal_theme import TerminalTheme
from textual.app import App
from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver
from textual.widgets import OptionList

__all__ = [
    "PRIVATE_NAMES",
    "GutterOptionList",
    "LinuxDriver",
    "app_driver",
    "app_loop",
    "driver_app",
    "option_first_line",
    "option_line_at",
    "refresh_truecolor_filter",
    "validate_theme",
]

# (class, attribute) for each private name used below; instance attributes are set in the
# class's __init__, the others are methods or properties of the class.
PRIVATE_NAMES: tuple[tuple[type, str], ...] = (
    (Driver, "_app"),
    (App, "_driver"),
    (App, "_loop"),
    (App, "_validate_theme"),
    (App, "_refresh_truecolor_filter"),
    (OptionList, "_lines"),
    (OptionList, "_index_to_line"),
    (OptionList, "_get_left_gutter_width"),
)
INSTANCE_ATTRIBUTES = frozenset({(Driver, "_app"), (App, "_driver"), (App, "_loop")})


def driver_app(driver: Driver) -> App[Any]:
    """The app a driver writes for (Textual gives the driver its app, and no public way back)."""
    return driver._app


def app_driver(app: App[Any]) -> Driver | None:
    """The app's driver, or None before it starts and after it stops."""
    return app._driver


def app_loop(app: App[Any]) -> asyncio.AbstractEventLoop | None:
    """The app's event loop, for `call_soon_threadsafe` (call_from_thread waits, and at quit
    the app waits for that thread)."""
    return app._loop


def validate_theme(app: App[Any], name: str) -> str:
    """The theme name as Textual would take it from `app.theme = name` (it raises if unknown)."""
    return app._validate_theme(name)


def refresh_truecolor_filter(app: App[Any], theme: TerminalTheme) -> None:
    """What Textual's theme watcher does to the ANSI colour filter, without its re-parse."""
    app._refresh_truecolor_filter(theme)


def option_line_at(options: OptionList, line: int) -> tuple[int, int]:
    """(option index, line within the option) of the list's `line`; IndexError past the end."""
    return options._lines[line]


def option_first_line(options: OptionList, index: int) -> int:
    """The line where option `index` starts: an entry wider than the list wraps onto more
    lines. Without the map (no such option yet), one line per entry is the best guess."""
    return options._index_to_line.get(index, index)


class GutterOptionList(OptionList):
    """An OptionList that keeps `GUTTER_WIDTH` cells at the left of every option (Textual
    wraps the options that much narrower) for a subclass to draw in."""

    GUTTER_WIDTH = 0

    def _get_left_gutter_width(self) -> int:
        return self.GUTTER_WIDTH
