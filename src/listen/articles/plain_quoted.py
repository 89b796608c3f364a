"""Titles set in quotation marks: a collection of poems or songs names some of its pieces by a
quoted phrase ("'Snarleyow'", "'Follow Me 'Ome'") among plain titles ("Gunga Din").

A quoted short line is never a heading on its own shape (in a novel it is a line of dialogue),
so it is taken as a title only where the whole document is a collection: plain short titles
were accepted as its headings (and no chapter or numbered style was), enough of them, and
more than the quoted lines. Then a quoted line with no sentence end, words in capitals like a
title's, between text above and text below it (not under a paragraph ending in a colon,
which introduces a quotation), stands where its neighbours' titles stand.
"""

from __future__ import annotations

import re

from listen.articles.plain_lines import QUOTES

# A collection has at least this many plain titles before its quoted ones are believed.
MIN_PLAIN_TITLES = 5
MAX_TITLE_WORDS = 8
_SMALL_WORDS = frozenset("a an and at but by for from in into of on or the to with that an' o' wi'".split())


def quoted_titles(
    chunks: list[str], kinds: list, headings: dict[int, tuple[str, int]], dropped: set[int], plain_titles: bool
) -> dict[int, tuple[str, int]]:
    """The quoted lines of `chunks` that are titles beside `headings`; `plain_titles` says the
    document's accepted heading style is the short title line (not chapters, numbers or capitals)."""
    if not plain_titles or len(headings) < MIN_PLAIN_TITLES:
        return {}
    level = min(level for _text, level in headings.values())
    found: dict[int, tuple[str, int]] = {}
    for i, chunk in enumerate(chunks):
        if kinds[i] != "minor" or i in dropped or not is_quoted_title(chunk):
            continue
        above, below = i - 1, i + 1
        if above < 0 or below >= len(chunks) or above in headings or below in headings:
            continue
        if kinds[above] not in ("prose", "short", "minor") or kinds[below] not in ("prose", "short"):
            continue
        if chunks[above].rstrip().endswith(":"):
            continue  # 'written on the slate:' over the words written: a quotation, not a title
        found[i] = (chunk.strip(), level)
    return found if len(found) < len(headings) else {}


def is_quoted_title(line: str) -> bool:
    """ "'Back to the Army Again'", "'Birds of Prey' March": a short phrase opening with a
    quotation mark, every word but the small ones capitalised as a title's are, with no sentence
    end (a line of dialogue, "'Come in,' she said.", ends in one). A line all in capitals is a
    sign or a shout written out, not a title set among titles in mixed case."""
    if "\n" in line or not line.startswith(QUOTES):
        return False
    inner = line.strip("".join(QUOTES) + " ")
    words = re.findall(r"[^\W\d_][\w'’-]*", inner)
    if not words or len(words) > MAX_TITLE_WORDS or inner.endswith(tuple(".,;:?!…-—–")):
        return False
    capitals = [w for w in words if w.casefold() not in _SMALL_WORDS] or words[:1]
    return words[0][0].isupper() and all(w[0].isupper() for w in capitals) and not inner.isupper()
