"""HTML pages: the article's own text, headings and code, and nothing of the page around it.

Four steps, each in its own module:
1. the title from the page as it came (html_title.py): a heading the declared title agrees
   with, og:title, a substantial h1 or <title>, site name removed, before anything is taken
   out of the tree; and the standfirst where the page marks one;
2. comment threads, wiki furniture, consent banners, share bars and "related" boxes out,
   pull quotes that repeat the text out (html_furniture.py);
3. the main content found by trafilatura, as its XML (which keeps headings, lists, quotes
   and code apart, where its Markdown flattens them), in the mode bench/bench_fidelity.py
   measured best (see EXTRACTION);
4. that XML to blocks (html_blocks.py), then tidied here: citation markers and "[edit]"
   dropped, the title's own heading, the kicker and byline above the text and a Contents
   list taken out, a quotation heading that repeats the text dropped; headings the extractor
   dropped put back above their text, and a links-only back-matter list after the article's end.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from listen.articles.back_matter import is_back_matter
from listen.articles.html_blocks import blocks_from_tree, inline_text, is_quotation
from listen.articles.html_furniture import strip_furniture
from listen.articles.html_restore import restore_demoted_headings
from listen.articles.html_title import LABEL_WORDS as KICKER_WORDS
from listen.articles.html_title import article_title
from listen.articles.sections import Block, Draft
from listen.articles.text import clean_line
from listen.errors import ArticleError

# trafilatura's settings, chosen by bench/bench_fidelity.py on the fidelity fixtures and the
# public yardstick pages (figures in bench/README.md).
EXTRACTION: dict[str, Any] = {"favor_precision": False, "favor_recall": True}  # trafilatura flags
# "[17]", "[a]", "[citation needed]", "[note 3]": citation markers, never read out.
_CITATION = re.compile(
    r"\s?\[(?:\d{1,3}|[a-z]{1,2}|[ivx]{1,4}|note \d+|nb \d+|citation needed|clarification needed|"
    r"which\?|who\?|when\?|according to whom\?|dubious\s*[–-]\s*discuss|page needed|"
    r"nota \d+|cita requerida|réf\. nécessaire|modifier|bearbeiten|editar|edit)\]",
    re.IGNORECASE,
)
_EDIT = re.compile(
    r"\s*\[\s*(edit|modifier|modifier le code|bearbeiten|quelltext bearbeiten|editar)\s*\]\s*$", re.IGNORECASE
)
_LANG = re.compile(r"^[A-Za-z]{2,3}")
_BYLINE_EDGES = re.compile(r"^(?:by\s+)?[\s·•|,;:–—-]+|[\s·•|,;:–—-]+$", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_WORD = re.compile(r"\w+")
# A table of contents under its own heading: the reader has its own, and it is never read.
CONTENTS = frozenset(
    {
        "contents",
        "table of contents",
        "in this article",
        "índice",
        "contenido",
        "sommaire",
        "table des matières",
        "inhalt",
        "inhaltsverzeichnis",
    }
)
_LIST_ITEM = re.compile(r"^(-|\d{1,3}(\.\d{1,3})*\.?)\s")
# Short lines above the text that are not sentences (kicker, date, byline) are dropped.
LABEL_WORDS = 10
LABEL_CHARS = 80
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
MAX_LABELS = 4
_SENTENCE_END = re.compile(r"[.!?…:;»”\"。！？]$")
STANDFIRST_WORDS = (6, 80)
_STANDFIRST = re.compile(
    r"^(standfirst|dek|deck|sub-?title|subheadline|subtitulo|sumario|entradilla|chapo|chapeau|"
    r"article-?(lead|standfirst|dek)|lede)$",
    re.IGNORECASE,
)
# A paragraph the extraction kept brings back the heading above it on the page only when it
# is at least this long (and found once on the page).
RESTORE_WORDS = 6
_FILE_NAME = re.compile(r"\.(jpe?g|png|gif|webp|svg|pdf)\s*$", re.IGNORECASE)
# A repeated passage this short (a pull quote) is dropped; a longer one is kept.
PULL_QUOTE_WORDS = 45


def parse_html(html: str, fallback_title: str, path: object = "page") -> Draft:
    import trafilatura  # heavy (~0.3 s); only pages need it

    tree = page_tree(html, path)
    title = article_title(tree) or fallback_title
    dek = page_standfirst(tree)
    declared = _LANG.match((tree.get("lang") or "").strip())
    strip_furniture(tree)
    # trafilatura is given markup, not the tree: it parses with its own settings, and handed
    # lxml.html's tree it lost whole paragraphs (measured on Readability's nytimes-3 page).
    markup = etree.tostring(tree, encoding="unicode", method="html")
    # Dates only from what the page states, never guessed from a copyright line.
    document = trafilatura.bare_extraction(
        markup,
        with_metadata=True,
        include_comments=False,
        include_formatting=True,
        include_links=False,
        include_images=False,
        include_tables=True,
        output_format="python",
        date_extraction_params={"extensive_search": False, "original_date": True},
        **EXTRACTION,
    )
    body = getattr(document, "body", None) if document is not None else None
    link_labels: set[str] = set()
    page = blocks_from_tree(tree, link_labels) if body is not None else []
    blocks = restore_demoted_headings(blocks_from_tree(body), page, tree, title) if body is not None else []
    blocks = restore_headings(blocks, page, title, page_descriptions(tree))
    blocks = restore_back_matter(blocks, page)
    blocks = [  # the extractor's copy has lost the links that make a label a link box's
        Block("paragraph", b.text) if b.kind == "heading" and " ".join(_tokens(b.text)) in link_labels else b
        for b in blocks
    ]
    standfirst, blocks = tidy_blocks(blocks, title, dek)
    links = {" ".join(_tokens(inline_text(a))) for a in tree.iter("a")}
    if not any(_is_text(block, title, links) for block in blocks):
        raise ArticleError(f"{path}: no article text found in this page; save the article's own page or its text.")
    meta: dict[str, str] = {}
    for name, value in (
        ("author", getattr(document, "author", None)),
        ("date", getattr(document, "date", None)),
        ("source", getattr(document, "sitename", None)),
    ):
        if value:
            meta[name] = clean_line(str(value))
    if meta.get("author"):  # a byline's separator comes along: "Ina Pell ·", "By Ann Tor |"
        meta["author"] = _BYLINE_EDGES.sub("", meta["author"]) or meta["author"]
    if declared is not None:
        meta["language"] = declared.group(0).lower()
    return Draft(title, tuple(blocks), standfirst, meta)


def restore_headings(
    blocks: list[Block], page: list[Block], title: str, descriptions: frozenset[str] = frozenset()
) -> list[Block]:
    """Put back the headings the extractor dropped while keeping the text under them.

    trafilatura loses headings on some pages (all twelve of a blog post whose headings hold a
    `<font>`, say). A heading of the page whose next block is a paragraph the extraction kept
    is the article's: it goes back in front of that paragraph, at its own level. The
    paragraph must be long enough (RESTORE_WORDS) and found once on the page, so a short
    repeated line never pulls in a box's heading. A heading that is the page's declared
    description is its standfirst, and one that is an image's file name is a caption: neither
    is a section.
    """
    seen = Counter(" ".join(_tokens(b.text)) for b in page if b.kind != "heading")
    kept = Counter(" ".join(_tokens(b.text)) for b in blocks if b.kind == "heading")
    title_words = " ".join(_tokens(title))
    wanted: dict[str, Block] = {}
    for heading, following in pairwise(page):
        words = " ".join(_tokens(following.text))
        name = " ".join(_tokens(heading.text))
        if (
            heading.kind == "heading"
            and following.kind == "paragraph"
            and name
            and name != title_words
            and name not in descriptions
            and not _FILE_NAME.search(heading.text)
            and len(words.split()) >= RESTORE_WORDS
            and seen[words] == 1
            and not kept[name]
        ):
            wanted[words] = heading
    if not wanted:
        return blocks
    restored: list[Block] = []
    for block in blocks:
        found = wanted.pop(" ".join(_tokens(block.text)), None) if block.kind == "paragraph" else None
        if found is not None and not (restored and _tokens(restored[-1].text) == _tokens(found.text)):
            restored.append(found)
        restored.append(block)
    return restored


def restore_back_matter(blocks: list[Block], page: list[Block]) -> list[Block]:
    """Put back a list of links under a back-matter heading that the extractor dropped.

    trafilatura leaves out a section made only of links ("External links", "Sources"), link
    density being its sign of navigation. When the page's next block after the article's last
    is such a heading, followed by list items, the heading and its items close the article
    (marked as back matter like any other: narration skips them). A "Related" list is the
    site's box of other stories, not back matter of this article, and stays out.
    """
    if not blocks:
        return blocks
    last = " ".join(_tokens(blocks[-1].text))
    places = [i for i, b in enumerate(page) if " ".join(_tokens(b.text)) == last]
    if not last or len(places) != 1 or places[0] + 1 >= len(page):
        return blocks
    heading = page[places[0] + 1]
    names = {" ".join(_tokens(b.text)) for b in blocks if b.kind == "heading"}
    name = " ".join(_tokens(heading.text))
    # "Related …" lists other stories, the site's box, not the article's sources.
    if heading.kind != "heading" or not is_back_matter(heading.text) or name in names or name.startswith("related"):
        return blocks
    items: list[Block] = []
    for block in page[places[0] + 2 :]:
        if block.kind != "paragraph" or not _LIST_ITEM.match(block.text):
            break
        items.append(block)
    return [*blocks, heading, *items] if items else blocks


def page_descriptions(tree: etree._Element) -> frozenset[str]:
    """The words of the summaries a page declares (description, og:description, subtitle)."""
    found = tree.xpath(
        "//meta[@name='description' or @property='og:description' or @name='twitter:description'"
        " or @name='subtitle']/@content"
    )
    return frozenset(words for text in found if (words := " ".join(_tokens(str(text)))))


def _is_text(block: Block, title: str, links: set[str]) -> bool:
    """Article text: code, or a paragraph that is not the title again nor a link's words (a
    page whose only words are its "Home" link is not an article)."""
    if block.kind == "code":
        return True
    words = " ".join(_tokens(block.text))
    return block.kind == "paragraph" and bool(words) and words != " ".join(_tokens(title)) and words not in links


def page_tree(html: str, path: object = "page") -> etree._Element:
    """The page as an lxml tree; one clear error when it is not a page at all."""
    html = _XML_DECLARATION.sub("", html, count=1)  # lxml refuses a str that declares an encoding
    try:
        tree = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError) as error:
        raise ArticleError(f"{path}: this page cannot be parsed as HTML ({error}).") from None
    return tree


def page_standfirst(tree: etree._Element) -> str:
    """The standfirst as the page marks it (class "standfirst", "dek", "subtitulo"…), or ''."""
    for element in tree.iter("p", "h2", "h3", "div", "span"):
        classes = (element.get("class") or "").split()
        if any(_STANDFIRST.match(c) for c in classes):
            text = clean_line(inline_text(element))
            if STANDFIRST_WORDS[0] <= len(text.split()) <= STANDFIRST_WORDS[1]:
                return text
    return ""


def tidy_blocks(blocks: list[Block], title: str, dek: str = "") -> tuple[str, list[Block]]:
    """Citation markers and edit links out, the title's heading and standfirst out, pull
    quotes and tables of contents out.

    `dek` is the standfirst as the page marks it; it is returned as the standfirst when the
    first block is it set as a heading, or when the extractor left it out.
    """
    cleaned: list[Block] = []
    for block in blocks:
        if block.kind == "code":
            cleaned.append(block)
            continue
        text = _EDIT.sub("", block.text) if block.kind == "heading" else block.text
        text = " ".join(_CITATION.sub("", text).split())
        if text:
            cleaned.append(Block(block.kind, text, block.level))
    cleaned = _without_contents(_without_leading_labels(_without_title(cleaned, title)))
    standfirst = ""
    if dek and cleaned and cleaned[0].kind == "heading" and _tokens(cleaned[0].text) == _tokens(dek):
        standfirst, cleaned = cleaned[0].text, cleaned[1:]
    elif dek and not any(_contains(b.text, dek) for b in cleaned):
        standfirst = dek  # the extractor left the page's standfirst out; it is the article's
    return standfirst, _without_repeats(cleaned)


def _without_title(blocks: list[Block], title: str) -> list[Block]:
    """Drop the heading that repeats the title, and the short labels (kicker, date) above it."""
    folded = _tokens(title)
    for index, block in enumerate(blocks[:6]):
        if block.kind == "heading" and _repeats_title(_tokens(block.text), folded):
            before = blocks[:index]
            if all(len(b.text.split()) <= 6 for b in before):
                return blocks[index + 1 :]
            return blocks[:index] + blocks[index + 1 :]
    return blocks


def _repeats_title(heading: list[str], title: list[str]) -> bool:
    """The title's heading, also with a kicker set inside it ("Features The ferryman's…"),
    as html_title reads it; never a section ending in a short title's words ("History of
    Mozilla" under "Mozilla")."""
    extra = len(heading) - len(title)
    kicked = len(title) > KICKER_WORDS and 0 < extra <= KICKER_WORDS and heading[extra:] == title
    return heading == title or kicked


