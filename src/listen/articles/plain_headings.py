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
from collections import Counter
from dataclasses import dataclass, field

from listen.articles.back_matter import is_back_matter

MAX_HEADING_WORDS = 12
MAX_WRAPPED_WORDS = 28
MAX_HEADING_CHARS = 80
# The never-heading rules are asked only about lines this short (an attribution, a promo).
SHORT_LINE_CHARS = 200
# A run of this many candidates with no text between them is a list, a title page or contents.
RUN = 3
# A line that stands alone this many times is a label (a speaker's name), not a heading.
REPEATED = 3

_QUOTES = ('"', "“", "”", "'", "‘", "’", "«", "»", "„")
_CLOSING = tuple(".!?,;:…-—–") + _QUOTES + (")", "]")
_LIST_ITEM = re.compile(r"^([-*•–]|\d{1,3}[.)])\s+")
_ROMAN = r"(?=[MDCLXVI])M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    "|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|first|second|third|fourth|fifth|sixth|seventh"
    "|eighth|ninth|tenth|eleventh|twelfth|last|the\\s+\\w+"
    "|premier|première|un|une|deux|trois|erstes|erster|erste|zweites|zweiter|zweite|eins|zwei|drei"
    "|primero|primera|segundo|segunda|uno|dos|tres"
)
_PART_WORDS = ("part", "book", "volume", "partie", "livre", "tome", "teil", "buch", "band", "parte", "libro")
# "CHAPTER I.", "Chapter 3: The Return", "PART TWO", "Book the First", "STAVE III.", and the same
# in the other languages listen narrates: "CHAPITRE PREMIER", "Kapitel 3", "Capítulo II".
_CHAPTER = re.compile(
    r"^(chapter|part|book|volume|section|act|scene|canto|stave|letter|lecture|lesson"
    r"|chapitre|partie|livre|tome|kapitel|teil|buch|band|abschnitt|cap[ií]tulo|parte|libro)\s+"
    rf"((?=[MDCLXVI]+\b){_ROMAN}|\d{{1,3}}|{_NUMBER_WORDS})\b\s*([.:—–-]\s*(.*)|(.*))$",
    re.IGNORECASE,
)
# "PROLOGUE", "Preface", "FIRST EPILOGUE: 1813 - 20", "SECOND PART", "Book the First" aside:
# the named parts of a book, which stand in its chapter sequence.
_ORDINALS = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final"
_NAMED_PART = re.compile(
    rf"^((({_ORDINALS})\s+)?(prologue|epilogue|preface|introduction|foreword|afterword|forethought|afterthought"
    rf"|conclusion|postscript|interlude|envoi)(\s+to\s+[\w’'-]+(\s+[\w’'-]+){{0,4}})?|({_ORDINALS})\s+(part|book|volume|act|scene)|[a-z]+\s+the\s+({_ORDINALS}))\b\s*([.:—–-]\s*(?P<title>.{{0,40}}))?$",
    re.IGNORECASE,
)
# 'SCENE' or 'ACT' alone, with no number: a label set under each act, never a title of its own.
_BARE_LABEL_WORD = re.compile(r"^(chapter|part|book|act|scene|canto|stave|section)\.?:?$", re.IGNORECASE)
_ROMAN_LINE = re.compile(rf"^({_ROMAN})(\.?$|\.\s+(\S.*)$)")
_ARABIC_LINE = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+(\S.*)$")
_UNDERLINE = re.compile(r"^(=+|-+)$")
_NO_WORDS = re.compile(r"^[\W_]+$")
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
# Lines that are short and stand alone but are never headings.
NEVER_HEADINGS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("attribution", r"^(—|–|―|--|-|~)\s*\S.*$"),
        (
            "time stamp",
            r"^((updated|posted|published)\s+(at\s+)?)?\d{1,2}[.:h]\d{2}(\s*([ap]\.?m\.?))?(\s+[a-z]{2,4})?$",
        ),
        ("bare number", r"^[\d\s.,:/%#№+-]+$"),
        ("date", rf"^(\w+day,?\s+)?\d{{1,2}}(st|nd|rd|th)?\s+({_MONTHS})\.?,?(\s+\d{{4}})?$"),
        ("date", rf"^(\w+day,?\s+)?({_MONTHS})\.?\s+\d{{1,2}}(st|nd|rd|th)?,?(\s+\d{{4}})?$"),
        (
            "byline",
            r"^by(?!\s+(the|a|an|this|that|these|those|our|my|his|her|its|their|way|order)\b)"
            r"(\s+[A-Z][\w.'’-]*(\s+(and|&|de|van|von|da|del|le|la))?)*,?$",
        ),
        (
            "link promo",
            r"^(read more|read next|read also|also read|related|see more|more on this( story)?|watch|listen"
            r"|recommended|more from [\w ]+|most read|editor'?s picks?)\s*[:|–—›»>]\s*\S.*$",
        ),
        ("address", r"^(https?://|www\.)\S+$"),
        (
            "credit",
            r"^(copyright\b|©|\(c\)\s*\d)|^(illustrated|translated|edited|drawings|pictures)(\s+\w+){0,3}\s+by\s+\S",
        ),
        # A name signed under a preface or a letter: 'A. CONAN DOYLE.', 'W. M. ROSSETTI', 'JOHN W. JUDD.'
        # (the initial is not a Roman numeral, case matters).
        ("signature", r"(?-i:^(?=.*\b[ABE-HJKN-UWYZ]\.)([A-Z][\w'’-]*\.?\s*){1,4}$)"),
        # 'L. Frank Baum': an initial that is a Roman numeral's letter, before a name in mixed case
        # (a numbered heading in these letters is rare: 'L.' is 50, 'C.' a hundred).
        ("signature", r"(?-i:^[LCDM]\.\s+[A-Z][a-z][\w'’-]*(\s+[A-Z][a-z][\w'’-]*){1,2}\.?$)"),
        ("bracketed", r"^[\[(<{].*$"),
        ("bracketed", r"^[^\[]*\]$"),  # the last line of a bracketed block: "Chapter I.]"
        ("quoted", "^[\"“”'‘’«»„].*$"),
    )
)
_END_MARK = re.compile(r"^(the\s+end|finis|fin|ende|fine)\.?$", re.IGNORECASE)
_PAGE_NUMBERED = re.compile(r"^(.*\s\d{1,4}\n)*.*\s\d{1,4}$")
# All the rules as one expression, so a line is asked once: group rN is rule N.
_ANY_NEVER = re.compile(
    "|".join(f"(?P<r{n}>{pattern.pattern})" for n, (_name, pattern) in enumerate(NEVER_HEADINGS)), re.IGNORECASE
)
_NEVER_NAMES = {f"r{n}": name for n, (name, _pattern) in enumerate(NEVER_HEADINGS)}
# A play's cast list (and its list of scenes) set before the first act: a section of the book,
# kept under its label even though it comes before the first prose, with the title page.
_CAST = re.compile(
    r"^(the\s+)?(characters|dramatis\s+person(ae|æ)|cast(\s+of\s+characters)?|persons\s+represented"
    r"|(persons|characters|scenes)\s+(of|in)\s+the\s+(play|comedy|drama|tragedy))\.?:?$",
    re.IGNORECASE,
)
_CONTENTS = re.compile(r"^(table of )?contents\.?:?$|^list of (illustrations|plates|maps)\.?:?$", re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    """A chunk that could be a heading: the text to show and the styles it could belong to."""

    text: str
    styles: frozenset[str]
    setext: str = ""  # "=" or "-" when the line was underlined
    label_only: bool = False  # "CHAPTER I." with no title after it: a title chunk may follow


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
    repeated = set(_repeated(candidates))
    dropped: set[int] = {i for i, k in enumerate(kinds) if k == "rule"}
    _merge_split_labels(chunks, candidates, dropped, _sub_labels(repeated, candidates), _speakers(repeated, candidates))
    for i in [i for i, c in candidates.items() if _END_MARK.match(c.text)]:
        del candidates[i]  # 'THE END' alone closes the book; under 'CHAPTER XII.' it is a title
        kinds[i] = "minor"
    for i in repeated & set(candidates):
        if not candidates[i].label_only and "\n" not in candidates[i].text:  # not merged into a heading
            del candidates[i]
            kinds[i] = "minor"
    prose = [i for i, k in enumerate(kinds) if k == "prose"]
    # Text between two candidates, of any kind, makes them a heading and its section.
    content = [i for i, k in enumerate(kinds) if k in ("prose", "short", "minor") and i not in dropped]
    first_prose = prose[0] if prose else 0  # no prose at all (verse, a list): no title page either

    def text_between(start: int, stop: int) -> bool:
        at = bisect_right(content, start)
        return at < len(content) and content[at] < stop

    order = sorted(candidates)
    # The candidate right before the first prose opens the body; candidates before it are the
    # front: a title page, a byline block, a contents list.
    opening = max((i for i in order if i < first_prose), default=None)
    if opening is not None and (hung_from := _attribution(opening, chunks, candidates)) is not None:
        opening = hung_from  # the first heading has an epigraph under it
    # 'ACT III.  The gallery…' closing a play's list of scenes stands where the text opens, but
    # it is the list's last line, not a heading.
    listed = opening is not None and _last_of_list(opening, order, candidates, text_between)
    openings = _opening_run(opening, candidates, kinds, dropped)
    cast = {i for i in order if i < first_prose and _CAST.match(candidates[i].text)}
    front = {i for i in order if i < first_prose and i not in openings and i not in cast}
    contents = _contents_chunks(chunks, kinds, candidates)
    front |= contents
    body = [i for i in order if i not in front]

    families: dict[str, list[int]] = {}
    for i in body:
        for style in candidates[i].styles:
            families.setdefault(style, []).append(i)
    accepted = {style for style, members in families.items() if _accepted(style, members, text_between, len(chunks))}
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

    headings: dict[int, tuple[str, int]] = {}
    runs = _runs(order, text_between)
    attributions = {i for i in body if (hung := _attribution(i, chunks, candidates)) is not None and hung not in front}
    # The last line of the text has nothing under it ('THE END' after it closes the book).
    last = max((j for j in range(len(chunks)) if j not in dropped and not _END_MARK.match(chunks[j])), default=-1)
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
                and (_numbered(styles) or _next_is_text(i, chunks, candidates, dropped))
            )
        elif _next_is_chapter(i, chunks, candidates, dropped) and not _numbered(styles):
            keep = False  # 'CURTAIN' right over 'SECOND ACT': a closing line, not an empty section
        elif _signed_off(i, chunks, candidates, dropped):
            keep = False  # 'ANN HALE' under a preface, right over a story's mixed-case title
        else:
            keep = bool(styles & accepted) and (
                "news" not in styles or runs.get(i, 1) < RUN or bool(styles & (accepted - {"news"}))
            )
        if keep:
            headings[i] = (candidate.text, _level(candidate, accepted))
    setexts = {candidates[i].setext for i in headings if candidates[i].setext}
    if setexts == {"=", "-"}:
        headings = {i: (t, 3 if candidates[i].setext == "-" else lv) for i, (t, lv) in headings.items()}
    if book or bookish:
        # The title page is what comes before the opening heading; under it, a sub-label
        # ('ARGUMENT.') before the first paragraph is the section's own first line.
        front_end = min((i for i in openings | cast if i in headings), default=first_prose)
        dropped |= {i for i in range(front_end) if i not in headings} | contents
    return Outline(headings, frozenset(dropped))


