"""Text as written → text as it should be spoken.

Each rule is a plain text-in/text-out function; `normalize` applies them in order for a
language. They are tested as tables in tests/test_speech_normalize.py. Rules only respell
what an engine would misread (URLs, hashtags, symbols, abbreviations); they never add
meaning that is not in the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

Rule = Callable[[str], str]

_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'“”)]+", re.IGNORECASE)
_EMAIL = re.compile(r"\b([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)\b")
_HASHTAG = re.compile(r"(?<![\w&])#(\w+)")
_MENTION = re.compile(r"(?<![\w@])@(\w{2,})\b")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
_NUMBER = r"\d[\d,]*(?:\.\d+)?"
_SCALE = r"(?:\s(?:thousand|million|billion|trillion|bn|m|k)\b)?"
_QUOTES = re.compile(r"[\"“”«»„]|(?<!\w)['‘]|['’](?!\w)")
_DASH_RANGE = re.compile(r"(\d)\s?[–—-]\s?(\d)")
_DASH = re.compile(r"\s*[—–]\s*|\s+-\s+")
_LIST_MARKER = re.compile(r"^\s*(?:[-*•–]|(\d{1,3})[.)])\s+")
_SPACES = re.compile(r"\s{2,}")

CURRENCIES = {
    "en": {"$": "dollars", "€": "euros", "£": "pounds", "¥": "yen"},
    "es": {"$": "dólares", "€": "euros", "£": "libras", "¥": "yenes"},
}
WORDS = {
    "en": {"&": "and", "%": "percent", "hashtag": "hashtag", "at": "at", "dot": "dot"},
    "es": {"&": "y", "%": "por ciento", "hashtag": "etiqueta", "at": "arroba", "dot": "punto"},
}
# Abbreviations an engine reads as a word or as letters. Title-case matches only, so
# "st." at a sentence end in lower case is left alone.
ABBREVIATIONS = {
    "en": {
        "Dr.": "Doctor",
        "Mr.": "Mister",
        "Mrs.": "Missus",
        "Ms.": "Miz",
        "Prof.": "Professor",
        "Sen.": "Senator",
        "Rep.": "Representative",
        "Gov.": "Governor",
        "Gen.": "General",
        "Capt.": "Captain",
        "Lt.": "Lieutenant",
        "Sgt.": "Sergeant",
        "Jr.": "Junior",
        "Sr.": "Senior",
        "St.": "Saint",
        "Mt.": "Mount",
        "Ave.": "Avenue",
        "Rd.": "Road",
        "vs.": "versus",
        "etc.": "et cetera",
        "e.g.": "for example",
        "i.e.": "that is",
        "approx.": "approximately",
        "No.": "number",
        "Jan.": "January",
        "Feb.": "February",
        "Aug.": "August",
        "Sept.": "September",
        "Oct.": "October",
        "Nov.": "November",
        "Dec.": "December",
    },
    "es": {
        "Sr.": "señor",
        "Sra.": "señora",
        "Dr.": "doctor",
        "Dra.": "doctora",
        "etc.": "etcétera",
        "p. ej.": "por ejemplo",
    },
}


def normalize(text: str, language: str = "en") -> str:
    """The spoken form of one sentence or heading."""
    for rule in rules_for(language):
        text = rule(text)
    return _SPACES.sub(" ", text).strip()


def rules_for(language: str) -> list[Rule]:
    lang = language if language in WORDS else "en"
    return [
        strip_list_marker,
        lambda t: shorten_urls(t, lang),
        lambda t: speak_emails(t, lang),
        lambda t: speak_hashtags(t, lang),
        lambda t: speak_mentions(t, lang),
        lambda t: expand_abbreviations(t, lang),
        lambda t: speak_currency(t, lang),
        lambda t: speak_symbols(t, lang),
        speak_dashes,
        drop_quotes,
    ]


def strip_list_marker(text: str) -> str:
    """'- item' → 'item'; '2. item' → '2: item' (the number is read, the dot is not a stop)."""
    match = _LIST_MARKER.match(text)
    if not match:
        return text
    rest = text[match.end():]
    return f"{match.group(1)}: {rest}" if match.group(1) else rest


def shorten_urls(text: str, language: str = "en") -> str:
    """A URL is read as its site: 'https://www.example.org/a?b=1' → 'example.org'."""

    def site(match: re.Match[str]) -> str:
        raw = match.group(0).rstrip(".,;:!?")
        tail = match.group(0)[len(raw):]
        host = urlsplit(raw if "://" in raw else f"http://{raw}").hostname or raw
        host = host.removeprefix("www.")
        return host + tail

    return _URL.sub(site, text)


def speak_emails(text: str, language: str = "en") -> str:
    words = WORDS[language]
    return _EMAIL.sub(lambda m: f"{m.group(1)} {words['at']} {m.group(2).replace('.', ' ' + words['dot'] + ' ')}", text)


def speak_hashtags(text: str, language: str = "en") -> str:
    """'#MeToo' → 'hashtag Me Too': camel case and digits split into words."""
    word = WORDS[language]["hashtag"]
    return _HASHTAG.sub(lambda m: f"{word} {_CAMEL.sub(' ', m.group(1)).replace('_', ' ')}", text)


def speak_mentions(text: str, language: str = "en") -> str:
    return _MENTION.sub(lambda m: f"{WORDS[language]['at']} {m.group(1)}", text)


def expand_abbreviations(text: str, language: str = "en") -> str:
    for short, long in ABBREVIATIONS.get(language, {}).items():
        text = re.sub(rf"(?<![\w.]){re.escape(short)}(?=\s|$)", long, text)
    return text


def speak_currency(text: str, language: str = "en") -> str:
    """'$2.4 million' → '2.4 million dollars'; '€10' → '10 euros'."""
    for symbol, name in CURRENCIES[language].items():
        text = re.sub(rf"{re.escape(symbol)}\s?({_NUMBER}{_SCALE})", rf"\1 {name}", text)
    return text


def speak_symbols(text: str, language: str = "en") -> str:
    words = WORDS[language]
    text = re.sub(rf"({_NUMBER})\s?%", rf"\1 {words['%']}", text)
    return re.sub(r"\s*&\s*", f" {words['&']} ", text)


def speak_dashes(text: str) -> str:
    """'9–5' → '9 to 5'; an em or spaced dash becomes a comma, a pause the engine honours."""
    text = _DASH_RANGE.sub(r"\1 to \2", text)
    return _DASH.sub(", ", text)


def drop_quotes(text: str) -> str:
    """Quotation marks are not spoken; apostrophes inside words stay (as a plain ')."""
    return _QUOTES.sub("", text).replace("’", "'")
