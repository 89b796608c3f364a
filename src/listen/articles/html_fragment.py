"""HTML fragments (raw HTML inside Markdown) to blocks, in reading order.

Markdown kept by people is often half HTML: cards as `<div>`s, tables, `<details>` with a
`<summary>`, figures with captions. Their words are the article's, so each fragment is
parsed with lxml and walked: h1–h6 become headings; p, li, dt, dd, figcaption, summary,
captions and the text of containers become paragraphs (list items keep a "- " or "3. "
marker, as Markdown lists do); a table row becomes one paragraph of its cells; pre becomes
a code block, verbatim. Scripts, styles, comments, forms, hidden elements, a link alone in
a layout container ("Browse all tools"), footnote markers (a <sup> linking within the
page) and a summary that only names its widget ("Click to
expand") are dropped. A summary holding a heading element is that heading.
`element_blocks` takes any lxml element, so a page's main content can be walked the same way.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from listen.articles.sections import Block

if TYPE_CHECKING:  # lxml is imported on first use: most Markdown has no HTML in it
    from lxml import etree

_DROP = frozenset(
    "script style template noscript iframe object embed svg math canvas button select "
    "input textarea option form img picture source video audio track map area head title meta link nav".split()
)
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
# Elements whose start and end break the text into separate paragraphs.
_BLOCKS = frozenset(
    "p div section article main aside header footer figure figcaption blockquote details summary "
    "dl dt dd table thead tbody tfoot caption address center hr fieldset legend body html".split()
)
_CELLS = ("td", "th")
_INLINE = frozenset(
    "a abbr b bdi bdo cite code data dfn em i kbd mark q s samp small span strong sub sup time u var".split()
)
# Layout containers: a link standing alone in one ("Browse garden tools") is navigation.
_LAYOUT = frozenset("div section article aside header footer figure body".split())
# A <summary> that only names the widget ("Click to expand") is not the article's words.
_WIDGET_SUMMARY = re.compile(
    r"[\W_]*(?:(?:click|tap)(?: here)? to )?(?:expand|show|see|view|open|read|toggle|details|more|spoiler)"
    r"(?: (?:more|all|details|code|output|the \w+))?[\W_]*",
    re.IGNORECASE,
)
# Anchor marks that sites and static site generators append to headings.
_HEADING_MARKS = re.compile(r"\s*[#¶§🔗]+\s*$")


def fragment_blocks(html: str) -> list[Block]:
    """The blocks of an HTML fragment, in order; [] when it holds no text."""
    if not html.strip():
        return []
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        # libxml2 refuses almost nothing; if it does, keep the words without the tags.
        text = " ".join(re.sub(r"<!--.*?-->|<[^>]*>", " ", html, flags=re.DOTALL).split())
        return [Block("paragraph", text)] if text else []
    return element_blocks(root)


def element_blocks(root: etree._Element) -> list[Block]:
    """The blocks of an lxml element's content, in document order."""
    walker = _Walker()
    walker.children(root)
    walker.flush()
    return walker.blocks


class _Walker:
    """Collects inline text until a block boundary, then emits it as one paragraph."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.marker = ""  # the pending list marker of the current <li>
        self.lists: list[list[int]] = []  # per open list: [ordered (0/1), items so far]

    def flush(self) -> None:
        text = " ".join("".join(self.buffer).split())
        self.buffer = []
        if text:
            self.blocks.append(Block("paragraph", f"{self.marker}{text}" if self.marker else text))
            self.marker = ""

    def children(self, element: etree._Element) -> None:
        if element.text:
            self.buffer.append(element.text)
        for child in element:
            self.visit(child)
            if child.tail:
                self.buffer.append(child.tail)

    def loose_link(self, element: etree._Element) -> bool:
        """A link alone on its line in a layout container, with no words of its own around it."""
        parent = element.getparent()
        if parent is None or not isinstance(parent.tag, str) or parent.tag.lower() not in _LAYOUT:
            return False
        if "".join(self.buffer).strip() or (element.tail or "").strip():
            return False
        after = element.getnext()
        return after is None or not isinstance(after.tag, str) or after.tag.lower() not in _INLINE

    def visit(self, element: etree._Element) -> None:
        if not isinstance(element.tag, str) or _hidden(element):
            return  # comments, processing instructions, hidden elements
        tag = element.tag.lower()
        if tag in _DROP:
            return
        if tag in _HEADINGS:
            self.flush()
            text = _HEADING_MARKS.sub("", inline_text(element))
            if text:
                self.blocks.append(Block("heading", text, _HEADINGS[tag]))
        elif tag == "pre":
            from listen.articles.html_blocks import code_text  # lxml is loaded by now

            self.flush()
            code = code_text(element)
            if code.strip():
                self.blocks.append(Block("code", code))
        elif tag == "tr":
            self.flush()
            cells = [inline_text(cell) for cell in element if isinstance(cell.tag, str) and cell.tag in _CELLS]
            row = ", ".join(cell for cell in cells if cell)
            if row:
                self.blocks.append(Block("paragraph", row))
        elif tag in ("ul", "ol", "menu"):
            self.flush()
            self.marker = ""
            self.lists.append([int(tag == "ol"), _start(element) - 1])
            self.children(element)
            self.flush()
            self.lists.pop()
        elif tag == "li":
            self.flush()
            if self.lists:
                self.lists[-1][1] += 1
                ordered, count = self.lists[-1]
                self.marker = f"{count}. " if ordered else "- "
            self.children(element)
            self.flush()
            self.marker = ""
        elif tag == "a" and self.loose_link(element):
            return
        elif tag == "sup" and element.xpath(".//a[starts-with(@href, '#')]"):
            return  # a footnote or citation marker, a link to a note further down
        elif tag == "summary" and _WIDGET_SUMMARY.fullmatch(inline_text(element)):
            return
        elif tag == "br":
            self.buffer.append(" ")
        elif tag in _BLOCKS:
            self.flush()
            self.children(element)
            self.flush()
        else:
            self.children(element)


def inline_text(element: etree._Element) -> str:
    """An element's words on one line, without the dropped and hidden parts."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and child.tag.lower() not in _DROP and not _hidden(child):
                walk(child)
                if child.tag.lower() in ("br", "p", "div", "li"):
                    parts.append(" ")
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return " ".join("".join(parts).split())


def _hidden(element: etree._Element) -> bool:
    style = (element.get("style") or "").replace(" ", "").lower()
    return (
        element.get("hidden") is not None
        or (element.get("aria-hidden") or "").lower() == "true"
        or "display:none" in style
    )


def _start(element: etree._Element) -> int:
    try:
        return int(element.get("start") or 1)
    except ValueError:
        return 1
