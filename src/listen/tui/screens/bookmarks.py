"""The bookmarks of one article, in reading order: Enter jumps, d deletes."""

from __future__ import annotations

from listen.state import Bookmark
from listen.tui.bindings import bindings
from listen.tui.screens.choice import ChoiceScreen


def describe(mark: Bookmark) -> str:
    where = mark.position
    place = "start" if where.paragraph < 0 else f"paragraph {where.paragraph + 1}"
    return f"Section {where.section + 1}, {place}: {mark.label}"


class BookmarksScreen(ChoiceScreen):
    """Dismisses with the chosen bookmark's Position, or None."""

    KEY_SCOPE = "bookmarks"
    BINDINGS = bindings("bookmarks")  # the app's keys come with ChoiceScreen's

    def __init__(self, marks: list[Bookmark]) -> None:
        super().__init__("Bookmarks", [(describe(m), m.position) for m in marks])
        self.marks = list(marks)

    def opened_message(self) -> str:
        count = len(self.marks)
        return f"Bookmarks, {count} bookmark{'s' if count != 1 else ''}"

    def action_delete(self) -> None:
        index = self.choices.highlighted
        if index is None:
            return
        mark = self.marks.pop(index)
        self.entries.pop(index)
        self.app.store.remove_bookmark(mark.id)
        self.choices.remove_option_at_index(index)
        if self.marks:
            self.app.announce(f"Bookmark deleted; {len(self.marks)} left")
        else:  # the list stays, so the confirmation is not lost under the reader's own sentence
            self.app.announce("Bookmark deleted; no bookmarks left; Escape closes")
