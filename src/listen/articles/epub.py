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

A book is more than its text: a cover, a title page, its own table of contents, page
numbers, a copyright page, a colophon, notes with "↩" links back. Publishers say which is
which (epub:type and role attributes, EPUB 3 landmarks, EPUB 2 guide references), and those
are read first: furniture that only repeats the title or the navigation is left out, and
copyright, imprint, colophon, notes and bibliography become back matter (shown, not
narrated unless asked). Books that say nothing are read by shape: a page that is mostly
links to the book's own documents is a contents page, a short page headed by the book's
title is its title page, a page with no text (a cover image) is nothing. A Project
Gutenberg EPUB's header and licence are left out by their ids and markers, as in plain text.
Those rules, page by page, are in epub_pages.py.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from urllib.parse import unquote

from listen.articles.epub_pages import (
    BACK_MATTER,
    FURNITURE,
    FURNITURE_TITLES,
    Mark,
    document_blocks,
    first_href,
    normal_name,
    semantic_types,
)
from listen.articles.sections import Block, Draft
from listen.articles.text import clean_line
from listen.errors import ArticleError

# Obfuscated fonts are listed in encryption.xml too; they are not DRM and the text is readable.
FONT_OBFUSCATION = ("http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC")
# A running header or footer: in 3 documents or more, 6 words or more, among a page's first or last 3 blocks.
RUNNING_MIN, RUNNING_WORDS, RUNNING_EDGE = 3, 6, 3


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
    roles = document_roles(book)
    documents = set()
    titles = [clean_line(str(v)) for v, _attrs in book.get_metadata("DC", "title") if v]
    title = titles[0] if titles else path.stem
    authors = tuple(clean_line(str(v)) for v, _attrs in book.get_metadata("DC", "creator") if v)
    chapters: list[list[Block]] = []
    for idref, _linear in book.spine:
        if idref is None:
            continue  # ebooklib reads an XML comment in the spine as an entry without an idref
        item = book.get_item_with_id(idref)
        if item is None:
            raise ArticleError(f"{path}: a broken EPUB; its spine names '{idref}', which the book does not contain.")
        if (
            item.get_type() != ITEM_DOCUMENT
            or isinstance(item, epub.EpubNav)
            or "nav" in (getattr(item, "properties", None) or [])
        ):
            continue
        name = normal_name(item.get_name())
        documents.add(name)
        role = roles.get(name, "")
        if role in FURNITURE:
            continue
        chapters.append(
            document_blocks(
                item.get_content(), marks.get(name, []), title=title, back=BACK_MATTER.get(role, ""), authors=authors
            )
        )
    blocks = without_running_lines(chapters)
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
    return Draft(title, tuple(blocks), "", meta)


def without_running_lines(chapters: list[list[Block]]) -> list[Block]:
    """The book's blocks, less a running header or footer a converter put on every page ("From
    A Book, version 2. Licensed under…"): the same paragraph of RUNNING_WORDS words or more at
    the top or the bottom of at least RUNNING_MIN documents and a quarter of those with text.
    Short repeated lines ("Yes.", "Note", a signature) and repeats mid-page are the text."""
    seen: dict[str, int] = {}
    for blocks in chapters:
        edges = blocks[:RUNNING_EDGE] + blocks[-RUNNING_EDGE:]
        for text in {b.text for b in edges if b.kind == "paragraph" and len(b.text.split()) >= RUNNING_WORDS}:
            seen[text] = seen.get(text, 0) + 1
    with_text = sum(1 for blocks in chapters if blocks)
    running = {t for t, n in seen.items() if n >= RUNNING_MIN and n >= with_text / 4}
    return [
        b
        for blocks in chapters
        for n, b in enumerate(blocks)
        if not (b.text in running and (n < RUNNING_EDGE or n >= len(blocks) - RUNNING_EDGE))
    ]


def document_roles(book) -> dict[str, str]:
    """Spine document name → what the book says it is ('cover', 'toc', 'colophon'…).

    From EPUB 3 landmarks and EPUB 2 guide references, then, for a book that says nothing,
    from a navigation title that names furniture ("Cover", "Title Page", "Contents").
    Only whole documents count here: a landmark to a fragment names part of a page.
    """
    roles: dict[str, str] = {}
    for ref in book.guide:
        href, kind = ref.get("href") or "", (ref.get("type") or "").lower()
        if href and "#" not in href and kind:
            roles.setdefault(normal_name(unquote(href)), "notes" if kind == "notes" else kind)
    for item in book.get_items():
        if "nav" in (getattr(item, "properties", None) or []) or item.__class__.__name__ == "EpubNav":
            for href, kind in _landmarks(item.get_content()):
                if "#" not in href:
                    roles[normal_name(unquote(href))] = kind
    for name, marks in nav_marks(book.toc).items():
        top = [m for m in marks if not m.fragment]
        if name not in roles and top and FURNITURE_TITLES.fullmatch(top[0].title.strip(" .:")):
            roles[name] = "toc" if "content" in top[0].title.lower() else "cover"
    return roles


def _landmarks(content: bytes) -> list[tuple[str, str]]:
    """(href, type) of each entry in a navigation document's landmarks list."""
    from lxml import html as lxml_html

    try:
        root = lxml_html.document_fromstring(content)
    except Exception:  # an unreadable navigation document has no landmarks to give
        return []
    found = []
    for nav in root.iter("nav"):
        if "landmarks" not in semantic_types(nav):
            continue
        for link in nav.iter("a"):
            kinds = semantic_types(link)
            if link.get("href") and kinds:
                found.append((link.get("href"), kinds[0]))
    return found


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
            href = getattr(node, "href", "") or (first_href(children) if title else "")
            if title and href:
                name, _, fragment = unquote(href).partition("#")
                marks.setdefault(normal_name(name), []).append(Mark(fragment, title, min(depth, 6)))
            visit(children, depth + 1)

    visit(toc if isinstance(toc, (list, tuple)) else [toc], level)  # an empty NCX gives ebooklib one Link
    return marks
