"""Text as written → text as it should be spoken, in the article's language.

Each rule is a text-in/text-out function, applied in order; they are tested as tables per
language in tests/test_speech_normalize.py. The rules find things an engine would misread or
read in the wrong language (money, magnitudes, identifiers, times, dates, Roman numerals, `#`,
abbreviations) and the language's tables (listen.speech.languages) say them; every number left
becomes words through num2words in that language, so what the voice says never depends on how
an engine guesses at digits and `listen show --format script` shows it exactly. A language
without tables gets only the rules that need no words (URLs, dashes, quotes): its symbols and
digits are left to the voice rather than read in English.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import cache
from urllib.parse import urlsplit

from listen.speech.languages import Language, language_for
from listen.speech.identifiers import speak_identifiers
from listen.speech.shell_parameters import speak_shell_parameters
from listen.speech.settings import SPEECH_RULES_VERSION  # bump it there when a rule here changes what is said

__all__ = ["SPEECH_RULES_VERSION", "abbreviations_for", "language_for", "normalize"]

Rule = Callable[[str, Language], str]

_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'“”)]+", re.IGNORECASE)
_EMAIL = re.compile(r"\b([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)\b")
_DIRECTIVES = (
    r"(?:include|define|undef|ifdef|ifndef|if|elif|else|endif|pragma|import|region|endregion|error|warning|line)"
)
_HASH_DIRECTIVE = re.compile(rf"(?<![\w&])#({_DIRECTIVES})\b")
_HASH_NUMBER = re.compile(r"(?<![\w&])#(\d+)(?!\w)")
_HASHTAG = re.compile(rf"(?<![\w&])#(?!{_DIRECTIVES}\b)(\w*[^\W\d_]\w*)")
_MENTION = re.compile(r"(?<![\w@])@(\w{2,})\b")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
_DATE = re.compile(r"(?<![\w.,/-])(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?![\w]|[./-]\d)")
_ISO_DATE = re.compile(r"(?<![\w.,/-])(\d{4})-(\d{2})-(\d{2})(?![\w]|[./-]\d)")
_TIME = re.compile(
    r"(?<![\w.,:$€£¥/-])([01]?\d|2[0-3])(?:([:.])([0-5]\d)|\s?(h)(?:\s?([0-5]\d))?)(?![\w]|[.,:]\d)"
    r"(\s?(?:[ap]\.\s?m\.|[ap]m\b|[AP]M\b|Uhr\b|h\b))?"
)
_ROMAN = r"M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_ROMAN_AFTER_CUE = re.compile(rf"(?<![\w.])([^\W\d_]+\.?)(\s+)({_ROMAN})(?![\w])")
_ROMAN_ORDINAL = re.compile(r"\b([IVXL]{1,7})(er|re|e|ème)\b")  # XIXe, Ier; never Le, Ce, De, Me
# German writes a monarch's number with a dot (Heinrich VIII. und …): that dot is no full stop.
_REGNAL = re.compile(r"\b([A-ZÀ-Ý][a-zà-ÿ]+)(\s+)([IVXL]{1,6})(?![\w])(\.(?=\s+[a-zäöüß]))?")
_ROMAN_YEAR = re.compile(r"(?<![\w.-])(M{1,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3}))(?![\w])")
_RANGE = re.compile(r"(?<![\w.,/:-])(\d+)\s?([–—-])\s?(\d+)(?![\w]|[.,/:–—-]\d)")
_BARE_MAGNITUDES = ("bn", "tn", "mn", "Md", "Mds", "Mio.", "Mio", "Mrd.", "Mrd", "Bio.", "Tsd.")
_EURO_CENTS_AFTER = re.compile(r"(?<![\d.,])(\d{1,3}),(\d{2})(?=\s?€)")
_EURO_CENTS_BEFORE = re.compile(r"(€\s?)(\d{1,3}),(\d{2})(?![\d.,]\d|\d)")
_QUOTES = re.compile(r"[\"“”«»„]|(?<!\w)['‘]|['’](?!\w)")
_DASH = re.compile(r"(?<!\d)\s*[—–]\s*|\s*[—–]\s*(?!\d)|\s+-\s+")
_LIST_MARKER = re.compile(r"^\s*(?:[-*•–]|(\d{1,3})[.)])\s+")
_WORD_BEFORE = re.compile(r"([^\W\d_][\w'’.-]*)[\s,]*$")
_SPACES = re.compile(r"\s+")


def normalize(text: str, language: str = "en") -> str:
    """The spoken form of one sentence or heading."""
    lang = language_for(language)
    if lang is None:
        for neutral in (strip_list_marker, shorten_urls, speak_dashes, drop_quotes):
            text = neutral(text)
    else:
        for rule in RULES:
            text = rule(text, lang)
    return _SPACES.sub(" ", text).strip()


def abbreviations_for(language: str) -> tuple[str, ...]:
    """The language's abbreviations as written, for the sentence splitter ("Dr. Vell" is one sentence)."""
    lang = language_for(language)
    if lang is None:
        return ()
    return (*lang.abbreviations, *(t for t in lang.magnitudes if t.endswith(".")))


