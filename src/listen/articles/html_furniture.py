"""What a page carries around its article and an extractor may keep: taken out of the tree first.

Extractors judge by text density, and a long reader-comment thread is dense text: left in,
it becomes a chapter (and a commenter the author). Wikipedia's furniture (edit links, the
Contents box, infoboxes, navboxes, citation markers, hatnotes, maths markup) looks like
article text too. Both are recognised by the names sites give them, which are stable
(MediaWiki's classes, WordPress's and Disqus's ids), and removed before extraction.

Pull quotes repeat a line of the article in large type: one (a pull-quote class, an aside
or blockquote, or a heading made of a quotation) whose words the article's paragraphs
already hold is removed; any other heading inside a quotation or an aside becomes a
paragraph, so it is never a chapter.
"""

from __future__ import annotations

import re

from lxml import etree

from listen.articles.html_blocks import inline_text, is_quotation

# A class or id token that names a comment thread, in the languages listen reads.
_COMMENTS = re.compile(
    r"^(comments?|comment-?(list|area|section|thread|s-?container|respond|form|wrapper)|commentlist|"
    r"respond|disqus(_thread)?|dsq-.*|webmentions?|reader-?comments|user-?comments|fb-comments|"
    r"comentarios?|commentaires?|kommentare?|coral-.*|talk-?stream|replies|reactions)$",
    re.IGNORECASE,
)
# Page chrome extractors sometimes keep because it sits next to the text: consent banners,
# advertising slots, share bars, "related" boxes. Matched on whole class/id tokens.
_CHROME = re.compile(
    r"^(cookies?([-_].*)?|.*[-_]cookies?|.*consent.*|gdpr.*|didomi.*|onetrust.*|cmp-.*|cc-(banner|window)|"
    r"publicidad|publicite|werbung|anzeige|advert.*|ad-?(slot|unit|container|wrapper)|banner-(top|ad)|"
    r"share-?(bar|buttons|tools|links|box)|sharing|social-?(share|links|buttons|icons)|compartir|partage|teilen|"
    r"related(-?(posts|stories|articles|links|content))?|relacionad[oa]s|noticias-relacionadas|"
    r"more-stories|recommended|newsletter(-box|-signup)?|breadcrumbs?)$",
    re.IGNORECASE,
)
# Boxes named by a part of a longer token ("related_stories", "inline-block-related-list",
# "relatedVideos", "type-gallery"): links to other articles and photo galleries with their own
# headings ("1/50 …"), which are the site's, not the article's sections.
CHROME_PARTS = frozenset({"related", "gallery", "slideshow"})
# A gallery is chrome only when its text is captions: paragraphs inside list items or figures.
# Sites also name layouts and whole photo-led articles "gallery" ("gallery--paragraph-section",
# "ae-bg-gallery-type-default"), and those hold the article's own paragraphs.
_CAPTION_HOLDERS = frozenset({"li", "figure", "figcaption"})
_TOKEN_PARTS = re.compile(r"[-_]|(?<=[a-z])(?=[A-Z])")
# ("read-more", "share" and "social" alone are not among them: sites name article containers
# "entry share" or keep the rest of the article in a #read-more.)
# Chrome and furniture are only removed when this small a share of the page's text: a site
# that names its article container "share-content" or "sidebar" keeps its article.
CHROME_SHARE = 0.3
# MediaWiki furniture and heading permalinks, by class (exact tokens).
_WIKI_CLASSES = frozenset(
    {
        "mw-editsection",
        "toc",
        "toctitle",
        "infobox",
        "navbox",
        "navbox-styles",
        "vertical-navbox",
        "sidebar",
        "hatnote",
        "mw-jump-link",
        "reference",
        "mw-cite-backlink",
        "catlinks",
        "printfooter",
        "metadata",
        "ambox",
        "mbox-small",
        "noprint",
        "mw-empty-elt",
        "shortdescription",
        "mwe-math-element",
        "navigation-not-searchable",
        "mw-indicators",
        "thumbcaption",
        "gallerytext",
        "vector-page-toolbar",
        "vector-menu",
        "mw-portlet",
        "vector-header",
        "mw-footer",
        # permalink marks beside headings (Sphinx, GitHub, anchor.js)
        "headerlink",
        "anchorjs-link",
        "heading-anchor",
        "anchor-link",
        "header-anchor",
    }
)
_WIKI_IDS = frozenset({"toc", "siteSub", "contentSub", "catlinks", "mw-navigation", "footer", "p-lang-btn"})
# Containers of pull quotes, by class token.
_PULL_QUOTES = re.compile(r"^(wp-block-)?pull-?quote.*|^pull-?(right|left|out)$|^quote-?pull.*", re.IGNORECASE)
_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_QUOTE_CLOSERS = "\"”“»’'›"
_WORD = re.compile(r"\w+")
# A box of other stories: at least this many headings in a row that link to other pages, each
# with at most this many words under it.
TEASER_RUN = 3
TEASER_WORDS = 60
# "Read more: <a>Headline of another story</a>": a label this short, a headline this long.
TEASER_LABEL_WORDS = 3
TEASER_LINE_WORDS = 5
# A sign-up box says this much at most: a heading, a line of blurb, a consent sentence.
SIGNUP_WORDS = 60
# A repeat shorter than this is a phrase, not a pull quote.
MIN_PULL_QUOTE_WORDS = 5


