"""A page's article title, never its site's: from the h1, og:title or <title>, site name removed.

Pages name themselves "Article | Site", "Article · Site", "Site - Article", "記事｜サイト" or
glue the site on with no space at all ("…de AlcanadaDiario de Tramuntana"). The site's names
are read from what the page declares (og:site_name, application-name, twitter:site, JSON-LD
publisher) and from how it shows them (the logo's alt text, a theme's site-title, the heading
that is a link home); those names are only ever something to remove, never the title.

The title is decided by agreement: a heading the declared titles hold is the article's own,
read without a kicker set apart inside it ("<span>Features</span> Article").
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree

from listen.articles.html_blocks import inline_text
from listen.articles.text import clean_line

# Spaced separators, and the full-width bar CJK titles use with or without spaces.
SEPARATORS = re.compile(r"\s+(?:\||·|•|-|–|—|::|»|/)\s+|\s*｜\s*")
# An unnamed trailing part this short is taken for a site name ("Lake Orrin - Wikipedia").
SITE_WORDS = 4
# ("_" too: sites in Chinese join their parts with it, "文章_频道_网站".)
_TRAILING_SEPARATOR = re.compile(r"\s*[|·•\-–—:»/_｜]\s*$")
_LEADING_SEPARATOR = re.compile(r"^\s*[|·•\-–—:»/_｜]\s*")
MAX_TITLE_WORDS = 40
H1_WORDS = 4
# A section's name or a kicker is at most this many words ("Opinion", "Long read").
LABEL_WORDS = 3
# The metadata a page declares its article's title in, most specific first (Dublin Core and
# Parse.ly name the document itself; Open Graph and Twitter name the card a share shows).
DECLARED_TITLES = ("dc:title", "dcterm:title", "dc.title", "parsely-title", "og:title", "twitter:title")
# Permalink marks some sites put in headings ("Evolve ¶").
_ANCHOR_MARKS = re.compile(r"\s*[¶#§🔗]+\s*$")
# A character reference left over when a CMS escaped a title twice ("Don&#8217;t", "&amp;").
_ESCAPED = re.compile(r"&(?:#\d{2,7}|#x[0-9a-fA-F]{2,6}|[A-Za-z]{2,8});")
# Where themes put the site's own name (WordPress's "site-title", "blog-name"); a name is short.
_SITE_NAME_CLASSES = re.compile(r"^(site|blog)[-_]?(title|name)$", re.IGNORECASE)
SITE_NAME_WORDS = 8


@dataclass(frozen=True)
class Candidates:
    """What a page offers as its article's title, and the names that are not one."""

    sites: frozenset[str]  # the site's names, casefolded
    labels: frozenset[str]  # short link labels (sections, breadcrumbs), casefolded
    headline: str  # JSON-LD headline
    declared: str  # Dublin Core, Parse.ly, og:title or twitter:title
    window: str  # the <title>
    headings: tuple[tuple[str, tuple[str, ...]], ...]  # (tag, the ways its text reads)


def article_title(tree: etree._Element) -> str:
    """The best title the page offers, cleaned of its site name; '' when it has none."""
    found = candidates(tree)
    return agreed_heading(found) or declared_title(found) or fallback_title(found)


def candidates(tree: etree._Element) -> Candidates:
    """Every title the page states, and the site and section names to tell them from."""
    sites = site_names(tree)
    headings = tuple(
        (h.tag, readings)
        for h in tree.iter("h1", "h2", "h3")
        if (readings := heading_readings(h)) and readings[0].casefold() not in sites
    )
    return Candidates(
        sites=sites,
        labels=link_labels(tree),
        headline=_json_ld(tree, "headline"),
        declared=_meta(tree, *DECLARED_TITLES),
        window=_clean(" ".join(tree.xpath("//head/title//text()") or tree.xpath("//title//text()")[:1])),
        headings=headings,
    )


