"""Paragraphs that are not the article: calls to action, share prompts, cookie notices.

Each rule is a name and a pattern that must match a whole short paragraph. Adding a rule is
one line here and one row in tests/test_articles_boilerplate.py. A paragraph longer than
MAX_WORDS is never dropped, so a real paragraph that mentions a newsletter stays.
"""

from __future__ import annotations

import re

MAX_WORDS = 40

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
