"""Paragraphs that are not the article: calls to action, share prompts, cookie notices,
captions and credits, and, in a page copied as text, its buttons, its "Read more" lists and
the comment thread under it.

Each rule is a name and a pattern that must match a whole short paragraph. Adding a rule is
one line here and one row in tests/test_articles_boilerplate.py. A paragraph longer than
MAX_WORDS is never dropped, so a real paragraph that mentions a newsletter stays.
"""

from __future__ import annotations

import re

MAX_WORDS = 40

_BUTTON = (
    r"share|save|saved|print|email|e-mail|copy link|bookmark|gift( this)? article|like|reply"
    r"|report|tweet|facebook|twitter|whatsapp|linkedin|flipboard|reddit|pinterest|more options"
)
RULES: tuple[tuple[str, str], ...] = (
    ("newsletter sign-up", r".*\b(sign up|signup|subscribe|join|get)\b.*\bnewsletters?\b.*"),
    ("newsletter sign-up", r".*\bnewsletters?\b.*\b(sign up|signup|subscribe|inbox)\b.*"),
    ("subscribe prompt", r"(please )?subscribe( now| today| here)?( (to|and) \w+.*)?[.!]?"),
    ("share prompt", r"(share|tweet|pin|email|forward) (this|it|on|via)\b.*"),
    ("share prompt", r"(click|tap) (here )?to share\b.*"),
    ("follow prompt", r"follow us on \w+.*"),
    ("cookie notice", r".*\b(we|this (site|website)) uses? cookies\b.*"),
    ("cookie notice", r"(accept|reject|manage) (all )?cookies\.?"),
    ("advertisement", r"(advertisement|sponsored( content)?|ad)\.?"),
    ("read more", r"(read more|continue reading|related|recommended)( stories| articles)?[:.]?"),
    ("app prompt", r"(download|get) (our|the) app\b.*"),
    # A page's buttons, copied with its text: "Share", "Save", "Print", "Copy link"…
    # (never a word that can stand alone in a book: "X" is a chapter, "Listen" a poem's title)
    ("page buttons", rf"({_BUTTON})(\s*[·|,/]?\s*({_BUTTON}))*"),
    (
        "caption",
        r"(photo|photograph|image|picture|pictured|illustration|video|graphic)( source| caption)?\s*[:,]\s*\S.*",
    ),
    ("credit", r"\(?\s*(photo |image |picture )?credits?\s*:\s*[^()]*\)?\.?"),
    ("agency credit", r"\((additional |writing and )?(reporting|writing|editing) by [^()]*\)\.?"),
    ("copyright footer", r"(©|\(c\)|copyright\s*©?)\s*\d{4}\b.*|.*\ball rights reserved\.?"),
)

_COMPILED = tuple((name, re.compile(pattern, re.IGNORECASE)) for name, pattern in RULES)


def boilerplate_rule(paragraph: str) -> str | None:
    """The name of the rule that marks `paragraph` as boilerplate, or None to keep it."""
    text = paragraph.strip()
    # split() stops after MAX_WORDS cuts: a long paragraph is not split whole just to be kept.
    if not text or len(text.split(maxsplit=MAX_WORDS)) > MAX_WORDS:
        return None
    for name, pattern in _COMPILED:
        if pattern.fullmatch(text):
            return name
    return None


def is_boilerplate(paragraph: str) -> bool:
    return boilerplate_rule(paragraph) is not None


# The heading of a comment thread: "Comments (47)", "312 comments", "Join the discussion".
_THREAD = re.compile(
    r"^((\d[\d,]*\s+)?(reader\s+)?(comments?|responses?|replies)(\s*\(\d[\d,]*\))?|join the (discussion|conversation)"
    r"|leave a (comment|reply)|(show|view|read) (all )?(\d+ )?comments|conversation)\s*:?$",
    re.IGNORECASE,
)
# "3 hours ago": how a page stamps a comment, or an article's update, relative to now.
_AGO = r"\b\d+\s+(seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago\b"
RELATIVE_TIME = re.compile(_AGO, re.IGNORECASE)
# What a thread is made of: its buttons, its counts, its relative times.
_THREAD_MARK = re.compile(
    r"^(reply|like|report|sort by\b.*|newest|oldest|most liked|\d+\s+(likes?|replies))(\s+\S+){0,3}$"
    rf"|{_AGO}",
    re.IGNORECASE | re.MULTILINE,
)
_LIST_LINE = re.compile(r"^([-*•–]|\d{1,3}[.)])\s+\S")


def without_page_furniture(chunks: list[str]) -> list[str]:
    """A page copied as text, without what surrounded the article: the comment thread under
    it (from its heading to the end, when the heading gives a count or what follows reads as
    a thread), a "Read more:" label with the list of other stories under it, and chunks that
    are nothing but buttons and prompts, line by line."""
    kept: list[str] = []
    for index, chunk in enumerate(chunks):
        first = chunk.strip().split("\n", 1)[0].strip()
        if index >= len(chunks) // 3 and _THREAD.match(first):
            rest = "\n".join(chunks[index:])
            if re.search(r"\d", first) or len(_THREAD_MARK.findall(rest)) >= 2:
                break
        lines = [line.strip() for line in chunk.strip().split("\n") if line.strip()]
        if boilerplate_rule(first) == "read more" and all(_LIST_LINE.match(line) for line in lines[1:]):
            continue
        if (
            index
            and kept
            and boilerplate_rule(kept[-1].strip()) == "read more"
            and all(_LIST_LINE.match(line) for line in lines)
        ):
            kept.pop()
            continue
        if len(lines) > 1 and all(is_boilerplate(line) for line in lines):
            continue
        kept.append(chunk)
    return kept
