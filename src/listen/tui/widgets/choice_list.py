"""An OptionList that marks its highlighted entry in text and tells the app where it is.

The marker ("> ", as in the library) shows focus without colour: in a theme where the
highlight's colour is hard to tell from the rest, or on a monochrome terminal, the entry
that Enter will choose is still plain to see.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.geometry import Offset
from textual.strip import Strip

from listen.tui.compat import GutterOptionList, option_first_line, option_line_at

MARKER = "> "  # as ArticleList's: ASCII, one cell per character everywhere
GUTTER = " " * len(MARKER)


class ChoiceList(GutterOptionList):
    """Textual's OptionList with a "> " marker on the highlighted entry and a cursor anchor on
    its first letter."""

    GUTTER_WIDTH = len(MARKER)  # options are wrapped this much narrower, leaving room for the marker

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        try:
            index, line = option_line_at(self, self.scroll_offset.y + y)
        except IndexError:
            return strip  # below the last option: already a blank row of the full width
        marker = MARKER if index == self.highlighted and line == 0 else GUTTER
        style = next(iter(strip), Segment("")).style
        return Strip([Segment(marker, style), *strip], strip.cell_length + len(marker))

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        self.refresh()  # the marker leaves the old row as well as reaching the new one

    def cursor_anchor(self) -> Offset | None:
        if self.highlighted is None:
            return None
        region = self.scrollable_content_region
        row = option_first_line(self, self.highlighted) - int(self.scroll_y)
        if not 0 <= row < region.height:
            return None
        return Offset(region.x + len(MARKER), region.y + row)  # the region already skips the padding