# -- rules that need no words ---------------------------------------------------------------


def strip_list_marker(text: str, lang: Language | None = None) -> str:
    """'- item' → 'item'; '2. item' → '2: item' (the number is read, the dot is not a stop)."""
    match = _LIST_MARKER.match(text)
    if not match:
        return text
    rest = text[match.end() :]
    return f"{match.group(1)}: {rest}" if match.group(1) else rest


def shorten_urls(text: str, lang: Language | None = None) -> str:
    """A URL is read as its site: 'https://www.example.org/a?b=1' → 'example.org'."""

    def site(match: re.Match[str]) -> str:
        raw = match.group(0).rstrip(".,;:!?")
        tail = match.group(0)[len(raw) :]
        host = urlsplit(raw if "://" in raw else f"http://{raw}").hostname or raw
        return host.removeprefix("www.") + tail

    return _URL.sub(site, text)


def speak_dashes(text: str, lang: Language | None = None) -> str:
    """An em or spaced dash becomes a comma, a pause the engine honours; 9–5 is left to the range rule."""
    return _DASH.sub(", ", text)


def drop_quotes(text: str, lang: Language | None = None) -> str:
    """Quotation marks are not spoken; apostrophes inside words stay (as a plain ')."""
    return _QUOTES.sub("", text).replace("’", "'")


# -- symbols, names and identifiers -----------------------------------------------------------


def speak_emails(text: str, lang: Language) -> str:
    at, dot = lang.words["at"], lang.words["dot"]
    return _EMAIL.sub(lambda m: f"{m.group(1)} {at} {m.group(2).replace('.', f' {dot} ')}", text)


def speak_hashtags(text: str, lang: Language) -> str:
    """'#MeToo' → 'hashtag Me Too' only before a word in running text; never '#include' or '#3'."""
    word = lang.words["hashtag"]
    return _HASHTAG.sub(lambda m: f"{word} {_CAMEL.sub(' ', m.group(1)).replace('_', ' ')}", text)


def speak_hash_signs(text: str, lang: Language) -> str:
    """'#include' is code ('hash include'); '#3' is a number ('number three')."""
    text = _HASH_DIRECTIVE.sub(lambda m: f"{lang.words['hash']} {m.group(1)}", text)
    return _HASH_NUMBER.sub(lambda m: f"{lang.words['number']} {m.group(1)}", text)


def speak_mentions(text: str, lang: Language) -> str:
    return _MENTION.sub(lambda m: f"{lang.words['at']} {m.group(1)}", text)


def expand_abbreviations(text: str, lang: Language) -> str:
    """'Dr. Vell' → 'Doctor Vell'. A title without a dot (Mme, Dr) or of one letter (M., D.) only
    before a name or a number, so 'M.' ending a sentence and 'Me' in a quotation stay as they are."""
    return _abbreviation_pattern(lang.code).sub(lambda m: lang.abbreviations[m.group(0)], text)


@cache
def _abbreviation_pattern(code: str) -> re.Pattern[str]:
    """One pattern for all of a language's abbreviations, longest first ('p. ex.' before 'ex.')."""
    lang = language_for(code)
    assert lang is not None
    choices = []
    for short in sorted(lang.abbreviations, key=len, reverse=True):
        if not short.endswith(".") or re.fullmatch(r"[A-Z]\.", short):
            after = r"(?=\s+[A-ZÀ-Ý0-9]|\s?\d)"
        else:
            after = r"(?=\s|$|[,;:)])"
        choices.append(re.escape(short) + after)
    return re.compile(rf"(?<![\w.])(?:{'|'.join(choices)})")


