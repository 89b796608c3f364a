"""An OptionList that tells the app where its highlighted entry is, for the cursor."""

from __future__ import annotations

from textual.geometry import Offset
from textual.widgets import OptionList


class ChoiceList(OptionList):
    """Textual's OptionList, one line per entry, with a cursor anchor on the highlighted one."""

    def cursor_anchor(self) -> Offset | None:
        if self.highlighted is None:
            return None
        region = self.scrollable_content_region
        row = self.highlighted - int(self.scroll_y)
        if not 0 <= row < region.height:
            return None
        return Offset(region.x, region.y + row)  # the content region already skips the padding
