"""Lines that recur through a plain text and so are labels, not headings: a speaker's name over
each of their speeches in a play ('ANNA.'), the same name given in full once or twice ('CAPTAIN
MARLOWE.' beside 'MARLOWE.'), and a sub-label set under each chapter's label ('ARGUMENT.').

A heading names one section; plain_headings.py asks this module which candidates recur.
"""

from __future__ import annotations

from collections import Counter

from listen.articles.plain_lines import Candidate, is_numbered, is_upper, key_of

# A line that stands alone this many times is a label (a speaker's name), not a heading.
REPEATED = 3


def repeated_lines(candidates: dict[int, Candidate]) -> list[int]:
    """Candidates whose text recurs REPEATED times or more: a speaker's name over each of their
    speeches in a play, 'SCENE' under each act, a sign-off. A heading names one section."""
    counts = Counter(key_of(c.text) for c in candidates.values())
    return [
        i
        for i, c in candidates.items()
        if counts[key_of(c.text)] >= REPEATED and not c.setext and not is_numbered(c.styles)
    ]


def sub_labels(repeated: set[int], candidates: dict[int, Candidate]) -> set[int]:
    """Recurring lines set under a chapter's label each time ('BOOK I.', 'ARGUMENT.'): part of
    the chapter's furniture, never its title."""
    under = [i for i in repeated if (label := candidates.get(i - 1)) is not None and label.label_only]
    counts = Counter(key_of(candidates[i].text) for i in under)
    # …and over a title at least once: a recurring title ('CIMOURDAIN' in the contents, over
    # its book and over its chapter; 'LADY SUSAN TO MRS. JOHNSON' over letter after letter) is
    # set over the text itself.
    over_titles = {key_of(candidates[i].text) for i in under if i + 1 in candidates and i + 1 not in repeated}
    return {
        i for i in under if counts[key_of(candidates[i].text)] >= REPEATED and key_of(candidates[i].text) in over_titles
    }


def speakers(repeated: set[int], candidates: dict[int, Candidate]) -> set[int]:
    """Recurring lines that recur away from chapter labels too: a speaker's name over each of
    their speeches ('ANNA.'), which is never the title of the act above it. A title recurs
    only under labels (in the contents, over its book and over its chapter)."""
    loose = Counter(
        key_of(candidates[i].text) for i in repeated if (label := candidates.get(i - 1)) is None or not label.label_only
    )
    return {i for i in repeated if loose[key_of(candidates[i].text)] >= REPEATED}


def speaker_variants(candidates: dict[int, Candidate], speakers: set[str]) -> set[int]:
    """A speaker named in full once or twice ('CAPTAIN MARLOWE.' at his entrance, 'ISOLDE
    FENWICK.') where the play's recurring label is the short name ('MARLOWE.', 'ISOLDE.'): a
    speaker too, never a heading. Only a short line in capitals, unnumbered, that begins or ends
    with a speaker's name."""
    names = [name.split() for name in speakers if name]
    found = set()
    for i, candidate in candidates.items():
        words = key_of(candidate.text).split()
        if (
            2 <= len(words) <= 4
            and any(len(name) < len(words) and name in (words[: len(name)], words[-len(name) :]) for name in names)
            and is_upper(candidate.text)
            and not is_numbered(candidate.styles)
            and "back matter" not in candidate.styles
        ):
            found.add(i)
    return found
