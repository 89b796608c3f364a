"""An OptionList that tells the app where its highlighted entry is, for the cursor."""

from __future__ import annotations

from textual.geometry import Offset
from textual.widgets import OptionList


def option_row(options: OptionList, index: int) -> int:
    """The first line of option `index`: an entry wider than the list wraps onto more lines.

    OptionList keeps that map privately (`_index_to_line`, Textual 8.2); without it, one line
    per entry is the best guess.
    """
    lines = getattr(options, "_index_to_line", None)
    return lines.get(index, index) if isinstance(lines, dict) else index


class ChoiceList(OptionList):
    """Textual's OptionList with a cursor anchor on the first letter of the highlighted entry."""

    def cursor_anchor(self) -> Offset | None:
        if self.highlighted is None:
            return None
        region = self.scrollable_content_region
        row = option_row(self, self.highlighted) - int(self.scroll_y)
        if not 0 <= row < region.height:
            return None
        return Offset(region.x, region.y + row)  # the content region already skips the padding
