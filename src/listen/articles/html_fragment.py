"""HTML fragments (raw HTML inside Markdown) to blocks, by the one walker pages use.

Markdown kept by people is often half HTML: cards as `<div>`s, tables, `<details>` with a
`<summary>`, figures with captions. Their words are the article's, so each fragment is
parsed with lxml and walked by html_blocks.py, the converter for pages and EPUB chapters
too: the same headings, lists, rows, code and the same things left out (scripts, hidden
elements, a link alone in a layout container, footnote marks, "Click to expand").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from listen.articles.sections import Block

if TYPE_CHECKING:  # lxml is imported on first use: most Markdown has no HTML in it
    from lxml import etree


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
    callout_titles_as_lead_ins(root)
    return element_blocks(root)


# Boxes set inside an article's text: a Jekyll `<div class="note warning"><h5>…</h5>`, a theme's
# callout. Their heading is the box's label, not a new section of the article.
_CALLOUT = re.compile(
    r"\b(note|notes|warning|tip|info|caution|important|danger|callout|admonition|alert|hint)\b", re.IGNORECASE
)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def callout_titles_as_lead_ins(
    root: etree._Element, boxes: tuple[str, ...] = ("div", "aside", "section"), callout: re.Pattern[str] = _CALLOUT
) -> None:
    """A callout's heading becomes the lead-in of its first paragraph ("Title: text"), as a
    Markdown alert is read, so it is neither a chapter nor cut from the words under it."""
    for box in root.iter(*boxes):
        if not callout.search(box.get("class", "")):
            continue
        heading = next((child for child in box if child.tag in _HEADINGS), None)
        if heading is None:
            continue
        title = " ".join(heading.text_content().split())
        following = heading.getnext()
        if following is not None and following.tag == "p" and title:
            following.text = f"{title}: {following.text or ''}"
            heading.drop_tree()
        else:
            heading.tag = "p"


def element_blocks(root: etree._Element) -> list[Block]:
    """The blocks of an lxml element's content, in document order."""
    from listen.articles.html_blocks import blocks_from_tree

    return blocks_from_tree(root)
