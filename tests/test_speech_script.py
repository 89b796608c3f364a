from pathlib import Path

import pytest

from listen.articles import Article, Section
from listen.speech.lexicon import LexiconError, load_lexicon, parse_lexicon
from listen.speech.script import MAX_UTTERANCE_WORDS, Pauses, ScriptOptions, build_script, split_sentences

ARTICLE = Article(
    title="Ferry Season Opens",
    standfirst="“Back at last.”",
    sections=(
        Section(
            "Ferry Season Opens",
            ("The ferry sails at 7 a.m. on weekdays. Tickets cost $3.", "Dr. Vell will skipper."),
            1,
        ),
        Section("Tickets", ("Buy them on the quay.",), 2),
    ),
)


def test_one_chapter_per_section_and_the_first_carries_title_and_standfirst() -> None:
    script = build_script(ARTICLE)
    assert [c.title for c in script.chapters] == ["Ferry Season Opens", "Tickets"]
    first = script.chapters[0].utterances
    assert [(u.kind, u.text) for u in first[:2]] == [("title", "Ferry Season Opens"), ("standfirst", "Back at last.")]
    assert [u.kind for u in script.chapters[1].utterances] == ["heading", "sentence"]


def test_utterances_point_back_to_section_and_paragraph() -> None:
    script = build_script(ARTICLE)
    places = [(u.section, u.paragraph, u.display) for u in script.utterances if u.kind == "sentence"]
    assert places == [
        (0, 0, "The ferry sails at 7 a.m. on weekdays."),
        (0, 0, "Tickets cost $3."),
        (0, 1, "Dr. Vell will skipper."),
        (1, 0, "Buy them on the quay."),
    ]
    assert [u.text for u in script.utterances if u.kind == "sentence"][1] == "Tickets cost three dollars."


def test_pauses_grow_from_sentence_to_paragraph_to_chapter_and_are_configurable() -> None:
    pauses = Pauses(sentence_ms=100, paragraph_ms=400, heading_ms=300, chapter_ms=2000)
    utterances = list(build_script(ARTICLE, pauses=pauses).utterances)
    assert [u.pause_ms for u in utterances] == [300, 400, 100, 400, 2000, 300, 2000]


def test_utterances_from_a_place_start_there() -> None:
    script = build_script(ARTICLE)
    assert [u.display for u in script.utterances_from(0, 1)] == [
        "Dr. Vell will skipper.",
        "Tickets",
        "Buy them on the quay.",
    ]


def test_an_article_without_sections_is_one_chapter_with_its_title() -> None:
    script = build_script(Article(title="Only A Title", sections=()))
    assert [(c.title, [u.text for u in c.utterances]) for c in script.chapters] == [("Only A Title", ["Only A Title"])]


@pytest.mark.parametrize(
    ("paragraph", "sentences"),
    [
        ("One. Two! Three?", ["One.", "Two!", "Three?"]),
        ("Dr. Vell came at 9 p.m. and left. Then rain.", ["Dr. Vell came at 9 p.m. and left.", "Then rain."]),
        ("“Go now.” She went.", ["“Go now.”", "She went."]),
        ("J. R. Ick wrote it. Fine.", ["J. R. Ick wrote it.", "Fine."]),
        ("It cost 2.5 million. Yes.", ["It cost 2.5 million.", "Yes."]),
        ("No end", ["No end"]),
    ],
)
def test_split_sentences(paragraph: str, sentences: list[str]) -> None:
    assert split_sentences(paragraph) == sentences


