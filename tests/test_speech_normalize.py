"""Speech normalisation as tables: text as written → what the voice is given, per language.

Numbers are spelled out (num2words) in the article's language, so what the voice says does not
depend on how an engine guesses at digits, and `listen show --format script` shows it exactly.
"""

import re

import pytest

from listen.speech.normalize import (
    drop_quotes,
    language_for,
    normalize,
    shorten_urls,
    speak_dashes,
    speak_hashtags,
    strip_list_marker,
)

# Words that must never reach the voice of a French, German or Spanish article ("dollars" and
# "version", "point", "million", "billion" and "six" are French too, so they are not here).
ENGLISH_LEAKS = re.compile(
    r"\b(?:and|percent|Doctor|Mister|hashtag|to|pounds|number|"
    r"thousand|hundred|o'clock|the|of|zero|one|two|three|four|five|seven|eight|nine|ten)\b"
)


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("See https://www.example.org/a/b?c=1.", "See example.org."),
        ("at www.city.gov/hours, daily", "at city.gov, daily"),
        ("(http://example.net)", "(example.net)"),
    ],
)
def test_a_url_is_read_as_its_site(text: str, spoken: str) -> None:
    assert shorten_urls(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("“Go,” she said, don’t.", "Go, she said, don't."),
        ("«Hola» y 'ya'", "Hola y ya"),
    ],
)
def test_quotation_marks_are_not_spoken(text: str, spoken: str) -> None:
    assert drop_quotes(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("- a torch", "a torch"),
        ("3. show the code", "3: show the code"),
    ],
)
def test_list_markers(text: str, spoken: str) -> None:
    assert strip_list_marker(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("the ferry — late again — came", "the ferry, late again, came"),
        ("well - maybe", "well, maybe"),
        ("a well-known pier", "a well-known pier"),
    ],
)
def test_dashes_become_pauses(text: str, spoken: str) -> None:
    assert speak_dashes(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("#MeToo", "hashtag Me Too"),
        ("at #LibrariesAfterDark tonight", "at hashtag Libraries After Dark tonight"),
        ("#quiet_hours", "hashtag quiet hours"),
        ("#NASAMission", "hashtag NASA Mission"),
        ("R&#8217;s", "R&#8217;s"),
        ("#include <stdio.h>", "#include <stdio.h>"),  # code, not a hashtag: left to the number rules
        ("issue #3", "issue #3"),
    ],
)
def test_hashtag_only_before_a_word_in_running_text(text: str, spoken: str) -> None:
    assert speak_hashtags(text, language_for("en")) == spoken


# `$0`…`$9` in a sentence about a shell is a parameter; anywhere else it is money. The cue is
# the sentence: a shell mark (backticks, `$@`, `${`, echo…) or one of the language's shell words.
SHELL_PARAMETERS = [
    ("en", "run `echo $0` to see the name", "run `echo dollar zero` to see the name"),
    ("en", "the script's name is in $0", "the script's name is in dollar zero"),
    ("en", "$1 is the first argument", "dollar one is the first argument"),
    ("en", 'loop over "$@" and print $1 each time', "loop over $@ and print dollar one each time"),
    ("en", "echo $2 prints the second", "echo dollar two prints the second"),
    ("en", "it cost $0 to enter", "it cost zero dollars to enter"),
    ("en", "entry is $0 for children", "entry is zero dollars for children"),
    ("en", "the script sold for $1m", "the script sold for one million dollars"),
    ("en", "the shell costs $1.50 at the market", "the shell costs one dollar fifty at the market"),
    ("en", "a variable fee of $25", "a variable fee of twenty-five dollars"),
    ("fr", "le script lit $1 puis $2", "le script lit dollar un puis dollar deux"),
    ("fr", "l'entrée coûte $0", "l'entrée coûte zéro dollar"),
    ("de", "Das Skript steht in $0.", "Das Skript steht in Dollar null."),
    ("de", "Der Eintritt kostet $0.", "Der Eintritt kostet null Dollar."),
    ("es", "el script recibe $1", "el script recibe dólar uno"),
    ("es", "la entrada cuesta $0", "la entrada cuesta cero dólares"),
]


