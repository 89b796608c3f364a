"""What differs between languages when text is spoken: words, abbreviations, money, times, dates.

Each language is a `Language` with its tables (plain data) and the few pieces of grammar that
tables cannot hold (how a sum of money, a time or a date is said). Numbers become words through
num2words in the article's language, so no English word is ever put into a French sentence.
normalize.py holds the rules that find these things in text; this package says them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from num2words import num2words

# Powers of ten a magnitude stands for.
THOUSAND, MILLION, BILLION, TRILLION = 3, 6, 9, 12


@dataclass(frozen=True)
class Currency:
    singular: str
    plural: str


@dataclass(frozen=True)
class Language(ABC):
    """One language's spoken forms. Subclasses fill the tables and override the grammar."""

    code: str
    words: Mapping[str, str]  # and, percent, hashtag, hash, number, at, dot, version, point, decimal, to, minus, about
    abbreviations: Mapping[str, str]  # as written (with its dot) → as said
    currencies: Mapping[str, Currency]  # symbol → name
    magnitudes: Mapping[str, int]  # as written after a number ("bn", "Mrd.") → power of ten
    months: tuple[str, ...]
    year_cues: frozenset[str] = frozenset()  # words after which a four-digit number is a year
    # Determiners before a four-digit number and a noun that make it a year ('the 1968 paperback').
    year_determiners: frozenset[str] = frozenset()
    roman_cues: frozenset[str] = frozenset()  # words after which a Roman numeral is a plain number
    time_cues: frozenset[str] = frozenset()  # words after which 17.00 is a clock time
    # Words that show a sentence is about a shell or a program, where `$0` is a parameter
    # ("dollar zero"), not money: matched whole, without regard to case.
    shell_cues: frozenset[str] = frozenset()
    # Words that put a price on something ("sold for", "kostet", "cuesta"): one of them just
    # before `$1` makes it money whatever else the sentence is about ("the film script sold for $1").
    money_cues: frozenset[str] = frozenset()
    ordinal_pattern: str = ""  # a number with its ordinal mark: group 1 the number, group 2 the mark
    day_first: bool = True  # 03/04/2025 is the 3rd of April
    decimal_mark: str = ","
    group_marks: str = ". \u00a0\u202f"  # what may separate thousands
    years_as_years: bool = False  # 1990 has its own reading (en, de), not the plain number's
    fraction_by_digit: bool = True  # 2.45 → "two point four five" (en, de) or "… quarante-cinq" (fr, es)
    fractions: Mapping[int, tuple[str, str]] = field(default_factory=dict)  # 2 → ("half", "halves")

    # -- numbers --------------------------------------------------------------------------

    def cardinal(self, number: int | Decimal) -> str:
        if isinstance(number, Decimal) and number != number.to_integral_value():
            return self.decimal(number)
        return num2words(int(number), lang=self.code)

    def decimal(self, number: Decimal) -> str:
        whole, _, fraction = f"{number:f}".partition(".")
        spoken = [num2words(int(whole), lang=self.code), self.words["decimal"]]
        if self.fraction_by_digit or fraction.startswith("0"):
            leading = len(fraction) if self.fraction_by_digit else len(fraction) - len(fraction.lstrip("0"))
            spoken += [self.digit(d) for d in fraction[:leading]]
            fraction = fraction[leading:]
        if fraction:
            spoken.append(num2words(int(fraction), lang=self.code))
        return " ".join(spoken)

    def digit(self, character: str) -> str:
        return num2words(int(character), lang=self.code) if character.isdigit() else character

    def digits(self, text: str) -> str:
        """An identifier's digits one by one: '43402' → 'four three four zero two'."""
        return " ".join(self.digit(c) for c in text)

    def year(self, number: int) -> str:
        if self.years_as_years:
            return num2words(number, lang=self.code, to="year")
        return self.cardinal(number)

    def ordinal(self, number: int, feminine: bool = False, before: str = "") -> str:
        return num2words(number, lang=self.code, to="ordinal")

    def ordinal_from(self, number: int, mark: str, before: str) -> str:
        """'1st', '1re', '2ª', 'am 19.': the ordinal its mark asks for."""
        return self.ordinal(number, feminine=mark in ("re", "ère", "ª"), before=before)

    def fraction(self, numerator: int, denominator: int) -> str:
        """'3/4' → 'three quarters'."""
        singular, plural = self.fractions[denominator]
        count = self.before_noun(self.cardinal(numerator), singular)
        return f"{count} {singular if numerator == 1 else plural}"

    def before_noun(self, spoken: str, noun: str) -> str:
        """A number as said in front of a noun ('uno' → 'un' in Spanish); most languages: as is."""
        return spoken

    def regnal(self, number: int) -> str:
        """Louis XIV: how a monarch's number is said."""
        return self.cardinal(number)

    # -- money and magnitudes -------------------------------------------------------------

    @abstractmethod
    def scaled(self, amount: Decimal, power: int) -> str:
        """'3bn' → 'three billion': the amount and the magnitude's word."""

    @abstractmethod
    def money(self, amount: Decimal, power: int, currency: Currency, before: str = "") -> str:
        """'$2.4bn' → 'two point four billion dollars', with the language's agreement; `before` is
        the word in front ('a $5 fee' is 'a five dollar fee' in English)."""

    # -- times and dates ------------------------------------------------------------------

    @abstractmethod
    def time(self, hour: int, minute: int, suffix: str) -> str:
        """14:30 as a clock time; `suffix` is what followed it (a.m., Uhr, h…)."""

    @abstractmethod
    def date(self, day: int, month: int, year: int, before: str) -> str:
        """A calendar date; `before` is the word in front of it, for German case endings."""

    # -- narration ------------------------------------------------------------------------

    @abstractmethod
    def code_cue(self, lines: int) -> str:
        """What is said instead of a code block of so many lines."""

    @abstractmethod
    def not_read(self, headings: list[str]) -> str:
        """The closing line that names the back matter left out of the narration."""


def language_for(code: str) -> Language | None:
    """The tables for a language code ('fr', 'fr-CA', 'de_AT'); None for a language without them."""
    return LANGUAGES.get(code.replace("_", "-").split("-")[0].lower())


def plural_of(amount: Decimal, currency: Currency, from_two: bool = False) -> str:
    """Singular for one (and, in French, for zero and anything under two)."""
    if from_two:
        return currency.singular if abs(amount) < 2 else currency.plural
    return currency.singular if amount == 1 else currency.plural


def split_cents(amount: Decimal) -> tuple[int, int] | None:
    """2.50 → (2, 50): an amount written with exactly two decimals, said as units and cents."""
    whole, _, fraction = f"{amount:f}".partition(".")
    if len(fraction) == 2:
        return int(whole), int(fraction)
    return None


# The languages import Language from here, so they come last.
from listen.speech.languages import de, en, es, fr  # noqa: E402

LANGUAGES: dict[str, Language] = {"en": en.ENGLISH, "fr": fr.FRENCH, "de": de.GERMAN, "es": es.SPANISH}
