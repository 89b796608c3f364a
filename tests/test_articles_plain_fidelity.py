"""Plain-text fidelity: real-world-shaped documents (written here) read as a careful editor reads them.

Each tests/fixtures/fidelity/plain-*.txt has a NAME.expected.json: the title, the headings after
the title, the body (standfirst first, then every paragraph), phrases the narration must hold
and phrases it must not.
"""

import json
import re
from pathlib import Path

import pytest

from listen.articles import Article, load_article, parse_article
from listen.articles.gutenberg import unwrap_etext
from listen.articles.sections import title_from_words

FIXTURES = Path(__file__).parent / "fixtures" / "fidelity"
PLAIN = sorted(FIXTURES.glob("plain-*.txt"))


def expected(path: Path) -> dict:
    return json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))


def headings_of(article: Article) -> list[str]:
    """The section headings after the title; parts an unheaded article was split into are not headings."""
    sections = list(article.sections)
    if sections and sections[0].heading == article.title:
        sections = sections[1:]
    return [s.heading for s in sections if not (s.paragraphs and s.heading == title_from_words(s.paragraphs[0]))]


def narrated_text(article: Article) -> str:
    """What narration reads: the title, standfirst and every section but back matter."""
    parts = [article.title, article.standfirst]
    for section in article.sections:
        if not section.back_matter:
            parts += [section.heading, *section.paragraphs]
    return "\n".join(parts)


def all_text(article: Article) -> str:
    parts = [article.title, article.standfirst, article.author, article.date]
    return "\n".join(parts + [t for s in article.sections for t in (s.heading, *s.paragraphs)])


@pytest.mark.parametrize("path", PLAIN, ids=[p.stem for p in PLAIN])
def test_fixture_title_headings_and_body_are_the_articles(path: Path) -> None:
    article, want = load_article(path), expected(path)
    assert article.title == want["title"]
    assert headings_of(article) == want["headings"]
    assert "\n\n".join(filter(None, (article.standfirst, *article.paragraphs))) == want["body"]


@pytest.mark.parametrize("path", PLAIN, ids=[p.stem for p in PLAIN])
def test_fixture_narration_never_holds_what_is_not_the_article(path: Path) -> None:
    """Checked as written, before numbers become words (the spoken form is checked, with the
    `narrated` phrases, for every fixture in tests/test_speech_script.py)."""
    article, want = load_article(path), expected(path)
    spoken = narrated_text(article)
    for phrase in want["never_narrated"]:
        assert phrase not in spoken, phrase


def test_gutenberg_header_and_licence_are_nowhere_in_the_article() -> None:
    article = load_article(FIXTURES / "plain-gutenberg-book.txt")
    text = all_text(article)
    for phrase in (
        "Gutenberg",
        "LICENSE",
        "licence",
        "eBook #",
        "Produced by",
        "Transcriber",
        "Credits:",
        "www.gutenberg.org",
        "Foundation",
        "Illustrator",
        "PAGE",
    ):
        assert phrase not in text, phrase
    assert article.author == "Margaret Ellsworth Hale"
    assert article.language == "en"


def test_gutenberg_title_page_and_contents_are_not_chapters() -> None:
    article = load_article(FIXTURES / "plain-gutenberg-book.txt")
    assert article.sections[0].heading == "INTRODUCTION"
    assert len(article.sections) == 7
    assert [s.back_matter for s in article.sections] == [False] * 6 + [True]  # FOOTNOTES


GUTENBERG_HEADERS = [
    pytest.param(
        "The Project Gutenberg EBook of Salt Roads, by Ann Vell\n\nsmall print here\n\n"
        "*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*\n\nSALT ROADS\n\nThe text of it.\n\n"
        "End of the Project Gutenberg EBook of Salt Roads, by Ann Vell\n\nmore licence",
        {"title": "Salt Roads", "author": "Ann Vell"},
        "SALT ROADS\n\nThe text of it.",
        id="old-small-print",
    ),
    pytest.param(
        "Title: Salt Roads\nAuthor: Ann Vell\nRelease Date: May 1, 2001\nLanguage: French\n\n"
        "***START OF THIS PROJECT GUTENBERG EBOOK SALT ROADS***\n\nThe text of it.\n\n"
        "***END OF THIS PROJECT GUTENBERG EBOOK SALT ROADS***\n\nlicence text",
        {"title": "Salt Roads", "author": "Ann Vell", "language": "fr"},
        "The text of it.",
        id="this-ebook",
    ),
    pytest.param(
        "Title: The History of the Harbour and\n       the Men Who Built It\nAuthor: Ann Vell\n\n"
        "*** START OF THE PROJECT GUTENBERG EBOOK 12345 ***\n\nProduced by Someone\n\nThe text of it.\n\n"
        "Transcriber's Notes:\n\nA note about the e-text that is not the book.\n\n"
        "*** END OF THE PROJECT GUTENBERG EBOOK 12345 ***",
        {"title": "The History of the Harbour and the Men Who Built It", "author": "Ann Vell"},
        "The text of it.",
        id="wrapped-title-credits-closing-note",
    ),
]


@pytest.mark.parametrize(("text", "meta", "body"), GUTENBERG_HEADERS)
def test_etext_markers_cut_the_book_out_of_its_wrapper(text: str, meta: dict, body: str) -> None:
    etext = unwrap_etext(text)
    assert etext is not None
    assert etext.meta == meta
    assert etext.body == body


def test_text_without_markers_is_not_an_etext() -> None:
    assert unwrap_etext("A story about the Project Gutenberg volunteers.\n\nIt mentions START OF THE day.") is None


def _long_line_article(sentences: int = 2600) -> str:
    """An article saved as one line of some 200,000 characters: sentences of varied length."""
    words = "harbour ferry council tide lamp keeper winter market bread clock storm road".split()
    out = []
    for n in range(sentences):
        size = 6 + (n * 7) % 17
        sentence = " ".join(words[(n + k) % len(words)] for k in range(size))
        end = "?" if n % 23 == 0 else "."
        out.append(sentence.capitalize() + ("" if n % 31 else ", said Dr. Vell") + end)
    return " ".join(out)


def test_a_200000_character_line_becomes_paragraphs_split_at_sentence_ends() -> None:
    line = _long_line_article()
    assert len(line) >= 200_000 and "\n" not in line
    article = parse_article("Harbour Notes\n\n" + line, "text")
    paragraphs = article.paragraphs
    assert " ".join(paragraphs).split() == line.split()  # nothing lost, no word cut
    sizes = [len(p.split()) for p in paragraphs]
    assert max(sizes) <= 250
    assert all(size >= 100 for size in sizes[:-1])
    assert all(re.search(r"[.?]$", p) for p in paragraphs)  # every part ends at a sentence end
    assert not any(p.endswith("Dr.") for p in paragraphs)  # not after an abbreviation
    assert len(article.sections) > 10  # chapters a listener can skip between


def test_a_long_line_with_no_sentence_ends_is_split_between_words() -> None:
    article = parse_article("Title\n\n" + "word " * 40_000, "text")
    assert all(p.split() == ["word"] * len(p.split()) for p in article.paragraphs)
    assert max(len(p.split()) for p in article.paragraphs) <= 250
    assert sum(len(p.split()) for p in article.paragraphs) == 40_000


def test_a_normal_long_paragraph_is_left_whole() -> None:
    paragraph = " ".join(["A sentence of about ten words that goes on and on."] * 30)
    assert parse_article(f"Title\n\n{paragraph}", "text").paragraphs == (paragraph,)
