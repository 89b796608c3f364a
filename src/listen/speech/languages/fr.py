"""French: 'pour cent', 'milliards de dollars', 'quatorze heures trente', 'Louis quatorze'."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from listen.speech.languages import BILLION, MILLION, THOUSAND, TRILLION, Currency, Language, plural_of, split_cents

# A French "billion" is a million million; "milliard" is the thousand million.
SCALES = {MILLION: ("million", "millions"), BILLION: ("milliard", "milliards"), TRILLION: ("billion", "billions")}


@dataclass(frozen=True)
class French(Language):
    def feminine(self, spoken: str) -> str:
        """'vingt et un' → 'vingt et une' before a feminine noun (heure, ligne)."""
        return re.sub(r"\bun$", "une", spoken)

    def ordinal(self, number: int, feminine: bool = False, before: str = "") -> str:
        if number == 1:
            return "première" if feminine else "premier"
        return super().ordinal(number)

    def regnal(self, number: int) -> str:
        return "premier" if number == 1 else self.cardinal(number)

    def scaled(self, amount: Decimal, power: int) -> str:
        if power == THOUSAND:
            return "mille" if amount == 1 else f"{self.cardinal(amount)} mille"
        singular, plural = SCALES[power]
        return f"{self.cardinal(amount)} {plural if abs(amount) >= 2 else singular}"

    def money(self, amount: Decimal, power: int, currency: Currency, before: str = "") -> str:
        if power == THOUSAND:
            return f"{self.scaled(amount, power)} {currency.plural}"
        if power:
            name = currency.plural
            return f"{self.scaled(amount, power)} {'d’' if name[0] in 'aeiouéy' else 'de '}{name}".replace("’", "'")
        cents = split_cents(amount)
        if cents:
            return f"{self.cardinal(cents[0])} {plural_of(Decimal(cents[0]), currency, from_two=True)} {self.cardinal(cents[1])}"
        return f"{self.cardinal(amount)} {plural_of(amount, currency, from_two=True)}"

    def time(self, hour: int, minute: int, suffix: str) -> str:
        said = f"{self.feminine(self.cardinal(hour))} heure{'s' * (hour >= 2)}"
        return f"{said} {self.cardinal(minute)}" if minute else said

    def date(self, day: int, month: int, year: int, before: str) -> str:
        return f"{self.ordinal(1) if day == 1 else self.cardinal(day)} {self.months[month - 1]} {self.year(year)}"

    def code_cue(self, lines: int) -> str:
        return f"Exemple de code, {self.feminine(self.cardinal(lines))} ligne{'s' * (lines >= 2)}."

    def not_read(self, headings: list[str]) -> str:
        return f"Non lu : {', '.join(headings)}."


FRENCH: Language = French(
    code="fr",
    words={
        "and": "et",
        "percent": "pour cent",
        "hashtag": "mot-dièse",
        "hash": "dièse",
        "number": "numéro",
        "at": "arobase",
        "dot": "point",
        "version": "version",
        "point": "point",
        "decimal": "virgule",
        "to": "à",
        "minus": "moins",
        "about": "environ",
    },
    abbreviations={
        "M.": "monsieur",
        "MM.": "messieurs",
        "Mme": "madame",
        "Mmes": "mesdames",
        "Mlle": "mademoiselle",
        "Dr": "docteur",
        "Dr.": "docteur",
        "Pr": "professeur",
        "Pr.": "professeur",
        "Me": "maître",
        "Mgr": "monseigneur",
        "St": "saint",
        "Ste": "sainte",
        "etc.": "et cetera",
        "p. ex.": "par exemple",
        "c.-à-d.": "c'est-à-dire",
        "n°": "numéro",
        "N°": "numéro",
        "env.": "environ",
        "av. J.-C.": "avant Jésus-Christ",
        "apr. J.-C.": "après Jésus-Christ",
        "cf.": "confer",
        "bd": "boulevard",
        "av.": "avenue",
    },
    currencies={
        "$": Currency("dollar", "dollars"),
        "€": Currency("euro", "euros"),
        "£": Currency("livre", "livres"),
        "¥": Currency("yen", "yens"),
    },
    magnitudes={
        "k": THOUSAND,
        "m": MILLION,
        "M": MILLION,
        "bn": BILLION,
        "Md": BILLION,
        "Mds": BILLION,
        "tn": TRILLION,
    },
    fractions={2: ("demi", "demis"), 3: ("tiers", "tiers"), 4: ("quart", "quarts")},
    months=(
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    year_cues=frozenset({"en", "depuis", "de", "à", "vers", "dès", "année", "an"}),
    roman_cues=frozenset(
        {
            "chapitre",
            "partie",
            "livre",
            "tome",
            "acte",
            "scène",
            "section",
            "article",
            "titre",
            "épisode",
            "volume",
            "annexe",
            "chant",
            "psaume",
        }
    ),
    time_cues=frozenset({"à", "vers", "de", "dès", "jusqu'à", "avant", "après", "et"}),
    shell_cues=frozenset(
        {
            "script",
            "scripts",
            "shell",
            "argument",
            "arguments",
            "paramètre",
            "paramètres",
            "variable",
            "variables",
            "chemin",
            "commande",
            "commandes",
            "terminal",
            "répertoire",
            "fichier",
            "positionnel",
            "positionnels",
        }
    ),
    money_cues=frozenset(
        {
            "coûte",
            "coûtent",
            "coûtait",
            "coûté",
            "coût",
            "vendu",
            "vendue",
            "vendus",
            "vend",
            "payé",
            "payer",
            "paie",
            "paye",
            "prix",
            "acheté",
            "acheter",
            "tarif",
            "dépensé",
            "dépenser",
            "gagné",
            "gagne",
            "amende",
            "billet",
            "salaire",
            "budget",
        }
    ),
    ordinal_pattern=r"(\d+)(er|re|ère|ème|eme|e)\b",
    fraction_by_digit=False,
)