def _repeated(candidates: dict[int, Candidate]) -> list[int]:
    """Candidates whose text recurs REPEATED times or more: a speaker's name over each of their
    speeches in a play, 'SCENE' under each act, a sign-off. A heading names one section."""
    counts = Counter(_key(c.text) for c in candidates.values())
    return [
        i
        for i, c in candidates.items()
        if counts[_key(c.text)] >= REPEATED and not c.setext and not _numbered(c.styles)
    ]


def _sub_labels(repeated: set[int], candidates: dict[int, Candidate]) -> set[int]:
    """Recurring lines set under a chapter's label each time ('BOOK I.', 'ARGUMENT.'): part of
    the chapter's furniture, never its title."""
    under = [i for i in repeated if (label := candidates.get(i - 1)) is not None and label.label_only]
    counts = Counter(_key(candidates[i].text) for i in under)
    # …and over a title at least once: a recurring title ('CIMOURDAIN' in the contents, over
    # its book and over its chapter; 'LADY SUSAN TO MRS. JOHNSON' over letter after letter) is
    # set over the text itself.
    over_titles = {_key(candidates[i].text) for i in under if i + 1 in candidates and i + 1 not in repeated}
    return {
        i for i in under if counts[_key(candidates[i].text)] >= REPEATED and _key(candidates[i].text) in over_titles
    }


