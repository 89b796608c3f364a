"""A work from the Archive of Our Own (AO3), the fan-fiction archive whose readers often
listen: its HTML download ("Download → HTML") and its work page saved whole ("Entire Work").

Both set the story the same way: a preface (the work's title, its author, tags, a summary
and notes), then each chapter as a heading ("Chapter 3: Low Water"), the author's notes at
its start and end, and the chapter's text; then an afterword and the archive's plug for
comments. A listener wants the story: the title, author and summary become the article's
metadata and standfirst, the tags and the archive's own lines go, and each chapter's notes
become back matter after the chapter's text (shown by the reader, not narrated), so every
chapter starts with its story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from listen.articles.text import clean_line

# The landmark headings and labels the archive sets for screen readers and its own layout.
_LABELS = re.compile(
    r"^(chapter text|summary|notes|chapter notes|chapter summary|work text|afterword|end notes)\s*:?$", re.I
)
_SEE_END = re.compile(r"^\(?\s*see the end of the (chapter|work) for (more )?notes\.?\s*\)?$", re.I)


@dataclass(frozen=True)
class Work:
    """What the preface says about the work."""

    title: str
    author: str
    summary: str


def ao3_work(root) -> Work | None:
    """Rewrite an AO3 download or work page in place to its story; None when it is not one."""
    body = root.find(".//body")
    if body is None:
        return None
    skin = _by_id(body, "workskin")
    chapters = _by_id(body, "chapters")
    if chapters is None or (skin is None and _by_id(body, "preface") is None):
        return None
    if skin is not None:  # a work page: keep the work, drop the site around it (menus, kudos, comments)
        for child in list(body):
            body.remove(child)
        body.append(skin)
    title = _text(_first(body, ".//div[@id='preface']//h1", ".//h2[contains(@class,'title')]"))
    author = _text(_first(body, ".//a[@rel='author']"))
    summary = _summary(body)
    work_notes = _work_notes(body)
    if work_notes:  # the author's notes on the whole work open it, as notes
        chapters.insert(0, _notes_block(work_notes))
    for element in list(body.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        classes = (element.get("class") or "").split()
        work_preface = element.get("id") == "preface" or ("preface" in classes and "chapter" not in classes)
        afterword = element.get("id") == "afterword" or "afterword" in classes
        if afterword:
            notes = list(element.iter("blockquote"))
            if notes:  # the author's end notes on the work close it, as notes
                body.append(_notes_block(notes))
        if work_preface or afterword or "message" in classes or element.tag == "dl":
            element.drop_tree()
    for heading in chapters.xpath(".//h3[contains(@class,'title')]"):
        heading.tag = "h2"  # a work page sets chapter titles a rank lower than the download does
    for group in list(chapters.iter()):
        if isinstance(group.tag, str) and _is_notes(group) and group.getparent() is not None:
            _after_chapter_text(group)
    for element in list(body.iter("h1", "h2", "h3", "h4", "p", "div", "a")):
        if element.getparent() is not None and (_LABELS.match(_text(element)) or _SEE_END.match(_text(element))):
            element.drop_tree()
    return Work(title, author, summary)


def _summary(body) -> str:
    """The work's summary: the quotation after the preface's "Summary" label."""
    for label in body.iter("p", "h3"):
        if _text(label).rstrip(":").casefold() == "summary":
            quote = label.getnext()
            if quote is not None and quote.tag == "blockquote":
                return _text(quote)
    return ""


def _work_notes(body) -> list:
    """The quotations after the preface's "Notes" label (the author's notes on the work)."""
    preface = _first(body, ".//div[@id='preface']", ".//div[contains(@class,'preface')]")
    if preface is None:
        return []
    for label in preface.iter("p", "h3"):
        if _text(label).rstrip(":").casefold() == "notes":
            quote = label.getnext()
            if quote is not None and quote.tag == "blockquote":
                return [quote]
    return []


def _is_notes(element) -> bool:
    classes = (element.get("class") or "").split()
    return (
        ("notes" in classes or "end" in classes or (element.get("id") or "").startswith("endnotes"))
        and element.tag == "div"
        and any(True for _ in element.iter("blockquote"))
    )


def _after_chapter_text(notes) -> None:
    """A chapter's notes, marked as notes (back matter) and moved after its text: notes set
    before the text (in the chapter's heading group) go after the next text; end notes,
    already after it, stay where they are."""
    block = _notes_block(list(notes.iter("blockquote")))
    node = notes
    while node is not None and node.get("id") != "chapters":
        following = node.getnext()
        while following is not None:
            if _is_text(following):
                following.addnext(block)
                notes.drop_tree()
                return
            if any(True for _ in following.iter("h2", "h3")):
                node = None  # the next chapter begins: these are the end notes of this one
                break
            following = following.getnext()
        node = node.getparent() if node is not None else None
    notes.addprevious(block)
    notes.drop_tree()


def _is_text(element) -> bool:
    return "userstuff" in (element.get("class") or "").split() or element.get("role") == "article"


def _notes_block(quotes):
    """Notes as the book path reads them: a block marked as notes (back matter named Notes)."""
    from lxml import html as lxml_html

    section = lxml_html.Element("div")
    section.set("role", "doc-endnotes")
    for quote in quotes:
        for paragraph in quote.iter("p"):
            copy = lxml_html.Element("p")
            copy.text = _text(paragraph)
            section.append(copy)
    return section


def _by_id(body, name: str):
    found = body.xpath(".//*[@id=$id]", id=name)
    return found[0] if found else None


def _first(body, *paths: str):
    for path in paths:
        found = body.xpath(path)
        if found:
            return found[0]
    return None


def _text(element) -> str:
    return clean_line(element.text_content()) if element is not None else ""
