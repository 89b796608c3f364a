"""Money, shell parameters and identifiers as a careful reader says them, per language (tables).

'$1' after a price word is money even in a sentence about a film script; in a sentence about a
path or a command it is a parameter. A range shares its sign and magnitude. An ISBN is read
digit by digit, by its label or, unlabelled, by its check digit.
"""

import pytest

from listen.speech.identifiers import is_isbn
from listen.speech.normalize import normalize

from test_speech_normalize import ENGLISH_LEAKS

DOLLAR_SIGN_IN_CONTEXT = [
    # a price word just before the sign: money, whatever the sentence is about
    ("en", "the film script sold for $1", "the film script sold for one dollar"),
    ("en", "the shell script costs $5 on the store", "the shell script costs five dollars on the store"),
    ("en", "each argument cost them $2 in fees", "each argument cost them two dollars in fees"),
    ("fr", "le script du film s'est vendu $1", "le script du film s'est vendu un dollar"),
    ("de", "das Skript kostet $1", "das Skript kostet ein Dollar"),
    ("es", "el script se vendió por $1", "el script se vendió por un dólar"),
    # words about paths and commands: a parameter
    ("en", "run it with $1 set to the path", "run it with dollar one set to the path"),
    ("en", "the command reads $2 as the directory", "the command reads dollar two as the directory"),
    ("fr", "lancez-le avec $1 pour chemin", "lancez-le avec dollar un pour chemin"),
    ("de", "der Befehl liest $1 als Pfad", "der Befehl liest Dollar eins als Pfad"),
    ("es", "el comando recibe la ruta en $1", "el comando recibe la ruta en dólar uno"),
    # neither: money
    ("en", "tickets were $1 at the door", "tickets were one dollar at the door"),
    ("en", "a $1 coffee", "a one dollar coffee"),
]


@pytest.mark.parametrize(("language", "text", "spoken"), DOLLAR_SIGN_IN_CONTEXT)
def test_a_dollar_and_digit_is_money_or_a_parameter_by_its_sentence(language: str, text: str, spoken: str) -> None:
    assert normalize(text, language) == spoken


MONEY = {
    "en": [
        ("It raised £2.5m last year.", "It raised two point five million pounds last year."),
        ("It cost US$5.", "It cost five dollars."),
        ("a $1.2tn economy", "a one point two trillion dollar economy"),
        ("between $5–10m", "between five to ten million dollars"),
        ("from $5m-$10m", "from five to ten million dollars"),
        ("$5-10 a head", "five to ten dollars a head"),
        ("~$3 each", "about three dollars each"),
        ("a loss of -$4", "a loss of minus four dollars"),
        ("−£2bn", "minus two billion pounds"),
        ("from $10-5 points", "from ten dollars-five points"),  # no range: only the sum is money
        ("a paperback costs 3,50 € in Lille", "a paperback costs three euros fifty in Lille"),
        ("€12,99 or €3,500", "twelve euros ninety-nine or three thousand, five hundred euros"),
    ],
    "fr": [
        ("Le café coûte 3,50 €.", "Le café coûte trois euros cinquante."),
        ("Ça coûte 5$.", "Ça coûte cinq dollars."),
        ("un budget de 5–10 M€", "un budget de cinq à dix millions d'euros"),
        ("environ ~3 €", "environ environ trois euros"),
        ("~$3", "environ trois dollars"),
        ("une perte de -4 €", "une perte de moins quatre euros"),
        ("2,5 Md€", "deux virgule cinq milliards d'euros"),
    ],
    "de": [
        ("Das kostet €3,50.", "Das kostet drei Euro fünfzig."),
        ("3,50 €", "drei Euro fünfzig"),
        ("zwischen $5–10m", "zwischen fünf bis zehn Millionen Dollar"),
        ("~$3", "etwa drei Dollar"),
        ("ein Minus von -$4", "ein Minus von minus vier Dollar"),
        ("1,5 Mrd. €", "eins Komma fünf Milliarden Euro"),
    ],
    "es": [
        ("Cuesta 3,50 €.", "Cuesta tres euros con cincuenta."),
        ("entre $5–10m", "entre cinco a diez millones de dólares"),
        ("~$3", "aproximadamente tres dólares"),
        ("una pérdida de -4 €", "una pérdida de menos cuatro euros"),
        ("5$", "cinco dólares"),
    ],
}


@pytest.mark.parametrize(
    ("language", "text", "spoken"),
    [(language, text, spoken) for language, cases in MONEY.items() for text, spoken in cases],
    ids=[f"{language}:{text}" for language, cases in MONEY.items() for text, _ in cases],
)
def test_money_ranges_signs_and_decimal_commas(language: str, text: str, spoken: str) -> None:
    assert normalize(text, language) == spoken


ISBNS = [
    ("en", "ISBN 0-14-044913-1", "ISBN zero, one four, zero four four nine one three, one"),
    ("en", "ISBN-10: 0-8044-2957-X", "ISBN zero, eight zero four four, two nine five seven, X"),
    ("en", "isbn 080442957x", "ISBN zero eight zero four four two nine five seven X"),
    ("en", "ISBN 0–8044–2957–X", "ISBN zero, eight zero four four, two nine five seven, X"),
    (
        "en",
        "(0-8044-2957-X)",
        "(zero, eight zero four four, two nine five seven, X)",
    ),  # no label: the check digit says it
    (
        "en",
        "printed as 978-0-306-40615-7.",
        "printed as nine seven eight, zero, three zero six, four zero six one five, seven.",
    ),
    ("fr", "ISBN 0-14-044913-1", "ISBN zéro, un quatre, zéro quatre quatre neuf un trois, un"),
    ("fr", "ISBN : 2-07-036822-X", "ISBN deux, zéro sept, zéro trois six huit deux deux, X"),
    ("de", "ISBN 3-16-148410-X", "ISBN drei, eins sechs, eins vier acht vier eins null, X"),
    ("es", "ISBN 84-376-0494-X", "ISBN ocho cuatro, tres siete seis, cero cuatro nueve cuatro, X"),
]


@pytest.mark.parametrize(("language", "text", "spoken"), ISBNS)
def test_an_isbn_is_read_digit_by_digit_in_every_language(language: str, text: str, spoken: str) -> None:
    assert normalize(text, language) == spoken


@pytest.mark.parametrize(
    ("written", "isbn"),
    [
        ("0-8044-2957-X", True),
        ("0-14-044913-2", True),
        ("0-14-044913-1", False),  # wrong check digit: without a label it is not taken for an ISBN
        ("978-0-306-40615-7", True),
        ("978-0-306-40615-8", False),
        ("1-2-3-4", False),
        ("555-123-4567-8", False),
    ],
)
def test_an_unlabelled_isbn_is_known_by_its_check_digit(written: str, isbn: bool) -> None:
    assert is_isbn(written) is isbn


@pytest.mark.parametrize("language", ["fr", "de", "es"])
def test_money_and_identifiers_put_no_english_word_into_another_language(language: str) -> None:
    cases = [text for lang, text, _ in DOLLAR_SIGN_IN_CONTEXT + ISBNS if lang == language]
    cases += [text for text, _ in MONEY[language]]
    for text in cases:
        spoken = normalize(text, language)
        leaks = set(ENGLISH_LEAKS.findall(spoken)) - set(ENGLISH_LEAKS.findall(text))
        assert not leaks, (text, spoken)