def _speakers(repeated: set[int], candidates: dict[int, Candidate]) -> set[int]:
    """Recurring lines that recur away from chapter labels too: a speaker's name over each of
    their speeches ('ANNA.'), which is never the title of the act above it. A title recurs
    only under labels (in the contents, over its book and over its chapter)."""
    loose = Counter(
        _key(candidates[i].text) for i in repeated if (label := candidates.get(i - 1)) is None or not label.label_only
    )
    return {i for i in repeated if loose[_key(candidates[i].text)] >= REPEATED}


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


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
    for pattern, group in ((_CHAPTER, 2), (_ROMAN_LINE, 1), (_ARABIC_LINE, 1)):
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


def kind_of(chunk: str) -> Candidate | str:
    """'rule', 'short' (several short lines: a title page block, a stanza, a table), 'prose',
    'minor' (a short line that is not a heading), or a Candidate."""
    if "\ufffd" in chunk:  # a damaged byte says nothing about the shape of a line
        chunk = chunk.replace("\ufffd", "")
    lines = chunk.split("\n")
    if _NO_WORDS.match(chunk.replace("\n", " ")):
        return "rule"
    if len(lines) >= 2 and _UNDERLINE.match(lines[-1]) and len(lines[-1]) >= 3 and len(lines) <= 3:
        text = " ".join(lines[:-1])
        if len(text) <= 2 * MAX_HEADING_CHARS and not _never(text):
            return Candidate(_shown(lines[:-1]), frozenset({"setext"}), setext=lines[-1][0])
    if len(lines) <= 2 and (candidate := _candidate(lines)) is not None:
        return candidate
    if len(lines) >= 2 and all(len(line) <= 60 for line in lines) and len(chunk.split()) / len(lines) <= 7:
        return "short"
    if len(lines) == 1 and (
        (len(chunk) <= SHORT_LINE_CHARS and _never(chunk)) or (len(chunk.split()) < 8 and not chunk.endswith(_CLOSING))
    ):
        return "minor"
    return "prose"


