"""The line-mode session: a numbered library, then an article read block by block by command.

Each command prints whole lines and returns to the prompt, so a screen reader reads the
answer once, in order, and its review keys can go back over it. Positions are saved after
every move in the same store as the full-screen reader, so either one resumes the other.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from listen.articles.model import Article, listening_time
from listen.errors import ListenError
from listen.linemode.speaker import Speaker
from listen.articles.reading import ReadingBlock, block_for, build_blocks, find_blocks, section_starts
from listen.state import Store, article_key

PROMPT = "> "

HELP = """Commands (type one and press Enter):
  list          the library, numbered
  open N        open article N (a word of its title works too)
  n, or Enter   next paragraph
  p             previous paragraph
  s             the sections, numbered; s N goes to section N
  /WORD         find WORD after here; / alone finds the next one
  where         where you are
  bookmark      bookmark this paragraph; bookmarks lists them
  play, stop    narrate from here, stop narrating
  help          this list
  quit          leave (your place is kept)"""


@dataclass
class Reading:
    """The open article and where the reader is in it."""

    article: Article
    key: str
    blocks: list[ReadingBlock]
    sections: list[int]
    current: int = 0
    query: str = ""
    matches: list[int] = field(default_factory=list)


class Session:
    """Line mode over a folder (or one article): `handle` one command, output through `say`."""

    def __init__(self, path: Path, store: Store, say: Callable[[str], None]) -> None:
        from listen.articles.library import scan_library  # the library's cache, shared with the TUI

        self.folder = path.parent if path.is_file() else path
        self.store = store
        self.say = say
        self.rows: list[Any] = [row for row in scan_library(self.folder) if not getattr(row, "error", "")]
        self.reading: Reading | None = None
        self.narrator = Speaker(store.settings(), say)
        self.start_file = path if path.is_file() else None

    def start(self) -> None:
        self.say("listen, line mode. Type help for the commands.")
        if self.start_file is not None:
            self.open_path(self.start_file)
        else:
            self.list()

    def handle(self, line: str) -> bool:
        """Do one command; False when it was quit."""
        text = line.strip()
        word, _, rest = text.partition(" ")
        word, rest = word.casefold(), rest.strip()
        if text.startswith("/"):
            self.find(text[1:].strip())
        elif word in ("quit", "q", "exit"):
            self.narrator.stop(quiet=True)
            self.say("Goodbye; your place is kept.")
            return False
        elif word in ("", "n", "next"):
            self.move(1)
        elif word in ("p", "prev", "previous"):
            self.move(-1)
        elif word in ("list", "l", "ls", "library"):
            self.list()
        elif word in ("open", "o"):
            self.open(rest)
        elif word.isdigit() and not rest:
            self.open(word)
        elif word in ("s", "section", "sections"):
            self.section(rest)
        elif word in ("where", "w"):
            self.where()
        elif word in ("bookmark", "b"):
            self.bookmark()
        elif word == "bookmarks":
            self.bookmarks()
        elif word == "play":
            self.play()
        elif word == "stop":
            self.narrator.stop()
        elif word in ("help", "h", "?"):
            self.say(HELP)
        else:
            self.say(f"Unknown command {word!r}; type help for the commands.")
        return True

    # The library ---------------------------------------------------------------------

    def list(self) -> None:
        count = len(self.rows)
        self.say(f"Library, {count} article{'s' if count != 1 else ''}:")
        for number, row in enumerate(self.rows, start=1):
            self.say(f"{number}. {row.title} ({listening_time(row.words / 160)})")
        if self.rows:
            self.say("Type open and a number.")

    def open(self, choice: str) -> None:
        if not choice:
            self.say("Open which? Type open and a number; list shows the numbers.")
            return
        row = None
        if choice.isdigit() and 1 <= int(choice) <= len(self.rows):
            row = self.rows[int(choice) - 1]
        elif not choice.isdigit():
            row = next((r for r in self.rows if choice.casefold() in r.title.casefold()), None)
        if row is None:
            self.say(f"No article {choice}; list shows the numbers.")
            return
        self.open_path(Path(row.path))

    def open_path(self, path: Path) -> None:
        from listen.articles import load_article

        try:
            article = load_article(path)
        except (ListenError, OSError) as error:
            self.say(f"Cannot open {path.name}: {error}")
            return
        self.narrator.stop(quiet=True)
        blocks = build_blocks(article)
        reading = Reading(article, article_key(path), blocks, section_starts(blocks))
        saved = self.store.position(reading.key)
        if saved is not None:
            reading.current = block_for(blocks, saved)
        self.reading = reading
        count, minutes = len(article.sections), round(article.listening_minutes) or 1
        self.say(
            f"Opened: {article.title}, {count} section{'s' if count != 1 else ''}, "
            f"{minutes} minute{'s' if minutes != 1 else ''}."
        )
        if reading.current > 0:
            self.say(f"Resumed at {self.place()}.")
        self.show()

    # Reading -------------------------------------------------------------------------

    def require(self) -> Reading | None:
        if self.reading is None:
            self.say("No article is open; type open and a number.")
        return self.reading

    def place(self) -> str:
        reading = self.reading
        assert reading is not None
        block = reading.blocks[reading.current]
        total = len(reading.article.sections)
        if block.kind in ("title", "standfirst"):
            return f"the {block.kind}"
        if block.paragraph < 0:
            return f"section {block.section + 1} of {total}, heading"
        count = len(reading.article.sections[block.section].paragraphs)
        return f"section {block.section + 1} of {total}, paragraph {block.paragraph + 1} of {count}"

    def show(self) -> None:
        """Print the current block: a heading says which section it starts."""
        reading = self.reading
        assert reading is not None
        block = reading.blocks[reading.current]
        if block.kind == "heading":
            self.say(f"Section {block.section + 1} of {len(reading.article.sections)}: {block.text}")
        elif block.kind == "title":
            self.say(f"Title: {block.text}")
        else:
            self.say(block.text)
        self.store.save_position(reading.key, block.position)

    def go(self, index: int) -> None:
        reading = self.reading
        assert reading is not None
        reading.current = max(0, min(index, len(reading.blocks) - 1))
        self.show()

    def move(self, delta: int) -> None:
        reading = self.require()
        if reading is None:
            return
        target = reading.current + delta
        if target >= len(reading.blocks):
            self.say("End of the article. Type p to go back, or list for the library.")
        elif target < 0:
            self.say("Top of the article.")
        else:
            self.go(target)

    def section(self, choice: str) -> None:
        reading = self.require()
        if reading is None:
            return
        headings = [
            reading.article.sections[reading.blocks[s].section].heading or reading.article.title
            for s in reading.sections
        ]
        if not choice:
            for number, heading in enumerate(headings, start=1):
                self.say(f"{number}. {heading}")
            self.say("Type s and a number to go there.")
        elif choice.isdigit() and 1 <= int(choice) <= len(headings):
            self.go(reading.sections[int(choice) - 1])
        else:
            self.say(f"No section {choice}; there are {len(headings)}.")

    def find(self, query: str) -> None:
        reading = self.require()
        if reading is None:
            return
        again = not query or query == reading.query
        if not query and not reading.query:
            self.say("Find what? Type / and a word.")
            return
        if not again:
            reading.query, reading.matches = query, find_blocks(reading.blocks, query)
        if not reading.matches:
            self.say(f"No match for {reading.query!r}.")
            return
        after = [m for m in reading.matches if (m > reading.current if again else m >= reading.current)]
        target = after[0] if after else reading.matches[0]
        wrapped = "" if after or len(reading.matches) == 1 else ", from the top"
        number = reading.matches.index(target) + 1
        reading.current = target
        self.say(f"Match {number} of {len(reading.matches)}{wrapped}, {self.place()}:")
        self.show()

    def where(self) -> None:
        reading = self.require()
        if reading is not None:
            self.say(f"{reading.article.title}: {self.place()}.")

    def bookmark(self) -> None:
        reading = self.require()
        if reading is None:
            return
        block = reading.blocks[reading.current]
        before = len(self.store.bookmarks(reading.key))
        self.store.add_bookmark(reading.key, block.position, " ".join(block.text.split()[:8]))
        added = len(self.store.bookmarks(reading.key)) > before
        self.say("Bookmark added." if added else "A bookmark is already here.")

    def bookmarks(self) -> None:
        reading = self.require()
        if reading is None:
            return
        marks = self.store.bookmarks(reading.key)
        if not marks:
            self.say("No bookmarks yet; type bookmark to add one here.")
        for number, mark in enumerate(marks, start=1):
            self.say(f"{number}. {mark.label}")

    def play(self) -> None:
        reading = self.require()
        if reading is not None:
            block = reading.blocks[reading.current]
            self.narrator.play(reading.article, block.section, block.paragraph)


def run_line_mode(path: Path, *, store: Store | None = None, read: Callable[[str], str] = input) -> int:
    """Run line mode until quit or end of input; returns the exit status."""

    def say(text: str) -> None:
        print(text, flush=True)

    own = store is None
    store = store if store is not None else Store()
    try:
        session = Session(path, store, say)
        session.start()
        while True:
            try:
                line = read(PROMPT)
            except EOFError:
                session.narrator.stop(quiet=True)
                print(file=sys.stdout, flush=True)
                return 0
            if not session.handle(line):
                return 0
    finally:
        if own:
            store.close()
