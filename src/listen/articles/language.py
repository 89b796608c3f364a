"""An article's language: from what the file says, else detected from its text."""

from __future__ import annotations

import re

_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_].*)?$")
SAMPLE_CHARS = 700  # a paragraph or two is plenty for langid, and it is linear in length


def language_of(declared: str, text: str) -> str:
    """ISO 639-1 code: the declared tag's primary subtag ('en-GB' → 'en'), else detected."""
    if declared and (match := _TAG.match(declared.strip())):
        return match.group(1).lower()
    return detect(text)


def detect(text: str) -> str:
    sample = text[:SAMPLE_CHARS]
    if len(sample.split()) < 3:
        return "en"
    import py3langid  # loads its model (~0.5 s) only when a file does not say its language

    code, _score = py3langid.classify(sample)
    return code
