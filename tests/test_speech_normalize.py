import pytest

from listen.speech.normalize import (
    drop_quotes,
    expand_abbreviations,
    normalize,
    shorten_urls,
    speak_currency,
    speak_dashes,
    speak_hashtags,
    speak_symbols,
    strip_list_marker,
)


@pytest.mark.parametrize(
    ("rule", "text", "spoken"),
    [
        (speak_hashtags, "#MeToo", "hashtag Me Too"),
        (speak_hashtags, "at #LibrariesAfterDark tonight", "at hashtag Libraries After Dark tonight"),
        (speak_hashtags, "#2026Goals", "hashtag 2026 Goals"),
        (speak_hashtags, "#quiet_hours", "hashtag quiet hours"),
        (speak_hashtags, "#NASAMission", "hashtag NASA Mission"),
        (speak_hashtags, "issue #3 of R&#8217;s", "issue hashtag 3 of R&#8217;s"),
        (shorten_urls, "See https://www.example.org/a/b?c=1.", "See example.org."),
        (shorten_urls, "at www.city.gov/hours, daily", "at city.gov, daily"),
        (shorten_urls, "(http://example.net)", "(example.net)"),
        (expand_abbreviations, "Dr. Vell met Mr. Ick vs. Ms. Arno", "Doctor Vell met Mister Ick versus Miz Arno"),
        (expand_abbreviations, "bread, jam, etc. and more", "bread, jam, et cetera and more"),
        (expand_abbreviations, "the last dr. visit", "the last dr. visit"),
        (speak_currency, "$2.4 million", "2.4 million dollars"),
        (speak_currency, "costs €10 or £3", "costs 10 euros or 3 pounds"),
        (speak_currency, "$1,200", "1,200 dollars"),
        (speak_symbols, "12% more", "12 percent more"),
        (speak_symbols, "bread & butter", "bread and butter"),
        (speak_dashes, "open 9–5 daily", "open 9 to 5 daily"),
        (speak_dashes, "the ferry — late again — came", "the ferry, late again, came"),
        (speak_dashes, "well - maybe", "well, maybe"),
        (speak_dashes, "a well-known pier", "a well-known pier"),
        (drop_quotes, "“Go,” she said, don’t.", "Go, she said, don't."),
        (drop_quotes, "«Hola» y 'ya'", "Hola y ya"),
        (strip_list_marker, "- a torch", "a torch"),
        (strip_list_marker, "3. show the code", "3: show the code"),
    ],
)
def test_normalisation_rules(rule, text: str, spoken: str) -> None:
    assert rule(text) == spoken


@pytest.mark.parametrize(
    ("language", "text", "spoken"),
    [
        ("en", "Dr. Vell paid $2.4 million — 12% more & fast.", "Doctor Vell paid 2.4 million dollars, 12 percent more and fast."),
        ("es", "El 12% & €10 #MercadoVivo", "El 12 por ciento y 10 euros etiqueta Mercado Vivo"),
        ("fr", "12% & more", "12 percent and more"),  # unknown language: English words for symbols
    ],
)
def test_normalize_applies_rules_for_the_language(language: str, text: str, spoken: str) -> None:
    assert normalize(text, language) == spoken
