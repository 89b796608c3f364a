"""The reader's screens, with `self.app` typed as ListenApp, so mypy checks each call a screen
makes (announce, store, settings…) against the app itself.

Textual's own `getters.app` does the typing, and checks at run time that the app is a
ListenApp (the only app these screens are pushed on).
"""

from __future__ import annotations

from textual import getters
from textual.screen import ModalScreen, Screen, ScreenResultType

from listen.tui.app import ListenApp


class ListenScreen(Screen[ScreenResultType]):
    """A full screen of the reader."""

    app = getters.app(ListenApp)


class ListenModalScreen(ModalScreen[ScreenResultType]):
    """A dialog of the reader."""

    app = getters.app(ListenApp)