def speak_symbols(text: str, lang: Language) -> str:
    """'&' → 'and' in the language; an HTML entity such as '&#8217;' is not an ampersand."""
    return re.sub(r"\s*&(?!#?\w+;)\s*", f" {lang.words['and']} ", text)


# -- numbers ----------------------------------------------------------------------------------


def number_pattern(lang: Language) -> str:
    """A written number in this language: '1,200.5' (en), '1.200,5' or '3 000' (fr, de, es)."""
    return _number_pattern(lang.group_marks, lang.decimal_mark)


@cache
def _number_pattern(group_marks: str, decimal_mark: str) -> str:
    groups = re.escape(group_marks)
    mark = re.escape(decimal_mark)
    plain = r"\d+(?:\.\d+)?" if decimal_mark == "." else r"\d+(?:[,.]\d+)?"
    return rf"(?<![\w.,])(?:\d{{1,3}}(?:[{groups}]\d{{3}})+(?:{mark}\d+)?|{plain})(?![.,]?\d)"


def to_decimal(written: str, lang: Language) -> Decimal:
    if re.fullmatch(
        rf"\d{{1,3}}(?:[{re.escape(lang.group_marks)}]\d{{3}})+(?:{re.escape(lang.decimal_mark)}\d+)?", written
    ):
        written = re.sub(rf"[{re.escape(lang.group_marks)}]", "", written)
    try:
        return Decimal(written.replace(",", "."))
    except InvalidOperation:  # the patterns only let digits and one mark through
        raise ValueError(f"not a number: {written!r}") from None


def _magnitude_pattern(tokens: list[str]) -> str:
    ordered = sorted(tokens, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(t) + ("" if t.endswith(".") else r"(?![\w])") for t in ordered) + ")"


def speak_money(text: str, lang: Language) -> str:
    """'$427bn' → 'four hundred and twenty-seven billion dollars'; '10 €' → 'dix euros'; a range
    shares its sign and magnitude ('$5–10m' → 'five to ten million dollars'); a minus before the
    sum ('-$4', '-4 €') and '~' ('~$3') are said ('minus four dollars', 'about three dollars')."""
    if lang.decimal_mark == "." and "€" in text:
        # A euro price quoted in an English text keeps its decimal comma ('3,50 €'): two digits
        # after a comma are cents, never thousands ('€3,500' is three thousand five hundred).
        text = _EURO_CENTS_AFTER.sub(r"\1.\2", _EURO_CENTS_BEFORE.sub(r"\1\2.\3", text))
    number = number_pattern(lang)
    magnitude = _magnitude_pattern(list(lang.magnitudes))
    symbols = "".join(re.escape(s) for s in lang.currencies)
    lead = r"(?P<about>[~≈]\s?)?(?:(?<![\w.,)–—-])(?P<minus>[-−]))?"

    def say(
        m: re.Match[str], amount: str, scale: str | None, low: str | None = None, low_scale: str | None = None
    ) -> str:
        currency = lang.currencies[m.group("symbol")]
        power = lang.magnitudes[scale.strip()] if scale else 0
        value = to_decimal(amount, lang)
        spoken = lang.money(value, power, currency, word_before(m.string, m.start()))
        if low is not None:
            low_power = lang.magnitudes[low_scale.strip()] if low_scale else power
            low_value = to_decimal(low, lang)
            if m.group("dash") == "-" and low_value * 10**low_power >= value * 10**power:
                if m.start("symbol") > m.start("low"):
                    return m.group(0)  # '10-5 €' is no range: left to the other rules
                # '$10-5' is no range: the sum is the first number, the rest is left as written
                return say(m, low, low_scale) + m.string[m.end("low_scale" if low_scale else "low") : m.end()]
            said_low = lang.cardinal(low_value) if low_power == power else lang.money(low_value, low_power, currency)
            spoken = f"{said_low} {lang.words['to']} {spoken}"
        if m.group("minus"):
            spoken = f"{lang.words['minus']} {spoken}"
        return f"{lang.words['about']} {spoken}" if m.group("about") else spoken

    def sign_first(m: re.Match[str]) -> str:
        if m.group("amount") is None:
            return say(m, m.group("low"), m.group("low_scale"))
        return say(m, m.group("amount"), m.group("scale"), m.group("low"), m.group("low_scale"))

    # '$5', 'US$5', '$5–10m', '$5m–$10m'
    text = re.sub(
        rf"{lead}(?:US)?(?P<symbol>[{symbols}])\s?(?P<low>{number})(?:\s?(?P<low_scale>{magnitude}))?"
        rf"(?:\s?(?P<dash>[–—-])\s?(?:US)?(?P=symbol)?\s?(?P<amount>{number})(?:\s?(?P<scale>{magnitude}))?)?",
        sign_first,
        text,
    )
    # '5 €', '5$', '5–10 M€'
    return re.sub(
        rf"{lead}(?:(?P<low>{number})\s?(?P<dash>[–—-])\s?)?(?P<amount>{number})(?:\s?(?P<scale>{magnitude}))?"
        rf"\s?(?P<symbol>[{symbols}])",
        lambda m: say(m, m.group("amount"), m.group("scale"), m.group("low")),
        text,
    )