def never_heading_rule(line: str) -> str | None:
    """The name of the rule that says `line` is never a heading (an attribution, a time stamp…)."""
    found = _ANY_NEVER.match(line)
    return _NEVER_NAMES[found.lastgroup] if found is not None and found.lastgroup else None


def _never(line: str) -> bool:
    return never_heading_rule(line) is not None


def _candidate(lines: list[str]) -> Candidate | None:
    if any(len(line) > MAX_HEADING_CHARS or _never(line) for line in lines):
        return None
    words = sum(len(line.split()) for line in lines)
    if len(lines) == 1:
        return _one_line(lines[0]) if words <= MAX_HEADING_WORDS else None
    # A heading wrapped over two lines: a label and its title, or one capitalised title.
    if words > MAX_WRAPPED_WORDS:
        return None
    first, second = lines
    label = _one_line(first)
    if label is not None and label.label_only and second[:1].isupper() and not second.endswith(tuple(",;")):
        styles = {s for s in label.styles if not s.startswith("upper")}
        if _upper(first) and _upper(second):
            styles.add("upper" + _ending(second))
        return Candidate(_shown(lines, labelled=True), frozenset(styles))
    if _upper(first) and _upper(second) and not first.endswith((".", ":")):
        numbered = {s for s in (label.styles if label else ()) if s.startswith(("chapter", "roman", "arabic"))}
        return Candidate(_shown(lines), frozenset({"upper" + _ending(second), *numbered}))
    return None


