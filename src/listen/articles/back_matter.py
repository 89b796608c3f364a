"""Headings that open back matter: part of the article, but not what a listener came to hear.

The reader shows these sections (marked); narration skips them unless asked. Names are
matched whole, after dropping numbering and closing punctuation, in the languages listen
normalises speech for (en, fr, de, es), plus the licence sections books and posts carry.
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

_DECORATION = re.compile(r"^[\s\d.IVXivx)\-–—:]*\s|[\s.:;–—\-]+$")


def is_back_matter(heading: str) -> bool:
    """True when a heading names back matter: 'References', '7. See also', 'Notes:'."""
    name = _DECORATION.sub("", heading.strip()).strip().casefold()
    return name in NAMES