def speak_percent(text: str, lang: Language) -> str:
    return re.sub(
        rf"({number_pattern(lang)})\s?%",
        lambda m: f"{lang.cardinal(to_decimal(m.group(1), lang))} {lang.words['percent']}",
        text,
    )


def speak_magnitudes(text: str, lang: Language) -> str:
    """'a 3bn deal' → 'a three billion deal'. A bare 'm' or 'k' may be metres or kilo-: left alone."""
    tokens = [t for t in _BARE_MAGNITUDES if t in lang.magnitudes]
    return re.sub(
        rf"({number_pattern(lang)})\s?({_magnitude_pattern(tokens)})",
        lambda m: lang.scaled(to_decimal(m.group(1), lang), lang.magnitudes[m.group(2)]),
        text,
    )


def speak_times(text: str, lang: Language) -> str:
    """17.00, 8.20 a.m., 14h30, 14:30 as clock times. A dot makes a time only after 'at'/'à'/'um'…,
    before a.m./Uhr, or on a line of its own (a live blog's time stamp); otherwise 2.30 is a number."""

    def say(match: re.Match[str]) -> str:
        hour, separator, minute, h_mark, h_minute, suffix = match.groups()
        suffix = (suffix or "").strip()
        if separator == "." and not (
            suffix or word_before(text, match.start()) in lang.time_cues or text.strip() == match.group(0).strip()
        ):
            return match.group(0)
        if h_mark and not h_minute and lang.code not in ("fr", "es"):
            return match.group(0)  # "5h" in English or German is a duration
        spoken_suffix = suffix if re.match(r"[ap]\.?\s?m", suffix, re.IGNORECASE) else ""  # "Uhr" is in the time
        said = lang.time(int(hour), int(minute or h_minute or 0), spoken_suffix)
        return said + (" " if match.group(0).endswith(" ") else "")

    return _TIME.sub(say, text)


def speak_dates(text: str, lang: Language) -> str:
    """27/06/2012, 27.06.2012, 27-06-2012 and 2012-06-27 as dates. In English a date whose day and
    month could be swapped (06/07/2012) is left as numbers rather than guessed."""

    def say(day: int, month: int, year: int, start: int, written: str) -> str:
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return written
        return lang.date(day, month, year, word_before(text, start))

    def day_month_year(match: re.Match[str]) -> str:
        first, _, second, year = match.groups()
        a, b = int(first), int(second)
        if not lang.day_first:
            if a <= 12 and b <= 12:
                return match.group(0)
            if b > 12:
                a, b = b, a
        return say(a, b, int(year), match.start(), match.group(0))

    text = _ISO_DATE.sub(lambda m: say(int(m.group(3)), int(m.group(2)), int(m.group(1)), m.start(), m.group(0)), text)
    return _DATE.sub(day_month_year, text)


def speak_ordinals(text: str, lang: Language) -> str:
    """'1st', '1er', '2ª', 'im 19. Jahrhundert' as ordinals."""
    if not lang.ordinal_pattern:
        return text
    return re.sub(
        rf"(?<![\w.,]){lang.ordinal_pattern}",
        lambda m: lang.ordinal_from(int(m.group(1)), m.group(2), word_before(text, m.start())),
        text,
    )


