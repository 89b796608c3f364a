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
    return element_blocks(root)


def element_blocks(root: etree._Element) -> list[Block]:
    """The blocks of an lxml element's content, in document order."""
    from listen.articles.html_blocks import blocks_from_tree

    return blocks_from_tree(root)
