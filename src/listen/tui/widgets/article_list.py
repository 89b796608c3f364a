"""The library's list of articles: virtualised, so 10,000 rows cost what one screenful costs.

Only the visible rows are ever rendered (Textual's line API), and filtering works on a
precomputed lower-cased haystack per article, narrowing the previous result while the
query only grows, so a keystroke stays well under the 50 ms a typist notices.

In screen-reader mode the list shows the selected article alone, on its first row, in words
("…, 523 words, 3 min"), with no marker: a terminal screen reader speaks the rows that
change, so a move changes exactly one row, the new focus, and the terminal's cursor sits on
it. While the filter box has focus the row is blank: typing speaks the letter and the count
(the status line), not a title that may be about to go.

With large text on, each article is its whole title in big letters (big_text.entry_rows),
wrapped, one title to an entry, the selected one marked by ">" down its left edge; or, where
the terminal scales text itself, a row of real text the driver draws scaled (`scaled_lines`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from textual.geometry import Offset, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from listen.articles.library import sort_date
from listen.articles.model import WORDS_PER_MINUTE, listening_time
from listen.controls import printable
from listen.tui.big_text import entry_height, entry_rows
from listen.tui.host import reader_host
from listen.tui.layout import wrap
from listen.tui.text_sizing import ScaledLine

MARKER = "> "  # the selected row is marked in text, never by colour alone (ASCII: one cell everywhere)
COLUMNS = "  {words:>7}  {time:>8}  {lang:<4}  {audio:<5}  {origin:<4}"
ORIGINS = {"file": "file", "url": "web", "feed": "feed"}  # the From column: where the article came from
NARROW = 60  # below this many cells the columns go, so titles are not cut short


def header_line(width: int) -> str:
    """The column titles, aligned with the rows below them."""
    tail = (
        COLUMNS.format(words="Words", time="Listen", lang="Lang", audio="Audio", origin="From")
        if width >= NARROW
        else ""
    )
    return fit("  Title", width - cell_len(tail)) + tail


class ArticleList(ScrollView, can_focus=True, inherit_bindings=False):
    """Rows of ArticleSummary-like objects (path, title, words, language, modified, standfirst)."""

    COMPONENT_CLASSES = {"article-list--cursor"}

    DEFAULT_CSS = """
    ArticleList { height: 1fr; overflow-x: hidden; }
    ArticleList > .article-list--cursor { text-style: bold; background: $accent; color: $text; }
    """

    class Chosen(Message):
        """Enter was pressed, or a row was clicked, on `summary`."""

        def __init__(self, summary: Any) -> None:
            super().__init__()
            self.summary = summary

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rows: list[Any] = []
        self.with_audio: frozenset[str] = frozenset()
        self.shown: list[int] = []
        self.cursor = 0
        self.query_text = ""
        self._haystacks: list[str] = []
        self._spoken_rows = 1  # screen-reader mode: the rows the selected article's words take
        self._tops: list[int] = []  # large text: each shown entry's first row, then the end
        self._heights: dict[int, int] = {}  # large text: rows of each article's entry, by index
        self._heights_for: tuple[object, ...] = ()

    # Data ------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[Any], with_audio: frozenset[str], sort: str) -> None:
        """Replace every row, keeping the current filter."""
        self.rows = sort_rows(rows, sort)
        self.with_audio = with_audio
        self._haystacks = [haystack(row) for row in self.rows]
        query, self.query_text = self.query_text, ""
        self.shown = list(range(len(self.rows)))
        self.filter(query)

    def resort(self, sort: str) -> None:
        current = self.current
        self.set_rows(self.rows, self.with_audio, sort)
        if current is not None:
            self.select_path(current.path)

    def filter(self, query: str) -> int:
        """Show only rows whose title or text contains every word of `query`; return the count."""
        words = query.casefold().split()
        previous = self.query_text.casefold().split()
        narrowing = bool(previous) and query.casefold().startswith(self.query_text.casefold())
        candidates = self.shown if narrowing else range(len(self.rows))
        stacks = self._haystacks
        if len(words) == 1:
            word = words[0]
            self.shown = [i for i in candidates if word in stacks[i]]
        elif words:
            self.shown = [i for i in candidates if all(w in stacks[i] for w in words)]
        else:
            self.shown = list(range(len(self.rows)))
        self.query_text = query
        self.cursor = 0
        self._resize()
        return len(self.shown)

    @property
    def current(self) -> Any | None:
        if not self.shown:
            return None
        return self.rows[self.shown[min(self.cursor, len(self.shown) - 1)]]

    def select_path(self, path: Any) -> bool:
        for position, index in enumerate(self.shown):
            if str(self.rows[index].path) == str(path):
                self.move_to(position)
                return True
        return False

    # Movement ----------------------------------------------------------------------

    @property
    def screen_reader(self) -> bool:
        return reader_host(self.app).cursor_visible

    def move_to(self, position: int) -> None:
        """Select row `position`, repainting only what changes: the two rows, or a scroll."""
        if not self.shown:
            return
        before = self.cursor
        self.cursor = max(0, min(position, len(self.shown) - 1))
        if self.screen_reader:
            self.refresh_spoken()  # the one article shown, now the new focus
            return
        if self.large:
            self.scroll_to_entry()
            return
        top = int(self.scroll_y)
        self.scroll_to_region_of_cursor()
        if int(self.scroll_y) != top:
            self.refresh()
        else:
            self.refresh_line(before)
            self.refresh_line(self.cursor)

    def move_by(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def page_height(self) -> int:
        if self.large:
            return self.entries_in_view()
        return max(1, self.scrollable_content_region.height - 1)

    def scroll_to_region_of_cursor(self) -> None:
        top = int(self.scroll_y)
        height = max(1, self.scrollable_content_region.height)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def cursor_anchor(self) -> Offset | None:
        """Where a screen reader's cursor belongs: the first letter of the selected title."""
        row = 0 if self.screen_reader else self.row_of(self.cursor) - int(self.scroll_y)
        region = self.scrollable_content_region
        if not self.shown or not 0 <= row < region.height:
            return None
        return Offset(region.x + len(MARKER), region.y + row)

    # Rendering ---------------------------------------------------------------------

    def _resize(self) -> None:
        rows = len(self.shown)
        if self.large:
            self._tops = self.entry_tops()
            rows = self._tops[-1]
        self.virtual_size = Size(self.scrollable_content_region.width, rows)
        self.refresh()
        if self.large:
            self.scroll_to_entry()

    def relayout(self) -> None:
        """The text size changed: lay the entries out again."""
        self._resize()

    def on_resize(self) -> None:
        self._resize()

    def on_focus(self) -> None:
        if self.screen_reader:
            self.refresh_spoken()

    def on_blur(self) -> None:
        if self.screen_reader:
            self.refresh_spoken()

    def spoken_lines(self) -> list[str]:
        """Screen-reader mode: the selected article in words, wrapped, never cut with "…"."""
        if not self.shown:
            return []
        row = self.rows[self.shown[min(self.cursor, len(self.shown) - 1)]]
        width = max(1, self.scrollable_content_region.width - len(MARKER_SPACE))
        words = spoken_row(row, str(row.path) in self.with_audio)
        return [MARKER_SPACE + text for text, _ in wrap(words, width)]

    def refresh_spoken(self) -> None:
        """Repaint the rows the spoken article took before and takes now: usually just one."""
        rows = max(1, len(self.spoken_lines()))
        top = int(self.scroll_y)
        for y in range(max(rows, self._spoken_rows)):
            self.refresh_line(top + y)
        self._spoken_rows = rows

    def cut_title(self) -> str | None:
        """The selected article's whole title when its row shows it cut with "…", else None."""
        current = self.current
        if current is None or self.screen_reader or self.large:  # large text wraps, never cuts
            return None
        width = self.scrollable_content_region.width
        tail = 0 if width < NARROW else cell_len(COLUMNS.format(words="", time="", lang="", audio="", origin=""))
        title = printable(shown_title(current))
        return title if cell_len(MARKER + title) > width - tail else None

    def render_line(self, y: int) -> Strip:
        position = y + int(self.scroll_y)
        width = self.scrollable_content_region.width
        base = self.rich_style
        if self.screen_reader:
            lines = self.spoken_lines() if self.has_focus else []
            # Whatever rows are painted must be repainted on the next move, even when they were
            # painted by a whole refresh (rows loaded, resize) rather than by refresh_spoken.
            self._spoken_rows = max(self._spoken_rows, len(lines))
            text = fit(lines[y] if y < len(lines) else "", width)
            return Strip([Segment(text, base)], width)
        if self.large:
            return self.render_large_line(position, width, base)
        if position >= len(self.shown):
            return Strip([Segment(" " * width, base)], width)
        row = self.rows[self.shown[position]]
        selected = position == self.cursor
        style = base + self.get_component_rich_style("article-list--cursor") if selected else base
        text = row_text(row, width, selected, str(row.path) in self.with_audio)
        return Strip([Segment(text, style)], width)

    def on_click(self, event: Any) -> None:
        if self.screen_reader:
            if getattr(event, "chain", 1) >= 2:
                self.post_message(self.Chosen(self.current))
            return
        position = self.entry_at(event.y + int(self.scroll_y))
        if 0 <= position < len(self.shown):
            self.move_to(position)
            if getattr(event, "chain", 1) >= 2:
                self.post_message(self.Chosen(self.current))

    # Large text --------------------------------------------------------------------

    @property
    def large(self) -> int:
        """The large-text level (0: normal size; always 0 in screen-reader mode)."""
        return 0 if self.screen_reader else int(reader_host(self.app).large_text or 0)

    @property
    def scaled(self) -> bool:
        """Large text drawn by the terminal's own scaled glyphs (text_sizing.py)."""
        return bool(self.large and getattr(self.app, "text_sizing", False))

    def entry(self, position: int) -> tuple[tuple[str, int], ...]:
        width = max(1, self.scrollable_content_region.width - len(MARKER))
        title = printable(shown_title(self.rows[self.shown[position]]))
        return entry_rows(title, width, self.large, self.scaled)

    def entry_tops(self) -> list[int]:
        """Each shown entry's first row. Heights are kept per article until the width or the
        size changes, so filtering 10,000 titles as you type only adds them up."""
        width = max(1, self.scrollable_content_region.width - len(MARKER))
        level, scaled, rows = self.large, self.scaled, self.rows
        if self._heights_for != (width, level, scaled, id(rows)):
            self._heights_for = (width, level, scaled, id(rows))
            self._heights = {}
        heights = self._heights
        tops = [0]
        for index in self.shown:
            height = heights.get(index)
            if height is None:
                height = heights[index] = entry_height(printable(shown_title(rows[index])), width, level, scaled)
            tops.append(tops[-1] + height)
        return tops

    def row_of(self, position: int) -> int:
        """The first row of entry `position` (one row per entry at normal size)."""
        if self.large and self._tops and position < len(self._tops):
            return self._tops[position]
        return position

    def entry_at(self, row: int) -> int:
        if not self.large or not self._tops:
            return row
        return bisect_right(self._tops, row) - 1 if 0 <= row < self._tops[-1] else len(self.shown)

    def entries_in_view(self) -> int:
        """How many whole entries fit in the view from the selected one (at least one)."""
        height = max(1, self.scrollable_content_region.height)
        top = self.row_of(self.cursor)
        return max(1, bisect_right(self._tops, top + height) - 1 - self.cursor) if self._tops else 1

    def scroll_to_entry(self) -> None:
        """Bring the whole selected entry into view (its top, when it is taller than the view)."""
        if not self._tops or self.cursor + 1 >= len(self._tops):
            self.refresh()
            return
        height = max(1, self.scrollable_content_region.height)
        top, end = self._tops[self.cursor], self._tops[self.cursor + 1]
        scroll = int(self.scroll_y)
        if top < scroll or end - top > height:
            scroll = top
        elif end > scroll + height:
            scroll = end - height
        self.scroll_to(y=scroll, animate=False, immediate=True)
        self.refresh()

    def render_large_line(self, row: int, width: int, base: Any) -> Strip:
        position = self.entry_at(row)
        if not 0 <= position < len(self.shown):
            return Strip([Segment(" " * width, base)], width)
        rows = self.entry(position)
        text, _scale = rows[row - self._tops[position]]
        selected = position == self.cursor
        style = base + self.get_component_rich_style("article-list--cursor") if selected else base
        marker = MARKER if selected and text.strip() else "  "  # ">" down the entry's letters
        return Strip([Segment(fit(marker + text, width), style)], width)

    def scaled_lines(self) -> list[ScaledLine]:
        """The rows of real text in view for the driver to draw scaled, as the reader's are."""
        if not self.scaled or not self._tops:
            return []
        from rich.color import ColorSystem

        region = self.scrollable_content_region
        top = int(self.scroll_y)
        systems = {"standard": ColorSystem.STANDARD, "256": ColorSystem.EIGHT_BIT, "windows": ColorSystem.WINDOWS}
        colours = systems.get(self.app.console.color_system or "", ColorSystem.TRUECOLOR)
        out = []
        for y in range(region.height):
            position = self.entry_at(top + y)
            if not 0 <= position < len(self.shown):
                break
            text, scale = self.entry(position)[top + y - self._tops[position]]
            if not scale or y + scale > region.height:
                continue  # not a row of text, or its glyphs would spill out of the view
            style = self.rich_style
            if position == self.cursor:
                style += self.get_component_rich_style("article-list--cursor")
            sgr = Strip.render_ansi(style, colours) if style else ""
            out.append(ScaledLine(region.x + len(MARKER), region.y + y, scale, ((sgr, text),), len(text), sgr))
        return out