def speak_roman_numerals(text: str, lang: Language) -> str:
    """Roman numerals where they are numbers: 'Chapter IV' (a plain number), 'Louis XIV' (a
    monarch's), 'XIXe siècle' (French ordinal), 'MDCCLXXVI' (a year: four letters or more, from M).
    Never a lone 'I' or 'X', nor a word such as 'MIX' or 'CIVIL'."""

    def after_cue(match: re.Match[str]) -> str:
        cue, space, numeral = match.groups()
        if cue.lower() not in lang.roman_cues or not numeral:
            return match.group(0)
        return f"{cue}{space}{lang.cardinal(roman_value(numeral))}"

    text = _ROMAN_AFTER_CUE.sub(after_cue, text)
    if lang.code == "fr":
        text = _ROMAN_ORDINAL.sub(
            lambda m: (
                lang.ordinal_from(roman_value(m.group(1)), m.group(2), "")
                if m.group(1) != "L" and re.fullmatch(_ROMAN, m.group(1))
                else m.group(0)
            ),
            text,
        )

    def regnal(match: re.Match[str]) -> str:
        name, space, numeral, dot = match.groups()
        if numeral in ("I", "X") or not re.fullmatch(_ROMAN, numeral):
            return match.group(0)
        kept_dot = dot if dot and lang.code != "de" else ""
        return f"{name}{space}{lang.regnal(roman_value(numeral))}{kept_dot}"

    text = _REGNAL.sub(regnal, text)
    return _ROMAN_YEAR.sub(lambda m: lang.year(roman_value(m.group(1))) if len(m.group(1)) >= 4 else m.group(0), text)


def speak_ranges(text: str, lang: Language) -> str:
    """'1990-1995' → 'nineteen ninety to nineteen ninety-five' with the language's own 'to' (à, bis,
    a). An en dash is always a range ('9–5'); after a hyphen, a second number that is not larger
    ('won 3-2') is a score, read as two numbers."""

    def say(match: re.Match[str]) -> str:
        first, dash, second = match.groups()
        if dash == "-" and min(len(first), len(second)) >= 3 and (len(first) != len(second) or first[0] == "0"):
            return f"{lang.digits(first)}, {lang.digits(second)}"  # 555-1234: a telephone number
        later = (
            dash != "-"
            or int(second) > int(first)
            or (len(second) < len(first) and int(first[: len(first) - len(second)] + second) > int(first))
        )
        if not later:
            return f"{lang.cardinal(int(first))}, {lang.cardinal(int(second))}"
        yearly = len(first) == 4 and 1000 <= int(first) <= 2099
        said = lang.year if yearly else lang.cardinal
        return f"{said(int(first))} {lang.words['to']} {said(int(second)) if len(second) == len(first) else lang.cardinal(int(second))}"

    return _RANGE.sub(say, text)


def speak_minus(text: str, lang: Language) -> str:
    """'-5 °C' → 'minus five °C': a minus sign before a number, not a hyphen inside a word."""
    return re.sub(r"(?<![\w.,)–—-])[-−](?=\d)", f"{lang.words['minus']} ", text)


def speak_month_dates(text: str, lang: Language) -> str:
    """English 'June 27, 2012' and '27 June 2012': the day is an ordinal, the year a year."""
    if lang.code != "en":
        return text
    months = "|".join(lang.months)

    def year(written: str | None) -> str:
        return f", {lang.year(int(written))}" if written else ""

    text = re.sub(
        rf"\b({months})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}})\b)?",
        lambda m: f"{m.group(1)} {lang.ordinal(int(m.group(2)))}{year(m.group(3))}",
        text,
    )
    return re.sub(
        rf"(?<![\w.,])(\d{{1,2}})(?:st|nd|rd|th)?\s+({months})\b(?:,?\s+(\d{{4}})\b)?",
        lambda m: f"the {lang.ordinal(int(m.group(1)))} of {m.group(2)}{year(m.group(3))}",
        text,
    )


