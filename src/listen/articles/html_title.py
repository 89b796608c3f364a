"""A page's article title, never its site's: from the h1, og:title or <title>, site name removed.

Pages name themselves "Article | Site", "Article · Site", "Site - Article" or glue the site
on with no space at all ("…de AlcanadaDiario de Tramuntana"). The site's names are read from
what the page declares (og:site_name, application-name, twitter:site, JSON-LD publisher, the
logo's alt text); the logo's alt text is only ever a name to remove, never the title.
"""

from __future__ import annotations

import json
import re

from lxml import etree

from listen.articles.html_blocks import inline_text
from listen.articles.text import clean_line

SEPARATORS = re.compile(r"\s+(?:\||·|•|-|–|—|::|»|/)\s+")
# An unnamed trailing part this short is taken for a site name ("Lake Orrin - Wikipedia").
SITE_WORDS = 4
# ("_" too: sites in Chinese join their parts with it, "文章_频道_网站".)
_TRAILING_SEPARATOR = re.compile(r"\s*[|·•\-–—:»/_]\s*$")
_LEADING_SEPARATOR = re.compile(r"^\s*[|·•\-–—:»/_]\s*")
MAX_TITLE_WORDS = 40
H1_WORDS = 4
# The metadata a page declares its article's title in, most specific first (Dublin Core and
# Parse.ly name the document itself; Open Graph and Twitter name the card a share shows).
DECLARED_TITLES = ("dc:title", "dcterm:title", "dc.title", "parsely-title", "og:title", "twitter:title")
# Permalink marks some sites put in headings ("Evolve ¶").
_ANCHOR_MARKS = re.compile(r"\s*[¶#§🔗]+\s*$")


def article_title(tree: etree._Element) -> str:
    """The best title the page offers, cleaned of its site name; '' when it has none."""
    sites = site_names(tree)
    head_title = clean_line(" ".join(tree.xpath("//head/title//text()") or tree.xpath("//title//text()")[:1]))
    og = _meta(tree, *DECLARED_TITLES)
    headline = _json_ld(tree, "headline")
    headings = [(h.tag, t) for h in tree.iter("h1", "h2", "h3") if (t := _text(h)) and t.casefold() not in sites]
    declared = [t for t in (headline, og, head_title) if t]
    stripped = [strip_site(t, sites) for t in declared]
    # A heading that the declared title holds whole ("Blog: Article" holds "Article") is the
    # article's title as the page sets it: the longest (a post's title is longer than the blog
    # name beside it), and of two about as long, the higher heading.
    agreeing = [
        (tag, min(places), text)
        for tag, text in headings
        if len(text.split()) <= MAX_TITLE_WORDS
        and (places := [p for d in declared + stripped if (p := _agree(text, d))])
    ]
    if agreeing:
        longest = max(len(text) for _, _, text in agreeing)
        close = [found for found in agreeing if len(found[2]) >= 0.8 * longest]
        # "Article — Site": of two as long, the one the title opens with is the article's.
        return min(close, key=lambda found: (found[0], found[1], -len(found[2])))[2]
    # Then what the article declares of itself; then a substantial h1 over the window's
    # <title> (measured on Readability's test pages: a one-word h1 is a section's, not the title).
    for title in (strip_site(t, sites) for t in (headline, og) if t):
        if title:
            return title
    h1s = [t for t in (_text(h) for h in tree.iter("h1")) if t and t.casefold() not in sites]
    if h1s and len(h1s[0].split()) >= H1_WORDS:
        return h1s[0]
    if head_title and (title := strip_site(head_title, sites)):
        return title
    return h1s[0] if h1s else ""


def strip_site(title: str, sites: set[str]) -> str:
    """'Ferry cut | The Courier' → 'Ferry cut'; '…AlcanadaDiario de Tramuntana' → '…Alcanada'."""
    title = clean_line(title)
    folded = title.casefold()
    for site in sorted(sites, key=len, reverse=True):
        if len(title) <= len(site) + 3:
            continue
        if folded.endswith(site):
            # Glued on ("AlcanadaDiario de …") or after a separator, never a title's own last words.
            head = title[: len(title) - len(site)]
            if not head[-1].isspace() or _TRAILING_SEPARATOR.search(head):
                title = _TRAILING_SEPARATOR.sub("", head)
                break
        if folded.startswith(site) and _LEADING_SEPARATOR.match(title[len(site) :]):
            title = _LEADING_SEPARATOR.sub("", title[len(site) :])
            break
    # Then a separator: a part the site is named by goes, and so does one short capitalised
    # last part no one declared ("Lake Orrin - Wikipedia"), but never a phrase ("… - won").
    cuts = list(SEPARATORS.finditer(title))
    if cuts and title[: cuts[0].start()].casefold() in sites:
        title, cuts = title[cuts[0].end() :], list(SEPARATORS.finditer(title[cuts[0].end() :]))
    if cuts:
        last = cuts[-1]
        tail, head = title[last.end() :], title[: last.start()]
        unnamed_site = len(tail.split()) <= SITE_WORDS and len(tail) < len(head) and tail[:1].isupper()
        if tail.casefold() in sites or unnamed_site:
            title = head
    return title.strip()


def site_names(tree: etree._Element) -> set[str]:
    """The names the site gives itself, casefolded."""
    names = {
        _meta(tree, "og:site_name"),
        _meta(tree, "application-name"),
        _meta(tree, "twitter:site").lstrip("@"),
        _json_ld(tree, "publisher"),
    }
    for img in tree.xpath(
        "//*[contains(@class,'logo') or contains(@id,'logo')]//img[@alt] | //img[contains(@class,'logo')][@alt]"
    ):
        names.add(clean_line(img.get("alt", "")))
    return {n.casefold() for n in names if n and len(n) > 1}


def _agree(heading: str, declared: str) -> int:
    """1 when the heading is the declared title, 2 when the title opens with it, 3 when it
    ends with it, 0 when they do not agree."""
    a, b = _fold(heading), _fold(declared)
    if not a:
        return 0
    return 1 if a == b else 2 if b.startswith(a + " ") else 3 if b.endswith(" " + a) else 0


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _text(element: etree._Element) -> str:
    return _ANCHOR_MARKS.sub("", clean_line(inline_text(element)))


def _meta(tree: etree._Element, *names: str) -> str:
    """The first of `names` a <meta> states, by property or name; a property may list several
    names ("og:title twitter:title") and names are matched without regard to case."""
    stated: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = clean_line(meta.get("content") or "")
        for key in f"{meta.get('property') or ''} {meta.get('name') or ''}".casefold().split():
            if content:
                stated.setdefault(key, content)
    return next((stated[name] for name in names if name in stated), "")


def _json_ld(tree: etree._Element, key: str) -> str:
    """`headline` or the publisher's `name` from the page's JSON-LD, when it states them."""
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for item in data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []:
            if not isinstance(item, dict):
                continue
            value = item.get(key)
            if isinstance(value, dict):
                value = value.get("name")
            if isinstance(value, str) and value.strip():
                return clean_line(value)
    return ""
