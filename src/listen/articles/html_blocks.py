"""An lxml tree (HTML, or trafilatura's XML) to the flat list of blocks a Draft holds.

One converter for every piece of markup listen reads: whole pages after extraction, the raw
HTML a Markdown file may carry (html_fragment.py) and EPUB chapters. It keeps structure a
careful reader keeps and nothing else: headings (without permalink marks), paragraphs, list
items (with their marker, as the Markdown parser gives them), table rows, code blocks
verbatim, quotations as paragraphs. Left out: scripts, media, forms without paragraphs,
hidden elements, footnote marks (a <sup> linking within the page), a link alone in a layout
container ("Browse all tools"), a <summary> that only names its widget ("Click to expand").
Two rules need the neighbours of a block and so live here too:

- a heading that is a quotation, or sits inside a quotation or an aside, is a pull quote,
  not a section: it becomes a paragraph;
- a short paragraph that is wholly bold and followed by ordinary text is a sub-heading
  (`<p><strong>Consenso</strong></p>`), one level below the heading it sits under.

trafilatura's XML names things differently (`head rend="h2"`, `list`/`item`, `quote`,
`hi rend="#b"`, block-level `code`, `row`/`cell`, `lb`); both vocabularies are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from listen.articles.sections import Block

# Elements whose text is never the article's: scripts, controls, media, and math (left as a
# gap, never read out as TeX or as one letter per symbol).
SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "button",
        "input",
        "select",
        "textarea",
        "option",
        "iframe",
        "object",
        "embed",
        "canvas",
        "img",
        "picture",
        "video",
        "audio",
        "source",
        "track",
        "map",
        "area",
        "meta",
        "link",
        "title",
        "nav",
        "graphic",
        "comments",
    }
)
HEADINGS = {f"h{n}": n for n in range(1, 7)}
LISTS = frozenset({"ul", "ol", "list", "menu", "dir"})
ITEMS = frozenset({"li", "item"})
QUOTES = frozenset({"blockquote", "quote", "aside"})
ROWS = frozenset({"tr", "row"})
CELLS = frozenset({"td", "th", "cell"})
BOLD = frozenset({"b", "strong"})
# Inline elements a bold label may be wrapped in and stay a bold label.
_WRAPPERS = frozenset({"em", "i", "span", "u", "hi", "font"})
# Tags that start a new block; anything else is inline and joins the text around it.
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "figure",
        "figcaption",
        "blockquote",
        "pre",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "dl",
        "dt",
        "dd",
        "hr",
        "address",
        "details",
        "summary",
        "form",
        "fieldset",
        "legend",
        "center",
        "body",
        "html",
        "doc",
        "head",
        "quote",
        "row",
        "cell",
        *HEADINGS,
        *LISTS,
        *ITEMS,
    }
)
# A wholly bold paragraph is a sub-heading only when it is short and reads like a label, not a
# sentence or a question (interviews set their questions in bold, and a question is not a chapter).
SUBHEADING_WORDS = 10
# A heading in quotation marks shorter than this ("‘We need to listen’") names its section in
# the words of someone in it; a longer one is a pull quote (html_furniture.py uses the same
# length for a repeat).
PULL_QUOTE_MIN_WORDS = 5
_SENTENCE_END = re.compile(r"[.!?,;…]$")
# Chinese and Japanese are written without spaces, so a sentence counts as one "word": its
# full-width commas and semicolons inside show it is a sentence, not a label.
_CJK_CLAUSE = re.compile(r"[，、；。！？]")
_QUOTE_OPENERS = "\"“”„«‘'‹"
_QUOTE_CLOSERS = "\"”“»’'›"
_SPACES = re.compile(r"\s+")
_WORDS = re.compile(r"\w+")
# A bold label over this many lines that are each wholly a link labels a box of links.
LINK_BOX_LINES = 2
# Layout containers: a link standing alone in one ("Browse all tools") is navigation.
_LAYOUT = frozenset({"div", "section", "article", "aside", "header", "footer", "figure", "body"})
# Inline elements: a link followed by one of them is part of a line, not alone.
_INLINE = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "data",
        "dfn",
        "em",
        "i",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
        "hi",
    }
)
# A <summary> that only names the widget ("Click to expand") is not the article's words.
_WIDGET_SUMMARY = re.compile(
    r"[\W_]*(?:(?:click|tap)(?: here)? to )?(?:expand|show|see|view|open|read|toggle|details|more|spoiler)"
    r"(?: (?:more|all|details|code|output|the \w+))?[\W_]*",
    re.IGNORECASE,
)
# Anchor marks that sites and static site generators append to headings.
_HEADING_MARKS = re.compile(r"\s*[#¶§🔗]+\s*$")
# Elements that hold a line of text: a <code> inside one is inline unless it is all there is.
_TEXT_HOLDERS = frozenset({"p", "li", "item", "td", "th", "cell", "dd", "dt", "a", "span", "head", *HEADINGS})


@dataclass(frozen=True)
class _Found:
    block: Block
    bold_only: bool = False
    linked: bool = False  # the line is wholly a link's words


def blocks_from_tree(element: etree._Element, link_labels: set[str] | None = None) -> list[Block]:
    """The blocks of `element` and everything under it, in document order.

    A bold label over a run of links ("Read more:", "More games news") points at other pages:
    it stays a line, and when `link_labels` is given its words are added to it, so that a copy
    of the same text without its links (an extractor's) can be told the same.
    """
    found: list[_Found] = []
    _Walker(found).walk(element, quoted=False)
    labels = _link_box_labels(found)
    if link_labels is not None:
        link_labels.update(" ".join(_WORDS.findall(found[i].block.text.casefold())) for i in labels)
    return _promote_bold_labels(found, labels)


def is_quotation(text: str) -> bool:
    """'“We will not move,” she said.': a heading made of a quotation is a pull quote."""
    text = text.strip()
    if len(text) < 2 or text[0] not in _QUOTE_OPENERS:
        return False
    # A quotation opens the heading and closes it, or closes before a short attribution.
    # A note in brackets after it ('“Rez Infinite” ($30)', '“Heat” (1995)') makes it the
    # name of a work in a list of them, not a quotation.
    closing = max(text.rfind(c) for c in _QUOTE_CLOSERS)
    after = text[closing + 1 :].strip()
    if after.startswith(("(", "[")):
        return False
    if after and len(text[1:closing].split()) < 2:
        return False  # "‘Unprecedented’ strandings": one word in scare quotes, then the heading
    return closing > 0 and (closing >= len(text) - 2 or len(after.split()) <= 5)


def tag_of(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):  # comments and processing instructions
        return ""
    return tag.rsplit("}", 1)[-1].lower()


class _Walker:
    def __init__(self, found: list[_Found]) -> None:
        self.found = found

    def emit(self, kind: str, text: str, level: int = 0, bold_only: bool = False, linked: bool = False) -> None:
        if kind != "code":
            text = _SPACES.sub(" ", text).strip()
        if text.strip():
            self.found.append(_Found(Block(kind, text, level), bold_only, linked))  # type: ignore[arg-type]

    def walk(self, element: etree._Element, *, quoted: bool) -> None:
        tag = tag_of(element)
        if tag in SKIP or not tag or tag == "head" and tag_of(element.getparent()) == "html" or _left_out(element):
            return
        if tag in HEADINGS or tag == "head":
            self.heading(element, tag, quoted=quoted)
        elif tag == "pre" or tag == "code" and _is_code_block(element):
            self.emit("code", code_text(element))
        elif tag in LISTS:
            self.list(element, quoted=quoted)
        elif tag == "table":
            self.table(element, quoted=quoted)
        elif tag in ROWS:  # a row outside any table (a fragment of one)
            self.emit("paragraph", ", ".join(t for c in element if tag_of(c) in CELLS and (t := inline_text(c))))
        elif tag == "p" and not any(tag_of(c) in BLOCK_TAGS for c in element):
            self.emit(
                "paragraph", inline_text(element), bold_only=_wholly_bold(element), linked=_wholly_linked(element)
            )
        else:
            self.container(element, quoted=quoted or tag in QUOTES)

    def heading(self, element: etree._Element, tag: str, *, quoted: bool) -> None:
        text = _HEADING_MARKS.sub("", inline_text(element))
        level = HEADINGS.get(tag) or _rend_level(element)
        if quoted or is_quotation(text) and len(text.split()) >= PULL_QUOTE_MIN_WORDS:
            self.emit("paragraph", text)
        else:
            self.emit("heading", text, level)

    def container(self, element: etree._Element, *, quoted: bool) -> None:
        """Mixed content: runs of inline text become paragraphs between the block children."""
        run: list[str] = [element.text or ""]
        layout = tag_of(element) in _LAYOUT
        for child in element:
            child_tag = tag_of(child)
            if child_tag in BLOCK_TAGS or child_tag == "pre" or child_tag == "code" and _is_code_block(child):
                self.emit("paragraph", "".join(run))
                run = []
                self.walk(child, quoted=quoted)
            elif child_tag in ("br", "lb"):
                run.append(" ")
            elif layout and child_tag == "a" and _loose_link(child, run):
                pass
            elif child_tag and child_tag not in SKIP and not _left_out(child):
                run.append(inline_text(child))
            run.append(child.tail or "")
        self.emit("paragraph", "".join(run))

    def list(self, element: etree._Element, *, quoted: bool) -> None:
        ordered = tag_of(element) == "ol" or element.get("rend", "") in ("ol", "decimal")
        number = int(element.get("start", "1") or 1) if ordered and element.get("start", "").isdigit() else 1
        for child in element:
            child_tag = tag_of(child)
            if child_tag not in ITEMS:
                self.walk(child, quoted=quoted)
                continue
            marker = f"{number}." if ordered else "-"
            number += 1
            # The item's own text first, then any list or block nested in it.
            own = _Walker([])
            own.container(child, quoted=quoted)
            first = True
            for item in own.found:
                if first and item.block.kind == "paragraph":
                    self.emit("paragraph", f"{marker} {item.block.text}", linked=_wholly_linked(child))
                else:
                    self.found.append(item)
                first = False

    def table(self, element: etree._Element, *, quoted: bool) -> None:
        """A data table reads row by row ('cell, cell'); a layout table is only a container."""
        rows = [r for r in element.iter() if tag_of(r) in ROWS]
        if any(tag_of(d) in BLOCK_TAGS - {"br"} for r in rows for c in r for d in c.iter() if d is not c):
            for row in rows:
                start = len(self.found)
                for cell in row:
                    self.container(cell, quoted=quoted)
                if sum(1 for c in row if tag_of(c) in CELLS and inline_text(c)) > 1:
                    # Bold text in a row beside other cells labels the row ("Slow replies" |
                    # what to do about them): it is not a section of the article.
                    self.found[start:] = [_Found(f.block) for f in self.found[start:]]
            return
        caption = [c for c in element if tag_of(c) == "caption"]
        if caption:
            self.emit("paragraph", inline_text(caption[0]))
        for row in rows:
            cells = [inline_text(c) for c in row if tag_of(c) in CELLS]
            self.emit("paragraph", ", ".join(c for c in cells if c))


def inline_text(element: etree._Element) -> str:
    """The words of an element, skipped elements left out, line breaks as spaces."""
    parts: list[str] = []
    _collect(element, parts)
    return _SPACES.sub(" ", "".join(parts)).strip()


def _collect(element: etree._Element, parts: list[str]) -> None:
    """The text inside `element` (not its tail, which belongs to its parent)."""
    tag = tag_of(element)
    if not tag or tag in SKIP or _left_out(element):
        return
    if tag in ("br", "lb"):
        parts.append(" ")
    parts.append(element.text or "")
    for child in element:
        _collect(child, parts)
        if tag_of(child) in BLOCK_TAGS:
            parts.append(" ")
        parts.append(child.tail or "")


def code_text(element: etree._Element) -> str:
    """Code exactly as written: line breaks (and <br>) and indentation kept, blank edges trimmed,
    comments left out. One rule for pages, raw HTML in Markdown and EPUB chapters."""
    parts: list[str] = []

    def visit(node: etree._Element) -> None:
        if not isinstance(node.tag, str):  # a comment or processing instruction: only its tail counts
            return
        if node is not element and tag_of(node) in ("br", "lb"):
            parts.append("\n")
        parts.append(node.text or "")
        for child in node:
            visit(child)
            parts.append(child.tail or "")

    visit(element)
    lines = "".join(parts).replace("\r\n", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(line.rstrip() for line in lines)


def _left_out(element: etree._Element) -> bool:
    """What a reader never sees or never reads as the article: hidden elements, a footnote
    mark (a <sup> linking within the page), a <summary> that only names its widget ("Click to
    expand"), and a form without paragraphs (a sign-up box; a page wrapped whole in a <form>
    keeps its text)."""
    if is_hidden(element):
        return True
    tag = tag_of(element)
    if tag == "sup":
        return bool(element.xpath(".//a[starts-with(@href, '#')]"))
    if tag == "summary":
        return bool(_WIDGET_SUMMARY.fullmatch(" ".join("".join(element.itertext()).split())))
    if tag == "form":
        return not any(True for _ in element.iter("p"))
    return False


def is_hidden(element: etree._Element) -> bool:
    """Text the page never shows, or hides from speech: the `hidden` attribute,
    `aria-hidden="true"`, or an inline style that hides it (`display: none`, `visibility: hidden`)."""
    if element.get("hidden") is not None or (element.get("aria-hidden") or "").lower() == "true":
        return True
    style = (element.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def _loose_link(link: etree._Element, run: list[str]) -> bool:
    """A link alone on its line in a layout container ("Browse all tools"): navigation."""
    if "".join(run).strip() or (link.tail or "").strip():
        return False
    after = link.getnext()
    return after is None or tag_of(after) not in _INLINE


def _is_code_block(element: etree._Element) -> bool:
    """`<code>` is a block when it stands alone between blocks (trafilatura's XML, bare pages)."""
    parent = element.getparent()
    if parent is None or tag_of(parent) == "pre" or tag_of(parent) == "code":
        return False
    alone = not (element.tail or "").strip() and not _text_before(element).strip()
    if tag_of(parent) in _TEXT_HOLDERS:
        # Inside a paragraph or list item: a block only when it is all there is, over lines.
        return alone and len(parent) == 1 and "\n" in "".join(element.itertext()).strip()
    return alone


def _text_before(element: etree._Element) -> str:
    previous = element.getprevious()
    if previous is None:
        return element.getparent().text or ""
    return (previous.tail or "") if tag_of(previous) in BLOCK_TAGS or tag_of(previous) == "code" else "x"


def _wholly_bold(paragraph: etree._Element) -> bool:
    """True for `<p><strong>Label</strong></p>`: one bold child and no text outside it."""
    children = [c for c in paragraph if tag_of(c) not in ("br", "lb")]
    if len(children) != 1 or (paragraph.text or "").strip() or (children[0].tail or "").strip():
        return False
    child = children[0]
    tag = tag_of(child)
    if tag in BOLD or (tag == "hi" and "#b" in (child.get("rend") or "")):
        return True
    # Bold inside italics or a span (`<em><strong>Label</strong></em>`) is as bold.
    return tag in _WRAPPERS and _wholly_bold(child)


def _wholly_linked(element: etree._Element) -> bool:
    """True when every word of `element` is inside a link (a line of a list of links)."""
    outside: list[str] = [element.text or ""]
    linked = False
    for child in element:
        if tag_of(child) == "a":
            linked = linked or bool(inline_text(child))
        elif tag_of(child) not in SKIP:
            if not _wholly_linked(child):
                outside.append(inline_text(child))
            else:
                linked = True
        outside.append(child.tail or "")
    return linked and not _WORDS.search("".join(outside))


def _link_box_labels(found: list[_Found]) -> frozenset[int]:
    """The places of bold labels followed by at least LINK_BOX_LINES lines that are each a link."""
    return frozenset(
        index
        for index, item in enumerate(found)
        if item.bold_only
        and len(run := found[index + 1 : index + 1 + LINK_BOX_LINES]) == LINK_BOX_LINES
        and all(f.linked and f.block.kind == "paragraph" for f in run)
    )


def _rend_level(element: etree._Element) -> int:
    rend = element.get("rend", "") or ""
    return int(rend[1]) if len(rend) == 2 and rend[0] == "h" and rend[1].isdigit() else 2


def _promote_bold_labels(found: list[_Found], link_labels: frozenset[int] = frozenset()) -> list[Block]:
    """Bold-only short labels followed by text become headings one level below their section;
    a label over a run of links (`link_labels`, by place) does not."""
    blocks: list[Block] = []
    section_level = 1  # the level of the last real heading; the title counts as 1
    for index, item in enumerate(found):
        block = item.block
        if block.kind == "heading":
            section_level = block.level
        following = found[index + 1].block if index + 1 < len(found) else None
        if (
            item.bold_only
            and index not in link_labels
            and following is not None
            and following.kind != "heading"
            and not (index + 1 < len(found) and found[index + 1].bold_only)
            and len(block.text.split()) <= SUBHEADING_WORDS
            and not _SENTENCE_END.search(block.text)
            and not _CJK_CLAUSE.search(block.text)
        ):
            block = Block("heading", block.text.rstrip(":").strip(), min(6, max(2, section_level + 1)))
        blocks.append(block)
    return blocks