def _without_leading_labels(blocks: list[Block]) -> list[Block]:
    """Kicker, date line and byline above the text: a few short lines that are not sentences."""
    for index, block in enumerate(blocks[: MAX_LABELS + 1]):
        following = blocks[index + 1].text if index + 1 < len(blocks) else ""
        # A line the next one continues ("When" then ", there are two…", around a formula)
        # is a broken sentence, not a label.
        if (
            block.kind != "paragraph"
            or not _is_label(block.text)
            or following[:1]
            and not following[:1].isupper()
            and not following[:1].isdigit()
        ):
            return blocks[index:]
    return blocks


def _is_label(text: str) -> bool:
    """'Part Forana', 'By Ann Lee | 4 May': short, no sentence end, not a line of CJK text
    (which has few spaces to count words by)."""
    return (
        (text[:1].isupper() or text[:1].isdigit())
        and len(text.split()) <= LABEL_WORDS
        and len(text) <= LABEL_CHARS
        and not _SENTENCE_END.search(text)
        and not _CJK.search(text)
    )


def _contains(text: str, part: str) -> bool:
    return f" {' '.join(_tokens(part))} " in f" {' '.join(_tokens(text))} "


def _without_contents(blocks: list[Block]) -> list[Block]:
    """A 'Contents' heading and the list under it."""
    kept: list[Block] = []
    skipping = False
    for block in blocks:
        if block.kind == "heading":
            skipping = " ".join(_tokens(block.text)) in CONTENTS
            if skipping:
                continue
        elif skipping and block.kind == "paragraph" and _LIST_ITEM.match(block.text):
            continue
        else:
            skipping = False
        kept.append(block)
    return kept


def _without_repeats(blocks: list[Block]) -> list[Block]:
    """A quotation the text beside it already holds (a pull quote set as a heading, say)."""
    paragraphs = [(i, " ".join(_tokens(b.text))) for i, b in enumerate(blocks) if b.kind == "paragraph"]
    kept: list[Block] = []
    for index, block in enumerate(blocks):
        if block.kind == "paragraph" and is_quotation(block.text) and len(block.text.split()) <= PULL_QUOTE_WORDS:
            words = " ".join(_tokens(_quoted_part(block.text)))
            if words and any(
                i != index and len(other) > len(words) and f" {words} " in f" {other} " for i, other in paragraphs
            ):
                continue
        kept.append(block)
    return kept


def _quoted_part(text: str) -> str:
    """'“Lifted words,” says Ann.' → 'Lifted words,': what a pull quote repeats."""
    if not is_quotation(text):
        return text
    closing = max(text.rfind(c) for c in "\"”“»’'›")
    return text[1:closing]


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.casefold())
