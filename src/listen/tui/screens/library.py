"""The library: every article in a folder, filtered as you type, Enter to open.

Focus rests on the list so a screen reader starts on an article; any letter typed there
goes to the filter, so "type to filter" works without first finding the filter box.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import ComposeResult
from textual.timer import Timer
from textual.widgets import Input, Static

from listen.controls import printable
from listen.errors import ListenError
from listen.tui.bindings import bindings
from listen.tui.screens.base import ListenScreen
from listen.tui.mp3_maker import Mp3Maker
from listen.tui.services import rows_with_audio
from listen.tui.widgets.article_list import ArticleList, header_line
from listen.tui.widgets.find_bar import FindBar
from listen.tui.widgets.key_hints import KeyHints
from listen.tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from listen.articles.library import ArticleSummary
    from listen.articles.model import Article


class ColumnHeader(Static):
    """Column titles that stay aligned with the rows at any width."""

    def render(self) -> str:
        return header_line(self.size.width)


class LibraryScreen(ListenScreen[None]):
    KEY_SCOPE = "library"
    BINDINGS = bindings("library")

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.loaded = False
        self.loading_notice: Timer | None = None
        self.said_title = False  # the status line holds a cut row's whole title
        self.mp3 = Mp3Maker(self, on_made=self.mark_narrated)

    def compose(self) -> ComposeResult:
        yield Static(printable(f"Library: {self.folder}"), id="title", classes="screen-title", markup=False)
        # In screen-reader mode the box is a blank row until something is typed: a placeholder
        # would be read out each time the library comes back.
        hint = "" if self.app.settings.screen_reader else "Type to filter by title and text"
        yield Input(placeholder=hint, id="filter", select_on_focus=False)
        yield ColumnHeader(id="columns")
        yield ArticleList(id="articles")
        yield FindBar(placeholder="A link (https://…), then Enter", id="link")
        yield StatusLine()
        yield KeyHints(self.KEY_SCOPE)

    @property
    def articles(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#filter", Input)

    def on_mount(self) -> None:
        self.articles.focus()
        self.loading_notice = self.app.announce_if_slow(f"Loading the library in {self.folder}…")
        self.load()

    def on_screen_resume(self) -> None:
        if self.loaded:
            self.articles.focus()
            self.app.announce(self.summary())

    @work(thread=True, exclusive=True, group="scan")
    def load(self, then: tuple[Path, str] | None = None) -> None:
        """Scan off the UI thread: a first scan of thousands of files takes a while.

        `then` (after a refresh): select that article again and say that line, not the count."""
        services = self.app.services
        if not self.folder.is_dir():
            self.app.call_from_thread(
                self.problem,
                f"No articles folder at {self.folder}; run 'listen read FOLDER' with a folder of articles.",
            )
            return
        try:
            rows = services.scan(self.folder)
        except ListenError as error:
            self.app.call_from_thread(self.problem, str(error))
            return
        if then is not None:
            self.app.call_from_thread(self.show_refreshed, rows, rows_with_audio(services.audio_dir, rows), *then)
            return
        self.app.call_from_thread(self.show_rows, rows, rows_with_audio(services.audio_dir, rows))

    def show_refreshed(self, rows: list[ArticleSummary], with_audio: frozenset[str], path: Path, line: str) -> None:
        self.articles.set_rows(rows, with_audio, self.app.settings.sort)
        self.articles.select_path(path)
        self.app.announce(line)

    def problem(self, message: str) -> None:
        if self.loading_notice is not None:
            self.loading_notice.stop()
        self.app.announce(message)

    def show_rows(self, rows: list[ArticleSummary], with_audio: frozenset[str]) -> None:
        if self.loading_notice is not None:
            self.loading_notice.stop()
        self.articles.set_rows(rows, with_audio, self.app.settings.sort)
        self.loaded = True
        # An article opened from the command line is being read (or about to be): keep quiet,
        # whatever order the scan and the article load finish in. Going back announces it.
        if self.is_current and self.app.start_file is None:
            self.app.announce(self.app.with_start_up_notices(self.summary()))

    def summary(self) -> str:
        shown, total = len(self.articles.shown), len(self.articles.rows)
        noun = "article" if total == 1 else "articles"
        if self.articles.query_text:
            return f"{shown} of {total} {noun} match “{self.articles.query_text}”"
        refused = sum(1 for row in self.articles.rows if getattr(row, "error", ""))
        if refused:  # said apart, so the count of articles to read stays the one that matters
            readable = total - refused
            return f"Library, {readable} article{'' if readable == 1 else 's'}, {refused} refused"
        return f"Library, {total} {noun}"

    # Filtering ---------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input is not self.filter_input:
            return
        self.articles.filter(event.value)
        self.app.announce(self.summary())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input is self.filter_input:
            self.action_open()
            return
        link = self.query_one("#link", FindBar)
        link.close()
        self.articles.focus()
        if not event.value.strip():
            self.app.announce("No link given")
            return
        address = event.value.strip()
        self.app.announce(f"Fetching {address}…")
        self.run_worker(lambda: self._fetch(address), thread=True, group="link", exclusive=True)

    def _fetch(self, address: str) -> None:
        """Off the UI thread: fetch (or take from the cache) the page, then open it."""
        app = self.app

        def notify(message: str) -> None:
            app.call_from_thread(app.announce, message)

        try:
            path = app.services.fetch_link(address, notify)
        except ListenError as error:
            app.call_from_thread(app.announce, str(error))
            return
        except OSError as error:
            app.call_from_thread(app.announce, f"Cannot open {address}: {error.strerror or error}")
            return
        app.call_from_thread(app.open_article, path)

    def action_open_link(self) -> None:
        self.query_one("#link", FindBar).open()
        self.app.announce("Open a link: type a web address, then Enter; Escape cancels")

    def on_find_bar_cancelled(self, message: FindBar.Cancelled) -> None:
        self.query_one("#link", FindBar).close()
        self.articles.focus()
        self.app.announce("Link closed")

    def on_key(self, event: events.Key) -> None:
        """A letter typed on the list goes to the filter.

        A terminal hands a quickly typed or pasted word over in one read, so several letters
        reach the list before the first one is handled; those arrive here after the filter box
        has the focus, and still belong to it (the box stops the letters it is given itself).
        """
        if self.focused not in (self.articles, self.filter_input):
            return
        if event.is_printable and event.character:
            if event.character in "?" and self.focused is self.articles:  # help, as everywhere else
                return
            if self.focused is not self.filter_input:
                self.set_focus(self.filter_input)  # now, not after the letters already queued
            self.filter_input.insert_text_at_cursor(event.character)
            event.stop()
            event.prevent_default()

    def action_clear_filter(self) -> None:
        if self.filter_input.value:
            self.filter_input.value = ""
        self.articles.focus()

    def action_focus_filter(self) -> None:
        self.filter_input.focus()

    # Moving and opening ------------------------------------------------------------

    def on_article_list_chosen(self, message: ArticleList.Chosen) -> None:
        self.action_open()

    def action_open(self) -> None:
        current = self.articles.current
        if current is None:
            self.app.announce("No article to open; clear the filter with Escape.")
            return
        if self.say_refused(current):
            return
        self.app.open_article(Path(current.path))

    def say_refused(self, row: ArticleSummary) -> bool:
        """A refused row cannot be opened: say why, in the same words as `listen list`."""
        if not getattr(row, "error", ""):
            return False
        self.app.announce(f"{row.title} is refused: {row.refusal}")
        return True

    def action_make_mp3(self) -> None:
        """Make an MP3 of the selected article, as the reader's Make MP3 does, without opening it."""
        current = self.articles.current
        if current is None:
            self.app.announce("No article selected; clear the filter with Escape.")
            return
        if self.say_refused(current):
            return
        if self.mp3.running:
            self.app.announce("Still making the last MP3; one at a time.")
            return
        self.run_worker(lambda: self._load_for_mp3(Path(current.path)), thread=True, group="mp3-load")

    def _load_for_mp3(self, path: Path) -> None:
        try:
            article = self.app.services.load(path)
        except (ListenError, OSError) as error:
            message = str(error) if isinstance(error, ListenError) else f"Cannot open {path}: {error}"
            self.app.call_from_thread(self.app.announce, message)
            return
        self.app.call_from_thread(self.mp3.start, article)

    def mark_narrated(self, article: Article, dest: Path) -> None:
        """The new MP3 shows in the audio column at once."""
        self.articles.with_audio |= {str(article.path)}
        self.articles.refresh()

    def into_list(self) -> bool:
        """Give the list focus if it lacks it; True when that was the whole move.

        In screen-reader mode the first key from the filter box lands on the first match
        (the list was blank while typing); a key on the list never calls focus() again.
        """
        if self.focused is self.articles:
            return False
        self.articles.focus()
        return bool(self.app.settings.screen_reader)

    def action_cursor(self, delta: int) -> None:
        if not self.into_list():
            self.articles.move_by(delta)
        self.say_cut_title()

    def action_page(self, direction: int) -> None:
        if not self.into_list():
            self.articles.move_by(direction * self.articles.page_height())
        self.say_cut_title()

    def action_edge(self, end: int) -> None:
        self.into_list()
        self.articles.move_to(len(self.articles.shown) - 1 if end else 0)
        self.say_cut_title()

    def say_cut_title(self) -> None:
        """A title cut with "…" on screen is said whole on the status line, where a screen
        reader (or a magnifier user) reads it; once past it, the status line says the count."""
        title = self.articles.cut_title()
        if title is not None:
            self.app.announce(title)
            self.said_title = True
        elif self.said_title:
            self.said_title = False
            self.app.announce(self.summary())

    def action_toggle_sort(self) -> None:
        sort = "date" if self.app.settings.sort == "title" else "title"
        self.app.apply_settings(replace(self.app.settings, sort=sort))
        self.articles.resort(sort)
        self.app.announce("Sorted by date, newest first" if sort == "date" else "Sorted by title")

    # Refreshing what came from the web ------------------------------------------------

    def action_refresh(self) -> None:
        """Ask the selected article's page (or feed) again; one line says what came of it."""
        current = self.articles.current
        if current is None:
            self.app.announce("No article selected; clear the filter with Escape.")
            return
        if not getattr(current, "url", ""):
            self.app.announce(
                f"Refresh does not apply: {Path(current.path).name} is a file on this computer, not a page or a feed."
            )
            return
        self.app.announce(f"Refreshing {printable(current.title)}…")
        path = Path(current.path)
        self.run_worker(lambda: self._refresh(path), thread=True, group="refresh", exclusive=True)

    def _refresh(self, path: Path) -> None:
        try:
            result = self.app.services.refresh(path)
        except (ListenError, OSError) as error:
            self.app.call_from_thread(self.app.announce, str(error))
            return
        self.app.call_from_thread(self.load, (Path(result.path), result.message))

    def action_refresh_all(self) -> None:
        fetched = [Path(row.path) for row in self.articles.rows if getattr(row, "url", "")]
        if not fetched:
            self.app.announce("Nothing to refresh: every article here is a file on this computer.")
            return
        current = self.articles.current
        keep = Path(current.path) if current is not None else fetched[0]
        self.app.announce(f"Refreshing {len(fetched)} article{'' if len(fetched) == 1 else 's'} from the web…")
        self.run_worker(lambda: self._refresh_all(fetched, keep), thread=True, group="refresh", exclusive=True)

    def _refresh_all(self, paths: list[Path], keep: Path) -> None:
        try:
            _, line = self.app.services.refresh_all(paths)
        except (ListenError, OSError) as error:
            self.app.call_from_thread(self.app.announce, str(error))
            return
        self.app.call_from_thread(self.load, (keep, line))
