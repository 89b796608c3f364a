"""Plain text, read the way a careful editor reads it: scraped news, blog posts kept as text,
live blogs, and whole books from Project Gutenberg.

The first non-empty line is the title (unless it is only the section label above the title,
like "Features"); a "By …" line under it is the author; a short quoted or italic paragraph
right after it is the standfirst. Which short lines are headings is decided by the shape of
the whole document (see plain_headings.py). An e-text book loses its wrapper (gutenberg.py)
and takes its title and author from the header. Hard-wrapped lines are joined; list lines keep
their own paragraph; a paragraph of thousands of words (a file saved as one long line) is
split at sentence ends into paragraphs a listener can skip between.
"""

from __future__ import annotations

import re

from listen.articles.boilerplate import RELATIVE_TIME, is_boilerplate, without_page_furniture
from listen.articles.gutenberg import unwrap_etext
from listen.articles.plain_headings import outline
from listen.articles.plain_lines import MONTHS, SHORT_LINE_CHARS, never_heading_rule
from listen.articles.sections import Block, Draft

MAX_TITLE_WORDS = 30
# A title set under a section label is longer than the label: "Features" over a 4-word title at
# least; shorter lines under a one-word first line ("Essay", "I. The Harbour") are the text.
MIN_TITLE_UNDER_LABEL_WORDS = 4
MAX_STANDFIRST_WORDS = 45
# A standfirst without quotes or italics is a line this long at least (a heading is shorter).
MIN_BARE_STANDFIRST_WORDS = 13
# A paragraph longer than this is split; the parts are about PART_WORDS, at most MAX_PART_WORDS.
LONG_PARAGRAPH_WORDS = 400
PART_WORDS = 150
MAX_PART_WORDS = 250

_LIST_ITEM = re.compile(r"^([-*•–]|\d{1,3}[.)])\s+")
_QUOTES = ('"', "“", "”", "'", "‘", "’", "«", "»", "„")
_CLOSING = tuple(".!?,;:…") + _QUOTES + (")", "]")
_ITALIC = re.compile(r"^([*_])(?!\1)(.+?)\1$")
_UNDERLINE = re.compile(r"^(=+|-+)$")
# Underscores around words are how e-texts mark italics: "_The Salt Road_".
_UNDERSCORE_ITALICS = re.compile(r"(?<!\w)_([^_\n]+?)_(?!\w)")
_STAMP_WORD = re.compile(r"^(updated|posted|published)\b", re.IGNORECASE)
# "14 March 2025" or "March 14, 2025" inside a stamp ("Published 14 March 2025, 07:42 GMT").
_DATE_IN = re.compile(
    rf"\b(\d{{1,2}}\s+({MONTHS})\.?,?\s+\d{{4}}|({MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}})\b", re.IGNORECASE
)
# A role after the name in a byline: "By Ann Tor, Health Correspondent", "by Li Wei, staff writer".
_ROLE = re.compile(
    r",\s*([\w.'’-]+\s+){0,3}(correspondent|editor|reporter|writer|columnist|contributor|critic|journalist"
    r"|producer|bureau chief|staff|in [A-Z][\w ]+)\s*$",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^by\s+(\S.{0,80})$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…][\"”’»)\]]*$")
_ABBREVIATION = re.compile(
    r"^[\"“(]?(Mr|Mrs|Ms|Mx|Dr|Prof|St|Sr|Jr|Rev|Gen|Col|Capt|Lt|Sgt|Sen|Rep|Gov|Mt|No|vs|etc|e\.g|i\.e"
    r"|Inc|Ltd|Co|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|[A-Z])\.$"
)
# Section labels newspapers set above a title ("Features", "World news", "Opinion | Politics").
SECTION_LABELS = frozenset(
    {
        "features",
        "feature",
        "opinion",
        "comment",
        "analysis",
        "editorial",
        "news",
        "world",
        "uk",
        "us",
        "europe",
        "business",
        "money",
        "economy",
        "sport",
        "sports",
        "culture",
        "arts",
        "science",
        "technology",
        "tech",
        "politics",
        "environment",
        "climate",
        "travel",
        "lifestyle",
        "health",
        "education",
        "books",
        "music",
        "film",
        "tv",
        "television",
        "food",
        "fashion",
        "style",
        "society",
        "media",
        "review",
        "reviews",
        "interview",
        "the long read",
        "long read",
        "long reads",
        "explainer",
        "obituary",
        "obituaries",
        "letters",
        "live",
        "breaking",
        "exclusive",
        "investigation",
        "magazine",
        "weekend",
        "essay",
        "profile",
        "in pictures",
        "photography",
        "podcast",
        "video",
        "national",
        "international",
        "local",
        "regional",
        # fr, de, es
        "société",
        "économie",
        "politique",
        "idées",
        "tribune",
        "enquête",
        "planète",
        "sciences",
        "politik",
        "wirtschaft",
        "kultur",
        "meinung",
        "wissen",
        "ausland",
        "inland",
        "gesellschaft",
        "kommentar",
        "feuilleton",
        "reise",
        "internacional",
        "nacional",
        "economía",
        "cultura",
        "deportes",
        "opinión",
        "sociedad",
        "ciencia",
        "tecnología",
        "política",
        "mundo",
        "españa",
    }
)
_LABEL_SEPARATORS = re.compile(r"\s*[|›»/>·•]\s*")


