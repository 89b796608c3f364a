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

from listen.articles.text import clean_line

SEPARATORS = re.compile(r"\s+(?:\||·|•|-|–|—|::|»|/)\s+")
# An unnamed trailing part this short is taken for a site name ("Lake Orrin - Wikipedia").
SITE_WORDS = 4


def article_title(tree: etree._Element) -> str:
    """The best title the page offers, cleaned of its site name; '' when it has none."""
    sites = site_names(tree)
    head_title = clean_line(" ".join(tree.xpath("//head/title//text()") or tree.xpath("//title//text()")[:1]))
    og = _meta(tree, "og:title") or _meta(tree, "twitter:title")
    headline = _json_ld(tree, "headline")
    h1s = [t for t in (_text(h) for h in tree.iter("h1")) if t and t.casefold() not in sites]
    declared = [strip_site(t, sites) for t in (headline, og, head_title) if t]
    # An h1 that agrees with what the page declares is the article's title in full.
    for h1 in h1s:
        if any(_agree(h1, d) for d in declared):
            return h1
    for title in declared:
        if title:
            return title
    return h1s[0] if h1s else ""


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


def _agree(h1: str, declared: str) -> bool:
    a, b = _fold(h1), _fold(declared)
    return bool(a) and (a == b or b.startswith(a) or a.startswith(b))


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _text(element: etree._Element) -> str:
    return clean_line(" ".join(t for t in element.itertext()))


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