MARKER_SPACE = " " * len(MARKER)


def spoken_row(row: Any, audio: bool) -> str:
    """A row as a sentence, for screen-reader mode: columns mean nothing read aloud.

    Title first, then figures, then where it came from; a user's own file says nothing of
    origin (most rows are files, and the words would be said on every one)."""
    if getattr(row, "error", ""):
        return f"{shown_title(row)}{spoken_origin(row)}"
    words = f"{row.words:,} word{'s' if row.words != 1 else ''}"
    text = f"{printable(row.title)}, {words}, {listening_time(row.words / WORDS_PER_MINUTE)}"
    return text + (", MP3 made" if audio else "") + spoken_origin(row)


def spoken_origin(row: Any) -> str:
    """', from the web, example.org' or ', from a feed, example.org'; nothing for a file."""
    feed, url = getattr(row, "feed", ""), getattr(row, "url", "")
    if feed:
        return f", from a feed, {printable(place(feed))}"
    return f", from the web, {printable(place(url))}" if url else ""


def place(address: str) -> str:
    """A URL's host (what a person calls the site), or a feed file's name."""
    from pathlib import PurePath
    from urllib.parse import urlsplit

    if "://" in address:
        return (urlsplit(address).hostname or address).removeprefix("www.")
    return PurePath(address).name or address