def parse_plain(text: str, fallback_title: str) -> Draft:
    """The article in `text`, whatever its line endings: Windows (CRLF) and old Mac (CR) files
    are read as the same lines, since every rule here works line by line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta: dict[str, str] = {}
    etext = unwrap_etext(text)
    if etext is not None:
        text, meta = etext.body, dict(etext.meta)
    chunks = [c for c in text.split("\n\n") if c.strip()]
    if etext is not None and etext.title:
        title, rest = meta.pop("title"), chunks
    elif chunks:
        title, rest = title_of(chunks, fallback_title)
    else:
        return Draft(meta.pop("title", "") or fallback_title, (), meta=meta)
    meta.pop("title", None)
    if rest and _words_of(rest[0]) == _words_of(title):
        rest = rest[1:]  # an e-text's title page repeats the title its header gave: not a chapter
    rest = _without_opening_meta(rest, meta)
    standfirst = ""
    if rest and (found := standfirst_of(rest[0], body_follows=len(rest) > 1)):
        standfirst, rest = found, _without_opening_meta(rest[1:], meta)
    return Draft(title, tuple(blocks_of(rest, book=etext is not None)), standfirst, meta)


def _without_opening_meta(chunks: list[str], meta: dict[str, str]) -> list[str]:
    """The chunks after the byline, date line and 'Updated …' stamp under a title.

    The byline and date become the article's author and date; an 'Updated 09.52 GMT' stamp is
    page furniture and is left out. A page copied as text sets them as lines of one chunk
    ("By Ann Tor, Health Correspondent" over "Published 14 March 2025 | Updated 2 hours ago").
    """
    while chunks:
        found: dict[str, str] = {}
        if not all(_opening_meta(line.strip(), found) for line in chunks[0].strip().split("\n")):
            break
        for key, value in found.items():
            meta.setdefault(key, value)
        chunks = chunks[1:]
    return chunks


def _opening_meta(line: str, found: dict[str, str]) -> bool:
    """Whether `line` is a byline, a date or a stamp (its parts split at '|'); what it says
    goes into `found`."""
    if author := byline_of(line):
        found.setdefault("author", author)
        return True
    parts = [p.strip() for p in line.split("|") if p.strip()]
    for part in parts:
        rule = never_heading_rule(part)
        stamp = _STAMP_WORD.match(part)
        if rule == "date":
            found.setdefault("date", part)
        elif stamp and (date := _DATE_IN.search(part)) is not None:
            found.setdefault("date", date.group(0))
        elif not (stamp and (rule == "time stamp" or RELATIVE_TIME.search(part) or _DATE_IN.search(part))):
            return False
    return bool(parts)


def blocks_of(chunks: list[str], *, book: bool = False) -> list[Block]:
    """Heading and paragraph blocks, by the document's outline; link promos left out.

    Boilerplate lines ('Advertisement', 'Share this article') are taken out first, so they
    are neither headings nor what a heading's shape is judged by.
    """
    chunks = [c for c in without_page_furniture(chunks) if "\n" in c or not is_boilerplate(c)]
    plan = outline(chunks, book=book)
    blocks: list[Block] = []
    for index, chunk in enumerate(chunks):
        if index in plan.dropped:
            continue
        if index in plan.headings:
            heading, level = plan.headings[index]
            blocks.append(Block("heading", heading, level))
        elif "\n" not in chunk and len(chunk) <= SHORT_LINE_CHARS and never_heading_rule(chunk) == "link promo":
            continue  # "Read more: …" points elsewhere; it is not this article's text
        else:
            blocks.extend(Block("paragraph", p) for p in paragraphs_of(chunk))
    return blocks


def title_of(chunks: list[str], fallback_title: str) -> tuple[str, list[str]]:
    """The title and the chunks after it.

    The title is the first line, unless that is a section label over the real title; an
    underlined title loses its underline, and a capitalised title set over two or three lines
    (a book's) is joined. A first line too long to be a title leaves the whole text as body.
    """
    first = chunks[0].split("\n")
    rest_of_first = first[1:]
    if len(first) >= 2 and _UNDERLINE.match(first[1]) and len(first[1]) >= 3:
        rest_of_first = first[2:]
    elif 2 <= len(first) <= 3 and all(_capitalised_line(line) for line in first):
        return " ".join(first), chunks[1:]
    title = first[0]
    following = rest_of_first[0] if rest_of_first else (chunks[1].split("\n")[0] if len(chunks) > 1 else "")
    if is_section_label(title) and _title_like(following, MIN_TITLE_UNDER_LABEL_WORDS):
        if rest_of_first:
            return following, (["\n".join(rest_of_first[1:])] if rest_of_first[1:] else []) + chunks[1:]
        second = chunks[1].split("\n")
        return following, (["\n".join(second[1:])] if second[1:] else []) + chunks[2:]
    if len(title.split()) > MAX_TITLE_WORDS:
        return fallback_title, chunks
    return title, (["\n".join(rest_of_first)] if rest_of_first else []) + chunks[1:]


def is_section_label(line: str) -> bool:
    """'Features', 'World news', 'Opinion | Politics': a newspaper section, not a title."""
    parts = [p for p in _LABEL_SEPARATORS.split(line.strip().casefold()) if p]
    if not parts or len(line.split()) > 6 or any(len(p.split()) > 3 or p.endswith(tuple(".!?,;:")) for p in parts):
        return False
    return any(p in SECTION_LABELS or p.endswith(" news") for p in parts)


def byline_of(chunk: str) -> str:
    """'Jane Doe' from a 'By Jane Doe' line under the title, else ''."""
    if "\n" in chunk or (found := _BYLINE.match(chunk.strip())) is None:
        return ""
    name = _ROLE.sub("", found.group(1).strip())
    words = name.replace(",", " ").split()
    if not words or len(words) > 8 or name.endswith(tuple(".!?")) and not name.endswith(" Jr."):
        return ""
    connectors = {"and", "&", "de", "van", "von", "da", "del", "le", "la", "y", "et", "und"}
    if all(w[0].isupper() or w in connectors for w in words):
        return name
    return ""


def standfirst_of(chunk: str, *, body_follows: bool = True) -> str:
    """The standfirst if `chunk` is a short quoted or italic line, or a single line of some
    length with no closing punctuation (a news standfirst is set as a line, not a sentence), else ''.
    An unmarked line is a standfirst only with a body after it: alone, it is the article."""
    line = " ".join(chunk.split())
    words = len(line.split())
    if words > MAX_STANDFIRST_WORDS:
        return ""
    if (italic := _ITALIC.match(line)) is not None:
        return italic.group(2).strip()
    if line.startswith(_QUOTES) and line.rstrip(".").endswith(_QUOTES):
        return line
    if body_follows and "\n" not in chunk and words >= MIN_BARE_STANDFIRST_WORDS and not line.endswith(_CLOSING):
        return line
    return ""


def paragraphs_of(chunk: str) -> list[str]:
    """Join hard-wrapped lines into one paragraph; keep list items as separate paragraphs;
    split a paragraph too long to listen to in one go."""
    paragraphs: list[str] = []
    for line in chunk.split("\n"):
        if not line:
            continue
        if paragraphs and not _LIST_ITEM.match(line):
            paragraphs[-1] += " " + line
        else:
            paragraphs.append(line)
    if "_" in chunk:
        paragraphs = [_UNDERSCORE_ITALICS.sub(r"\1", p) for p in paragraphs]
    return [part for p in paragraphs for part in split_long(p)]


def split_long(paragraph: str) -> list[str]:
    """A paragraph of more than LONG_PARAGRAPH_WORDS words as parts of about PART_WORDS words,
    each ending at a sentence end; where no sentence ends for MAX_PART_WORDS words, at a space.
    Words are never cut and never lost."""
    if len(paragraph.split(maxsplit=LONG_PARAGRAPH_WORDS)) <= LONG_PARAGRAPH_WORDS:
        return [paragraph]
    words = paragraph.split()
    parts: list[str] = []
    start = 0
    for index, word in enumerate(words):
        size = index + 1 - start
        at_end = index + 1 == len(words)
        if at_end:
            break
        if (size >= PART_WORDS and _ends_sentence(word, words[index + 1])) or size >= MAX_PART_WORDS:
            parts.append(" ".join(words[start : index + 1]))
            start = index + 1
    tail = words[start:]
    if parts and len(tail) < PART_WORDS // 3 and not _ends_sentence(parts[-1].rsplit(" ", 1)[-1], tail[0]):
        parts[-1] += " " + " ".join(tail)  # a few words cut off mid-sentence rejoin their sentence
    elif tail:
        parts.append(" ".join(tail))
    return parts


def _ends_sentence(word: str, following: str) -> bool:
    if not _SENTENCE_END.search(word) or _ABBREVIATION.match(word):
        return False
    first = following.lstrip("\"“‘'(«[¿¡")[:1]
    return bool(first) and not first.islower()


def _title_like(line: str, least: int) -> bool:
    words = line.split()
    return least <= len(words) <= MAX_TITLE_WORDS and not line.endswith((".", ",", ";", ":"))


def _capitalised_line(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters) and len(line.split()) <= 8


def _words_of(text: str) -> list[str]:
    """The words of a line whatever its case and punctuation: 'DOCKSIDE SONGS.' is 'Dockside Songs'."""
    return re.findall(r"\w+", text.casefold())
