"""German: 'Prozent', 'Milliarden Dollar', 'vierzehn Uhr dreißig', 'am siebenundzwanzigsten Juni'."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from listen.speech.languages import BILLION, MILLION, THOUSAND, TRILLION, Currency, Language, split_cents

# A German "Billion" is a million million; "Milliarde" is the thousand million.
SCALES = {MILLION: ("Million", "Millionen"), BILLION: ("Milliarde", "Milliarden"), TRILLION: ("Billion", "Billionen")}
# After these words an ordinal takes the dative ending: "am siebenundzwanzigsten".
DATIVE = frozenset({"am", "im", "vom", "zum", "beim", "dem", "ab", "seit", "bis", "den"})


@dataclass(frozen=True)
class German(Language):
    def before_noun(self, spoken: str, noun: str) -> str:
        return re.sub(r"eins$", "ein", spoken)

    def ordinal(self, number: int, feminine: bool = False, before: str = "") -> str:
        stem = super().ordinal(number)  # "neunzehnte"
        word = before.lower()
        if word in DATIVE:
            return stem + "n"
        if word in {"der", "die", "das"}:
            return stem
        return stem + "r"

    def regnal(self, number: int) -> str:
        return f"der {super().ordinal(number).capitalize()}"

    def scaled(self, amount: Decimal, power: int) -> str:
        if power == THOUSAND:
            return f"{self.before_noun(self.cardinal(amount), '')}tausend"
        singular, plural = SCALES[power]
        count = "eine" if amount == 1 else self.cardinal(amount)
        return f"{count} {singular if amount == 1 else plural}"

    def money(self, amount: Decimal, power: int, currency: Currency, before: str = "") -> str:
        if power:
            return f"{self.scaled(amount, power)} {currency.plural}"
        cents = split_cents(amount)
        if cents:
            return f"{self.before_noun(self.cardinal(cents[0]), currency.plural)} {currency.plural} {self.cardinal(cents[1])}"
        return f"{self.before_noun(self.cardinal(amount), currency.plural)} {currency.plural}"

    def time(self, hour: int, minute: int, suffix: str) -> str:
        said = f"{self.before_noun(self.cardinal(hour), 'Uhr')} Uhr"
        return f"{said} {self.cardinal(minute)}" if minute else said

    def date(self, day: int, month: int, year: int, before: str) -> str:
        return f"{self.ordinal(day, before=before)} {self.months[month - 1]} {self.year(year)}"

    def code_cue(self, lines: int) -> str:
        count = "eine" if lines == 1 else self.cardinal(lines)
        return f"Codebeispiel, {count} Zeile{'n' * (lines != 1)}."

    def not_read(self, headings: list[str]) -> str:
        return f"Nicht vorgelesen: {', '.join(headings)}."


GERMAN: Language = German(
    code="de",
    words={
        "and": "und",
        "percent": "Prozent",
        "hashtag": "Hashtag",
        "hash": "Raute",
        "number": "Nummer",
        "at": "ät",
        "dot": "Punkt",
        "version": "Version",
        "point": "Punkt",
        "decimal": "Komma",
        "to": "bis",
        "minus": "minus",
        "about": "etwa",
    },
    abbreviations={
        "Dr.": "Doktor",
        "Prof.": "Professor",
        "Hr.": "Herr",
        "Hrn.": "Herrn",
        "Fr.": "Frau",
        "z.B.": "zum Beispiel",
        "z. B.": "zum Beispiel",
        "d.h.": "das heißt",
        "d. h.": "das heißt",
        "u.a.": "unter anderem",
        "u. a.": "unter anderem",
        "usw.": "und so weiter",
        "bzw.": "beziehungsweise",
        "ca.": "circa",
        "Nr.": "Nummer",
        "vgl.": "vergleiche",
        "etc.": "et cetera",
        "St.": "Sankt",
        "Str.": "Straße",
        "ggf.": "gegebenenfalls",
        "inkl.": "inklusive",
        "evtl.": "eventuell",
        "sog.": "sogenannte",
        "v. Chr.": "vor Christus",
        "n. Chr.": "nach Christus",
    },
    currencies={
        "$": Currency("Dollar", "Dollar"),
        "€": Currency("Euro", "Euro"),
        "£": Currency("Pfund", "Pfund"),
        "¥": Currency("Yen", "Yen"),
    },
    magnitudes={
        "k": THOUSAND,
        "Tsd.": THOUSAND,
        "m": MILLION,
        "Mio.": MILLION,
        "Mio": MILLION,
        "bn": BILLION,
        "Mrd.": BILLION,
        "Mrd": BILLION,
        "tn": TRILLION,
        "Bio.": TRILLION,
    },
    fractions={2: ("halb", "halbe"), 3: ("Drittel", "Drittel"), 4: ("Viertel", "Viertel")},
    months=(
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
    year_cues=frozenset(
        {"im", "jahr", "jahre", "seit", "bis", "von", "ab", "um", "anno", "vor", "nach", "ende", "anfang", "mitte"}
    ),
    roman_cues=frozenset(
        {"kapitel", "teil", "band", "buch", "akt", "szene", "abschnitt", "artikel", "folge", "anhang", "psalm", "titel"}
    ),
    time_cues=frozenset({"um", "ab", "bis", "gegen", "von", "vor", "nach", "und"}),
    shell_cues=frozenset(
        {
            "skript",
            "skripts",
            "script",
            "shell",
            "argument",
            "argumente",
            "parameter",
            "variable",
            "variablen",
            "pfad",
            "befehl",
            "befehle",
            "kommando",
            "terminal",
            "verzeichnis",
            "datei",
            "dateiname",
            "positionsparameter",
        }
    ),
    money_cues=frozenset(
        {
            "kostet",
            "kosten",
            "kostete",
            "verkauft",
            "verkaufte",
            "bezahlt",
            "bezahlte",
            "zahlen",
            "zahlt",
            "zahlte",
            "preis",
            "gebühr",
            "gekauft",
            "kaufen",
            "kauft",
            "ausgegeben",
            "verdient",
            "verdiente",
            "eintritt",
            "ticket",
            "gehalt",
            "lohn",
            "strafe",
        }
    ),
    # "19." is an ordinal before a month or a counted noun; elsewhere a full stop is a full stop.
    ordinal_pattern=r"(\d{1,2})(\.)(?=\s+(?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|"
    r"November|Dezember|Jahrhunderts?|Jahrtausends?|Mal|Platz|Stock|Kapitel|Klasse|Auflage|Lebensjahr|Geburtstag|"
    r"Jahrestag|Spieltag|Runde|Etappe)\b)",
    years_as_years=True,
)
