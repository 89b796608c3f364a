"""A book saved as one HTML page, read as a book rather than as a news page: Project
Gutenberg's HTML edition (and the sites that copy its layout), a single-page e-book whose
chapters are marked as such, and a work from the Archive of Our Own (html_ao3.py).

A news page's extractor looks for the one block of text that matters and leaves the rest;
a book is all text, chapters and all, wrapped in an e-text header and licence. So such a page
is read the way an EPUB's page is (epub_pages.document_blocks: the contents list, the title
lines and the header's ids go), after everything up to the start marker and from the end
marker on has been cut out of the tree; then book_matter.py sets the front and end matter
aside. The header's fields ("Title:", "Author:", "Language:") and the page's Dublin Core tags
are the book's metadata, as they are for a plain-text e-text.
"""

from __future__ import annotations

import re

from listen.articles.book_matter import with_end_matter, with_front_matter, without_contents, without_etext_notes
from listen.articles.gutenberg import header_meta, is_marker
from listen.articles.sections import Draft
from listen.articles.text import clean_line

# Cheap signs, looked for in the markup before any parse: most pages have none of them.
_SIGNS = re.compile(
    r'id=["\']pg-header|\*{3}\s*START\s+OF\s+(?:THE|THIS)\b|\*END\*\s*THE\s+SMALL\s+PRINT'
    r'|epub:type=["\'][^"\']*\bchapter\b|role=["\']doc-chapter\b|id=["\'](chapters|workskin)["\']',
    re.IGNORECASE,
)
_CHAPTER_TYPE = re.compile(r"\b(doc-)?chapter\b")
# Transcriber's notes are about the e-text, not the book (as gutenberg.py drops them in text).
_TRANSCRIBER = re.compile(r"\b(transnote|tnote|transcriber)", re.IGNORECASE)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Distributed Proofreaders' and Gutenberg's classes for a printed page's number in the margin.
_PAGE_NUMBER = frozenset({"pagenum", "pageno", "page-num", "pagenumber", "page-number", "pgnum"})
_BLOCKS = ("p", "div", "br", "li", "tr", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "section")
_MARKER_HOLDERS = ("p", "pre", "div", "span", "td", "h1", "h2", "h3", "h4", "h5", "h6", "section", "body")


def read_html_book(html: str) -> Draft | None:
    """The book inside an e-text's HTML page, or None when the page is not an e-text."""
    if not _SIGNS.search(html):
        return None
    from lxml import etree

    from listen.articles.epub_pages import document_blocks
    from listen.articles.html import page_tree
    from listen.articles.html_ao3 import ao3_work
    from listen.articles.html_title import article_title

    root = page_tree(html)
    body = root.find(".//body")
    if body is None:
        return None
    page_title = article_title(root)  # before the tree is cut
    work = ao3_work(root)
    start = _marker_element(body, "start") if work is None else None
    if start is None and work is None and body.find(".//*[@id='pg-header']") is None and not _chapters_marked(body):
        return None
    if start is not None:
        page_title = ""
    header = _cut_before(start, body) if start is not None else ""
    end = _marker_element(body, "end")
    if end is not None:
        _cut_after(end, body)
    _cut_notes_and_page_numbers(body)
    _join_chapter_labels(body)
    # The Dublin Core title is the whole title (with its subtitle), where a header field may
    # give the main title only; the header is the better source for the rest.
    meta = {**header_meta(header or _header_text(body)), **_dublin_core(root)}
    meta.update(header_meta(_page_title(root)) if "title" not in meta else {})
    if work is not None:
        meta.update({"title": work.title, "author": work.author} if work.author else {"title": work.title})
    title = meta.pop("title", "") or page_title
    authors = tuple(a for a in [meta.get("author", "")] if a)
    for declared in list(root.iter("meta")):  # the page is handed on as UTF-8, whatever it declared
        declared.drop_tree()
    _declare_utf8(root)
    blocks = document_blocks(etree.tostring(root, encoding="utf-8"), [], title=title, authors=authors)
    blocks = with_end_matter(with_front_matter(without_contents(without_etext_notes(blocks))))
    if not any(b.kind == "paragraph" for b in blocks):
        return None
    language = (root.get("lang") or "").split("-")[0].lower()
    if language and "language" not in meta:
        meta["language"] = language
    return Draft(title, tuple(blocks), work.summary if work is not None else "", meta)


def _declare_utf8(root) -> None:
    """Say UTF-8 in the page's head: lxml reads undeclared bytes as Latin-1, which turns every
    non-breaking space into "Â" and every curly quote into three letters."""
    from lxml import html as lxml_html

    head = root.find("head")
    if head is None:
        head = lxml_html.Element("head")
        root.insert(0, head)
    declared = lxml_html.Element("meta")
    declared.set("charset", "utf-8")
    head.insert(0, declared)


