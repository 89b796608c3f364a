"""One EPUB spine document to blocks, without what a book carries besides its text.

epub.py reads the book (container, package, navigation) and hands each spine document here.
What a publisher marked (epub:type, role) is read first: a cover, title page, contents, page
numbers and note backlinks are left out; copyright, imprint, colophon, notes and bibliography
become back matter. A page that says nothing is read by its shape (a list of links to the
book's own pages is a contents page; a short page headed by the title is the title page), and
a Project Gutenberg header and licence are left out by their ids and markers.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, replace

from listen.articles.gutenberg import is_marker
from listen.articles.sections import Block
from listen.articles.text import clean_line

# Elements a navigation target is a block of (a sentinel paragraph goes before them).
_BLOCK_TAGS = frozenset(
    "h1 h2 h3 h4 h5 h6 p div section article main aside header footer figure figcaption blockquote "
    "details summary dl dt dd table tr ul ol li pre address hr".split()
)
_NOTE_REF = re.compile(r"noteref")
# The classes of boxes set inside a chapter (DocBook, Pressbooks, Sphinx): not "notes", which
# in a book is its notes section.
_BOX = re.compile(
    r"\b(note|warning|tip|caution|important|danger|callout|admonition|alert|hint|sidebar|textbox)\b", re.I
)
_SENTINEL = "\u2063listen-anchor\u2063"
_BACK_SENTINEL = "\u2063listen-back\u2063"
# What epub:type, role ("doc-…"), landmarks and guide references call the parts of a book.
# Furniture repeats the title or the navigation, or is not text: left out entirely.
FURNITURE = frozenset(
    "cover titlepage title-page halftitlepage toc landmarks page-list loi lot seriespage pagebreak backlink".split()
)
# Back matter: part of the book, shown by the reader, skipped in narration unless asked.
BACK_MATTER = {
    "copyright-page": "Copyright",
    "imprint": "Imprint",
    "colophon": "Colophon",
    "endnotes": "Notes",
    "rearnotes": "Notes",
    "footnotes": "Notes",
    "notes": "Notes",
    "bibliography": "Bibliography",
    "index": "Index",
    "errata": "Errata",
}
# Navigation titles that name furniture when a book carries no semantics at all.
FURNITURE_TITLES = re.compile(
    r"(front |book )?cover( page| image)?|title ?page|half ?title( ?page)?|(table of )?contents|toc|brief contents",
    re.IGNORECASE,
)
_GUTENBERG_IDS = frozenset("pg-header pg-footer pg-machine-header pg-start-separator pg-end-separator".split())
_ARROWS = re.compile(r"[\s\u21a9\u21aa\u2191\u2934\u2b06\ufe0e\ufe0f^]+")
NAMED_BACK_LEVEL = 3  # a chapter (2) or its section (3) may be "Notes" by name; deeper, only by epub:type
TITLE_LINES_WORDS = 60  # a title page set as headings is a few short lines
LINK_LIST = 5  # links in a block before it can be a contents list
TITLE_PAGE_WORDS = 300  # a title page (title, author, publisher, copyright lines) is short


def semantic_types(element) -> list[str]:
    """An element's epub:type and role tokens, 'doc-' taken off: ['chapter'], ['endnotes']."""
    values = " ".join(v for k, v in element.attrib.items() if k == "role" or k.endswith(":type"))
    return [t.split(":")[-1].removeprefix("doc-").lower() for t in values.split()]


@dataclass(frozen=True)
class Mark:
    """A navigation title: where it points in a document (fragment id, '' for the top) and its level."""

    fragment: str
    title: str
    level: int


