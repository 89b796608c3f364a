"""What one line or chunk of a plain text can be, judged on its own: a chapter label, a Roman
or Arabic number, an all-capitals line, a short news-style line, a rule; or never a heading
(a quotation's attribution, a time stamp, a bare number, a byline, a link promo).

plain_headings.py then decides, from the whole document's shape, which candidates are headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from listen.articles.back_matter import is_back_matter

MAX_HEADING_WORDS = 12
MAX_WRAPPED_WORDS = 28
MAX_HEADING_CHARS = 80
# The never-heading rules are asked only about lines this short (an attribution, a promo).
SHORT_LINE_CHARS = 200

QUOTES = ('"', "“", "”", "'", "‘", "’", "«", "»", "„")
_CLOSING = tuple(".!?,;:…-—–") + QUOTES + (")", "]")
_LIST_ITEM = re.compile(r"^([-*•–]|\d{1,3}[.)])\s+")
_ROMAN = r"(?=[MDCLXVI])M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    "|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|first|second|third|fourth|fifth|sixth|seventh"
    "|eighth|ninth|tenth|eleventh|twelfth|last|the\\s+\\w+"
    "|premier|première|un|une|deux|trois|erstes|erster|erste|zweites|zweiter|zweite|eins|zwei|drei"
    "|primero|primera|segundo|segunda|uno|dos|tres"
)
PART_WORDS = ("part", "book", "volume", "partie", "livre", "tome", "teil", "buch", "band", "parte", "libro")
# "CHAPTER I.", "Chapter 3: The Return", "PART TWO", "Book the First", "STAVE III.", and the same
# in the other languages listen narrates: "CHAPITRE PREMIER", "Kapitel 3", "Capítulo II".
CHAPTER = re.compile(
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
ROMAN_LINE = re.compile(rf"^({_ROMAN})(\.?$|\.\s+(\S.*)$)")
ARABIC_LINE = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+(\S.*)$")
_UNDERLINE = re.compile(r"^(=+|-+)$")
_NO_WORDS = re.compile(r"^[\W_]+$")
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
MONTHS = _MONTHS  # month names and their abbreviations, for plain.py's dates in stamps
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
END_MARK = re.compile(r"^(the\s+end|finis|fin|ende|fine)\.?$", re.IGNORECASE)
PAGE_NUMBERED = re.compile(r"^(.*\s\d{1,4}\n)*.*\s\d{1,4}$")
# All the rules as one expression, so a line is asked once: group rN is rule N.
_ANY_NEVER = re.compile(
    "|".join(f"(?P<r{n}>{pattern.pattern})" for n, (_name, pattern) in enumerate(NEVER_HEADINGS)), re.IGNORECASE
)
_NEVER_NAMES = {f"r{n}": name for n, (name, _pattern) in enumerate(NEVER_HEADINGS)}
# A play's cast list (and its list of scenes) set before the first act: a section of the book,
# kept under its label even though it comes before the first prose, with the title page.
CAST = re.compile(
    r"^(the\s+)?(characters|dramatis\s+person(ae|æ)|cast(\s+of\s+characters)?|persons\s+represented"
    r"|(persons|characters|scenes)\s+(of|in)\s+the\s+(play|comedy|drama|tragedy))\.?:?$",
    re.IGNORECASE,
)
CONTENTS = re.compile(r"^(table of )?contents\.?:?$|^list of (illustrations|plates|maps)\.?:?$", re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    """A chunk that could be a heading: the text to show and the styles it could belong to."""

    text: str
    styles: frozenset[str]
    setext: str = ""  # "=" or "-" when the line was underlined
    label_only: bool = False  # "CHAPTER I." with no title after it: a title chunk may follow


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
            return Candidate(shown(lines[:-1]), frozenset({"setext"}), setext=lines[-1][0])
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
        return one_line(lines[0]) if words <= MAX_HEADING_WORDS else None
    # A heading wrapped over two lines: a label and its title, or one capitalised title.
    if words > MAX_WRAPPED_WORDS:
        return None
    first, second = lines
    label = one_line(first)
    if label is not None and label.label_only and second[:1].isupper() and not second.endswith(tuple(",;")):
        styles = {s for s in label.styles if not s.startswith("upper")}
        if is_upper(first) and is_upper(second):
            styles.add("upper" + _ending(second))
        return Candidate(shown(lines, labelled=True), frozenset(styles))
    if is_upper(first) and is_upper(second) and not first.endswith((".", ":")):
        numbered = {s for s in (label.styles if label else ()) if s.startswith(("chapter", "roman", "arabic"))}
        return Candidate(shown(lines), frozenset({"upper" + _ending(second), *numbered}))
    return None


def one_line(line: str) -> Candidate | None:
    if _BARE_LABEL_WORD.match(line):
        return None
    styles: set[str] = set()
    label_only = False
    if (chapter := CHAPTER.match(line)) is not None:
        rest = (chapter.group(4) if chapter.group(4) is not None else chapter.group(5) or "").strip()
        if not rest or chapter.group(4) is not None or is_upper(line) or not rest.endswith(tuple(".!?,;")):
            styles.add("chapter " + chapter.group(1).lower())
            label_only = not rest
    elif (named := _NAMED_PART.match(line)) is not None and not line.endswith(tuple("!?,;")):
        styles.add("chapter named")
        label_only = not named.group("title")
    elif (roman := ROMAN_LINE.match(line)) is not None and _roman_heading(roman.group(1), roman.group(3), line):
        styles.add("roman")
        label_only = not roman.group(3)
    elif (numbered := ARABIC_LINE.match(line)) is not None:
        title = numbered.group(2)
        if title[:1].isupper() and not title.endswith(tuple(".!?,;:")):
            styles.add("arabic " + str(numbered.group(1).count(".")))
    if is_upper(line):
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
    return Candidate(shown([line]), frozenset(styles), label_only=label_only)


def _roman_heading(numeral: str, title: str | None, line: str) -> bool:
    """'IV.' and 'IV. The Storm' are numbered headings; 'M. Cavalcanti nodded.' is a sentence
    about a man with an initial (L, C, D and M alone are initials far more often than numbers)."""
    if not title:
        return True
    if numeral in ("L", "C", "D", "M"):
        return False
    return not title.endswith(tuple("!?,;")) and (is_upper(line) or not title.endswith("."))


def is_upper(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _ending(line: str) -> str:
    """An all-capitals style is told apart by how its lines end: 'INTRODUCTION.' vs 'NOTES'."""
    return "." if line.endswith((".", ":")) else ""


def shown(lines: list[str], *, labelled: bool = False) -> str:
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
