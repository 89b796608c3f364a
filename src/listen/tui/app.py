"""The reader application: one factory (`create_app`) for the CLI, the tests and the bench.

The app owns what every screen shares: the saved state, the settings, the keymap, the
status line's text (``announce``) and the terminal cursor (``cursor_position``).
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App
from textual.geometry import Offset

from listen.errors import ListenError
from listen.state import Settings, Store, default_config_dir
from listen.tui import bindings, cursor, themes
from listen.tui.services import Services
from listen.tui.widgets.status_line import StatusLine


def create_app(
    path: Path | str | None = None,
    *,
    store: Store | None = None,
    services: Services | None = None,
    theme: str | None = None,
    config_dir: Path | None = None,
    keymap: dict[str, str] | None = None,
) -> ListenApp:
    """Build the reader on a folder (the library) or a file (opened, with its folder behind it).

    `store` defaults to the SQLite file in the user's data dir, `keymap` to the user's
    keymap file; tests pass their own of each.
    """
    target = Path(path) if path is not None else Path("articles")
    problems: list[str] = []
    if keymap is None:
        keymap, problems = bindings.load_keymap(config_dir or default_config_dir())
    return ListenApp(
        target,
        store=store if store is not None else Store(),
        owns_store=store is None,
        services=services or Services(),
        theme_name=theme,
        keymap=keymap,
        problems=problems,
    )


class ListenApp(App[None]):
    """Library, reader, help and settings over one store; see create_app."""

    CSS_PATH = "listen.tcss"
    TITLE = "listen"
    BINDINGS = bindings.bindings("app")
    ENABLE_COMMAND_PALETTE = False  # themes come from Settings, where they are remembered

    def __init__(
        self,
        target: Path,
        *,
        store: Store,
        owns_store: bool = False,
        services: Services,
        theme_name: str | None,
        keymap: dict[str, str],
        problems: list[str],
    ) -> None:
        self._requested_cursor = Offset(0, 0)
        super().__init__()
        self.store = store
        self.owns_store = owns_store
        self.services = services
        self.settings = store.settings()
        if theme_name:
            self.settings = replace(self.settings, theme=theme_name)
        self.folder = target.parent if target.is_file() else target
        self.start_file = target if target.is_file() else None
        self.status_text = ""
        self.announcements: deque[str] = deque(maxlen=100)
        self.user_keymap = keymap
        self.startup_problems = problems
        for theme in themes.THEMES:
            self.register_theme(theme)
        self.theme = self.settings.theme if self.settings.theme in themes.NAMES else themes.DEFAULT

    # The cursor: one place decides it, read while each frame is written ----------------

    @property
    def cursor_position(self) -> Offset:  # type: ignore[override]
        return cursor.cursor_position(self, self._requested_cursor)

    @cursor_position.setter
    def cursor_position(self, value: Offset) -> None:
        self._requested_cursor = value

    # Start-up -----------------------------------------------------------------------

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """Our own colour names, for any theme that does not set them."""
        return dict(themes.THEMES[0].variables)

    def on_mount(self) -> None:
        self.apply_settings(self.settings, save=False)
        self.set_keymap(self.user_keymap)
        from listen.tui.screens.library import LibraryScreen

        self.push_screen(LibraryScreen(self.folder))
        if self.start_file is not None:
            self.open_article(self.start_file)
        for problem in self.startup_problems:
            self.announce(problem)

    # Announcements -------------------------------------------------------------------

    def announce(self, message: str) -> None:
        """Say one short sentence in the status line; the latest message replaces the last."""
        self.status_text = message
        self.announcements.append(message)
        for line in self.screen.query(StatusLine):
            line.say(message)

    # Settings -----------------------------------------------------------------------

    def apply_settings(self, settings: Settings, *, save: bool = True) -> None:
        if settings.theme not in themes.NAMES:
            settings = replace(settings, theme=themes.DEFAULT)
        self.settings = settings
        self.theme = settings.theme
        self.set_class(settings.text_size == "large", "-large-text")
        self.set_class(settings.screen_reader, "-screen-reader")
        if save:
            self.store.save_settings(settings)

    # Opening an article ----------------------------------------------------------------

    @work(exclusive=True, thread=True, group="open")
    def open_article(self, path: Path) -> None:
        """Load off the UI thread, then show the reader; a bad file is one status line."""
        self.call_from_thread(self.announce, f"Opening {Path(path).name}…")
        try:
            article = self.services.load(Path(path))
        except ListenError as error:
            self.call_from_thread(self.announce, str(error))
            return
        except OSError as error:
            self.call_from_thread(self.announce, f"Cannot open {path}: {error.strerror or error}")
            return
        self.call_from_thread(self.show_article, article, Path(path))

    def show_article(self, article: Any, path: Path) -> None:
        from listen.tui.screens.reader import ReaderScreen

        if isinstance(self.screen, ReaderScreen):
            self.pop_screen()
        self.push_screen(ReaderScreen(article, path))

    # Actions --------------------------------------------------------------------------

    def action_help(self) -> None:
        from listen.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self.screen))

    def action_settings(self) -> None:
        from listen.tui.screens.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen())

    def on_unmount(self) -> None:
        if self.owns_store:
            self.store.close()