def strip_furniture(tree: etree._Element) -> etree._Element:
    """Remove comment threads and wiki furniture from `tree` (in place); mark pull quotes."""
    doomed: list[etree._Element] = []
    page_chars = max(1, len(tree.text_content()))
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        classes = (element.get("class") or "").split()
        ident = element.get("id") or ""
        if (_WIKI_CLASSES.intersection(classes) or ident in _WIKI_IDS) and _small(element, page_chars):
            doomed.append(element)
        elif _is_comment_thread(element, classes, ident):
            doomed.append(element)
        elif _is_chrome(element, classes, ident, page_chars):
            doomed.append(element)
        elif element.tag in ("blockquote", "aside") or any(_PULL_QUOTES.match(c) for c in classes):
            if _repeats_the_text(tree, element):
                doomed.append(element)
            else:
                _unhead(element)
        elif element.tag in _HEADING_TAGS and is_quotation(inline_text(element)) and _repeats_the_text(tree, element):
            doomed.append(element)
    doomed.extend(_teaser_lists(tree, page_chars))
    doomed.extend(_signup_boxes(tree, page_chars))
    doomed.extend(_teaser_lines(tree))
    for element in doomed:
        if element.getparent() is not None:
            _drop(element)
    return tree


def _teaser_lists(tree: etree._Element, page_chars: int) -> list[etree._Element]:
    """Boxes of other stories: a run of TEASER_RUN headings or more, in a row, each holding a
    link to another page and each followed by a few lines at most (a headline, a thumbnail, a
    sentence of teaser). The smallest element holding the whole run goes, when it is a small
    part of the page; an article whose sections link elsewhere has longer sections."""
    headings: list[etree._Element] = []
    words: list[int] = []  # the words after each heading, up to the next
    inside: set[etree._Element] = set()
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style"):
            continue
        if element.tag in _HEADING_TAGS:
            headings.append(element)
            words.append(0)
            inside.update(element.iter())
            count = len(_WORD.findall(element.tail or ""))
        elif element in inside:
            continue
        else:
            count = len(_WORD.findall(f"{element.text or ''} {element.tail or ''}"))
        if words:
            words[-1] += count
    found: list[etree._Element] = []
    run: list[etree._Element] = []
    for heading, after in zip(headings, words, strict=True):
        if _links_away(heading) and after <= TEASER_WORDS:
            run.append(heading)
            continue
        if len(run) >= TEASER_RUN:
            found.extend(_holder(run, page_chars))
        run = []
    if len(run) >= TEASER_RUN:
        found.extend(_holder(run, page_chars))
    return found


def _signup_boxes(tree: etree._Element, page_chars: int) -> list[etree._Element]:
    """Newsletter and sign-up boxes: the smallest element around an e-mail field that also
    holds a heading ("Subscribe to the Morning Review"), when it says little (SIGNUP_WORDS).
    The form alone is already left out as a control; its heading and blurb go with it here."""
    found: list[etree._Element] = []
    for field in tree.iter("input"):
        if (field.get("type") or "").lower() != "email" and "mail" not in (field.get("name") or "").lower():
            continue
        for box in field.iterancestors():
            if box.tag in ("html", "body", "main", "article"):
                break
            if any(True for _ in box.iter(*_HEADING_TAGS)):
                if len(_WORD.findall(inline_text(box))) <= SIGNUP_WORDS and _small(box, page_chars):
                    found.append(box)
                break
    return found