@pytest.mark.parametrize(
    ("language", "paragraph", "sentences"),
    [
        ("de", "Das gilt z. B. Hunde. Dann nicht.", ["Das gilt z. B. Hunde.", "Dann nicht."]),
        ("de", "Am 3. Oktober kam er. Gut.", ["Am 3. Oktober kam er.", "Gut."]),
        ("de", "Es kostet 1 Mrd. Euro. Viel.", ["Es kostet 1 Mrd. Euro.", "Viel."]),
        ("fr", "M. Dupont arrive. Il pleut.", ["M. Dupont arrive.", "Il pleut."]),
        ("es", "La Dra. Ruiz llega. Bien.", ["La Dra. Ruiz llega.", "Bien."]),
        ("es", "Vive en la casa. Bien.", ["Vive en la casa.", "Bien."]),
        ("en", "Ask Dr. Vell. Then rest.", ["Ask Dr. Vell.", "Then rest."]),
    ],
)
def test_split_sentences_knows_each_languages_abbreviations(
    language: str, paragraph: str, sentences: list[str]
) -> None:
    assert split_sentences(paragraph, language) == sentences


def test_an_endless_sentence_is_split_into_speakable_pieces() -> None:
    pieces = split_sentences("word " * 1000)
    assert sum(len(p.split()) for p in pieces) == 1000
    assert max(len(p.split()) for p in pieces) <= MAX_UTTERANCE_WORDS


def test_lexicon_respells_whole_words_ignoring_case_and_supports_regex() -> None:
    lexicon = parse_lexicon("# names\nVell = Vel\n/\\bquay\\b/ = key\nSQL = sequel\n")
    script = build_script(ARTICLE, lexicon=lexicon)
    spoken = " ".join(u.text for u in script.utterances)
    assert "Doctor Vel will skipper." in spoken and "on the key." in spoken
    assert parse_lexicon("sql = sequel").apply("SQL and nosql") == "sequel and nosql"


@pytest.mark.parametrize("bad", ["no equals sign here", " = nothing before", "/[unclosed/ = x"])
def test_bad_lexicon_lines_say_which_line(bad: str) -> None:
    with pytest.raises(LexiconError, match="line 2"):
        parse_lexicon(f"ok = fine\n{bad}", "my.lex")


def test_lexicon_file_default_and_missing(tmp_path: Path, monkeypatch) -> None:
    assert load_lexicon().entries == ()  # no default file: an empty lexicon
    path = tmp_path / "lex.txt"
    path.write_text("Vell = Vel\n", encoding="utf-8")
    assert load_lexicon(path).apply("Vell") == "Vel"
    with pytest.raises(LexiconError, match="does not exist"):
        load_lexicon(tmp_path / "missing.txt")


CODE = 'package main\n\nimport "os"\n\nfunc main() {\n\tf, err := os.Open("notes.txt")\n}'
TECH = Article(
    title="Reading Files In Go",
    sections=(
        Section(
            "Reading Files In Go",
            ("Opening a file takes one call.", CODE, "Check the error every time."),
            1,
            code=frozenset({1}),
        ),
        Section("Closing", ("Close what you open.",), 2),
        Section("References", ("Pike, R. Notes on Go, 2012.",), 2, back_matter=True),
        Section("See also", ("The os package.",), 2, back_matter=True),
    ),
)


def spoken(script) -> list[str]:
    return [u.text for u in script.utterances]


def test_a_code_block_is_one_short_cue_by_default() -> None:
    script = build_script(TECH)
    first = [(u.kind, u.text, u.paragraph) for u in script.chapters[0].utterances]
    assert ("code", "Code example, seven lines.", 1) in first
    assert not any(word in text for text in spoken(script) for word in ("package", "func", "os dot", "notes"))


@pytest.mark.parametrize(
    ("language", "cue"),
    [
        ("fr", "Exemple de code, sept lignes."),
        ("de", "Codebeispiel, sieben Zeilen."),
        ("es", "Ejemplo de código, siete líneas."),
    ],
)
def test_the_code_cue_is_in_the_articles_language(language: str, cue: str) -> None:
    from dataclasses import replace

    assert cue in spoken(build_script(replace(TECH, language=language)))


def test_a_one_line_code_block_says_one_line() -> None:
    article = Article("T", (Section("T", ("print(1)",), 1, code=frozenset({0})),))
    assert spoken(build_script(article))[-1] == "Code example, one line."


