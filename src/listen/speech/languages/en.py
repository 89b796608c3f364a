"""English: the spoken forms, as a British or American newsreader would say them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from listen.speech.languages import BILLION, MILLION, THOUSAND, TRILLION, Currency, Language, plural_of, split_cents

SCALES = {THOUSAND: "thousand", MILLION: "million", BILLION: "billion", TRILLION: "trillion"}


@dataclass(frozen=True)
class English(Language):
    def scaled(self, amount: Decimal, power: int) -> str:
        return f"{self.cardinal(amount)} {SCALES[power]}"

    def money(self, amount: Decimal, power: int, currency: Currency, before: str = "") -> str:
        if before in ("a", "an"):  # "a $2.4m budget": the amount describes a noun
            currency = Currency(currency.singular, currency.singular)
        if power:
            return f"{self.scaled(amount, power)} {currency.plural}"
        cents = split_cents(amount)
        if cents:
            return f"{self.cardinal(cents[0])} {plural_of(Decimal(cents[0]), currency)} {self.cardinal(cents[1])}"
        return f"{self.cardinal(amount)} {plural_of(amount, currency)}"

    def time(self, hour: int, minute: int, suffix: str) -> str:
        said = self.cardinal(hour)
        if minute:
            said += f" oh {self.cardinal(minute)}" if minute < 10 else f" {self.cardinal(minute)}"
        elif not suffix:
            said += " hundred" if hour > 12 or hour == 0 else " o'clock"
        return f"{said} {suffix}" if suffix else said

    def date(self, day: int, month: int, year: int, before: str) -> str:
        return f"{self.months[month - 1]} {self.ordinal(day)}, {self.year(year)}"

    def regnal(self, number: int) -> str:
        return f"the {self.ordinal(number).capitalize()}"

    def code_cue(self, lines: int) -> str:
        return f"Code example, {self.cardinal(lines)} line{'s' * (lines != 1)}."

    def not_read(self, headings: list[str]) -> str:
        return f"Not read: {', '.join(headings)}."


ENGLISH: Language = English(
    code="en",
    words={
        "and": "and",
        "percent": "percent",
        "hashtag": "hashtag",
        "hash": "hash",
        "number": "number",
        "at": "at",
        "dot": "dot",
        "version": "version",
        "point": "point",
        "decimal": "point",
        "to": "to",
        "minus": "minus",
        "about": "about",
    },
    # Title-case matches only, so "st." at a sentence end in lower case is left alone.
    abbreviations={
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
    currencies={
        "$": Currency("dollar", "dollars"),
        "€": Currency("euro", "euros"),
        "£": Currency("pound", "pounds"),
        "¥": Currency("yen", "yen"),
    },
    magnitudes={
        "k": THOUSAND,
        "thousand": THOUSAND,
        "m": MILLION,
        "mn": MILLION,
        "million": MILLION,
        "bn": BILLION,
        "billion": BILLION,
        "tn": TRILLION,
        "trillion": TRILLION,
    },
    fractions={2: ("half", "halves"), 3: ("third", "thirds"), 4: ("quarter", "quarters")},
    months=(
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    year_determiners=frozenset({"the", "a", "an", "this", "that", "his", "her", "its", "their", "our", "my", "your"}),
    year_cues=frozenset(
        {"in", "since", "from", "until", "till", "by", "of", "circa", "c.", "year", "around", "before", "after"}
    ),
    roman_cues=frozenset(
        {
            "chapter",
            "part",
            "book",
            "volume",
            "vol.",
            "act",
            "scene",
            "section",
            "article",
            "episode",
            "war",
            "bowl",
            "phase",
            "stage",
            "level",
            "appendix",
            "canto",
            "psalm",
            "title",
            "schedule",
            "class",
        }
    ),
    time_cues=frozenset({"at", "from", "until", "till", "by", "before", "after", "around", "about", "to"}),
    shell_cues=frozenset(
        {
            "script",
            "scripts",
            "shell",
            "argument",
            "arguments",
            "parameter",
            "parameters",
            "variable",
            "variables",
            "path",
            "paths",
            "command",
            "commands",
            "terminal",
            "directory",
            "filename",
            "positional",
            "expands",
            "stdin",
        }
    ),
    money_cues=frozenset(
        {
            "cost",
            "costs",
            "costing",
            "sold",
            "sell",
            "sells",
            "selling",
            "paid",
            "pay",
            "pays",
            "paying",
            "price",
            "priced",
            "worth",
            "fee",
            "fees",
            "fine",
            "fined",
            "bought",
            "buy",
            "buys",
            "spend",
            "spent",
            "earn",
            "earned",
            "earns",
            "raised",
            "charge",
            "charged",
            "charges",
            "donated",
            "tip",
            "tipped",
            "budget",
            "salary",
            "wage",
            "ticket",
            "tickets",
            "fare",
        }
    ),
    ordinal_pattern=r"(\d+)(st|nd|rd|th)\b",
    day_first=False,
    decimal_mark=".",
    group_marks=",",
    years_as_years=True,
)
