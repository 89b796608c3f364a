"""An OptionList that marks its highlighted entry in text and tells the app where it is.

The marker ("> ", as in the library) shows focus without colour: in a theme where the
highlight's colour is hard to tell from the rest, or on a monochrome terminal, the entry
that Enter will choose is still plain to see.

With large text on, each entry is drawn in big letters (big_text.big_lines) and the marker
runs down the whole entry; `labels` keeps the entries' words.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from rich.text import Text
from textual.geometry import Offset
from textual.strip import Strip
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from listen.tui.big_text import big_lines

MARKER = "> "  # as ArticleList's: ASCII, one cell per character everywhere
GUTTER = " " * len(MARKER)


def option_row(options: OptionList, index: int) -> int:
    """The first line of option `index`: an entry wider than the list wraps onto more lines.

    OptionList keeps that map privately (`_index_to_line`, Textual 8.2); without it, one line
    per entry is the best guess.
    """
    lines = getattr(options, "_index_to_line", None)
    return lines.get(index, index) if isinstance(lines, dict) else index


class ChoiceList(OptionList):
    """Textual's OptionList with a "> " marker on the highlighted entry and a cursor anchor on
    its first letter."""

    def __init__(self, *options: Any, **kwargs: Any) -> None:
        super().__init__(*options, **kwargs)
        self.labels = [str(o.prompt) if isinstance(o, Option) else str(o) for o in options]
        self._drawn_for: tuple[int, int] = (0, 0)  # (level, width) the prompts were drawn at

    @property
    def large(self) -> int:
        return 0 if getattr(self.app, "cursor_visible", False) else int(getattr(self.app, "large_text", 0) or 0)

    def on_mount(self) -> None:
        self.relayout()

    def on_resize(self) -> None:
        self.relayout()

    def relayout(self) -> None:
        """Draw the entries at the text size and width they now have: big letters, or words."""
        level = self.large
        width = (self.scrollable_content_region.width or self.app.size.width - 8) - len(MARKER)
        if (level, width if level else 0) == self._drawn_for or width <= 0:
            return
        self._drawn_for = (level, width if level else 0)
        for index, label in enumerate(self.labels):
            prompt = Text("\n".join(big_lines(label, width, level))) if level else Text(label)
            self.replace_option_prompt_at_index(index, prompt)

    def remove_option_at_index(self, index: int) -> Any:
        del self.labels[index]
        return super().remove_option_at_index(index)

    def _get_left_gutter_width(self) -> int:
        return len(MARKER)  # options are wrapped this much narrower, leaving room for the marker

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        try:
            index, line = self._lines[self.scroll_offset.y + y]
        except IndexError:
            return strip  # below the last option: already a blank row of the full width
        first = line == 0 or bool(self.large)  # in big letters, down the whole entry
        marker = MARKER if index == self.highlighted and first else GUTTER
        style = next(iter(strip), Segment("")).style
        return Strip([Segment(marker, style), *strip], strip.cell_length + len(marker))

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        self.refresh()  # the marker leaves the old row as well as reaching the new one

    def cursor_anchor(self) -> Offset | None:
        if self.highlighted is None:
            return None
        region = self.scrollable_content_region
        row = option_row(self, self.highlighted) - int(self.scroll_y)
        if not 0 <= row < region.height:
            return None
        return Offset(region.x + len(MARKER), region.y + row)  # the region already skips the padding
