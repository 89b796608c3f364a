"""EPUB books (EPUB 2 and 3) to a Draft: spine order, the navigation's titles as sections.

ebooklib reads the container, the package (metadata, manifest, spine) and the navigation
(toc.ncx, or nav.xhtml). Each spine document is XHTML a publisher already cleaned, so its
body is walked into blocks (headings, paragraphs, list items, code) by the walker that reads
HTML inside Markdown (html_fragment.element_blocks), not by the web-page extractor, which is
built to find an article among menus and would drop a short chapter's text. The
navigation's titles become the section headings, nested entries flattened into deeper
levels; a chapter's own first heading that the navigation names is replaced by it, not said
twice. The cover image is not part of the text and is left out. A DRM-protected or broken
book is one line.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from listen.articles.sections import Block, Draft
from listen.articles.text import clean_line
from listen.errors import ArticleError

# Obfuscated fonts are listed in encryption.xml too; they are not DRM and the text is readable.
FONT_OBFUSCATION = ("http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC")
# Elements a navigation target is a block of (a sentinel paragraph goes before them).
_BLOCK_TAGS = frozenset(
    "h1 h2 h3 h4 h5 h6 p div section article main aside header footer figure figcaption blockquote "
    "details summary dl dt dd table tr ul ol li pre address hr".split()
)
_NOTE_REF = re.compile(r"noteref")
_SENTINEL = "\u2063listen-anchor\u2063"


def read_epub(path: Path) -> Draft:
    """The book as one Draft: its title, author, language and every spine document's blocks."""
    check_readable(path)
    from ebooklib import ITEM_DOCUMENT, epub

    try:
        book = epub.read_epub(str(path), options={"ignore_ncx": True})  # nav.xhtml if any, else toc.ncx
    except KeyError as exc:
        missing = str(exc.args[0] if exc.args else exc).split("'")
        name = missing[1] if len(missing) > 2 else str(exc)
        raise ArticleError(f"{path}: a broken EPUB; it lists {name} but the file is missing from the book.") from exc
    except Exception as exc:  # ebooklib raises bare Exceptions and lxml errors for damaged books
        raise ArticleError(
            f"{path}: a broken EPUB ({exc.__class__.__name__}: {str(exc)[:80]}); it cannot be read."
        ) from exc
    marks = nav_marks(book.toc)
    blocks: list[Block] = []
    for idref, _linear in book.spine:
        item = book.get_item_with_id(idref)
        if item is None:
            raise ArticleError(f"{path}: a broken EPUB; its spine names '{idref}', which the book does not contain.")
        if (
            item.get_type() != ITEM_DOCUMENT
            or isinstance(item, epub.EpubNav)
            or "nav" in (getattr(item, "properties", None) or [])
        ):
            continue
        blocks.extend(document_blocks(item.get_content(), marks.get(_normal(item.get_name()), [])))
    if not any(b.kind == "paragraph" for b in blocks):
        raise ArticleError(f"{path}: this EPUB has no text listen can read (only images, or empty chapters).")
    meta = {}
    for key, name in (("author", "creator"), ("language", "language"), ("date", "date"), ("source", "publisher")):
        values = [clean_line(str(v)) for v, _attrs in book.get_metadata("DC", name) if v]
        if values:
            meta[key] = ", ".join(values) if key == "author" else values[0]
    if "date" in meta:
        meta["date"] = meta["date"][:10]
    if "language" in meta:
        meta["language"] = meta["language"][:2].lower()
    titles = [clean_line(str(v)) for v, _attrs in book.get_metadata("DC", "title") if v]
    title = titles[0] if titles else path.stem
    return Draft(title, tuple(blocks), "", meta)


