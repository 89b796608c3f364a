"""What the reader's widgets and terminal driver may read from the app, as a typed Protocol.

Textual types `self.app` as `App[object]`, so `getattr(self.app, "settings", None)` was the
way to read listen's own state, unchecked: a renamed attribute silently became the default.
Widgets and the driver are imported by the app module itself, so they cannot import
ListenApp at run time; they name this Protocol instead, which ListenApp satisfies (mypy
checks that in create_app). Screens are typed to ListenApp itself (screens/base.py).
"""

from __future__ import annotations

from typing import Any, Protocol, cast

from textual.app import App

from listen.state import ReaderSettings


class ReaderHost(Protocol):
    """The app as widgets and the driver see it (ListenApp)."""

    @property
    def settings(self) -> ReaderSettings: ...  # the screen-reader flag among them: settings.screen_reader

    @property
    def user_keymap(self) -> dict[str, str]: ...

    @property
    def status_text(self) -> str: ...  # the latest announcement, for a status line that appears later

    @property
    def cursor_visible(self) -> bool: ...  # the terminal shows its cursor (screen-reader mode)

    @property
    def large_text(self) -> int: ...  # letter height level: 0 (normal), 2 or 3

    @property
    def text_sizing(self) -> bool: ...  # the terminal draws scaled text itself (OSC 66)


def reader_host(app: App[Any]) -> ReaderHost:
    """`app` (a widget's `self.app`, the driver's app) as the reader's app: listen's widgets
    and driver run only in ListenApp, built by create_app."""
    return cast(ReaderHost, app)