def agreed_heading(found: Candidates) -> str:
    """A heading that a declared title holds whole ("Blog: Article" holds "Article") is the
    article's title as the page sets it: the longest (a post's title is longer than the blog
    name beside it), and of two about as long, the higher heading, then the one the declared
    title opens with ("Article — Site")."""
    declared = [t for t in (found.headline, found.declared, found.window) if t]
    stated = declared + [strip_site(t, found.sites) for t in declared]
    agreeing = [
        (tag, min(places), text)
        for tag, readings in found.headings
        for text in readings
        if len(text.split()) <= MAX_TITLE_WORDS and (places := [p for d in stated if (p := _agree(text, d))])
    ]
    if not agreeing:
        return ""
    longest = max(len(text) for _, _, text in agreeing)
    close = [one for one in agreeing if len(one[2]) >= 0.8 * longest]
    return min(close, key=lambda one: (one[0], one[1], -len(one[2])))[2]


def declared_title(found: Candidates) -> str:
    """What the article declares of itself (JSON-LD headline, then the meta titles)."""
    for title in (found.headline, found.declared):
        if title and (title := strip_site(title, found.sites)):
            return title
    return ""


def fallback_title(found: Candidates) -> str:
    """No agreement, nothing declared: a substantial h1 over the window's <title> (measured on
    Readability's test pages: a one-word h1 is a section's, not the title); over a <title> that
    is only the site's name, a short h1 that is not a section's link label ("Features")."""
    h1s = [readings[0] for tag, readings in found.headings if tag == "h1"]
    if h1s and len(h1s[0].split()) >= H1_WORDS:
        return h1s[0]
    window = strip_site(found.window, found.sites) if found.window else ""
    if window.casefold() in found.sites:
        window = next((h for h in h1s if h.casefold() not in found.labels), window)
    return window or (h1s[0] if h1s else "")


def strip_site(title: str, sites: set[str] | frozenset[str]) -> str:
    """'Ferry cut | The Courier' → 'Ferry cut'; '…AlcanadaDiario de Tramuntana' → '…Alcanada'."""
    title = _without_glued_site(_clean(title), sites)
    # A part the site is named by goes, and so does one short capitalised last part no one
    # declared ("Lake Orrin - Wikipedia"), but never a phrase ("… - won").
    cuts = list(SEPARATORS.finditer(title))
    if cuts and title[: cuts[0].start()].casefold() in sites:
        title = title[cuts[0].end() :]
        cuts = list(SEPARATORS.finditer(title))
    if cuts:
        head, tail = title[: cuts[-1].start()], title[cuts[-1].end() :]
        if tail.casefold() in sites or _unnamed_site(tail, head):
            title = head
    return title.strip()


def site_names(tree: etree._Element) -> frozenset[str]:
    """The names the site gives itself, casefolded: declared in its metadata or as its logo's
    alt text, or shown as a theme's site-title or a heading that is wholly a link home."""
    names = {
        _meta(tree, "og:site_name"),
        _meta(tree, "application-name"),
        _meta(tree, "twitter:site").lstrip("@"),
        _json_ld(tree, "publisher"),
    }
    for img in tree.xpath(
        "//*[contains(@class,'logo') or contains(@id,'logo')]//img[@alt] | //img[contains(@class,'logo')][@alt]"
    ):
        names.add(_clean(img.get("alt", "")))
    names.update(_shown_site_names(tree))
    # (A long "name" is a headline caught by a loose class, "…logo…" on a story's picture.)
    return frozenset(n.casefold() for n in names if n and len(n) > 1 and len(n.split()) <= SITE_NAME_WORDS)