@pytest.mark.parametrize(("language", "text", "spoken"), SHELL_PARAMETERS)
def test_a_shell_parameter_is_not_money(language: str, text: str, spoken: str) -> None:
    assert normalize(text, language) == spoken


CASES = {
    "en": [
        # money and magnitudes
        ("$427bn (£230bn)", "four hundred and twenty-seven billion dollars (two hundred and thirty billion pounds)"),
        ("$2.4 million", "two point four million dollars"),
        ("a $5m grant and a $3k prize", "a five million dollar grant and a three thousand dollar prize"),
        ("it cost $5m", "it cost five million dollars"),
        ("$1.2tn", "one point two trillion dollars"),
        ("$0", "zero dollars"),
        ("$1", "one dollar"),
        ("€10 or £3", "ten euros or three pounds"),
        ("$2.50", "two dollars fifty"),
        ("$1,200", "one thousand, two hundred dollars"),
        ("a 3bn deal", "a three billion deal"),
        ("a 5m swim", "a five m swim"),  # m without money may be metres: left as m
        # identifiers
        ("CVE-2024-43402", "CVE two zero two four, four three four zero two"),
        ("v2.10.3", "version two point ten point three"),
        ("release 2.10.3 is out", "release two point ten point three is out"),
        ("ISBN 978-0-306-40615-7", "ISBN nine seven eight, zero, three zero six, four zero six one five, seven"),
        ("ISBN 0306406152", "ISBN zero three zero six four zero six one five two"),
        # hash
        ("#include <stdio.h>", "hash include <stdio.h>"),
        ("Go #WorldCup fans", "Go hashtag World Cup fans"),
        ("issue #3", "issue number three"),
        # percent, symbols, abbreviations
        ("12% more", "twelve percent more"),
        ("12.5 %", "twelve point five percent"),
        ("bread & butter", "bread and butter"),
        ("Dr. Vell met Mr. Ick vs. Ms. Arno", "Doctor Vell met Mister Ick versus Miz Arno"),
        ("bread, jam, etc. and more", "bread, jam, et cetera and more"),
        ("the last dr. visit", "the last dr. visit"),
        # times
        ("at 17.00", "at seventeen hundred"),
        ("at 8.20 a.m.", "at eight twenty a.m."),
        ("14:30", "fourteen thirty"),
        ("9:05", "nine oh five"),
        ("14h30", "fourteen thirty"),
        ("07.13", "seven thirteen"),
        ("open 9–5 daily", "open nine to five daily"),
        # dates and ranges
        ("1990-1995", "nineteen ninety to nineteen ninety-five"),
        ("on 2012-06-27", "on June twenty-seventh, twenty twelve"),
        ("on 27/06/2012", "on June twenty-seventh, twenty twelve"),
        ("in 1776", "in seventeen seventy-six"),
        ("2000 people", "two thousand people"),
        ("the 1968 paperback", "the nineteen sixty-eight paperback"),  # a determiner, one thing: a year
        ("the 2000 people", "the two thousand people"),
        ("a 1500 metre race", "a one thousand, five hundred metre race"),
        ("won 3-2", "won three, two"),
        ("call 555-1234", "call five five five, one two three four"),
        ("born June 27, 2012 in Ohio", "born June twenty-seventh, twenty twelve in Ohio"),
        ("on 4 July 1776", "on the fourth of July, seventeen seventy-six"),
        ("the 1990s", "the nineteen nineties"),
        ("the '90s and the 60s", "the nineties and the sixties"),
        ("it was -5 °C", "it was minus five °C"),
        ("COVID-19 cases", "COVID-nineteen cases"),
        ("Python version 3.12", "Python version three point twelve"),
        ("Super Bowl LVIII", "Super Bowl fifty-eight"),
        ("Queen Elizabeth II", "Queen Elizabeth the Second"),
        ("Malcolm X and Vitamin C", "Malcolm X and Vitamin C"),
        ("rose 2.30 percent", "rose two point three zero percent"),
        ("add 1/2 cup and ¾ spoon", "add one half cup and three quarters spoon"),
        ("1 ½ hours", "one and one half hours"),
        ("open 24/7", "open twenty-four/seven"),
        # Roman numerals
        ("Chapter IV", "Chapter four"),
        ("Louis XIV", "Louis the Fourteenth"),
        ("World War II", "World War two"),
        ("MDCCLXXVI", "seventeen seventy-six"),
        ("I think so", "I think so"),
        ("MIX it", "MIX it"),
        ("the 1st and 22nd", "the first and twenty-second"),
    ],
    "fr": [
        ("$427bn (£230bn)", "quatre cent vingt-sept milliards de dollars (deux cent trente milliards de livres)"),
        ("2,4 millions d'euros", "deux virgule quatre millions d'euros"),
        ("3 M€", "trois millions d'euros"),
        ("10 €", "dix euros"),
        ("1 €", "un euro"),
        ("$0", "zéro dollar"),
        ("2,50 €", "deux euros cinquante"),
        ("3 000 habitants", "trois mille habitants"),
        ("CVE-2024-43402", "CVE deux zéro deux quatre, quatre trois quatre zéro deux"),
        ("v2.10.3", "version deux point dix point trois"),
        ("#include <stdio.h>", "dièse include <stdio.h>"),
        ("#CoupeDuMonde", "mot-dièse Coupe Du Monde"),
        ("le n° 5", "le numéro cinq"),
        ("12 %", "douze pour cent"),
        ("12,5 %", "douze virgule cinq pour cent"),
        ("Paris & Lyon", "Paris et Lyon"),
        ("M. Dupont et Mme Martin", "monsieur Dupont et madame Martin"),
        ("le Dr Vell", "le docteur Vell"),
        ("pain, etc.", "pain, et cetera"),
        ("à 17.00", "à dix-sept heures"),
        ("à 14h30", "à quatorze heures trente"),
        ("14 h 30", "quatorze heures trente"),
        ("à 21h", "à vingt et une heures"),
        ("14:30", "quatorze heures trente"),
        ("1990-1995", "mille neuf cent quatre-vingt-dix à mille neuf cent quatre-vingt-quinze"),
        ("le 27/06/2012", "le vingt-sept juin deux mille douze"),
        ("le 1/06/2012", "le premier juin deux mille douze"),
        ("Louis XIV", "Louis quatorze"),
        ("François Ier", "François premier"),
        ("Chapitre IV", "Chapitre quatre"),
        ("le XIXe siècle", "le dix-neuvième siècle"),
        ("MDCCLXXVI", "mille sept cent soixante-seize"),
        ("le 1er mai", "le premier mai"),
        ("Ce livre, Le Roi, De Gaulle", "Ce livre, Le Roi, De Gaulle"),
        ("il fait -5 °C", "il fait moins cinq °C"),
        ("1/2 litre et 2/3 du lot", "un demi litre et deux tiers du lot"),
    ],
    "de": [
        ("$427bn (£230bn)", "vierhundertsiebenundzwanzig Milliarden Dollar (zweihundertdreißig Milliarden Pfund)"),
        ("1 Mrd. Euro", "eine Milliarde Euro"),
        ("2,4 Mio. Euro", "zwei Komma vier Millionen Euro"),
        ("10 €", "zehn Euro"),
        ("$0", "null Dollar"),
        ("2,50 €", "zwei Euro fünfzig"),
        ("1.200 Menschen", "eintausendzweihundert Menschen"),
        ("CVE-2024-43402", "CVE zwei null zwei vier, vier drei vier null zwei"),
        ("v2.10.3", "Version zwei Punkt zehn Punkt drei"),
        ("#include <stdio.h>", "Raute include <stdio.h>"),
        ("#WM2026", "Hashtag WM zweitausendsechsundzwanzig"),
        ("12 %", "zwölf Prozent"),
        ("Dr. Vell und Hr. Ick", "Doktor Vell und Herr Ick"),
        ("Hunde, z.B. Dackel", "Hunde, zum Beispiel Dackel"),
        ("Katzen, z. B. Perser", "Katzen, zum Beispiel Perser"),
        ("Äpfel usw.", "Äpfel und so weiter"),
        ("Nr. 5", "Nummer fünf"),
        ("Brot & Butter", "Brot und Butter"),
        ("um 14:30", "um vierzehn Uhr dreißig"),
        ("um 17.00 Uhr", "um siebzehn Uhr"),
        ("um 8.20 Uhr", "um acht Uhr zwanzig"),
        ("1990-1995", "neunzehnhundertneunzig bis neunzehnhundertfünfundneunzig"),
        ("am 27.06.2012", "am siebenundzwanzigsten Juni zweitausendzwölf"),
        ("im 19. Jahrhundert", "im neunzehnten Jahrhundert"),
        ("Ludwig XIV.", "Ludwig der Vierzehnte."),
        ("Kapitel IV", "Kapitel vier"),
        ("MDCCLXXVI", "siebzehnhundertsechsundsiebzig"),
        ("Am 3. Oktober 1990", "Am dritten Oktober neunzehnhundertneunzig"),
        ("Er ist 1 Tag alt", "Er ist ein Tag alt"),
        ("3/4 Liter", "drei Viertel Liter"),
        ("Heinrich VIII. und Karl V.", "Heinrich der Achte und Karl der Fünfte."),
    ],
    "es": [
        (
            "$427bn (£230bn)",
            "cuatrocientos veintisiete mil millones de dólares (doscientos treinta mil millones de libras)",
        ),
        ("1.500 millones de euros", "mil quinientos millones de euros"),
        ("10 €", "diez euros"),
        ("1 €", "un euro"),
        ("$0", "cero dólares"),
        ("2,50 €", "dos euros con cincuenta"),
        ("21 años", "veintiún años"),
        ("1/4 de kilo", "un cuarto de kilo"),
        ("CVE-2024-43402", "CVE dos cero dos cuatro, cuatro tres cuatro cero dos"),
        ("v2.10.3", "versión dos punto diez punto tres"),
        ("#include <stdio.h>", "almohadilla include <stdio.h>"),
        ("El 12% & €10 #MercadoVivo", "El doce por ciento y diez euros etiqueta Mercado Vivo"),
        ("Dra. Ruiz y Sr. Gil", "doctora Ruiz y señor Gil"),
        ("en EE. UU.", "en Estados Unidos"),
        ("frutas, p. ej. peras", "frutas, por ejemplo peras"),
        ("a las 17.00", "a las diecisiete horas"),
        ("a las 14:30", "a las catorce y treinta"),
        ("son las 8.30 h", "son las ocho y treinta"),
        ("27-06-2012", "veintisiete de junio de dos mil doce"),
        ("1990-1995", "mil novecientos noventa a mil novecientos noventa y cinco"),
        ("Felipe II", "Felipe segundo"),
        ("Alfonso XIII", "Alfonso trece"),
        ("Capítulo IV", "Capítulo cuatro"),
        ("el siglo XIX", "el siglo diecinueve"),
        ("MDCCLXXVI", "mil setecientos setenta y seis"),
        ("el 1º y la 2ª", "el primero y la segunda"),
    ],
}