def shown_title(row: Any) -> str:
    """The title a row shows: a refused file's name, with why it is refused."""
    refusal = getattr(row, "refusal", "") if getattr(row, "error", "") else ""
    return f"{row.title}, refused: {refusal}" if refusal else row.title  # a refused row's title is its file name


def row_text(row: Any, width: int, selected: bool, audio: bool) -> str:
    minutes = row.words / WORDS_PER_MINUTE
    refused = bool(getattr(row, "error", ""))
    tail = (
        ""
        if width < NARROW
        else COLUMNS.format(
            words="" if refused else f"{row.words:,}",
            time="" if refused else listening_time(minutes),
            lang="" if refused else (row.language or "?")[:4],
            audio="" if refused else "yes" if audio else "no",
            origin=ORIGINS.get(getattr(row, "origin", "file"), "file"),
        )
    )
    head = (MARKER if selected else "  ") + printable(
        shown_title(row)
    )  # a title from a file name or a cache is data too
    return fit(head, width - cell_len(tail)) + tail


def fit(text: str, width: int) -> str:
    """Pad or cut `text` to exactly `width` cells, with an ellipsis where it was cut."""
    if width <= 0:
        return ""
    length = cell_len(text)
    if length <= width:
        return text + " " * (width - length)
    cut = text
    while cell_len(cut) > width - 1:
        cut = cut[: max(0, len(cut) - max(1, cell_len(cut) - width + 1))]
    return cut + "…" + " " * (width - 1 - cell_len(cut))


def haystack(row: Any) -> str:
    text = getattr(row, "text", "") or ""
    came = f"{getattr(row, 'url', '')}\n{getattr(row, 'feed', '')}"  # "type to filter" finds a site too
    return f"{row.title}\n{getattr(row, 'standfirst', '')}\n{text}\n{getattr(row, 'error', '')}\n{came}".casefold()


def sort_rows(rows: Sequence[Any], sort: str) -> list[Any]:
    # Refused files come last, whatever the order: they are there to say why, not to read.
    if sort == "date":
        return sorted(rows, key=lambda r: (bool(getattr(r, "error", "")), -sort_date(r), r.title.casefold()))
    return sorted(rows, key=lambda r: (bool(getattr(r, "error", "")), r.title.casefold(), str(r.path)))
