"""The article, block by block (title, standfirst, headings, paragraphs), one of them current.

The current block is a real thing, not a scroll position: keys move it, narration follows
it, bookmarks and the saved position name it, and a screen reader's cursor will sit on its
first letter. Text is reflowed to a comfortable measure (at most 76 columns), centred, and
only the rows on screen are rendered, so a 100,000-word article opens as fast as a short one.
There is no scroll bar: the reader's title says how far through the article the current
block is, in words ("34%"), where a bar would say it in block characters a screen reader
spells out; and a bar cost a new article three more layout passes, some 40 ms, to appear.
With large text on, the same blocks are drawn in big letters (big_text.py) across the window,
or, where the terminal scales text itself (text_sizing.py), each line is laid out as its real
text followed by the rows its scaled glyphs will cover, and `scaled_lines` tells the driver
what to draw over the frame.

In screen-reader mode the view shows the current block alone, from its first row, marked in
the gutter: a terminal screen reader speaks the rows that change, so each move changes
exactly the rows of the new block (and the status line), nothing scrolls, and the cursor sits
on the block's first letter. A block taller than the view is shown a screenful at a time
(`step` goes on to its next part before the next block), so it can be read to the end.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.app import App, ScreenStackError
from textual.geometry import Offset, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from listen.tui.big_text import BigRow, hit_columns, layout_large
from listen.articles.reading import ReadingBlock
from listen.tui.layout import Line, Reflow
from listen.tui.host import reader_host
from listen.tui.text_sizing import ScaledLine, layout_scaled

MEASURE = 76  # the longest line, in cells: about as long as a comfortable line of print
GUTTER = 2  # the current block is marked in the gutter, so colour is never the only sign
MARK = "| "  # ASCII, so it is one cell wide in every terminal and locale
COLOR_SYSTEMS = {"standard": ColorSystem.STANDARD, "256": ColorSystem.EIGHT_BIT, "windows": ColorSystem.WINDOWS}


def scaled_lines(app: App[object]) -> list[ScaledLine]:
    """The scaled text to draw over the frame being written: the shown reader's or library's.

    Nothing when another screen (help, settings, contents) is on top: it would be drawn
    over that screen.
    """
    if not reader_host(app).large_text:
        return []
    try:
        screen = app.screen
    except ScreenStackError:
        return []
    for view in screen.query(ArticleView):
        return view.scaled_lines()
    for articles in screen.query("ArticleList"):  # the library's titles, in large text too
        return articles.scaled_lines()  # type: ignore[attr-defined, no-any-return]
    return []


class ArticleView(ScrollView, can_focus=True, inherit_bindings=False):
    """Renders blocks reflowed to the measure; `current` is the block the reader is on."""

    COMPONENT_CLASSES = {
        "article-view--title",
        "article-view--standfirst",
        "article-view--heading",
        "article-view--paragraph",
        "article-view--code",
        "article-view--current",
        "article-view--mark",
        "article-view--match",
    }

    DEFAULT_CSS = """
    ArticleView { height: 1fr; overflow-x: hidden; scrollbar-size-vertical: 0; }  /* see the docstring */
    ArticleView > .article-view--title { text-style: bold underline; }
    ArticleView > .article-view--standfirst { text-style: italic; }
    ArticleView > .article-view--heading { text-style: bold underline; }
    ArticleView > .article-view--code { text-style: none; }
    ArticleView > .article-view--current { background: $boost; }
    ArticleView > .article-view--mark { color: $accent; text-style: bold; }
    ArticleView > .article-view--match { text-style: reverse underline; }
    """

    def __init__(self, blocks: list[ReadingBlock], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.blocks = blocks
        self.current = 0
        self.query_text = ""
        self.lines: Sequence[Line] = []  # a Reflow for normal text: lines are wrapped when read
        self.starts: list[int] = []  # first line of each block
        self._measure = 0
        self._margin = 0
        self._level = 0  # large text level the lines were laid out for (0: normal)
        self._scaled = False  # laid out for the terminal's own scaled text (text_sizing.py)
        self.big: dict[int, BigRow] = {}  # line -> the big-letter row it draws, in large text
        self.scales: dict[int, int] = {}  # line -> its scale, for each line of scaled text
        self.part = 0  # screen-reader mode: the first line of the current block shown

    @property
    def screen_reader(self) -> bool:
        return reader_host(self.app).cursor_visible

    # Layout ------------------------------------------------------------------------

    def on_mount(self) -> None:
        # Wrap now, at the width the view is about to get, and set the scroll height too: the
        # screen's first layout then already knows it (and that a scroll bar is needed), where
        # setting it on resize cost two more layout passes, a frame each. on_resize puts a
        # wrong guess right.
        self.relayout()

    def on_resize(self) -> None:
        self.relayout()

    def content_width(self) -> int:
        width = self.scrollable_content_region.width
        if width or self.size.width:
            return width
        # Not laid out yet: the whole width less the scroll bar's gutter, which is always kept
        # (scrollbar-gutter: stable) so text wrapped before the bar appears is never under it.
        return max(1, self.app.size.width - self.styles.scrollbar_size_vertical)

    def relayout(self) -> None:
        width = self.content_width()
        host = reader_host(self.app)
        level = host.large_text
        scaled = bool(level and host.text_sizing)
        # Big letters use the whole width: at three rows a letter, a 76-cell measure is too few.
        # Scaled text keeps the comfortable measure of characters, each `level` cells wide.
        if scaled:
            measure = max(10, min(width - GUTTER - 2, MEASURE * level))
        else:
            measure = max(10, width - GUTTER - 2 if level else min(MEASURE, width - GUTTER - 2))
        changed = measure != self._measure or level != self._level or scaled != self._scaled or not self.lines
        if changed:
            self._measure, self._level, self._scaled = measure, level, scaled
            self.big, self.scales = {}, {}
            if scaled:
                self.lines, self.starts, self.scales = layout_scaled(self.blocks, measure, level)
            elif level:
                self.lines, self.starts, self.big = layout_large(self.blocks, measure, level)
            else:
                self.lines = reflow = Reflow(self.blocks, measure)
                self.starts = reflow.starts
        margin = max(0, (width - measure - GUTTER) // 2)
        changed = changed or margin != self._margin
        self._margin = margin
        first = self.virtual_size.height == 0
        self.virtual_size = Size(width, len(self.lines))  # a change repaints by itself
        # The new height is only scrollable after the next layout; bring the block into view then.
        self.call_after_refresh(self.keep_in_view, top=first)
        if changed:
            self.refresh()

    def block_at_line(self, line: int) -> int:
        return max(0, bisect_right(self.starts, line) - 1)

    def block_lines(self, index: int) -> tuple[int, int]:
        """The first line of block `index` and the line after its last."""
        end = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.lines)
        return self.starts[index], end

    # Movement ----------------------------------------------------------------------

    class Moved(Message):
        """The current block changed (a key, find, narration following along, a page)."""

    def _set_current(self, index: int) -> None:
        if index != self.current:
            self.current = index
            self.post_message(self.Moved())

    def progress(self) -> int:
        """How far through the article the current block is, in percent of its lines."""
        if not self.starts or self.current >= len(self.starts) - 1:
            return 100
        return min(99, round(100 * self.starts[self.current] / max(1, len(self.lines))))

    def go_to(self, index: int, *, top: bool = False) -> int:
        """Make block `index` current and bring it into view; return the new current index."""
        self._set_current(max(0, min(index, len(self.blocks) - 1)))
        self.part = 0
        self.keep_in_view(top=top)
        self.refresh()
        return self.current

    def step(self, delta: int) -> bool:
        """Screen-reader mode: show the next (or previous) screenful of a block taller than the
        view, if there is one; True when the view moved within the block."""
        if not self.screen_reader or not self.starts:
            return False
        height = max(1, self.scrollable_content_region.height)
        part = self.part + delta * height
        if not 0 <= part < self.text_rows() or part == self.part:
            return False
        self.part = part
        self.refresh()
        return True

    def parts(self) -> tuple[int, int]:
        """Screen-reader mode: which screenful of the current block is shown, and how many."""
        height = max(1, self.scrollable_content_region.height)
        return self.part // height + 1, (self.text_rows() + height - 1) // height

    def text_rows(self) -> int:
        """How many rows the current block's text takes (the gap after it left out)."""
        first = self.starts[self.current]
        after = self.starts[self.current + 1] if self.current + 1 < len(self.starts) else len(self.lines)
        return max(1, after - 1 - first)

    def keep_in_view(self, *, top: bool = False) -> None:
        if not self.starts or self.screen_reader:
            return
        first, end = self.block_lines(self.current)
        height = max(1, self.scrollable_content_region.height)
        scroll = int(self.scroll_y)
        if top or first < scroll or end - first > height:
            target = first
            hit = self.first_hit(first, end) if end - first > height else None
            if hit is not None and hit >= first + height:  # in big letters a block can be many
                target = hit  # screens tall: show the find hit, not the block's first screen
        elif end > scroll + height:
            target = end - height
        else:
            return
        self.scroll_to(y=max(0, target), animate=False, immediate=True)

    def first_hit(self, first: int, end: int) -> int | None:
        """The first line in [first, end) that shows a find hit (the top row of its big letters)."""
        needle = self.query_text.casefold()
        if not needle:
            return None
        for number in range(first, end):
            big = self.big.get(number)
            text = big.source if big is not None else self.lines[number].text
            if needle in text.casefold():
                return number
        return None

    def page(self, direction: int) -> int:
        """Scroll a screenful and make the first block starting on the new screen current."""
        if self.screen_reader:
            if not self.step(direction):
                self.go_to(self.current + direction)
            return self.current
        height = max(1, self.scrollable_content_region.height)
        top = int(self.scroll_y)
        bottom = max(0, len(self.lines) - height)
        new_top = max(0, min(bottom, top + direction * (height - 1)))
        if new_top == top:
            return self.go_to(len(self.blocks) - 1 if direction > 0 else 0)
        self.scroll_to(y=new_top, animate=False, immediate=True)
        index = self.block_at_line(new_top)
        if self.starts[index] < new_top and index + 1 < len(self.blocks):
            index += 1
        self._set_current(index)
        self.keep_in_view()
        self.refresh()
        return index

    def cursor_anchor(self) -> Offset | None:
        """Where a screen reader's cursor belongs: the first letter of the current block."""
        if not self.starts:
            return None
        region = self.scrollable_content_region
        if self.screen_reader:
            return Offset(region.x + self._margin + GUTTER, region.y)
        row = self.starts[self.current] - int(self.scroll_y)
        if not 0 <= row < region.height:
            return None
        return Offset(region.x + self._margin + GUTTER, region.y + row)

    # Rendering ---------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        number = y + int(self.scroll_y)
        width = self.scrollable_content_region.width
        base = self.rich_style
        if self.screen_reader and self.starts:
            shown = min(self.text_rows() - self.part, self.scrollable_content_region.height)
            number = self.starts[self.current] + self.part + y
            if y >= shown:
                return Strip([Segment(" " * width, base)], width)
        if number >= len(self.lines):
            return Strip([Segment(" " * width, base)], width)
        line = self.lines[number]
        style, current = self._line_style(line, base)
        mark = MARK if current else " " * GUTTER
        segments = [Segment(" " * self._margin, base)]
        segments.append(Segment(mark, base + self.get_component_rich_style("article-view--mark")))
        big = self.big.get(number)
        if big is not None:
            segments.extend(self._big_segments(line.text, big, style))
        else:
            segments.extend(self._text_segments(line.text, style))
        segments.append(Segment(" " * max(0, self._measure - line.cells), style if current else base))
        used = self._margin + GUTTER + max(self._measure, line.cells)
        segments.append(Segment(" " * max(0, width - used), base))
        return Strip(segments, width).crop(0, width)

    def _line_style(self, line: Line, base: Style) -> tuple[Style, bool]:
        """The style of a line's text, and whether it belongs to the current block."""
        current = line.block == self.current and line.text != ""
        style = base + self.get_component_rich_style(f"article-view--{line.kind}")
        if current:
            style += self.get_component_rich_style("article-view--current")
        return style, current

    def scaled_lines(self) -> list[ScaledLine]:
        """Each line of scaled text wholly in view, where it sits on screen, in its styled runs.

        The runs are the segments render_line draws on the line's first row (find hits and
        the current block's colours included), after the app's filters (NO_COLOR, dimming),
        as SGR parameters for the colour system Textual writes in.
        """
        if not self.scales:
            return []
        region = self.scrollable_content_region
        top = int(self.scroll_y)
        colours = COLOR_SYSTEMS.get(self.app.console.color_system or "", ColorSystem.TRUECOLOR)
        background = self.background_colors[1]
        filters = self.get_line_filters()
        base = self.rich_style
        out = []
        for row in range(min(region.height, len(self.lines) - top)):
            scale = self.scales.get(top + row)
            if scale is None or row + scale > region.height:
                continue  # not a line's first row, or its glyphs would spill out of the view
            line = self.lines[top + row]
            style, current = self._line_style(line, base)
            strip = Strip([*self._text_segments(line.text, style), Segment(" ", style if current else base)])
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            *text, pad = (
                (Strip.render_ansi(segment.style, colours) if segment.style else "", segment.text) for segment in strip
            )
            runs = tuple(run for run in text if run[1])
            if runs:
                x = region.x + self._margin + GUTTER
                out.append(ScaledLine(x, region.y + row, scale, runs, line.cells, pad[0]))
        return out

    def _text_segments(self, text: str, style: Style) -> list[Segment]:
        """Split a line at occurrences of the find query so they can be marked."""
        needle = self.query_text.casefold()
        if not needle or not text:
            return [Segment(text, style)]
        match_style = style + self.get_component_rich_style("article-view--match")
        haystack = text.casefold()
        segments: list[Segment] = []
        start = 0
        while (found := haystack.find(needle, start)) >= 0 and len(haystack) == len(text):
            segments.append(Segment(text[start:found], style))
            segments.append(Segment(text[found : found + len(needle)], match_style))
            start = found + len(needle)
        segments.append(Segment(text[start:], style))
        return [s for s in segments if s.text]

    def _big_segments(self, row: str, big: BigRow, style: Style) -> list[Segment]:
        """A row of big letters, with the columns that draw a find hit marked."""
        spans = hit_columns(big, self.query_text) if self.query_text else []
        if not spans:
            return [Segment(row, style)]
        match_style = style + self.get_component_rich_style("article-view--match")
        segments, start = [], 0
        for first, end in spans:
            segments.append(Segment(row[start:first], style))
            segments.append(Segment(row[first:end].ljust(end - first), match_style))
            start = end
        segments.append(Segment(row[start:], style))
        return [s for s in segments if s.text]

    def set_query(self, query: str) -> None:
        self.query_text = query
        self.refresh()