def _one_line(line: str) -> Candidate | None:
    if _BARE_LABEL_WORD.match(line):
        return None
    styles: set[str] = set()
    label_only = False
    if (chapter := _CHAPTER.match(line)) is not None:
        rest = (chapter.group(4) if chapter.group(4) is not None else chapter.group(5) or "").strip()
        if not rest or chapter.group(4) is not None or _upper(line) or not rest.endswith(tuple(".!?,;")):
            styles.add("chapter " + chapter.group(1).lower())
            label_only = not rest
    elif (named := _NAMED_PART.match(line)) is not None and not line.endswith(tuple("!?,;")):
        styles.add("chapter named")
        label_only = not named.group("title")
    elif (roman := _ROMAN_LINE.match(line)) is not None and _roman_heading(roman.group(1), roman.group(3), line):
        styles.add("roman")
        label_only = not roman.group(3)
    elif (numbered := _ARABIC_LINE.match(line)) is not None:
        title = numbered.group(2)
        if title[:1].isupper() and not title.endswith(tuple(".!?,;:")):
            styles.add("arabic " + str(numbered.group(1).count(".")))
    if _upper(line):
        styles.add("upper" + _ending(line))
    elif line.endswith(tuple(".!?,;:…")) and not styles:
        return None
    if (
        not line.endswith(_CLOSING)
        and not _LIST_ITEM.match(line)
        and (line[0].isupper() or line[0].isdigit())
        and not (styles & {"roman"})
    ):
        styles.add("news")
    if is_back_matter(line):
        styles.add("back matter")
    if not styles:
        return None
    return Candidate(_shown([line]), frozenset(styles), label_only=label_only)


def _roman_heading(numeral: str, title: str | None, line: str) -> bool:
    """'IV.' and 'IV. The Storm' are numbered headings; 'M. Cavalcanti nodded.' is a sentence
    about a man with an initial (L, C, D and M alone are initials far more often than numbers)."""
    if not title:
        return True
    if numeral in ("L", "C", "D", "M"):
        return False
    return not title.endswith(tuple("!?,;")) and (_upper(line) or not title.endswith("."))