def _cut_notes_and_page_numbers(body) -> None:
    """Transcriber's notes (about the e-text, not the book) and printed page numbers set in the
    margin ("[Pg 12]"), which a listener would hear every few paragraphs; the text after a
    page number stays."""
    for element in list(body.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        classes = element.get("class") or ""
        if _TRANSCRIBER.search(classes) or _PAGE_NUMBER.intersection(classes.lower().split()):
            element.drop_tree()


def _join_chapter_labels(body) -> None:
    """ "CHAPTER I." set as one heading and its title as the next ("THE FERRY"), with nothing
    between: one heading, "CHAPTER I. THE FERRY", as a plain-text book's label and title are
    joined (plain_lines.shown). Apart, the label would be a chapter with no text."""
    from listen.articles.plain_lines import CHAPTER, ROMAN_LINE, shown

    for heading in list(body.iter(*_HEADINGS)):
        label = " ".join(heading.text_content().split())
        chapter = CHAPTER.match(label)
        bare = (chapter is not None and not (chapter.group(4) or chapter.group(5) or "").strip()) or (
            (roman := ROMAN_LINE.match(label)) is not None and not roman.group(3)
        )
        following = heading.getnext()
        if not bare or following is None or following.tag not in _HEADINGS or (heading.tail or "").strip():
            continue
        title = " ".join(following.text_content().split())
        if not title or CHAPTER.match(title):
            continue
        for child in list(heading):
            heading.remove(child)
        heading.text = shown([label, title], labelled=True)
        following.drop_tree()


def _chapters_marked(body) -> bool:
    """A whole book on one page as an e-book maker sets it (Standard Ebooks' single-page
    edition, an EPUB exported to HTML): two chapters or more marked as such."""
    marked = 0
    for element in body.iter("section", "div", "article"):
        values = " ".join(v for k, v in element.attrib.items() if k == "role" or k.endswith("type"))
        if _CHAPTER_TYPE.search(values):
            marked += 1
            if marked >= 2:
                return True
    return False


def _marker_element(body, which: str):
    """The innermost element whose own text holds the e-text's start (or end) marker line."""
    found = None
    for element in body.iter(*_MARKER_HOLDERS):
        own = "\n".join([element.text or ""] + [child.tail or "" for child in element])
        if any(is_marker(line) == which for line in own.splitlines() if "*" in line or "nd of" in line.lower()):
            found = element
            if which == "start":
                continue  # the last start marker of the opening, as in text
            return found
    return found


def _cut_before(element, body) -> str:
    """Drop `element` and everything before it in the page; the words dropped (the header)."""
    words = []
    node = element
    while node is not None and node is not body:
        parent = node.getparent()
        if parent is None:
            break
        for sibling in list(node.itersiblings(preceding=True)):
            words.append(_lines(sibling))
            parent.remove(sibling)
        parent.text = None
        node = parent
    words.reverse()
    words.append(_lines(element))
    _drop(element)
    return "\n".join(words)


def _lines(element) -> str:
    """An element's words with a line break after each block, so that header fields set as
    paragraphs ("Title: …", "Author: …") stay on lines of their own."""
    if not isinstance(element.tag, str):
        return ""
    for node in element.iter(*_BLOCKS):
        node.tail = "\n" + (node.tail or "")
    return element.text_content()


def _cut_after(element, body) -> None:
    """Drop `element` and everything after it in the page: the end marker and the licence."""
    node = element
    while node is not None and node is not body:
        parent = node.getparent()
        if parent is None:
            break
        for sibling in list(node.itersiblings()):
            parent.remove(sibling)
        node = parent
    _drop(element)


def _drop(element) -> None:
    if element.getparent() is not None:
        element.drop_tree()


def _header_text(body) -> str:
    """Gutenberg's own header section, for its fields, when no start marker was found."""
    header = body.find(".//*[@id='pg-header']")
    return _lines(header) if header is not None else ""


def _page_title(root) -> str:
    """The <title>, which older e-texts set as "The Project Gutenberg eBook of X, by Y"."""
    found = root.find(".//title")
    return clean_line(found.text_content()) if found is not None else ""


def _dublin_core(root) -> dict[str, str]:
    """Title, author and language from the page's Dublin Core tags, where it has them."""
    meta: dict[str, str] = {}
    for element in root.iter("meta"):
        name = (element.get("name") or "").lower()
        value = clean_line(element.get("content") or "")
        if not value:
            continue
        if name == "dc.title":
            meta.setdefault("title", value)
        elif name in ("dc.creator", "dcterms.creator"):
            meta.setdefault("author", _natural_order(value))
        elif name in ("dc.language", "dcterms.language"):
            meta.setdefault("language", value[:2].lower())
    if "author" not in meta:  # an e-book's title page marks its author: epub:type="z3998:author"
        for element in root.iter():
            if isinstance(element.tag, str) and any(
                k.endswith("type") and "z3998:author" in v for k, v in element.attrib.items()
            ):
                meta["author"] = clean_line(element.text_content())
                break
    return meta


def _natural_order(name: str) -> str:
    """ "Penhallow, Orla" → "Orla Penhallow"; dates after a second comma are dropped."""
    parts = [p.strip() for p in name.split(",")]
    if len(parts) >= 2 and parts[1] and not any(ch.isdigit() for ch in parts[1]):
        return f"{parts[1]} {parts[0]}"
    return parts[0]
