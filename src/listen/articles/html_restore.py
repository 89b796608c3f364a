"""Headings the extractor turned into plain lines, given back their rank.

trafilatura sometimes writes a page's `<h2>` as a `<p>` (a heading over an image or a
figure, say): the words stay, the chapter is lost. The page itself says what the line was.
"""

from __future__ import annotations

import re
from collections import Counter

from lxml import etree

from listen.articles.html_blocks import inline_text
from listen.articles.sections import Block

_WORD = re.compile(r"\w+")
_LIST_ITEM = re.compile(r"^(-|\d{1,3}(\.\d{1,3})*\.?)\s")


def restore_demoted_headings(blocks: list[Block], page: list[Block], tree: etree._Element, title: str) -> list[Block]:
    """A kept line that is, on the page, an `<h1>`–`<h6>` and nothing else becomes that heading again.

    `page` is the page's own blocks and `tree` the page. Only when the page holds those words
    once, as a heading (never also as a paragraph, a list item or a second heading), and they
    are not the title: a line the page repeats cannot say which copy the extractor kept. A
    bold line the page reads as a sub-heading is left as the extractor has it (the page marks
    it by style, not as a heading).
    """
    marked = {_words(inline_text(h)) for h in tree.iter("h1", "h2", "h3", "h4", "h5", "h6")}
    copies = Counter(_words(b.text) for b in page)
    headings = {words: b for b in page if b.kind == "heading" and (words := _words(b.text)) in marked}
    title_words = _words(title)
    restored: list[Block] = []
    for block in blocks:
        words = _words(block.text)
        heading = headings.get(words) if block.kind == "paragraph" and not _LIST_ITEM.match(block.text) else None
        if heading is not None and words and words != title_words and copies[words] == 1:
            block = Block("heading", block.text, heading.level)
        restored.append(block)
    return restored


def _words(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))
