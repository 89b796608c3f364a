"""Identifiers read as identifiers, in the article's language: ISBNs and CVE-style codes digit
by digit, group by group; versions as 'two point ten point three'.

An ISBN is known by its label ('ISBN 0-14-044913-1', 'ISBN-10: 014044913X', 'isbn 978…') or,
without one, by its shape and its check digit: four or five hyphenated groups of 10 or 13 digits
whose check digit is right are an ISBN, never a sum ('0-14-044913-1' is not 'zero to fourteen').
An old ISBN's check 'X' (ten) is said as the letter, which every voice reads in its language.
"""

from __future__ import annotations

import re

from listen.speech.languages import Language

_DASHES = "‐‑–-"  # the hyphen last, so it is no range in a character class
_ISBN = re.compile(rf"\b(?i:ISBN)(?:[-‐]?1[03])?\s?:?\s*((?:\d[\s{_DASHES}]?){{9,12}}[\dXx])(?![\w{_DASHES}])")
_BARE_ISBN = re.compile(
    rf"(?<![\w.,{_DASHES}])(\d{{1,5}}(?:[{_DASHES}]\d{{1,7}}){{2,3}}[{_DASHES}][\dXx])(?![\w{_DASHES}]|[.,]\d)"
)
_GROUP_MARK = re.compile(rf"[\s{_DASHES}]")
_IDENTIFIER = re.compile(r"\b([A-Z][A-Z0-9]{1,9})((?:-[A-Za-z]*\d[\dA-Za-z]*){2,})(?![\w-])")
_VERSION = re.compile(r"(?<![\w.])(?:[vV]|(?i:version|versión)\s+)(\d+(?:\.\d+)+)(?![\w]|\.\d)")
_DOTTED = re.compile(r"(?<![\w.,])(\d+(?:\.\d+){2,})(?![\w]|\.\d)")


def speak_identifiers(text: str, lang: Language) -> str:
    """ISBNs and CVE-style identifiers digit by digit, group by group; versions as 'two point ten'."""

    def groups(parts: list[str]) -> str:
        return ", ".join(lang.digits(part.upper()) for part in parts if part)

    text = _ISBN.sub(lambda m: "ISBN " + groups(_GROUP_MARK.split(m.group(1))), text)
    text = _BARE_ISBN.sub(lambda m: groups(_GROUP_MARK.split(m.group(1))) if is_isbn(m.group(1)) else m.group(0), text)
    text = _IDENTIFIER.sub(lambda m: f"{m.group(1)} {groups(m.group(2).split('-'))}", text)

    def version(numbers: str) -> str:
        return f" {lang.words['point']} ".join(lang.cardinal(int(n)) for n in numbers.split("."))

    def named(match: re.Match[str]) -> str:
        written = match.group(0)[: match.start(1) - match.start(0)].strip()  # "v", "version", "Version"
        return f"{written if len(written) > 1 else lang.words['version']} {version(match.group(1))}"

    return _DOTTED.sub(lambda m: version(m.group(1)), _VERSION.sub(named, text))


def is_isbn(written: str) -> bool:
    """True when `written` ('0-14-044913-1', '978-0-306-40615-7') has an ISBN's length and a
    right check digit: ISBN-10 weighs its digits 10…1 (X is ten) to a multiple of 11, ISBN-13
    (978/979…) weighs them 1, 3, 1, 3… to a multiple of 10."""
    digits = _GROUP_MARK.sub("", written).upper()
    if len(digits) == 10 and digits[:9].isdigit() and (digits[9].isdigit() or digits[9] == "X"):
        values = [int(d) for d in digits[:9]] + [10 if digits[9] == "X" else int(digits[9])]
        return sum(v * w for v, w in zip(values, range(10, 0, -1), strict=True)) % 11 == 0
    if len(digits) == 13 and digits.isdigit() and digits.startswith(("978", "979")):
        return sum(int(d) * (3 if n % 2 else 1) for n, d in enumerate(digits)) % 10 == 0
    return False