def document_blocks(
    content: bytes, marks: list[Mark], *, title: str = "", back: str = "", authors: tuple[str, ...] = ()
) -> list[Block]:
    """One spine document's blocks, with its navigation titles placed as headings.

    The body is walked by the same walker as HTML inside Markdown (html_fragment); a mark
    pointing inside the document (`#fragment`) is found by a sentinel paragraph put before
    the block it names, so the walker never needs to know about anchors. Furniture the
    document marks as such is cut out of the tree first; back matter it marks (or `back`, a
    name, when the whole document is) gets a sentinel before it, and the heading that follows
    is flagged as opening back matter. A document that is furniture by its shape alone (a
    title page, a contents page, no text at all) gives no blocks, and its marks go with it.
    """
    from lxml import html as lxml_html

    from listen.articles.html_fragment import callout_titles_as_lead_ins, element_blocks

    try:
        root = lxml_html.document_fromstring(content)
    except Exception:  # lxml raises ParserError for an empty or unparseable document
        return []
    body = root.find(".//body")
    body = body if body is not None else root
    body_types = semantic_types(body)
    if FURNITURE.intersection(body_types):
        return []
    back = back or next((BACK_MATTER[t] for t in body_types if t in BACK_MATTER), "")
    cut = _cut_furniture(body)
    contents = _is_contents_page(body)
    if not contents:
        _cut_link_lists(body)
    named = _key(title)
    marks = [m for m in marks if _key(m.title) != named]  # the title is the article's, not a chapter
    if back:
        _put_before(next(iter(body), None), body, f"{_BACK_SENTINEL}{back}{_BACK_SENTINEL}")
    sentinels: dict[str, str] = {}
    for number, fragment in enumerate(dict.fromkeys(m.fragment for m in marks if m.fragment)):
        target = body.xpath(".//*[@id=$id]", id=fragment)
        if target:
            sentinels[fragment] = f"{_SENTINEL}{number}{_SENTINEL}"
            _put_before(_block_of(target[0], body), body, sentinels[fragment])
    # A 'Note', 'Tip' or 'Caution' box inside a chapter (DocBook's <div class="tip"><h3>Tip</h3>)
    # is read as its paragraph's lead-in, not a section; a book's notes section stays a section.
    callout_titles_as_lead_ins(body, boxes=("div", "aside"), callout=_BOX)
    blocks: list[Block] = []
    anchors: dict[str, int] = {}
    by_text = {text: fragment for fragment, text in sentinels.items()}
    pending_back = ""
    for block in element_blocks(body):
        rest = block.text
        if _SENTINEL in rest or _BACK_SENTINEL in rest:
            for text, fragment in by_text.items():
                if text in rest:
                    anchors[fragment] = len(blocks)
                rest = rest.replace(text, "")
            for name in re.findall(f"{_BACK_SENTINEL}(.*?){_BACK_SENTINEL}", rest):
                pending_back = name
            rest = re.sub(f"{_BACK_SENTINEL}.*?{_BACK_SENTINEL}", "", rest)
            if not rest.strip():
                continue
            block = Block(block.kind, rest.strip(), block.level)
        if block.kind != "code":
            block = Block(block.kind, clean_line(block.text), block.level)  # encodings, odd spaces
        if not block.text:
            continue
        if pending_back:
            if block.kind == "heading":
                block = replace(block, back_matter=True)
            else:
                blocks.append(Block("heading", pending_back, 2, back_matter=True))
            pending_back = ""
        blocks.append(block)
    blocks = _without_etext_wrapper(blocks, anchors)
    if contents:  # a part's page listing its chapters keeps its heading, not the list
        blocks = [b for b in blocks if b.kind == "heading" and not FURNITURE_TITLES.fullmatch(b.text.strip(" .:"))]
        anchors = {fragment: 0 for fragment in anchors}
    elif not any(m.fragment for m in marks):
        blocks = _without_title_block(blocks, title)
    if not blocks:
        return []
    # Marks at the same place keep their order (a part, then its first chapter); the last
    # of them stands in for the chapter's own heading there. From the end backwards, so an
    # insertion never shifts a place not yet handled.
    places: dict[int, list[Mark]] = {}
    for mark in marks:
        places.setdefault(anchors.get(mark.fragment, 0) if mark.fragment else 0, []).append(mark)
    for index in sorted(places, reverse=True):
        headings = [Block("heading", m.title, m.level) for m in places[index]]
        own = index < len(blocks) and blocks[index].kind == "heading"
        if own and blocks[index].back_matter:
            headings[-1] = replace(headings[-1], back_matter=True)
        blocks[index : index + own] = headings
    blocks = _without_title_lines(blocks, title)
    bylines = {_key(f"by {a}") for a in authors} | {_key(a) for a in authors}
    blocks = [b for b in blocks if not (b.kind == "heading" and _key(b.text) in ({named} | bylines) - {""})]
    if cut:
        blocks = _without_empty_headings(blocks)
    return _deepen(blocks, marks)


