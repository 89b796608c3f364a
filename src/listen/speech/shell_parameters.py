"""`$0`…`$9`: a shell's positional parameter ("dollar one") or a sum of money ("one dollar").

A careful reader decides by the sentence. A price word just before the sign ("sold for $1",
"kostet $1") makes it money, whatever else the sentence is about: a film script sells for
money. Otherwise a mark of shell syntax (the parameter in backticks, `$@`, `${…}`, `echo`) or
one of the language's words about shells and programs ("script", "path", "argument") makes it a
parameter. With neither, it is money: most `$1` in running text are prices.
"""

from __future__ import annotations

import re

from listen.speech.languages import Language

# `$0`…`$9` alone: an amount with a magnitude ('$1m') or decimals ('$1.50') is always money.
SHELL_PARAMETER = re.compile(r"(?<![\w$\\])\$(\d)(?![\w]|[.,]\d|\s?(?:million|billion|thousand|m|bn|k)\b)")
# What marks a sentence as code in any language: the parameter in backticks, another shell
# expansion (`$@`, `$#`, `$?`, `${…}`, `$(…)`, `$HOME`), or a command that prints it.
_SHELL_MARKS = re.compile(
    r"`[^`]*\$\d[^`]*`|\$[@#?*!]|\$[{(]|\$[A-Z_]{2,}\b|(?<![\w-])(?:echo|printf|bash|zsh|sh|basename|argv)(?![\w-])"
)
_WORD = re.compile(r"[^\W\d_]+")
# How many words before the sign a price word may stand: "sold it for $1", "coûte environ $1".
PRICE_REACH = 3


def speak_shell_parameters(text: str, lang: Language) -> str:
    """'run `echo $0`' → 'dollar zero', said as programmers say it in the article's language
    ('Dollar null'); 'the film script sold for $1' stays money for the money rule."""
    if "$" not in text:
        return text
    words = {w.casefold() for w in _WORD.findall(text)}
    code = bool(_SHELL_MARKS.search(text))
    if not (code or words & lang.shell_cues):
        return text

    def say(match: re.Match[str]) -> str:
        if priced(text, match.start(), lang):
            return match.group(0)
        return f"{lang.currencies['$'].singular} {lang.digit(match.group(1))}"

    return SHELL_PARAMETER.sub(say, text)


def priced(text: str, start: int, lang: Language) -> bool:
    """True when one of the PRICE_REACH words before `start` puts a price on something."""
    before = [w.casefold() for w in _WORD.findall(text[:start])[-PRICE_REACH:]]
    return any(w in lang.money_cues for w in before)
