"""The article, block by block (title, standfirst, headings, paragraphs), one of them current.

The current block is a real thing, not a scroll position: keys move it, narration follows
it, bookmarks and the saved position name it, and a screen reader's cursor will sit on its
first letter. Text is reflowed to a comfortable measure (at most 76 columns), centred, and
only the rows on screen are rendered, so a 100,000-word article opens as fast as a short one.
With large text on, the same blocks are drawn in big letters (big_text.py) across the window.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Offset, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from listen.tui.big_text import BigRow, hit_columns, layout_large
from listen.tui.layout import Block, Line, Reflow

MEASURE = 76  # the longest line, in cells: about as long as a comfortable line of print
GUTTER = 2  # the current block is marked in the gutter, so colour is never the only sign
MARK = "| "  # ASCII, so it is one cell wide in every terminal and locale


class ArticleView(ScrollView, can_focus=True, inherit_bindings=False):
    """Renders blocks reflowed to the measure; `current` is the block the reader is on."""

    COMPONENT_CLASSES = {
        "article-view--title",
        "article-view--standfirst",
        "article-view--heading",
        "article-view--paragraph",
        "article-view--current",
        "article-view--mark",
        "article-view--match",
    }

    DEFAULT_CSS = """
    ArticleView { height: 1fr; overflow-x: hidden; scrollbar-gutter: stable; }
    ArticleView > .article-view--title { text-style: bold underline; }
    ArticleView > .article-view--standfirst { text-style: italic; }
    ArticleView > .article-view--heading { text-style: bold underline; }
    ArticleView > .article-view--current { background: $boost; }
    ArticleView > .article-view--mark { color: $accent; text-style: bold; }
    ArticleView > .article-view--match { text-style: reverse underline; }
    """

    def __init__(self, blocks: list[Block], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.blocks = blocks
        self.current = 0
        self.query_text = ""
        self.lines: Sequence[Line] = []  # a Reflow for normal text: lines are wrapped when read
        self.starts: list[int] = []  # first line of each block
        self._measure = 0
        self._margin = 0
        self._level = 0  # large text level the lines were laid out for (0: normal)
        self.big: dict[int, BigRow] = {}  # line -> the big-letter row it draws, in large text

    # Layout ------------------------------------------------------------------------

    def on_mount(self) -> None:
        # Wrap now, at the width the view is about to get, so the first frame of the screen
        # already shows the text; on_resize sets the scroll height (and puts a wrong guess right).
        self.relayout(sized=False)

    def on_resize(self) -> None:
        self.relayout()

    def content_width(self) -> int:
        width = self.scrollable_content_region.width
        if width or self.size.width:
            return width
        # Not laid out yet: the whole width less the scroll bar's gutter, which is always kept
        # (scrollbar-gutter: stable) so text wrapped before the bar appears is never under it.
        return max(1, self.app.size.width - self.styles.scrollbar_size_vertical)

    def relayout(self, *, sized: bool = True) -> None:
        width = self.content_width()
        level = getattr(self.app, "large_text", 0)
        # Big letters use the whole width: at three rows a letter, a 76-cell measure is too few.
        measure = max(10, width - GUTTER - 2 if level else min(MEASURE, width - GUTTER - 2))
        changed = measure != self._measure or level != self._level or not self.lines
        if changed:
            self._measure, self._level = measure, level
            if level:
                self.lines, self.starts, self.big = layout_large(self.blocks, measure, level)
            else:
                self.lines = reflow = Reflow(self.blocks, measure)
                self.starts, self.big = reflow.starts, {}
        margin = max(0, (width - measure - GUTTER) // 2)
        changed = changed or margin != self._margin
        self._margin = margin
        if not sized:
            return
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

    def go_to(self, index: int, *, top: bool = False) -> int:
        """Make block `index` current and bring it into view; return the new current index."""
        self.current = max(0, min(index, len(self.blocks) - 1))
        self.keep_in_view(top=top)
        self.refresh()
        return self.current

    def keep_in_view(self, *, top: bool = False) -> None:
        if not self.starts:
            return
        first, end = self.block_lines(self.current)
        height = max(1, self.scrollable_content_region.height)
        scroll = int(self.scroll_y)
        if top or first < scroll or end - first > height:
            target = first
        elif end > scroll + height:
            target = end - height
        else:
            return
        self.scroll_to(y=max(0, target), animate=False, immediate=True)

    def page(self, direction: int) -> int:
        """Scroll a screenful and make the first block starting on the new screen current."""
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
        self.current = index
        self.keep_in_view()
        self.refresh()
        return index

    def cursor_anchor(self) -> Offset | None:
        """Where a screen reader's cursor belongs: the first letter of the current block."""
        if not self.starts:
            return None
        row = self.starts[self.current] - int(self.scroll_y)
        region = self.scrollable_content_region
        if not 0 <= row < region.height:
            return None
        return Offset(region.x + self._margin + GUTTER, region.y + row)

    # Rendering ---------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        number = y + int(self.scroll_y)
        width = self.scrollable_content_region.width
        base = self.rich_style
        if number >= len(self.lines):
            return Strip([Segment(" " * width, base)], width)
        line = self.lines[number]
        current = line.block == self.current and line.text != ""
        style = base + self.get_component_rich_style(f"article-view--{line.kind}")
        if current:
            style += self.get_component_rich_style("article-view--current")
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