def _upper(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _ending(line: str) -> str:
    """An all-capitals style is told apart by how its lines end: 'INTRODUCTION.' vs 'NOTES'."""
    return "." if line.endswith((".", ":")) else ""


def _shown(lines: list[str], *, labelled: bool = False) -> str:
    """The heading as the reader shows it: wrapped lines joined, one closing '.' or ':' dropped.

    A label and its title ('CHAPTER I' over 'THE KEEPER') are joined with a full stop when the
    label has no punctuation of its own, so the two are not read as one phrase.
    """
    text = lines[0]
    for line in lines[1:]:
        text += (". " if labelled and not text.endswith(tuple(".:;,—–-")) else " ") + line
    if text.endswith((".", ":")) and not text.endswith(".."):
        text = text[:-1]
    return text.strip()


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
        if label is None or title is None or not label.label_only:
            continue
        if title.label_only and not (title.styles & {"chapter named"} and label.styles & {"roman", "arabic 0"}):
            continue  # 'I' over 'Introduction' is one heading; 'PART I.' over 'CHAPTER I.' is two
        if at in labels or at in repeated:
            continue  # 'BOOK VI.' over 'ARGUMENT.', 'ACT I.' over 'ANNA.': a recurring line is no title
        lines = chunks[at].split("\n")
        if len(lines) == 2 and not (
            all(_upper(line) for line in lines) and len(chunks[at].split()) <= MAX_HEADING_WORDS
        ):
            continue  # a title wraps in capitals; a longer block is the chapter's synopsis
        if len(lines) > 2:
            continue
        if not (title.styles & {"news"} or any(s.startswith("upper") for s in title.styles)):
            continue
        if _upper(chunks[i]) and not _upper(chunks[at]):
            continue  # 'SECOND PART' over 'Dedicated to …': a label in capitals has a title in capitals
        styles = label.styles | {s for s in title.styles if s.startswith("upper")}
        candidates[i] = Candidate(_shown([chunks[i], " ".join(lines)], labelled=True), frozenset(styles))
        del candidates[at]
        dropped.add(at)


def _contents_chunks(chunks: list[str], kinds: list, candidates: dict[int, Candidate]) -> set[int]:
    """A 'CONTENTS' label and the list under it, up to the heading that opens the text after it.

    The list is every chunk up to the first prose that is not an entry (entries may be long
    lines ending in a page number); the last candidate before that prose is the first heading.
    """
    found: set[int] = set()
    for i, chunk in enumerate(chunks):
        if not _CONTENTS.match(chunk.split("\n")[0].strip()):
            continue
        stop, titled = i + 1, 0
        while stop < len(chunks) and (kinds[stop] != "prose" or _contents_entry(chunks[stop])):
            if titled >= 2 and _bare_label(chunks[stop]):
                break  # entries carry their titles: a bare 'PART I.' opens the text
            titled += _CHAPTER.match(chunks[stop].split("\n")[0]) is not None
            stop += 1
        last = max((c for c in candidates if i < c < stop), default=None)
        if stop < len(chunks) and _bare_label(chunks[stop]):
            last = None  # the text opens with the label the list stopped at
        found |= {j for j in range(i, stop) if j != last}
    return found


def _bare_label(chunk: str) -> bool:
    """'PART I.', 'BOOK II', 'IV.': a chapter's label with no title on its line."""
    found = _one_line(chunk.strip()) if "\n" not in chunk.strip() else None
    return found is not None and found.label_only and _numbered(found.styles - {"chapter named"})


def _contents_entry(chunk: str) -> bool:
    """A long entry of a contents list: one ending in a page number, one opening with its
    chapter's label and running on with the chapter's synopsis ('CHAPTER V. A Useful
    Minister--In Church…'), or the synopsis carried on to a line of its own in lower case."""
    return bool(_PAGE_NUMBERED.match(chunk) or _CHAPTER.match(chunk.split("\n")[0]) or chunk[:1].islower())


def _accepted(style: str, members: list[int], text_between, total: int) -> bool:
    """A style is the document's when its lines recur with text between them."""
    if style in ("news", "setext", "back matter"):
        return True
    spread = [text_between(a, b) for a, b in zip(members, [*members[1:], total], strict=True)]
    if style.startswith("chapter"):
        return any(spread)
    return len(members) >= 2 and sum(spread) >= 0.5 * len(members) and sum(spread) >= 2


def _numbered(styles: frozenset[str]) -> bool:
    return any(s.startswith(("chapter", "roman", "arabic")) for s in styles)


def _next_is_text(i: int, chunks: list[str], candidates: dict[int, Candidate], dropped: set[int]) -> bool:
    """A capitalised line with another heading-like line right under it is a signature or the
    first half of a title and subtitle, not a heading with a section of its own."""
    following = next((j for j in range(i + 1, len(chunks)) if j not in dropped), None)
    return following is not None and following not in candidates


def _next_is_chapter(i: int, chunks: list[str], candidates: dict[int, Candidate], dropped: set[int]) -> bool:
    following = next((j for j in range(i + 1, len(chunks)) if j not in dropped), None)
    return following is not None and following in candidates and _numbered(candidates[following].styles)


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
    if _numbered(candidate.styles) or "back matter" in candidate.styles or not _upper(candidate.text):
        return False
    if i == 0 or i - 1 in candidates or i - 1 in dropped or len(candidate.text.split()) > 5:
        return False
    following = next((j for j in range(i + 1, len(chunks)) if j not in dropped), None)
    return (
        following is not None
        and following in candidates
        and not _upper(candidates[following].text)
        and not _numbered(candidates[following].styles)
    )


def _attribution(i: int, chunks: list[str], candidates: dict[int, Candidate]) -> int | None:
    """The heading an epigraph hangs from when candidate `i` is the name under it ('ARTHUR
    SYMONS.', 'GOETHE' under verse or a quotation right under a heading), else None. Under a
    chapter's last line of dialogue, a short line is the next heading, not an attribution."""
    if i < 2 or _numbered(candidates[i].styles) or len(candidates[i].text.split()) > 5:
        return None
    before = chunks[i - 1]
    lines = before.split("\n")
    verse = len(lines) >= 2 and sum(line[:1].isupper() for line in lines) >= 0.6 * len(lines)
    quoted = before.startswith(_QUOTES) and before.rstrip().endswith(_QUOTES) and len(before.split()) <= 60
    if not (verse or quoted):
        return None
    # The epigraph may be two or three stanzas: look past them for the heading it hangs from.
    # More verse than that is a poem, and the line under it the next poem's title.
    at = i - 2
    while at >= 0 and at not in candidates and at > i - 4 and "\n" in chunks[at]:
        at -= 1
    if at in candidates and _CONTENTS.match(chunks[at].split("\n")[0].strip()):
        return None  # the lines above are a contents list, not an epigraph
    return at if at in candidates else None


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
    parts = {s for s in accepted if s.split(" ")[-1] in _PART_WORDS and s.startswith("chapter")}
    chapters = {s for s in accepted if s.startswith("chapter") and s not in parts}
    if parts and chapters and candidate.styles & chapters and not candidate.styles & parts:
        return 3
    return 2