def _shown_site_names(tree: etree._Element) -> Iterator[str]:
    """Where a page's theme shows the site's name: the link marked rel="home", an element
    classed site-title or blog-name, a heading that is wholly a link to the home page."""
    for link in tree.xpath("//a[@rel='home']"):
        yield _clean(inline_text(link))
    for element in tree.iter():
        classes = f"{element.get('class') or ''} {element.get('id') or ''}".split()
        if any(_SITE_NAME_CLASSES.match(c) for c in classes):
            yield _clean(inline_text(element))
    for heading in tree.iter("h1", "h2", "h3"):
        if _links_home(heading):
            yield _clean(inline_text(heading))


def link_labels(tree: etree._Element) -> frozenset[str]:
    """The short words of the page's links (a section's name, a breadcrumb), casefolded."""
    labels = (_clean(inline_text(a)).casefold() for a in tree.iter("a"))
    return frozenset(label for label in labels if label and len(label.split()) <= LABEL_WORDS)


def heading_readings(heading: etree._Element) -> tuple[str, ...]:
    """A heading's text, and, when it opens with a short label set apart in its own element
    ("<span>Features</span> Fog on the estuary"), its text without that label."""
    text = _text(heading)
    if not text:
        return ()
    first = heading[0] if len(heading) and not (heading.text or "").strip() else None
    label = _text(first) if first is not None and isinstance(first.tag, str) else ""
    rest = _LEADING_SEPARATOR.sub("", text[len(label) :]).strip() if label and text.startswith(label) else ""
    if label and rest and len(label.split()) <= LABEL_WORDS and len(rest.split()) > len(label.split()):
        return (text, rest)
    return (text,)


def _without_glued_site(title: str, sites: set[str] | frozenset[str]) -> str:
    """Declared site names off either end, as often as they are there ("Post at HomeSite |
    Site"): glued on ("AlcanadaDiario de …") or after a separator, never a title's own last
    words ("… to the Metro")."""
    while (shorter := _one_site_off(title, sites)) != title:
        title = shorter
    return title


def _one_site_off(title: str, sites: set[str] | frozenset[str]) -> str:
    folded = title.casefold()
    for site in sorted(sites, key=len, reverse=True):
        if len(title) <= len(site) + 3:
            continue
        if folded.endswith(site):
            head = title[: len(title) - len(site)]
            if not head[-1].isspace() or _TRAILING_SEPARATOR.search(head):
                return _TRAILING_SEPARATOR.sub("", head)
        if folded.startswith(site) and _LEADING_SEPARATOR.match(title[len(site) :]):
            return _LEADING_SEPARATOR.sub("", title[len(site) :])
    return title


def _unnamed_site(tail: str, head: str) -> bool:
    """A last part short, shorter than the rest and written as a name: capitalised, or in a
    script without capitals ("記事 - 港町新聞")."""
    first = tail[:1]
    named = first.isupper() or (first.isalpha() and first.lower() == first.upper())
    return named and len(tail.split()) <= SITE_WORDS and len(tail) < len(head)


def _links_home(heading: etree._Element) -> bool:
    """A heading that is wholly one link to a site's home page ("/", "https://host/"), not to
    a post ("/?p=412"), an anchor or the page itself ("")."""
    links = heading.xpath(".//a[@href]")
    if len(links) != 1 or _clean(inline_text(links[0])) != _clean(inline_text(heading)):
        return False
    href = urlsplit(links[0].get("href", "").strip())
    return bool(href.netloc or href.path) and href.path in ("", "/") and not (href.query or href.fragment)


def _clean(text: str) -> str:
    """One tidy line, with character references a CMS escaped twice read ("Don&#8217;t")."""
    text = clean_line(text)
    return clean_line(html.unescape(text)) if _ESCAPED.search(text) else text


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
    return _ANCHOR_MARKS.sub("", _clean(inline_text(element)))


def _meta(tree: etree._Element, *names: str) -> str:
    """The first of `names` a <meta> states, by property or name; a property may list several
    names ("og:title twitter:title") and names are matched without regard to case."""
    stated: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = _clean(meta.get("content") or "")
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
                return _clean(value)
    return ""
