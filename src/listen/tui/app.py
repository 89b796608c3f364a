"""The reader application: one factory (`create_app`) for the CLI, the tests and the bench.

The app owns what every screen shares: the saved state, the settings, the keymap, the
status line's text (``announce``) and the terminal cursor (``cursor_position``).
"""

from __future__ import annotations

import gc
from collections import deque
from dataclasses import replace
from pathlib import Path
from typing import Any

from textual import events, work
from textual.app import App
from textual.driver import Driver
from textual.geometry import Offset
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input

from listen.controls import printable
from listen.errors import ListenError
from listen.state import ReaderSettings, Store, default_config_dir
from listen.tui import bindings, compat, cursor, themes
from listen.tui.host import ReaderHost
from listen.tui.services import Services
from listen.tui.voice import SpeechDispatcher
from listen.tui.widgets.status_line import StatusLine


def create_app(
    path: Path | str | None = None,
    *,
    store: Store | None = None,
    services: Services | None = None,
    theme: str | None = None,
    config_dir: Path | None = None,
    keymap: dict[str, str] | None = None,
    screen_reader: bool | None = None,
    text_size: str | None = None,
    self_voicing: bool | None = None,
    voice: SpeechDispatcher | None = None,
    text_sizing: bool = False,
) -> ListenApp:
    """Build the reader on a folder (the library) or a file (opened, with its folder behind it).

    `store` defaults to the SQLite file in the user's data dir, `keymap` to the user's
    keymap file; tests pass their own of each. `theme`, `screen_reader`, `text_size` and
    `self_voicing` override the saved settings for this run (None keeps what was saved).
    `text_sizing`: the terminal draws scaled text (OSC 66, detected by cli/read.py), so large
    text uses it instead of block letters.
    """
    target = Path(path) if path is not None else Path("articles")
    problems: list[str] = []
    if keymap is None:
        keymap, problems = bindings.load_keymap(config_dir or default_config_dir())
    owns_store = store is None
    store = store if store is not None else Store()
    saved = store.settings()
    settings = replace(
        saved,
        theme=themes.canonical(theme) if theme else saved.theme,
        screen_reader=saved.screen_reader if screen_reader is None else screen_reader,
        text_size=saved.text_size if text_size is None else text_size,
        self_voicing=saved.self_voicing if self_voicing is None else self_voicing,
    )
    app = ListenApp(
        target,
        store=store,
        owns_store=owns_store,
        services=services or Services(),
        settings=settings,
        keymap=keymap,
        problems=problems,
        voice=voice,
        text_sizing=text_sizing,
    )
    _host: ReaderHost = app  # mypy checks here that ListenApp is what host.py promises widgets and the driver
    return app


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
        settings: ReaderSettings,
        keymap: dict[str, str],
        problems: list[str],
        voice: SpeechDispatcher | None = None,
        text_sizing: bool = False,
    ) -> None:
        self._requested_cursor = Offset(0, 0)
        super().__init__()
        self.store = store
        self.owns_store = owns_store
        self.services = services
        self.settings = settings  # create_app's: the saved settings with this run's overrides
        self.text_sizing = text_sizing  # read by ArticleView and cursor.CursorDriver
        self.voice = voice or SpeechDispatcher()
        self.voice.on_problem = self._voice_failed
        self._voice_problem_said = False
        self.folder = target.parent if target.is_file() else target
        self.start_file = target if target.is_file() else None
        self.status_text = ""
        self.announcements: deque[str] = deque(maxlen=100)
        self.user_keymap = keymap
        # Said on the status line at start (never printed to stderr, where the screen hides
        # it): keymap problems and the state store's notice ("positions will not be saved…").
        notice = store.take_notice()
        self.startup_problems = [*problems, *([notice] if notice else [])]
        if self.settings.self_voicing and not self.voice.available:
            self._voice_problem_said = True
            self.startup_problems.append(self.voice.problem)
        self._opening_notice: Timer | None = None
        for theme in themes.THEMES:
            self.register_theme(theme)
        self.start_in_theme(themes.canonical(self.settings.theme))

    def start_in_theme(self, name: str) -> None:
        """Take the theme before the stylesheet is first parsed, so it is parsed once, not twice.

        Setting `theme` runs Textual's watcher, which queues a full re-parse of every stylesheet
        (some 15 ms) to undo a first parse made in its default theme's colours. Before start-up
        there is nothing to undo: give the stylesheet this theme's variables and do what the
        watcher does to the app (its theme classes and ANSI colour filter) without the re-parse.
        """
        self.set_reactive(ListenApp.theme, compat.validate_theme(self, name))
        theme = self.current_theme
        self.update_classes(
            {
                **{old: False for old in self.classes if old.startswith("-theme-")},
                f"-theme-{theme.name}": True,
                "-dark-mode": theme.dark,
                "-light-mode": not theme.dark,
            },
            update=False,
        )
        compat.refresh_truecolor_filter(self, self.ansi_theme)
        self.stylesheet.set_variables(self.get_css_variables())

    # The cursor: one place decides it, read while each frame is written ----------------

    @property
    def cursor_position(self) -> Offset:  # type: ignore[override]
        return cursor.cursor_position(self, self._requested_cursor)

    @cursor_position.setter
    def cursor_position(self, value: Offset) -> None:
        self._requested_cursor = value

    @property
    def cursor_visible(self) -> bool:
        """Whether the terminal shows its cursor: in screen-reader mode (cursor.CursorDriver)."""
        return self.settings.screen_reader

    def get_driver_class(self) -> type[Driver]:
        return cursor.driver_class(super().get_driver_class())

    def on_resize(self) -> None:
        driver = compat.app_driver(self)
        if isinstance(driver, cursor.CursorDriver):
            driver.forget_rows()

    @property
    def large_text(self) -> int:
        """Letter height level of the reading text: 0 (normal), 2 or 3; never with a screen reader."""
        if self.settings.screen_reader:
            return 0
        return {"large": 2, "larger": 3}.get(self.settings.text_size, 0)

    # Start-up -----------------------------------------------------------------------

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """Our own colour names, for any theme that does not set them."""
        return dict(themes.THEMES[0].variables)

    def get_default_screen(self) -> Screen[Any]:
        """The library is the first screen itself, not pushed over a blank one: one screen to
        style, lay out and draw at start-up instead of two."""
        from listen.tui.screens.library import LibraryScreen

        return LibraryScreen(self.folder)

    def on_mount(self) -> None:
        # Python, Textual and listen's own start-up objects live as long as the app: keep them
        # out of the garbage collector's full passes, which otherwise walk them all (50-60 ms,
        # in the middle of opening a long article). on_unmount hands them back.
        gc.freeze()
        # And collect the young generation less often: opening a long article makes a few
        # hundred thousand short-lived objects (parse tokens, lines), and at the default
        # threshold of 700 allocations that was some 40 collections, 10 ms, per open.
        self._gc_thresholds = gc.get_threshold()
        gc.set_threshold(20_000, *self._gc_thresholds[1:])
        self.apply_settings(self.settings, save=False)
        self.set_keymap(self.user_keymap)
        if self.start_file is not None:
            self.open_article(self.start_file)
        if self.startup_problems:
            self.announce(" ".join(self.startup_problems))

    def with_start_up_notices(self, message: str) -> str:
        """`message` (the first screen's opening sentence) with the start-up problems after it,
        once: the library's "Library, 3 articles" would otherwise replace them at once."""
        notices, self.startup_problems = self.startup_problems, []
        return " ".join([message, *notices])

    # Announcements -------------------------------------------------------------------

    def announce(self, message: str) -> None:
        """Say one short sentence in the status line; the latest message replaces the last.

        With self-voicing on, it is also spoken, cutting off the one before it. Messages name
        articles, headings and paths, which are data: they pass through `printable`, so no
        escape sequence in them reaches the terminal or the speech synthesiser.
        """
        message = printable(message)
        if self.settings.self_voicing:
            if self.voice.available:
                self.voice.say(message)
            elif not self._voice_problem_said:  # silence cannot be noticed: say why, once
                self._voice_problem_said = True
                message = f"{message} {self.voice.problem}" if message else self.voice.problem
        self.status_text = message
        self.announcements.append(message)
        for line in self.screen.query(StatusLine):
            line.say(message)

    def _voice_failed(self, problem: str) -> None:
        """From the voice's thread: speaking failed, so the status line says why."""

        def say() -> None:
            self._voice_problem_said = True
            self.announce(problem)

        loop = compat.app_loop(self)
        if loop is not None and not loop.is_closed():
            # Not call_from_thread, which waits: at quit the app waits for this thread.
            loop.call_soon_threadsafe(say)

    SLOW_NOTICE_AFTER = 0.4  # seconds
    SLOW_NOTICE_SPOKEN_AFTER = 3.0  # with a screen reader: each notice is read out, then replaced

    def announce_if_slow(self, message: str) -> Timer:
        """Say that something is under way ("Opening…") only if it is still going after a moment.

        Said and replaced at once, such a message only cuts a screen reader off mid-word (and
        costs a frame). Stop the returned timer when the work is done.
        """
        delay = self.SLOW_NOTICE_SPOKEN_AFTER if self.settings.screen_reader else self.SLOW_NOTICE_AFTER
        return self.set_timer(delay, lambda: self.announce(message))

    # Settings -----------------------------------------------------------------------

    def apply_settings(self, settings: ReaderSettings, *, save: bool = True) -> None:
        """Make `settings` take effect everywhere at once, and remember them unless told not to."""
        settings = replace(settings, theme=themes.canonical(settings.theme))
        before = self.large_text
        reader_before = self.settings.screen_reader
        self.settings = settings
        self.theme = settings.theme
        self.set_class(self.large_text > 0, "-large-text")
        self.set_class(settings.screen_reader, "-screen-reader")
        # Nothing may move or blink by itself for a screen reader: each change is read out.
        self.animation_level = "none" if settings.screen_reader else "full"
        for screen in self.screen_stack:
            for box in screen.query(Input):
                box.cursor_blink = not settings.screen_reader
            if self.large_text != before:  # every widget that draws large text lays out again
                for view in screen.query("ArticleView, ArticleList, ChoiceList, ItemList, StatusLine"):
                    view.relayout()  # type: ignore[attr-defined]
            if settings.screen_reader != reader_before:  # they draw differently in each mode
                for widget in screen.query("ArticleView, ArticleList, KeyHints"):
                    if hasattr(widget, "fit"):
                        widget.fit()  # type: ignore[attr-defined]
                    widget.refresh()
        if save:
            self.store.save_settings(settings)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """A text box focused on a new screen stops blinking too (a blink is a change to read)."""
        if isinstance(event.widget, Input):
            event.widget.cursor_blink = not self.settings.screen_reader

    # Opening an article ----------------------------------------------------------------

    def open_article(self, path: Path) -> None:
        """Load off the UI thread, then show the reader; a bad file is one status line."""
        path = Path(path)
        if self._opening_notice is not None:
            self._opening_notice.stop()
        self._opening_notice = self.announce_if_slow(f"Opening {path.name}…")
        self._load_article(path)

    @work(exclusive=True, thread=True, group="open")
    def _load_article(self, path: Path) -> None:
        from listen.tui.screens.reader import prepare

        try:
            article = self.services.load(path)
            prepared = prepare(article)
        except ListenError as error:
            self.call_from_thread(self._opened, str(error))
            return
        except OSError as error:
            self.call_from_thread(self._opened, f"Cannot open {path}: {error.strerror or error}")
            return
        self.call_from_thread(self._opened, None, article, path, prepared)

    def _opened(self, problem: str | None, *shown: Any) -> None:
        if self._opening_notice is not None:
            self._opening_notice.stop()
            self._opening_notice = None
        if problem is not None:
            self.announce(problem)
        else:
            self.show_article(*shown)

    def show_article(self, article: Any, path: Path, prepared: Any = None) -> None:
        from listen.tui.screens.reader import ReaderScreen

        if isinstance(self.screen, ReaderScreen):
            self.pop_screen()
        self.push_screen(ReaderScreen(article, path, prepared))

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

    def action_text_size(self) -> None:
        """Cycle normal → large → larger; a screen reader reads letters, not pictures of them."""
        if self.settings.screen_reader:
            self.announce("Large text is off in screen-reader mode")
            return
        sizes = ("normal", "large", "larger")
        current = self.settings.text_size if self.settings.text_size in sizes else "normal"
        size = sizes[(sizes.index(current) + 1) % len(sizes)]
        self.apply_settings(replace(self.settings, text_size=size))
        self.announce(f"Text size: {size}")

    def action_cycle_theme(self) -> None:
        name = themes.NAMES[(themes.NAMES.index(self.theme) + 1) % len(themes.NAMES)]
        self.apply_settings(replace(self.settings, theme=name))
        self.announce(f"Theme: {name}")

    def on_unmount(self) -> None:
        gc.unfreeze()
        gc.set_threshold(*getattr(self, "_gc_thresholds", gc.get_threshold()))
        self.voice.close()
        if self.owns_store:
            self.store.close()