def check_readable(path: Path) -> None:
    """A zip with an OPF and no DRM, or one line saying which it is not."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "META-INF/container.xml" not in names:
                raise ArticleError(f"{path}: a broken EPUB (no META-INF/container.xml); it cannot be read.")
            if "META-INF/encryption.xml" in names and is_drm(archive.read("META-INF/encryption.xml")):
                raise ArticleError(
                    f"{path}: this EPUB is DRM-protected; listen reads only DRM-free books (use one you can export without DRM)."
                )
    except zipfile.BadZipFile as exc:
        raise ArticleError(f"{path}: not an EPUB (the file is not a readable zip archive).") from exc
    except FileNotFoundError:
        raise ArticleError(f"{path}: no such file; check the path.") from None
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read it ({exc.strerror}).") from exc


def is_drm(encryption_xml: bytes) -> bool:
    """Whether anything but fonts is encrypted: font obfuscation alone leaves the text readable."""
    algorithms = re.findall(rb'Algorithm\s*=\s*["\']([^"\']+)["\']', encryption_xml)
    methods = [a.decode("utf-8", "replace") for a in algorithms]
    if not methods:
        return b"EncryptedData" in encryption_xml
    return any(m not in FONT_OBFUSCATION for m in methods)


@dataclass(frozen=True)
class Mark:
    """A navigation title: where it points in a document (fragment id, '' for the top) and its level."""

    fragment: str
    title: str
    level: int


def nav_marks(toc, level: int = 2) -> dict[str, list[Mark]]:
    """The navigation flattened: document name → its marks in order; nesting gives the level.

    A navigation group without a target of its own (an EPUB 2 'part') is placed where its
    first child points.
    """
    marks: dict[str, list[Mark]] = {}

    def visit(entries, depth: int) -> None:
        for entry in entries:
            node, children = (entry[0], entry[1]) if isinstance(entry, (tuple, list)) else (entry, [])
            title = clean_line(getattr(node, "title", "") or "")
            href = getattr(node, "href", "") or (_first_href(children) if title else "")
            if title and href:
                name, _, fragment = unquote(href).partition("#")
                marks.setdefault(_normal(name), []).append(Mark(fragment, title, min(depth, 6)))
            visit(children, depth + 1)

    visit(toc, level)
    return marks


def document_blocks(content: bytes, marks: list[Mark]) -> list[Block]:
    """One spine document's blocks, with its navigation titles placed as headings.

    The body is walked by the same walker as HTML inside Markdown (html_fragment); a mark
    pointing inside the document (`#fragment`) is found by a sentinel paragraph put before
    the block it names, so the walker never needs to know about anchors.
    """
    from lxml import html as lxml_html

    from listen.articles.html_fragment import element_blocks

    try:
        root = lxml_html.document_fromstring(content)
    except Exception:  # lxml raises ParserError for an empty or unparseable document
        return []
    body = root.find(".//body")
    body = body if body is not None else root
    for ref in body.xpath(".//a"):
        kind = " ".join(v for k, v in ref.attrib.items() if k.endswith("type") or k == "role")
        if _NOTE_REF.search(kind):
            ref.drop_tree()  # a footnote marker is not the article's words (its tail text stays)
    sentinels: dict[str, str] = {}
    for number, fragment in enumerate(dict.fromkeys(m.fragment for m in marks if m.fragment)):
        target = body.xpath(".//*[@id=$id]", id=fragment)
        if target:
            sentinels[fragment] = f"{_SENTINEL}{number}{_SENTINEL}"
            anchor = lxml_html.Element("p")
            anchor.text = sentinels[fragment]
            _block_of(target[0], body).addprevious(anchor)
    blocks: list[Block] = []
    anchors: dict[str, int] = {}
    by_text = {text: fragment for fragment, text in sentinels.items()}
    for block in element_blocks(body):
        if _SENTINEL in block.text:
            for text, fragment in by_text.items():
                if text in block.text:
                    anchors[fragment] = len(blocks)
            rest = block.text
            for text in by_text:
                rest = rest.replace(text, "")
            if not rest.strip():
                continue
            block = Block(block.kind, rest.strip(), block.level)
        if block.kind != "code":
            block = Block(block.kind, clean_line(block.text), block.level)  # encodings, odd spaces
        if block.text:
            blocks.append(block)
    # Marks at the same place keep their order (a part, then its first chapter); the last
    # of them stands in for the chapter's own heading there. From the end backwards, so an
    # insertion never shifts a place not yet handled.
    places: dict[int, list[Mark]] = {}
    for mark in marks:
        places.setdefault(anchors.get(mark.fragment, 0) if mark.fragment else 0, []).append(mark)
    for index in sorted(places, reverse=True):
        headings = [Block("heading", m.title, m.level) for m in places[index]]
        own = index < len(blocks) and blocks[index].kind == "heading"
        blocks[index : index + own] = headings
    return _deepen(blocks, marks)


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
    """A chapter's own subheadings sit below the navigation heading they follow."""
    titles = {(m.title, m.level) for m in marks}
    floor = 1
    result = []
    for block in blocks:
        if block.kind == "heading":
            if (block.text, block.level) in titles:
                floor = block.level
            else:
                block = Block("heading", block.text, min(6, max(block.level, floor + 1)))
        result.append(block)
    return result


def _first_href(children) -> str:
    for entry in children:
        node, grand = (entry[0], entry[1]) if isinstance(entry, (tuple, list)) else (entry, [])
        href = getattr(node, "href", "") or _first_href(grand)
        if href:
            return href
    return ""


def _normal(name: str) -> str:
    """Compare documents by file name relative to the package ('EPUB/c1.xhtml' ~ 'c1.xhtml')."""
    return posixpath.basename(posixpath.normpath(name))