def _cut_furniture(body) -> bool:
    """Take out what the book marks as furniture, page numbers, links back from a note, an
    e-text's wrapper, and footnote markers (the tail text of each stays). True when a part of
    the page went (not just marks inside the text), so headings left empty can go too."""
    cut = False
    for element in list(body.iter()):
        if not isinstance(element.tag, str) or element is body or not _marked(element):
            continue
        kinds = semantic_types(element)
        gutenberg = element.get("id") in _GUTENBERG_IDS or "pgheader" in (element.get("class") or "").split()
        arrow = element.tag == "a" and element.get("href") and not _ARROWS.sub("", element.text_content())
        note_mark = element.tag == "a" and any(_NOTE_REF.search(k) for k in kinds)
        if gutenberg or arrow or note_mark or FURNITURE.intersection(kinds):
            if element.getparent() is not None:
                cut = cut or gutenberg or bool(FURNITURE.intersection(kinds) - {"pagebreak", "backlink"})
                element.drop_tree()
        elif element.getparent() is not None and any(k in BACK_MATTER for k in kinds):
            name = next(BACK_MATTER[k] for k in kinds if k in BACK_MATTER)
            _put_before(element, body, f"{_BACK_SENTINEL}{name}{_BACK_SENTINEL}")
    return cut


def _cut_link_lists(body) -> None:
    """A contents list inside a page ("CONTENTS" and a link per chapter, as e-texts print
    them) is the navigation again: a block of LINK_LIST or more links to the book's own
    pages that is nearly all link words, and holds no heading, goes."""
    for element in list(body.iter("div", "blockquote", "ul", "ol", "table", "dl", "section", "nav")):
        if element.getparent() is None or any(True for _ in element.iter("h1", "h2", "h3", "h4", "h5", "h6")):
            continue
        if any(a is not None and a.tag == "_gone" for a in element.iterancestors()):
            continue
        links = [a for a in element.iter("a") if _internal(a.get("href") or "")]
        words = len(element.text_content().split())
        link_words = sum(len(a.text_content().split()) for a in links)
        if len(links) >= LINK_LIST and link_words >= 0.8 * words:
            element.tag = "_gone"
    for element in list(body.iter("_gone")):
        if element.getparent() is not None:
            element.drop_tree()


def _internal(href: str) -> bool:
    return bool(href) and not re.match(r"[a-z][a-z0-9+.-]*:", href)


def _without_empty_headings(blocks: list[Block]) -> list[Block]:
    """Headings left with nothing under them once furniture went ('About Project Gutenberg'
    over a licence that is no longer there): no text before the next heading of their rank."""
    kept = []
    for index, block in enumerate(blocks):
        if block.kind == "heading":
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if following is None or (following.kind == "heading" and (following.level or 1) <= (block.level or 1)):
                continue
        kept.append(block)
    return kept


def _marked(element) -> bool:
    """Worth a look: a link, or an element with a type, a role, or an e-text's id or class
    (most of a page, and all of its MathML, has none of them)."""
    if element.tag == "a":
        return True
    attrib = element.attrib
    if attrib.get("id") in _GUTENBERG_IDS or "pgheader" in (attrib.get("class") or ""):
        return True
    return any(k == "role" or k.endswith(":type") for k in attrib.keys())


def _put_before(element, body, text: str) -> None:
    """A sentinel paragraph before `element` (or at the end of an empty body)."""
    from lxml import html as lxml_html

    paragraph = lxml_html.Element("p")
    paragraph.text = text
    if element is None or element is body:
        body.append(paragraph)
    else:
        element.addprevious(paragraph)


def _is_contents_page(body) -> bool:
    """Mostly links to the book's own documents: the book's table of contents, whatever it is called."""
    words = len(body.text_content().split())
    linked = [a for a in body.iter("a") if _internal(a.get("href") or "") and not (a.get("href") or "").startswith("#")]
    link_words = sum(len(a.text_content().split()) for a in linked)
    return len(linked) >= 3 and words > 0 and link_words >= 0.6 * words


def _without_title_block(blocks: list[Block], title: str) -> list[Block]:
    """A title page's lines left out: a short document headed by the book's title loses that
    heading and what sits under it (subtitle, author, publisher, copyright lines) up to the
    next heading of the same rank, so a dedication that shares the page stays."""
    first = next((n for n, b in enumerate(blocks) if b.kind == "heading"), None)
    words = sum(len(b.text.split()) for b in blocks)
    if first is None or not title or _key(blocks[first].text) != _key(title) or words >= TITLE_PAGE_WORDS:
        return blocks
    rank = blocks[first].level or 1
    end = next(
        (n for n in range(first + 1, len(blocks)) if blocks[n].kind == "heading" and (blocks[n].level or 1) <= rank),
        len(blocks),
    )
    return blocks[:first] + blocks[end:]


