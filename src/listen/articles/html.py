"""HTML pages: the main content extracted by trafilatura, keeping its headings.

trafilatura drops navigation, footers and comments and gives the article as Markdown, which
the Markdown parser turns into blocks; the page's metadata (title, author, date, site) and
its `lang` attribute fill in the rest.
"""

from __future__ import annotations

import re

from listen.articles.markdown import parse_markdown
from listen.articles.sections import Draft
from listen.articles.text import clean_line, clean_text
from listen.errors import ArticleError

_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.IGNORECASE)


def parse_html(html: str, fallback_title: str, path: object = "page") -> Draft:
    import trafilatura  # heavy (~0.3 s); only pages need it

    # Dates only from what the page states, never guessed from a copyright line.
    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_formatting=True,
        include_links=False,
        favor_recall=True,
        output_format="python",
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    body = getattr(document, "text", None) if document is not None else None
    markdown = trafilatura.extract(
        html,
        output_format="markdown",
        include_comments=False,
        include_formatting=True,
        include_links=False,
        include_images=False,
        favor_recall=True,
        with_metadata=False,
    )
    if not (markdown or body or "").strip():
        raise ArticleError(f"{path}: no article text found in this page; save the article's own page or its text.")
    draft = parse_markdown(clean_text(markdown or body or ""), fallback_title)
    if not any(block.kind == "paragraph" for block in draft.blocks):
        raise ArticleError(f"{path}: no article text found in this page; save the article's own page or its text.")
    meta = dict(draft.meta)
    for name, value in (
        ("author", getattr(document, "author", None)),
        ("date", getattr(document, "date", None)),
        ("source", getattr(document, "sitename", None)),
    ):
        if value and name not in meta:
            meta[name] = clean_line(str(value))
    if (lang := _LANG.search(html[:5000])) is not None:
        meta.setdefault("language", lang.group(1).lower())
    title = draft.title
    page_title = clean_line(getattr(document, "title", None) or "")
    if title == fallback_title and page_title:
        title = page_title
    return Draft(title, draft.blocks, draft.standfirst, meta)
