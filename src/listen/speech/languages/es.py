"""Spanish: 'por ciento', 'mil millones de dólares', 'veintisiete de junio de dos mil doce'."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from listen.speech.languages import BILLION, MILLION, THOUSAND, TRILLION, Currency, Language, plural_of, split_cents

# A Spanish "billón" is a million million; the thousand million is "mil millones".
SCALES = {MILLION: ("millón", "millones"), TRILLION: ("billón", "billones")}
# Words too short or too grammatical to be the noun a number counts ("el 1 y el 2").
NOT_NOUNS = frozenset(
    {"y", "o", "e", "u", "de", "del", "a", "al", "en", "con", "por", "para", "que", "las", "los", "la", "el"}
)


@dataclass(frozen=True)
class Spanish(Language):
    def before_noun(self, spoken: str, noun: str) -> str:
        """'veintiuno años' → 'veintiún años'; 'uno euro' → 'un euro'."""
        if noun.lower() in NOT_NOUNS:
            return spoken
        return re.sub(r"veintiuno$", "veintiún", re.sub(r"\buno$", "un", spoken))

    def ordinal(self, number: int, feminine: bool = False, before: str = "") -> str:
        word = super().ordinal(number)
        return re.sub(r"o$", "a", word) if feminine else word

    def regnal(self, number: int) -> str:
        # Kings and popes take ordinals up to ten: Felipe segundo, Alfonso trece.
        return self.ordinal(number) if number <= 10 else self.cardinal(number)

    def scaled(self, amount: Decimal, power: int) -> str:
        if power == THOUSAND:
            return "mil" if amount == 1 else f"{self.before_noun(self.cardinal(amount), 'mil')} mil"
        if power == BILLION:
            return "mil millones" if amount == 1 else f"{self.before_noun(self.cardinal(amount), 'mil')} mil millones"
        singular, plural = SCALES[power]
        return f"un {singular}" if amount == 1 else f"{self.before_noun(self.cardinal(amount), plural)} {plural}"

    def money(self, amount: Decimal, power: int, currency: Currency, before: str = "") -> str:
        if power == THOUSAND:
            return f"{self.scaled(amount, power)} {currency.plural}"
        if power:
            return f"{self.scaled(amount, power)} de {currency.plural}"
        cents = split_cents(amount)
        name = plural_of(Decimal(cents[0]) if cents else amount, currency)
        if cents:
            return f"{self.before_noun(self.cardinal(cents[0]), name)} {name} con {self.cardinal(cents[1])}"
        return f"{self.before_noun(self.cardinal(amount), name)} {name}"

    def time(self, hour: int, minute: int, suffix: str) -> str:
        said = "una" if hour == 1 else self.cardinal(hour)
        if minute:
            return f"{said} y {self.cardinal(minute)}"
        return said if hour == 1 else f"{said} horas"

    def date(self, day: int, month: int, year: int, before: str) -> str:
        return f"{self.cardinal(day)} de {self.months[month - 1]} de {self.year(year)}"

    def code_cue(self, lines: int) -> str:
        count = "una" if lines == 1 else self.cardinal(lines)
        return f"Ejemplo de código, {count} línea{'s' * (lines != 1)}."

    def not_read(self, headings: list[str]) -> str:
        return f"No leído: {', '.join(headings)}."


SPANISH: Language = Spanish(
    code="es",
    words={
        "and": "y",
        "percent": "por ciento",
        "hashtag": "etiqueta",
        "hash": "almohadilla",
        "number": "número",
        "at": "arroba",
        "dot": "punto",
        "version": "versión",
        "point": "punto",
        "decimal": "coma",
        "to": "a",
        "minus": "menos",
        "about": "aproximadamente",
    },
    abbreviations={
        "Sr.": "señor",
        "Sra.": "señora",
        "Srta.": "señorita",
        "Dr.": "doctor",
        "Dra.": "doctora",
        "D.": "don",
        "Dña.": "doña",
        "Ud.": "usted",
        "Uds.": "ustedes",
        "Lic.": "licenciado",
        "etc.": "etcétera",
        "p. ej.": "por ejemplo",
        "EE. UU.": "Estados Unidos",
        "EE.UU.": "Estados Unidos",
        "núm.": "número",
        "nº": "número",
        "Nº": "número",
        "aprox.": "aproximadamente",
        "a. C.": "antes de Cristo",
        "d. C.": "después de Cristo",
        "Avda.": "avenida",
        "Sto.": "santo",
        "Sta.": "santa",
    },
    currencies={
        "$": Currency("dólar", "dólares"),
        "€": Currency("euro", "euros"),
        "£": Currency("libra", "libras"),
        "¥": Currency("yen", "yenes"),
    },
    magnitudes={"k": THOUSAND, "m": MILLION, "M": MILLION, "bn": BILLION, "tn": TRILLION},
    fractions={2: ("medio", "medios"), 3: ("tercio", "tercios"), 4: ("cuarto", "cuartos")},
    months=(
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
    year_cues=frozenset({"en", "desde", "de", "hasta", "hacia", "año"}),
    roman_cues=frozenset(
        {
            "capítulo",
            "parte",
            "libro",
            "tomo",
            "acto",
            "escena",
            "sección",
            "artículo",
            "título",
            "episodio",
            "volumen",
            "siglo",
            "anexo",
            "salmo",
        }
    ),
    time_cues=frozenset({"las", "la", "a", "desde", "hasta", "hacia", "sobre", "y"}),
    shell_cues=frozenset(
        {
            "script",
            "scripts",
            "shell",
            "argumento",
            "argumentos",
            "parámetro",
            "parámetros",
            "variable",
            "variables",
            "ruta",
            "comando",
            "comandos",
            "terminal",
            "directorio",
            "archivo",
            "fichero",
            "posicional",
            "posicionales",
        }
    ),
    money_cues=frozenset(
        {
            "cuesta",
            "cuestan",
            "costó",
            "costaba",
            "coste",
            "costo",
            "vendió",
            "vendido",
            "vendida",
            "vende",
            "pagó",
            "pagar",
            "paga",
            "pagado",
            "precio",
            "tarifa",
            "compró",
            "comprar",
            "compra",
            "gastó",
            "gastar",
            "ganó",
            "gana",
            "multa",
            "entrada",
            "billete",
            "sueldo",
            "salario",
            "presupuesto",
        }
    ),
    ordinal_pattern=r"(\d+)\.?([ºª])",
    group_marks=". \u00a0\u202f",
)
