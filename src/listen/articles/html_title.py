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
MAX_TITLE_WORDS = 40
# Permalink marks some sites put in headings ("Evolve ¶").
_ANCHOR_MARKS = re.compile(r"\s*[¶#§🔗]+\s*$")


def article_title(tree: etree._Element) -> str:
    """The best title the page offers, cleaned of its site name; '' when it has none."""
    sites = site_names(tree)
    head_title = clean_line(" ".join(tree.xpath("//head/title//text()") or tree.xpath("//title//text()")[:1]))
    og = _meta(tree, "og:title") or _meta(tree, "twitter:title")
    headline = _json_ld(tree, "headline")
    headings = [t for t in (_text(h) for h in tree.iter("h1", "h2", "h3")) if t and t.casefold() not in sites]
    declared = [t for t in (headline, og, head_title) if t]
    stripped = [strip_site(t, sites) for t in declared]
    # A heading that the declared title holds whole ("Blog: Article" holds "Article") is the
    # article's title as the page sets it; the longest such heading wins over a blog's name.
    agreeing = [h for h in headings if len(h.split()) <= MAX_TITLE_WORDS and any(_agree(h, d) for d in declared + stripped)]
    if agreeing:
        return max(agreeing, key=len)
    # Then what the article declares of itself, its h1, and last the window's <title>.
    for title in (strip_site(t, sites) for t in (headline, og) if t):
        if title:
            return title
    h1s = [t for t in (_text(h) for h in tree.iter("h1")) if t and t.casefold() not in sites]
    if h1s:
        return h1s[0]
    return strip_site(head_title, sites) if head_title else ""


def strip_site(title: str, sites: set[str]) -> str:
    """'Ferry cut | The Courier' → 'Ferry cut'; '…AlcanadaDiario de Tramuntana' → '…Alcanada'."""
    title = clean_line(title)
    folded = title.casefold()
    for site in sorted(sites, key=len, reverse=True):
        if folded.endswith(site) and len(title) > len(site) + 3:
            title = title[: len(title) - len(site)].rstrip(" |·•-–—:»/")
            break
        if folded.startswith(site) and len(title) > len(site) + 3:
            title = title[len(site):].lstrip(" |·•-–—:»/")
            break
    parts = [p for p in SEPARATORS.split(title) if p]
    if len(parts) > 1:
        kept = [p for p in parts if p.casefold() not in sites]
        if len(kept) > 1 and len(kept[-1].split()) <= SITE_WORDS and len(kept[-1]) < len(kept[0]):
            kept = kept[:-1]  # a short last part no one declared is still the site's name
        title = " - ".join(kept) if kept else parts[0]
    return title.strip()


def site_names(tree: etree._Element) -> set[str]:
    """The names the site gives itself, casefolded."""
    names = {
        _meta(tree, "og:site_name"),
        _meta(tree, "application-name"),
        _meta(tree, "twitter:site").lstrip("@"),
        _json_ld(tree, "publisher"),
    }
    for img in tree.xpath("//*[contains(@class,'logo') or contains(@id,'logo')]//img[@alt] | //img[contains(@class,'logo')][@alt]"):
        names.add(clean_line(img.get("alt", "")))
    return {n.casefold() for n in names if n and len(n) > 1}


def _agree(heading: str, declared: str) -> bool:
    """The heading is the declared title, or the declared title holds it at one end."""
    a, b = _fold(heading), _fold(declared)
    return bool(a) and (a == b or (b.startswith(a + " ") or b.endswith(" " + a)))


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _text(element: etree._Element) -> str:
    return _ANCHOR_MARKS.sub("", clean_line(inline_text(element)))


def _meta(tree: etree._Element, name: str) -> str:
    found = tree.xpath(f"//meta[@property='{name}' or @name='{name}']/@content")
    return clean_line(found[0]) if found else ""


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
