"""Which lines of a plain-text document are headings, decided from the whole document's shape.

A line is never a heading on its own merits alone. First every short stand-alone line (or a
heading wrapped over two lines, or a line underlined with `===`/`---`) becomes a *candidate*
and is given the styles it could belong to: a chapter label (`CHAPTER I.`, `Part Two`), a
Roman or Arabic number (`IV.`, `2.3 Methods`), an all-capitals line (`INTRODUCTION.`), or a
short news-style line with no closing punctuation (`What changes next`). Then a style is
accepted as the document's heading style only when its lines recur through the body with text
between them; lines that bunch together (a title page, a contents list, a list of items set
apart by blank lines) are not headings. Lines that only look short — quotation attributions,
time stamps, bare numbers, bylines, link promos — are never candidates.

The result says which chunks (blank-line separated blocks of lines) are headings and which are
not part of the article at all: scene-break rules, and in a book the title page and contents.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from listen.articles.plain_quoted import quoted_titles
from listen.articles.plain_recurring import repeated_lines, speaker_variants, speakers, sub_labels
from listen.articles.plain_lines import (
    ARABIC_LINE,
    Candidate,
    CAST,
    CHAPTER,
    CONTENTS,
    END_MARK,
    is_numbered,
    is_upper,
    key_of,
    kind_of,
    MAX_HEADING_CHARS,
    MAX_HEADING_WORDS,
    MAX_WRAPPED_WORDS,
    one_line,
    PAGE_NUMBERED,
    PART_WORDS,
    QUOTES,
    ROMAN_LINE,
    shown,
    SUBTITLE,
)

# 'BY' alone on a title page's line, over the author's name (and the same in fr, de, es, it).
_BY_ALONE = re.compile(r"^(by|par|von|por|di)\.?$", re.IGNORECASE)
# A run of this many candidates with no text between them is a list, a title page or contents.
RUN = 3


@dataclass(frozen=True)
class Outline:
    """What a plain text's chunks are: headings (chunk index → text, level) and chunks that are
    not the article (rules, a book's title page and contents, a heading's wrapped half)."""

    headings: dict[int, tuple[str, int]] = field(default_factory=dict)
    dropped: frozenset[int] = frozenset()


def outline(chunks: list[str], *, book: bool = False) -> Outline:
    """Decide which chunks are headings, by the shape of the whole document.

    `book` says the text is known to be a book (an e-text): its opening short lines are a title
    page even when no heading style is found.
    """
    kinds = [kind_of(chunk) for chunk in chunks]
    candidates: dict[int, Candidate] = {i: k for i, k in enumerate(kinds) if isinstance(k, Candidate)}
    repeated = set(repeated_lines(candidates))
    dropped: set[int] = {i for i, k in enumerate(kinds) if k == "rule"}
    speaking = speakers(repeated, candidates)
    speaking |= speaker_variants(candidates, {key_of(candidates[i].text) for i in speaking})
    _merge_split_labels(chunks, candidates, dropped, sub_labels(repeated, candidates), speaking)
    for i in [i for i, c in candidates.items() if SUBTITLE.match(c.text) and not is_numbered(c.styles)]:
        del candidates[i]  # a subtitle left standing after the labels took their titles
        kinds[i] = "minor"
    for i in [i for i, c in candidates.items() if END_MARK.match(c.text)]:
        del candidates[i]  # 'THE END' alone closes the book; under 'CHAPTER XII.' it is a title
        kinds[i] = "minor"
    for i in (repeated | speaking) & set(candidates):
        if not candidates[i].label_only and "\n" not in candidates[i].text:  # not merged into a heading
            del candidates[i]
            kinds[i] = "minor"
    prose = [i for i, k in enumerate(kinds) if k == "prose"]
    first_prose = prose[0] if prose else 0  # no prose at all (verse, a list): no title page either
    signed = _signed_title_page(chunks, kinds, candidates, first_prose)
    # Text between two candidates, of any kind, makes them a heading and its section.
    content = [i for i, k in enumerate(kinds) if k in ("prose", "short", "minor") and i not in dropped]

    def text_between(start: int, stop: int) -> bool:
        at = bisect_right(content, start)
        return at < len(content) and content[at] < stop

    order = sorted(candidates)
    # The candidate right before the first prose opens the body; candidates before it are the
    # front: a title page, a byline block, a contents list.
    opening = max((i for i in order if signed < i < first_prose), default=None)
    if opening is not None and (hung_from := _attribution(opening, chunks, candidates)) is not None:
        opening = hung_from  # the first heading has an epigraph under it
    # 'ACT III.  The gallery…' closing a play's list of scenes stands where the text opens, but
    # it is the list's last line, not a heading.
    listed = opening is not None and _last_of_list(opening, order, candidates, text_between)
    openings = _opening_run(opening, candidates, kinds, dropped)
    cast = {i for i in order if i < first_prose and CAST.match(candidates[i].text)}
    front = {i for i in order if i < first_prose and i not in openings and i not in cast}
    contents = _contents_chunks(chunks, kinds, candidates)
    front |= contents
    body = [i for i in order if i not in front]

    families, accepted, bookish = _styles(body, candidates, text_between, len(chunks))

    headings: dict[int, tuple[str, int]] = {}
    runs = _runs(order, text_between)
    epigraphs = {
        i: hung for i in body if (hung := _attribution(i, chunks, candidates)) is not None and hung not in front
    }
    attributions = _epigraph_names(epigraphs, candidates)
    # The last line of the text has nothing under it ('THE END' after it closes the book).
    last = max((j for j in range(len(chunks)) if j not in dropped and not END_MARK.match(chunks[j])), default=-1)
    for i in body:
        candidate = candidates[i]
        if i >= last:
            continue  # nothing under it: the last line of the text
        styles = candidate.styles
        if candidate.setext or "back matter" in styles or i in cast:
            keep = True
        elif i in attributions or (listed and i == opening) or _introduced(i, chunks, candidates):
            keep = False
        elif bookish:
            keep = (
                bool(styles & (bookish | {"chapter named"}))
                and not _followed_by_same_family(i, styles & (bookish | {"chapter named"}), families, text_between)
                and (is_numbered(styles) or _next_is_text(i, chunks, candidates, dropped))
            )
        elif _next_is_chapter(i, chunks, candidates, dropped) and not is_numbered(styles):
            keep = False  # 'CURTAIN' right over 'SECOND ACT': a closing line, not an empty section
        elif _signed_off(i, chunks, candidates, dropped):
            keep = False  # 'ANN HALE' under a preface, right over a story's mixed-case title
        else:
            keep = bool(styles & accepted) and (
                "news" not in styles or runs.get(i, 1) < RUN or bool(styles & (accepted - {"news"}))
            )
        if keep:
            headings[i] = (candidate.text, _level(candidate, accepted))
    headings |= quoted_titles(chunks, kinds, headings, dropped, "news" in accepted and not bookish)
    setexts = {candidates[i].setext for i in headings if i in candidates and candidates[i].setext}
    if setexts == {"=", "-"}:
        headings = {
            i: (t, 3 if i in candidates and candidates[i].setext == "-" else lv) for i, (t, lv) in headings.items()
        }
    if book or bookish:
        # The title page is what comes before the opening heading; under it, a sub-label
        # ('ARGUMENT.') before the first paragraph is the section's own first line.
        front_end = min((i for i in openings | cast if i in headings), default=first_prose)
        dropped |= {i for i in range(front_end) if i not in headings} | contents
    return Outline(headings, frozenset(dropped))


def _signed_title_page(chunks: list[str], kinds: list, candidates: dict[int, Candidate], first_prose: int) -> int:
    """The author's name under a title page's 'BY' on a line of its own ('BY' over 'OSCAR
    WILDE'), or -1. The name is no heading, and nothing above it opens the text: that is the
    title page's title and subtitle."""
    names = [i + 1 for i in range(min(first_prose, len(chunks) - 1)) if _BY_ALONE.match(chunks[i].strip())]
    for i in names:
        candidates.pop(i, None)
        kinds[i] = "minor"
    return max(names, default=-1)


def _styles(
    body: list[int], candidates: dict[int, Candidate], text_between, total: int
) -> tuple[dict[str, list[int]], set[str], set[str]]:
    """The body's candidates by style (families), the styles accepted as the document's headings,
    and of those the book's styles (chapter labels, Roman numbers, capitals)."""
    families: dict[str, list[int]] = {}
    for i in body:
        for style in candidates[i].styles:
            families.setdefault(style, []).append(i)
    accepted = {style for style, members in families.items() if _accepted(style, members, text_between, total)}
    # Capitals ride along a numbered style only when they share its lines ('CHAPTER I.' and
    # 'INTRODUCTION.'); beside 'CHAPTER I.' over a mixed-case title, 'CHORUS.' in a song is not one.
    numbered = {s for s in accepted if s.startswith(("chapter", "roman", "arabic"))}
    if numbered:
        accepted = {
            s
            for s in accepted
            if not s.startswith("upper") or any(candidates[i].styles & numbered for i in families[s])
        }
    # A book's styles: with one of them, a short mixed-case line in the text is not a heading.
    # A named part ('PROLOGUE', 'SECOND PART') stands among the chapters whatever their style.
    bookish = {s for s in accepted if s.startswith(("chapter", "roman", "upper.")) and s != "chapter named"}
    return families, accepted, bookish


def _last_of_list(i: int, order: list[int], candidates: dict[int, Candidate], text_between) -> bool:
    """True when candidate `i` closes a list of numbered lines of its own style with no text
    between them ('ACT I.', 'ACT II.', 'ACT III.' in a play's list of scenes). A contents list
    set right before the text is told apart by the first chapter's number coming round again."""
    number = _label_number(candidates[i].text)
    if number is None:
        return False
    styles = {s for s in candidates[i].styles if s.startswith(("chapter", "roman", "arabic"))}
    run: list[int] = []
    for j in reversed([j for j in order if j < i]):
        if text_between(j, run[-1] if run else i) or not candidates[j].styles & styles:
            break
        run.append(j)
    return len(run) >= 2 and _label_number(candidates[run[-1]].text) != number


def _label_number(text: str) -> str | None:
    """The number of a numbered line ('III' of 'ACT III.  The gallery'), or None."""
    for pattern, group in ((CHAPTER, 2), (ROMAN_LINE, 1), (ARABIC_LINE, 1)):
        if (found := pattern.match(text)) is not None:
            return found.group(group).casefold()
    return None


def _opening_run(opening: int | None, candidates: dict[int, Candidate], kinds: list, merged: set[int]) -> set[int]:
    """The heading that opens the text and the labels stacked right above it ('BOOK THE FIRST'
    over 'CHAPTER I', 'FIRST PART' over a dedication line and a title): chapter-style lines of
    other kinds than the one below them."""
    if opening is None:
        return set()
    run = {opening}
    below = candidates[opening].styles
    at = opening - 1
    while at >= 0 and (kinds[at] == "minor" or at in merged):
        at -= 1
    while (above := candidates.get(at)) is not None:
        chapters = {s for s in above.styles if s.startswith("chapter")}
        if not chapters or chapters & below:
            break
        run.add(at)
        below, at = above.styles, at - 1
        while at >= 0 and at in merged:  # the title merged into the label above
            at -= 1
    return run


def _merge_split_labels(
    chunks: list[str],
    candidates: dict[int, Candidate],
    dropped: set[int],
    labels: frozenset[int] | set[int] = frozenset(),
    repeated: frozenset[int] | set[int] = frozenset(),
) -> None:
    """'CHAPTER I.' and its title set apart by a blank line are one heading; so are 'BOOK I.' and
    a title wrapped over two lines in capitals, or set under a recurring label ('ARGUMENT.',
    which stays as the section's first line)."""
    for i in sorted(candidates):
        at = i + 1
        if at in labels and at + 1 in candidates and at + 1 not in labels:
            at += 1  # 'BOOK I.', 'ARGUMENT.', then the title
        label, title = candidates.get(i), candidates.get(at)
        if label is not None and label.label_only and title is None and at < len(chunks):
            title = _long_title(chunks[at])
        if label is None or title is None or not label.label_only:
            continue
        if title.label_only and not (title.styles & {"chapter named"} and label.styles & {"roman", "arabic 0"}):
            continue  # 'I' over 'Introduction' is one heading; 'PART I.' over 'CHAPTER I.' is two
        if at in labels or at in repeated:
            continue  # 'BOOK VI.' over 'ARGUMENT.', 'ACT I.' over 'ANNA.': a recurring line is no title
        lines = chunks[at].split("\n")
        if len(lines) == 2 and not (
            all(is_upper(line) for line in lines) and len(chunks[at].split()) <= MAX_HEADING_WORDS
        ):
            continue  # a title wraps in capitals; a longer block is the chapter's synopsis
        if len(lines) > 2:
            continue
        if not (title.styles & {"news"} or any(s.startswith("upper") for s in title.styles)):
            continue
        if is_upper(chunks[i]) and not is_upper(chunks[at]):
            continue  # 'SECOND PART' over 'Dedicated to …': a label in capitals has a title in capitals
        styles = label.styles | {s for s in title.styles if s.startswith("upper")}
        candidates[i] = Candidate(shown([chunks[i], " ".join(lines)], labelled=True), frozenset(styles))
        candidates.pop(at, None)
        dropped.add(at)


def _long_title(chunk: str) -> Candidate | None:
    """A chapter's title in capitals on one line under its bare label ('II.' over 'THE BREACH AT
    HOLLOW END, AND HOW THE VILLAGE CAME TO HEAR OF IT.'), too long to be a heading alone."""
    words = len(chunk.split())
    if "\n" in chunk or not is_upper(chunk) or words > MAX_WRAPPED_WORDS:
        return None
    if words <= MAX_HEADING_WORDS and len(chunk) <= MAX_HEADING_CHARS:
        return None  # short enough to be judged as a candidate of its own ('SCENE' is not one)
    return Candidate(shown([chunk]), frozenset({"upper" + ("." if chunk.endswith((".", ":")) else "")}))


def _contents_chunks(chunks: list[str], kinds: list, candidates: dict[int, Candidate]) -> set[int]:
    """A 'CONTENTS' label and the list under it, up to the heading that opens the text after it.

    The list is every chunk up to the first prose that is not an entry (entries may be long
    lines ending in a page number); the last candidate before that prose is the first heading.
    """
    found: set[int] = set()
    for i, chunk in enumerate(chunks):
        if not CONTENTS.match(chunk.split("\n")[0].strip()):
            continue
        stop, titled = i + 1, 0
        while stop < len(chunks) and (kinds[stop] != "prose" or _contents_entry(chunks[stop])):
            if titled >= 2 and _bare_label(chunks[stop]):
                break  # entries carry their titles: a bare 'PART I.' opens the text
            titled += CHAPTER.match(chunks[stop].split("\n")[0]) is not None
            stop += 1
        last = max((c for c in candidates if i < c < stop), default=None)
        if stop < len(chunks) and _bare_label(chunks[stop]):
            last = None  # the text opens with the label the list stopped at
        found |= {j for j in range(i, stop) if j != last}
    return found


def _bare_label(chunk: str) -> bool:
    """'PART I.', 'BOOK II', 'IV.': a chapter's label with no title on its line."""
    found = one_line(chunk.strip()) if "\n" not in chunk.strip() else None
    return found is not None and found.label_only and is_numbered(found.styles - {"chapter named"})


def _contents_entry(chunk: str) -> bool:
    """A long entry of a contents list: one ending in a page number, one opening with its
    chapter's label and running on with the chapter's synopsis ('CHAPTER V. A Useful
    Minister--In Church…'), the synopsis carried on to a line of its own in lower case, or a
    book's chapters listed line by line under its part ('I. THE EVE OF THE WAR', 'II. …'), some
    too long to pass for a block of short lines."""
    lines = chunk.split("\n")
    numbered = sum(_label_number(line) is not None for line in lines)
    return bool(
        PAGE_NUMBERED.match(chunk)
        or CHAPTER.match(lines[0])
        or chunk[:1].islower()
        or (len(lines) >= RUN and numbered >= 0.8 * len(lines))  # 'I. THE EVE OF THE WAR' line after line
    )


def _accepted(style: str, members: list[int], text_between, total: int) -> bool:
    """A style is the document's when its lines recur with text between them."""
    if style in ("news", "setext", "back matter"):
        return True
    spread = [text_between(a, b) for a, b in zip(members, [*members[1:], total], strict=True)]
    if style.startswith("chapter"):
        return any(spread)
    return len(members) >= 2 and sum(spread) >= 0.5 * len(members) and sum(spread) >= 2


def _next_is_text(i: int, chunks: list[str], candidates: dict[int, Candidate], dropped: set[int]) -> bool:
    """A capitalised line with another heading-like line right under it is a signature or the
    first half of a title and subtitle, not a heading with a section of its own."""
    following = next((j for j in range(i + 1, len(chunks)) if j not in dropped), None)
    return following is not None and following not in candidates


def _next_is_chapter(i: int, chunks: list[str], candidates: dict[int, Candidate], dropped: set[int]) -> bool:
    following = next((j for j in range(i + 1, len(chunks)) if j not in dropped), None)
    return following is not None and following in candidates and is_numbered(candidates[following].styles)


def _introduced(i: int, chunks: list[str], candidates: dict[int, Candidate]) -> bool:
    """Lines set under a paragraph that ends in a colon are what it introduces ('This was the
    paragraph:' over a newspaper's headline, 'printed on it:' over a card's lines), not headings."""
    at = i - 1
    while at >= 0 and at in candidates and i - at < RUN:  # a headline and its sub-headline
        at -= 1
    return at >= 0 and at not in candidates and chunks[at].rstrip().endswith(":")


def _signed_off(i: int, chunks: list[str], candidates: dict[int, Candidate], dropped: set[int]) -> bool:
    """A name in capitals set between a section's last paragraph and the next title in mixed
    case signs the section off: a heading in capitals would stand over text of its own."""
    candidate = candidates[i]
    if is_numbered(candidate.styles) or "back matter" in candidate.styles or not is_upper(candidate.text):
        return False
    if i == 0 or i - 1 in candidates or i - 1 in dropped or len(candidate.text.split()) > 5:
        return False
    following = next((j for j in range(i + 1, len(chunks)) if j not in dropped), None)
    return (
        following is not None
        and following in candidates
        and not is_upper(candidates[following].text)
        and not is_numbered(candidates[following].styles)
    )


def _attribution(i: int, chunks: list[str], candidates: dict[int, Candidate]) -> int | None:
    """The heading an epigraph hangs from when candidate `i` is the name under it ('ARTHUR
    SYMONS.', 'GOETHE' under verse or a quotation right under a heading), else None. Under a
    chapter's last line of dialogue, a short line is the next heading, not an attribution."""
    if i < 2 or is_numbered(candidates[i].styles) or len(candidates[i].text.split()) > 5:
        return None
    before = chunks[i - 1]
    lines = before.split("\n")
    verse = len(lines) >= 2 and sum(line[:1].isupper() for line in lines) >= 0.6 * len(lines)
    quoted = before.startswith(QUOTES) and before.rstrip().endswith(QUOTES) and len(before.split()) <= 60
    if not (verse or quoted):
        return None
    # The epigraph may be two or three stanzas: look past them for the heading it hangs from.
    # More verse than that is a poem, and the line under it the next poem's title.
    at = i - 2
    while at >= 0 and at not in candidates and at > i - 4 and "\n" in chunks[at]:
        at -= 1
    if at in candidates and CONTENTS.match(chunks[at].split("\n")[0].strip()):
        return None  # the lines above are a contents list, not an epigraph
    return at if at in candidates else None


def _epigraph_names(hung_from: dict[int, int], candidates: dict[int, Candidate]) -> set[int]:
    """The lines under verse that sign an epigraph, of those that hang from a heading above them.

    An epigraph's name hangs from a heading of another kind ('GOETHE' under 'CHAPTER IV.'). When
    RUN or more hang from headings of their own kind (a title under each short poem, with the
    poem's title above it), they are a collection's titles, one under each piece, not names."""
    alike = [i for i, hung in hung_from.items() if candidates[i].styles == candidates[hung].styles]
    if len(alike) >= RUN:
        return set(hung_from) - set(alike)
    return set(hung_from)


def _followed_by_same_family(
    i: int, styles: frozenset[str] | set[str], families: dict[str, list[int]], text_between
) -> bool:
    """True when the next line of the same style comes with no text between: a list, not a heading.

    A numbered line is compared with its own kind only: 'PART II.' over 'BOOK I.' (both in
    capitals) is a stack of labels, while 'ACT I.', 'ACT II.' one under the other are a list."""
    numbered = {s for s in styles if s.startswith(("chapter", "roman", "arabic"))}
    for style in numbered or styles:
        members = families[style]
        at = bisect_right(members, i)
        if at < len(members) and not text_between(i, members[at]):
            return True
    return False


def _runs(order: list[int], text_between) -> dict[int, int]:
    """For each candidate, the length of the run of candidates with no text between them."""
    runs: dict[int, int] = {}
    group: list[int] = []
    for i in order:
        if group and text_between(group[-1], i):
            runs.update({j: len(group) for j in group})
            group = []
        group.append(i)
    runs.update({j: len(group) for j in group})
    return runs


def _level(candidate: Candidate, accepted: set[str]) -> int:
    parts = {s for s in accepted if s.split(" ")[-1] in PART_WORDS and s.startswith("chapter")}
    chapters = {s for s in accepted if s.startswith("chapter") and s not in parts}
    if parts and chapters and candidate.styles & chapters and not candidate.styles & parts:
        return 3
    return 2