@pytest.mark.parametrize(
    ("language", "text", "spoken"),
    [(language, text, spoken) for language, cases in CASES.items() for text, spoken in cases],
    ids=[f"{language}:{text}" for language, cases in CASES.items() for text, _ in cases],
)
def test_spoken_form_in_the_articles_language(language: str, text: str, spoken: str) -> None:
    assert normalize(text, language) == spoken


@pytest.mark.parametrize("language", ["fr", "de", "es"])
def test_no_english_word_is_inserted_into_another_language(language: str) -> None:
    for text, _ in CASES[language] + CASES["en"]:
        spoken = normalize(text, language)
        leaks = set(ENGLISH_LEAKS.findall(spoken)) - set(ENGLISH_LEAKS.findall(text))
        assert not leaks, (text, spoken)


def test_a_language_without_tables_gets_only_the_neutral_rules() -> None:
    """Italian has no table yet: symbols and digits are left to the voice, never read in English."""
    assert normalize("Il 12% & #include — https://www.example.it/x", "it") == "Il 12% & #include, example.it"


@pytest.mark.parametrize("code", ["en-GB", "fr_FR", "DE", "es-419"])
def test_regional_language_codes_use_the_languages_table(code: str) -> None:
    assert language_for(code).code == code[:2].lower()