def _without_title_lines(blocks: list[Block], title: str) -> list[Block]:
    """A title page set as headings at the top of a long page (an e-text's series name, the
    title, the publisher, a copyright line, a caption): left out when the run before the first
    heading with real text under it holds the book's title, two other headings at least, text
    under one of them at most, no more paragraphs than headings and under TITLE_LINES_WORDS
    words. An epigraph or a dedication under the title, or two short headed ones, stay."""
    run = len(blocks)
    for index, block in enumerate(blocks):
        if block.kind == "heading":
            under = 0
            for following in blocks[index + 1 :]:
                if following.kind == "heading":
                    break
                under += len(following.text.split())
            if under >= TITLE_LINES_WORDS:
                run = index
                break
    if run == len(blocks):
        return blocks  # no chapter with real text follows: not a title page on top of one
    lines = blocks[:run]
    headings = [b for b in lines if b.kind == "heading"]
    named = _key(title)
    if not named or not any(_key(b.text) == named for b in headings):
        return blocks
    others = [b for b in headings if _key(b.text) != named]
    paragraphs = len(lines) - len(headings)
    with_text = sum(1 for a, b in zip(lines, lines[1:]) if a.kind == "heading" and b.kind != "heading")
    if (
        len(others) < 2
        or with_text > 1  # a dedication and an epigraph, each with its line, are not title-page lines
        or paragraphs > len(headings)
        or sum(len(b.text.split()) for b in lines) >= TITLE_LINES_WORDS
    ):
        return blocks
    return blocks[run:]


def _without_etext_wrapper(blocks: list[Block], anchors: dict[str, int]) -> list[Block]:
    """A Project Gutenberg header (up to its start marker) and licence (from its end marker)
    left out, when a document carries them as text rather than as marked elements."""
    first, last = 0, len(blocks)
    for index, block in enumerate(blocks):
        kind = is_marker(block.text)
        if kind == "start" and first == 0:
            first = index + 1
        elif kind == "end" and index >= first:
            last = index
            break
    if (first, last) == (0, len(blocks)):
        return blocks
    for fragment, index in list(anchors.items()):
        anchors[fragment] = min(max(index - first, 0), last - first)
    return blocks[first:last]


def _key(text: str) -> str:
    """Compare titles loosely: 'ALICE'S ADVENTURES IN WONDERLAND' ~ 'Alice’s Adventures in Wonderland'."""
    return " ".join(re.sub(r"[^\w]+", " ", text.replace("’", "'").replace("'", "").casefold()).split())


def _block_of(element, body):
    """The element itself if it starts a block, else its nearest ancestor that does."""
    while element is not body and element.getparent() is not None:
        tag = element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""
        if tag in _BLOCK_TAGS:
            return element
        element = element.getparent()
    first = next(iter(body), None)
    return first if first is not None else body


def _deepen(blocks: list[Block], marks: list[Mark]) -> list[Block]:
    """A chapter's own subheadings sit below the navigation heading they follow. Deeper than
    a chapter's sections (NAMED_BACK_LEVEL) a heading's name alone never makes back matter:
    "Footnotes" or "Note" there is a topic of the chapter, not its notes. The depth judged is
    the navigation's for a heading it names, the page's own (h1–h6) for one it does not."""
    titles = {(m.title, m.level) for m in marks}
    floor = 1
    result = []
    for block in blocks:
        if block.kind == "heading":
            depth = block.level or 1  # the navigation's level, or the page's own h1–h6
            if (block.text, block.level) in titles:
                floor = block.level
            else:
                block = replace(block, level=min(6, max(block.level, floor + 1)))
            if block.back_matter is None and depth > NAMED_BACK_LEVEL:
                block = replace(block, back_matter=False)
        result.append(block)
    return result


def first_href(children) -> str:
    for entry in children:
        node, grand = (entry[0], entry[1]) if isinstance(entry, (tuple, list)) else (entry, [])
        href = getattr(node, "href", "") or first_href(grand)
        if href:
            return href
    return ""


def normal_name(name: str) -> str:
    """Compare documents by file name relative to the package ('EPUB/c1.xhtml' ~ 'c1.xhtml')."""
    return posixpath.basename(posixpath.normpath(name))