def test_code_can_be_read_line_by_line_or_skipped() -> None:
    read = build_script(TECH, options=ScriptOptions(code="read"))
    code = [u for u in read.utterances if u.paragraph == 1 and u.section == 0]
    assert [u.display for u in code] == [
        "package main",
        'import "os"',
        "func main() {",
        'f, err := os.Open("notes.txt")',
        "}",
    ]
    assert all(u.kind == "code" for u in code)
    skipped = build_script(TECH, options=ScriptOptions(code="skip"))
    assert not [u for u in skipped.utterances if u.paragraph == 1 and u.section == 0]


def test_back_matter_is_not_narrated_and_the_end_says_what_was_left_out() -> None:
    script = build_script(TECH)
    assert [c.title for c in script.chapters] == ["Reading Files In Go", "Closing"]
    assert script.skipped == ("References", "See also")
    last = script.chapters[-1].utterances[-1]
    assert (last.kind, last.text) == ("note", "Not read: References, See also.")
    assert last.pause_ms == Pauses().chapter_ms
    assert not any("Pike" in text for text in spoken(script))


def test_the_not_read_line_is_in_the_articles_language() -> None:
    from dataclasses import replace

    assert spoken(build_script(replace(TECH, language="de")))[-1] == "Nicht vorgelesen: References, See also."


def test_back_matter_can_be_read() -> None:
    script = build_script(TECH, options=ScriptOptions(back_matter="read"))
    assert [c.title for c in script.chapters] == ["Reading Files In Go", "Closing", "References", "See also"]
    assert script.skipped == ()
    assert not any(u.kind == "note" for u in script.utterances)


def test_an_article_that_is_all_back_matter_still_says_its_title() -> None:
    article = Article("Sources", (Section("Sources", ("A list.",), 1, back_matter=True),))
    script = build_script(article)
    assert [
        (c.title, spoken_chapter) for c in script.chapters for spoken_chapter in [[u.text for u in c.utterances]]
    ] == [("Sources", ["Sources", "Not read: Sources."])]


def test_a_language_without_tables_gets_no_english_cue_and_never_the_code() -> None:
    from dataclasses import replace

    script = build_script(replace(TECH, language="it"))
    assert [c.title for c in script.chapters] == ["Reading Files In Go", "Closing"]
    assert not any(u.kind in ("code", "note") for u in script.utterances)


def test_script_options_refuse_unknown_values() -> None:
    with pytest.raises(ValueError, match="code"):
        ScriptOptions(code="loud")
    with pytest.raises(ValueError, match="back_matter"):
        ScriptOptions(back_matter="maybe")


FIDELITY = Path(__file__).parent / "fixtures" / "fidelity"
FIXTURES = sorted(p for p in FIDELITY.glob("*.*") if not p.name.endswith(".expected.json"))


@pytest.mark.parametrize("source", FIXTURES, ids=lambda p: p.name)
def test_the_script_of_each_fidelity_fixture_says_the_article_and_nothing_else(source: Path) -> None:
    """The fixtures' narrated phrases are in spoken form: what the voice is really given."""
    import json

    from listen.articles import load_article

    want = json.loads(source.with_name(source.name.split(".")[0] + ".expected.json").read_text(encoding="utf-8"))
    spoken = " ".join(u.text for u in build_script(load_article(source)).utterances)
    assert [p for p in want.get("narrated", []) if p not in spoken] == []
    assert [p for p in want.get("never_narrated", []) if p in spoken] == []


def test_a_technical_post_hears_cues_for_its_code_blocks() -> None:
    from listen.articles import load_article

    script = build_script(load_article(FIDELITY / "md-technical-code.md"))
    cues = [u.text for u in script.utterances if u.kind == "code"]
    assert cues and all(c.startswith("Code example, ") and c.endswith(" lines.") for c in cues)
