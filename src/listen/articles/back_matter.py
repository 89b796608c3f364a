"""Headings that open back matter: part of the article, but not what a listener came to hear.

The reader shows these sections (marked); narration skips them unless asked. Names are
matched whole, after dropping numbering and closing punctuation, in the languages listen
normalises speech for (en, fr, de, es), plus the licence sections books and posts carry.

Some of those names are also topics: "Literature" under a country's Culture, "Links" in a
post about chain-making, "Sources" of a river, a "Note" box in a manual. Those open back
matter only at the end of an article (`TOPICAL`), where back matter is; the rest ("References",
"Einzelnachweise", "See also") are back matter wherever they stand, as an annotated book's
notes after each chapter are.
"""

from __future__ import annotations

import re

NAMES: frozenset[str] = frozenset(
    {
        # English
        "references",
        "reference",
        "notes",
        "note",
        "footnotes",
        "endnotes",
        "citations",
        "sources",
        "bibliography",
        "bibliographical note",
        "bibliographical notes",
        "works cited",
        "further reading",
        "external links",
        "see also",
        "links",
        "related articles",
        "related reading",
        "related",
        "licence",
        "license",
        "copyright",
        "notes and references",
        "references and notes",
        "citations and notes",
        "literature",
        # French
        "références",
        "notes et références",
        "bibliographie",
        "voir aussi",
        "liens externes",
        "pour aller plus loin",
        "sources et références",
        "licence et droits",
        # German
        "einzelnachweise",
        "literatur",
        "weblinks",
        "siehe auch",
        "anmerkungen",
        "quellen",
        "belege",
        "fußnoten",
        "lizenz",
        # Spanish
        "referencias",
        "notas",
        "bibliografía",
        "véase también",
        "enlaces externos",
        "lecturas adicionales",
        "fuentes",
        "licencia",
        "notas y referencias",
    }
)

# Names that are also everyday topics: back matter only when nothing but back matter follows.
TOPICAL: frozenset[str] = frozenset(
    {
        "note",
        "sources",
        "links",
        "related",
        "literature",
        "copyright",
        "licence",
        "license",
        "literatur",
        "quellen",
        "lizenz",
        "fuentes",
        "licencia",
    }
)

_DECORATION = re.compile(r"^[\s\d.IVXivx)\-–—:]*\s|[\s.:;–—\-]+$")


_JOINED = re.compile(r"\s*(?:&|/|\+|\band\b|\bet\b|\bund\b|\by\b)\s*")


def is_back_matter(heading: str) -> bool:
    """True when a heading names back matter: 'References', '7. See also', 'Notes:', and
    two such names joined ('Sources & links', 'Notes/References')."""
    name = _name(heading)
    parts = _parts(name)
    return name in NAMES or (len(parts) > 1 and all(part in NAMES for part in parts))


def only_at_the_end(heading: str) -> bool:
    """True when the heading's name is back matter only in an article's closing run ('Sources',
    'Sources & links'); a joined name with one sure part ('Notes/References') is sure."""
    name = _name(heading)
    return name in TOPICAL or all(part in TOPICAL for part in _parts(name))


def _name(heading: str) -> str:
    return _DECORATION.sub("", heading.strip()).strip().casefold()


def _parts(name: str) -> list[str]:
    return [part for part in _JOINED.split(name) if part]
