"""The reader: one article, moved through by paragraph, section, page, find and bookmark.

Every move saves the position at once (a crash or a killed terminal loses nothing) and
announces where the reader now is in one short sentence.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

from textual.app import ComposeResult
from textual.widgets import Input, Static

from listen.articles.model import listening_time
from listen.controls import printable
from listen.state import article_key
from listen.tui.bindings import bindings
from listen.tui.host import reader_host
from listen.tui.screens.base import ListenScreen
from listen.articles.reading import ReadingBlock, block_for, build_blocks, find_blocks, section_starts
from listen.tui.listening import Listening
from listen.tui.widgets.article_view import ArticleView
from listen.tui.widgets.find_bar import FindBar
from listen.tui.widgets.key_hints import KeyHints
from listen.tui.widgets.status_line import StatusLine


class Prepared(NamedTuple):
    """What the reader works out from a whole article before showing it."""

    blocks: list[ReadingBlock]
    minutes: float  # counts every word: once, not per use


def prepare(article: Any) -> Prepared:
    """Walk the whole article once; cheap enough, but done with the load, off the UI thread."""
    return Prepared(marked_blocks(article, build_blocks(article)), article.listening_minutes)


# What the mark means to a listener: the MP3 and "listen from here" skip it. "(back matter)"
# said the publishing term, and read oddly on a book's "Front matter".
BACK_MATTER = " (not narrated)"


def marked_blocks(article: Any, blocks: list[ReadingBlock]) -> list[ReadingBlock]:
    """Blocks as the reader shows them: code blocks as code (kept verbatim, kind "code"), and
    the heading of a back-matter section (references, notes) marked as such.

    Every block's text passes through `printable` here, the one door article text takes into
    the reader's view, find, bookmarks and contents: text is data, never terminal control.
    """
    sections = article.sections
    out = []
    for block in blocks:
        if not block.text.isprintable():
            block = replace(block, text=printable(block.text))
        section = sections[block.section] if 0 <= block.section < len(sections) else None
        if section is not None and block.kind == "paragraph" and block.paragraph in section.code:
            block = replace(block, kind="code")
        elif section is not None and block.kind == "heading" and section.back_matter:
            block = replace(block, text=block.text + BACK_MATTER)
        out.append(block)
    return out


def heading_of(article: Any, number: int) -> str:
    """A section's heading as the reader names it (contents, announcements)."""
    section = article.sections[number]
    return printable(section.heading or article.title) + (BACK_MATTER if section.back_matter else "")


def code_note(block: ReadingBlock) -> str:
    lines = block.text.rstrip("\n").count("\n") + 1
    return f"code, {lines} line{'s' if lines != 1 else ''}"


class ReaderTitle(Static):
    """Title, listening time and how far through the article the reader is ("34%").

    The percentage stands in for a scroll bar (see article_view.py). In screen-reader mode
    it is left out: it would change with every move, and a screen reader reads what changes.
    """

    def render(self) -> str:
        screen = self.screen
        assert isinstance(screen, ReaderScreen)
        title = f"{printable(screen.article.title)}  ·  {listening_time(screen.minutes)}"
        if reader_host(self.app).cursor_visible:
            return title
        views = screen.query(ArticleView)
        return f"{title}  ·  {views.first().progress()}%" if views else title