_VULGAR = {"½": (1, 2), "⅓": (1, 3), "⅔": (2, 3), "¼": (1, 4), "¾": (3, 4)}
_FRACTION = re.compile(r"(?:(?<![\w/.,])(\d+)\s?)?(?:([½⅓⅔¼¾])|(?<![\w/.,])(?<!\d\s)([1-3])/([234])(?![\w/]|[.,]\d))")


def speak_fractions(text: str, lang: Language) -> str:
    """'1/2', '¾', '1 ½' → 'one half', 'three quarters', 'one and one half'; only halves, thirds
    and quarters, where a slash is surely a fraction (24/7 and dates are left alone)."""

    def say(match: re.Match[str]) -> str:
        whole, vulgar, numerator, denominator = match.groups()
        top, bottom = _VULGAR[vulgar] if vulgar else (int(numerator), int(denominator))
        if top >= bottom:
            return match.group(0)
        said = lang.fraction(top, bottom)
        return f"{lang.cardinal(int(whole))} {lang.words['and']} {said}" if whole else said

    return _FRACTION.sub(say, text)


def speak_decades(text: str, lang: Language) -> str:
    """English 'the '90s' and 'the 90s' → 'the nineties'."""
    if lang.code != "en":
        return text
    return re.sub(r"(?<![\w'’])['’]?([1-9]0)s\b", lambda m: re.sub(r"y$", "ies", lang.cardinal(int(m.group(1)))), text)


def speak_numbers(text: str, lang: Language) -> str:
    """Every number left, in words. A four-digit number from 1000 to 2099 is a year after 'in',
    'im', 'en'… or a month, or at the end of a clause ('in 1776', 'MDCCLXXVI.'), else a count
    ('2000 people'). In front of a noun a number takes its form there ('veintiún años')."""

    def say(match: re.Match[str]) -> str:
        written = match.group(0)
        value = to_decimal(written, lang)
        after = text[match.end() :]
        if re.fullmatch(r"\d{4}", written) and 1000 <= value <= 2099:
            if lang.code == "en" and re.match(r"s\b", after):  # the 1990s: "nineteen nineties"
                return re.sub(r"y$", "ie", lang.year(int(value)))
            if _is_year(text, match.start(), after, lang):
                return lang.year(int(value))
        spoken = lang.cardinal(value)
        noun = re.match(r"\s+([^\W\d_]+)", after)
        if noun and value == value.to_integral_value():
            spoken = lang.before_noun(spoken, noun.group(1))
        return spoken + (" " if re.match(r"[^\W\d_]", after) else "")

    return re.sub(number_pattern(lang), say, text)


def _is_year(text: str, start: int, after: str, lang: Language) -> bool:
    before = word_before(text, start)
    if before in lang.year_cues or before.capitalize() in lang.months or before in lang.months:
        return True
    if not re.match(r"\s*[^\W\d_]", after):
        return True
    # 'the 1968 paperback', 'a 1990 report': between a determiner and one thing, a year; 'the
    # 2000 people' (more than one) and round hundreds ('a 1500 metre race') stay counts.
    value = int(text[start : start + 4])
    following = re.match(r"\s*([^\W\d_]+)", after)
    return (
        before in lang.year_determiners
        and value % 100 != 0
        and following is not None
        and not following.group(1).endswith("s")
    )


def word_before(text: str, start: int) -> str:
    """The word in front of `start`, lower case ('' at the start): the context a rule looks at."""
    match = _WORD_BEFORE.search(text[:start])
    return match.group(1).lower() if match else ""


def roman_value(numeral: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for here, after in zip(numeral, numeral[1:] + " "):
        value = values[here]
        total += -value if after != " " and values[after] > value else value
    return total


RULES: tuple[Rule, ...] = (
    strip_list_marker,
    shorten_urls,
    speak_emails,
    speak_dates,
    speak_month_dates,
    speak_identifiers,
    speak_hashtags,
    speak_hash_signs,
    speak_mentions,
    expand_abbreviations,
    speak_shell_parameters,
    speak_money,
    speak_percent,
    speak_times,
    speak_ordinals,
    speak_roman_numerals,
    speak_ranges,
    speak_magnitudes,
    speak_fractions,
    speak_minus,
    speak_decades,
    speak_numbers,
    speak_symbols,
    speak_dashes,
    drop_quotes,
)