def _teaser_lines(tree: etree._Element) -> list[etree._Element]:
    """Lines pointing at another story from inside the text: `<p><b>Read more:</b> <a>Headline
    of another story</a></p>`. A short label ending in a colon, then one link to another page
    that is all the rest of the line and reads as a headline (TEASER_LINE_WORDS or more)."""
    found: list[etree._Element] = []
    for line in tree.iter("p"):
        links = [a for a in line.iter("a") if _links_away(a)]
        if len(links) != 1:
            continue
        text = inline_text(line)
        headline = inline_text(links[0])
        label, _, rest = text.partition(":")
        if (
            rest.strip() == headline
            and 0 < len(_WORD.findall(label)) <= TEASER_LABEL_WORDS
            and len(_WORD.findall(headline)) >= TEASER_LINE_WORDS
        ):
            found.append(line)
    return found


def _links_away(heading: etree._Element) -> bool:
    return any(
        (href := (a.get("href") or "").strip()) and not href.startswith(("#", "javascript:")) for a in heading.iter("a")
    )


def _holder(run: list[etree._Element], page_chars: int) -> list[etree._Element]:
    """The smallest element holding the whole run, when it holds no other heading than the
    box's own label ("Other columns"): never a section of the article around it."""
    members = set(run)
    for ancestor in run[0].iterancestors():
        if all(any(a is ancestor for a in h.iterancestors()) for h in run[1:]):
            others = sum(1 for h in ancestor.iter(*_HEADING_TAGS) if h not in members)
            keep = ancestor.tag in ("html", "body") or others > 1 or not _small(ancestor, page_chars)
            return [] if keep else [ancestor]
    return []


def _is_comment_thread(element: etree._Element, classes: list[str], ident: str) -> bool:
    if element.tag in ("html", "body", "main", "span", "a", "time"):
        return False
    if not (_COMMENTS.match(ident) or any(_COMMENTS.match(c) for c in classes)):
        return False
    # A thread never holds the article's own title: a page whose article sits in something
    # named "comment" (an opinion section, say) keeps it.
    return not any(True for _ in element.iter("h1"))


def _is_chrome(element: etree._Element, classes: list[str], ident: str, page_chars: int) -> bool:
    if element.tag in ("html", "body", "main", "article") or element.tag in _HEADING_TAGS:
        return False
    tokens = [ident, *classes]
    if any(_CHROME.match(t) for t in tokens):
        return _small(element, page_chars)
    parts = {p.lower() for t in tokens for p in (t, *_TOKEN_PARTS.split(t))}
    if not CHROME_PARTS.intersection(parts):
        return False
    if CHROME_PARTS.intersection(parts) == {"gallery"} and not _captions_only(element):
        return False
    return _small(element, page_chars)


def _captions_only(element: etree._Element) -> bool:
    """True when every paragraph in `element` is a caption (inside a list item or figure)."""
    for paragraph in element.iter("p"):
        for ancestor in paragraph.iterancestors():
            if ancestor is element:
                return False  # reached the gallery without passing a caption holder
            if ancestor.tag in _CAPTION_HOLDERS:
                break
    return True


def _small(element: etree._Element, page_chars: int) -> bool:
    """Furniture is a small part of a page and never holds its h1: a site that puts its
    article in an `aside class="sidebar"` keeps it."""
    if any(True for _ in element.iter("h1")):
        return False
    return len(element.text_content()) < CHROME_SHARE * page_chars


def _repeats_the_text(tree: etree._Element, quote: etree._Element) -> bool:
    """True when the words inside the quotation marks of `quote` are in a paragraph outside it."""
    text = inline_text(quote)
    if is_quotation(text):
        text = text[1 : max(text.rfind(c) for c in _QUOTE_CLOSERS)]
    words = " ".join(_WORD.findall(text.casefold()))
    if len(words.split()) < MIN_PULL_QUOTE_WORDS:
        return False
    for paragraph in tree.iter("p"):
        if any(ancestor is quote for ancestor in paragraph.iterancestors()) or paragraph is quote:
            continue
        if f" {words} " in f" {' '.join(_WORD.findall(inline_text(paragraph).casefold()))} ":
            return True
    return False


def _unhead(container: etree._Element) -> None:
    """Headings inside a quotation or an aside are pull quotes: make them paragraphs."""
    for heading in list(container.iter(*_HEADING_TAGS)):
        heading.tag = "p"


def _drop(element: etree._Element) -> None:
    """Remove an element but keep its tail text (the words after it belong to its parent)."""
    parent = element.getparent()
    tail = element.tail
    if tail and tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)