class ReaderScreen(ListenScreen[None]):
    KEY_SCOPE = "reader"
    BINDINGS = bindings("reader")

    def __init__(self, article: Any, path: Path | None, prepared: Prepared | None = None) -> None:
        super().__init__()
        self.article = article
        self.key = article_key(path) if path is not None else f"untitled:{article.title}"
        prepared = prepared or prepare(article)
        self.blocks = prepared.blocks
        self.sections = section_starts(self.blocks)
        self.matches: list[int] = []
        self.minutes = prepared.minutes
        self.narration = Listening(self)
        self.resumed = False  # the first resume is the opening, announced by on_mount

    def compose(self) -> ComposeResult:
        yield ReaderTitle(id="title", classes="screen-title")
        yield ArticleView(self.blocks, id="article")
        yield FindBar(placeholder="Find a word, then Enter", id="find")
        # The MP3 progress bar is mounted by Listening.make_mp3 when first needed.
        yield StatusLine()
        yield KeyHints(self.KEY_SCOPE)

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    def on_article_view_moved(self) -> None:
        if not self.app.settings.screen_reader:  # hidden there, and it must not be re-read
            self.query_one(ReaderTitle).refresh()

    def on_mount(self) -> None:
        saved = self.app.store.position(self.key)
        if saved is not None:
            self.view.go_to(block_for(self.blocks, saved), top=True)
        self.view.focus()
        count = len(self.article.sections)
        minutes = round(self.minutes) or 1
        opened = (
            f"Opened: {self.article.title}, {count} section{'s' if count != 1 else ''}, "
            f"{minutes} minute{'s' if minutes != 1 else ''}"
        )
        if saved is not None and self.view.current > 0:
            opened += f"; resumed at {self.where().split(',')[0]}"
        self.app.announce(self.app.with_start_up_notices(opened))

    def on_screen_resume(self) -> None:
        """Back from help or a dialog: say where the reader is, so nobody has to look."""
        if self.resumed:
            self.app.announce(f"Reader, {self.where()}")
        self.resumed = True

    def on_unmount(self) -> None:
        self.narration.stop(quiet=True)

    # Where we are --------------------------------------------------------------------

    def where(self) -> str:
        """The current place in words: 'section 2 of 5, paragraph 3 of 7'."""
        block = self.blocks[self.view.current]
        total = len(self.article.sections)
        if block.kind == "title":
            return "the title"
        if block.kind == "standfirst":
            return "the standfirst"
        section = f"section {block.section + 1} of {total}"
        if block.paragraph < 0:
            return f"{section}, heading: {block.text}"
        count = len(self.article.sections[block.section].paragraphs)
        place = f"{section}, paragraph {block.paragraph + 1} of {count}"
        if block.kind == "code":
            place += f": {code_note(block)}"
        if self.app.settings.screen_reader:
            part, parts = self.view.parts()
            if parts > 1:
                place += f", part {part} of {parts}"
        return place

    def moved(self, message: str | None = None) -> None:
        """Save the new position and say where we are."""
        self.app.store.save_position(self.key, self.blocks[self.view.current].position)
        self.app.announce(message or self.where().capitalize())

    # Moving --------------------------------------------------------------------------

    def action_move(self, delta: int) -> None:
        if self.view.step(delta):  # screen-reader mode: on through a block taller than the view
            self.moved()
            return
        before = self.view.current
        self.view.go_to(before + delta)
        if self.view.current == before:
            self.app.announce("End of the article" if delta > 0 else "Top of the article")
            return
        self.moved()

    def action_section(self, direction: int) -> None:
        current = self.view.current
        if direction > 0:
            later = [start for start in self.sections if start > current]
            target = later[0] if later else None
        else:
            earlier = [start for start in self.sections if start < current]
            target = earlier[-1] if earlier else None
        if target is None:
            self.app.announce("No next section" if direction > 0 else "No previous section")
            return
        self.view.go_to(target, top=True)
        number = self.blocks[target].section
        heading = heading_of(self.article, number)
        self.moved(f"Section {number + 1} of {len(self.article.sections)}: {heading}")

    def action_edge(self, end: int) -> None:
        self.view.go_to(len(self.blocks) - 1 if end else 0)
        self.moved("Bottom of the article" if end else "Top of the article")

    def action_page(self, direction: int) -> None:
        self.view.page(direction)
        self.moved()

    def jump(self, index: int | None, message: str | None = None) -> None:
        if index is None:
            return
        self.view.go_to(index, top=True)
        self.view.focus()
        self.moved(message)

    # Find ------------------------------------------------------------------------------

    def action_find(self) -> None:
        self.query_one(FindBar).open(self.view.query_text)

    def on_input_changed(self, event: Input.Changed) -> None:
        if isinstance(event.input, FindBar):
            self.view.set_query(event.value)
            if self.app.settings.screen_reader and event.value:
                # Said as it is typed: the count tells whether to type more (the text itself is
                # out of view but for the current block).
                count = len(find_blocks(self.blocks, event.value))
                self.app.announce(f"“{event.value}”: {count} match{'es' if count != 1 else ''}")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not isinstance(event.input, FindBar):
            return
        bar = event.input
        bar.close()
        self.view.focus()
        self.view.set_query(event.value)
        self.matches = find_blocks(self.blocks, event.value)
        if not event.value:
            self.app.announce("Find closed")
        elif not self.matches:
            self.app.announce(f"No match for “{event.value}”")
        else:
            self.go_to_match(next((m for m in self.matches if m >= self.view.current), None))

    def on_find_bar_cancelled(self, message: FindBar.Cancelled) -> None:
        self.query_one(FindBar).close()
        self.view.set_query("")
        self.matches = []
        self.view.focus()
        self.app.announce("Find closed")

    def action_find_next(self, direction: int) -> None:
        if not self.matches:
            self.app.announce("Nothing to find; press / to search")
            return
        current = self.view.current
        if direction > 0:
            target = next((m for m in self.matches if m > current), None)
        else:
            target = next((m for m in reversed(self.matches) if m < current), None)
        self.go_to_match(target, wrapped=target is None, direction=direction)

    def go_to_match(self, target: int | None, *, wrapped: bool = False, direction: int = 1) -> None:
        if target is None:
            target = self.matches[0] if direction > 0 else self.matches[-1]
            wrapped = True
        number = self.matches.index(target) + 1
        note = ", wrapped" if wrapped and len(self.matches) > 1 else ""
        self.jump(target, f"Match {number} of {len(self.matches)}{note}")

    # Contents and bookmarks ------------------------------------------------------------

    def action_contents(self) -> None:
        from listen.tui.screens.toc import ContentsScreen

        entries = []
        for start in self.sections:
            block = self.blocks[start]
            heading = heading_of(self.article, block.section)
            entries.append((f"{block.section + 1}. {heading}", start))
        here = max((i for i, start in enumerate(self.sections) if start <= self.view.current), default=0)
        self.app.push_screen(ContentsScreen(entries, here), self.jump)

    def action_bookmark_add(self) -> None:
        block = self.blocks[self.view.current]
        label = " ".join(block.text.split()[:8])
        before = len(self.app.store.bookmarks(self.key))
        self.app.store.add_bookmark(self.key, block.position, label)
        added = len(self.app.store.bookmarks(self.key)) > before
        self.app.announce("Bookmark added" if added else "A bookmark is already here")

    def action_bookmarks(self) -> None:
        from listen.tui.screens.bookmarks import BookmarksScreen

        marks = self.app.store.bookmarks(self.key)
        if not marks:
            self.app.announce("No bookmarks yet; press b to add one here")
            return
        self.app.push_screen(
            BookmarksScreen(marks), lambda pos: self.jump(None if pos is None else block_for(self.blocks, pos))
        )

    def action_back(self) -> None:
        self.narration.stop(quiet=True)
        self.app.pop_screen()

    # Narration ---------------------------------------------------------------------------

    def action_listen(self) -> None:
        self.narration.start_here()

    def action_play_pause(self) -> None:
        self.narration.toggle()

    def action_stop_narration(self) -> None:
        self.narration.stop()

    def action_skip_sentence(self, delta: int) -> None:
        self.narration.skip(delta)

    def action_skip_paragraph(self, delta: int) -> None:
        self.narration.skip_paragraph(delta)

    def action_speed(self, direction: int) -> None:
        self.narration.change_speed(direction)

    def action_make_mp3(self) -> None:
        self.narration.make_mp3()
