import pytest

from listen.articles import parse_article
from listen.articles.sections import Block, plan_sections, split_evenly, title_from_words


def paragraph(n: int, words: int = 60) -> str:
    return " ".join(f"w{n}x{i}" for i in range(words)) + "."


def test_short_headless_article_is_one_section_titled_like_the_article() -> None:
    sections = split_evenly("Title", (paragraph(0), paragraph(1)))
    assert [s.heading for s in sections] == ["Title"]


@pytest.mark.parametrize("paragraphs", [12, 25, 40, 77])
def test_long_headless_article_splits_into_parts_of_300_to_600_words(paragraphs: int) -> None:
    body = tuple(paragraph(i) for i in range(paragraphs))
    sections = split_evenly("Title", body)
    assert len(sections) > 1
    assert sum(len(s.paragraphs) for s in sections) == paragraphs  # nothing lost, nothing repeated
    assert tuple(p for s in sections for p in s.paragraphs) == body
    for section in sections:
        assert 300 <= section.words <= 660, section.words  # a paragraph boundary can overshoot a little


def test_parts_after_the_first_are_titled_from_their_first_words() -> None:
    body = tuple(paragraph(i) for i in range(20))
    sections = split_evenly("Title", body)
    assert sections[0].heading == "Title"
    assert sections[1].heading == title_from_words(sections[1].paragraphs[0])
    assert sections[1].heading.endswith("…")


def test_title_from_words_never_adds_words() -> None:
    assert title_from_words("Rain fell.") == "Rain fell"
    assert title_from_words("One two three four five six seven eight") == "One two three four five six…"


def test_lead_text_before_the_first_heading_is_its_own_section() -> None:
    blocks = [Block("paragraph", "Lead."), Block("heading", "Part", 2), Block("paragraph", "Body.")]
    assert [(s.heading, s.paragraphs) for s in plan_sections("T", blocks)] == [("T", ("Lead.",)), ("Part", ("Body.",))]


def test_a_heading_with_no_text_under_it_is_kept() -> None:
    blocks = [Block("heading", "Part", 2), Block("heading", "Sub", 3), Block("paragraph", "Body.")]
    assert [s.heading for s in plan_sections("T", blocks)] == ["Part", "Sub"]


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_an_article_with_500_headings_loads(fmt: str) -> None:
    if fmt == "markdown":
        source = "# Many\n\n" + "\n\n".join(f"## Part {i}\n\nText of part {i}." for i in range(500))
    else:
        source = "Many\n\n" + "\n\n".join(f"Part {i}\n\nText of part {i}." for i in range(500))
    article = parse_article(source, fmt)
    assert len(article.sections) == 500
    assert article.sections[-1].heading == "Part 499"


def test_html_and_markdown_sections_agree_for_the_same_article() -> None:
    md = "# Same\n\nLead text here.\n\n## First\n\nOne.\n\n## Second\n\nTwo."
    html = (
        "<html><body><article><h1>Same</h1><p>Lead text here.</p><h2>First</h2><p>One.</p>"
        "<h2>Second</h2><p>Two.</p></article></body></html>"
    )
    assert parse_article(md, "markdown").sections == parse_article(html, "html").sections
