import pytest

from listen.articles import parse_article
from listen.articles.markdown import to_markdown

MARKDOWN = """---
title: Ferry Season Opens
author: [Rosa Vell, Tom Ick]
date: 2026-10-14
language: en-GB
---

*The harbour ferry runs again from May.*

The first crossing leaves at 7 a.m. See [the timetable](https://example.org/t) for more.

## Tickets

Prices for the season:

- adults pay **£3**
- children ride free

### Passes

1. buy online
2. show the code

Fares
-----

`Cash` is still accepted.

![a ferry](ferry.png)
"""


def test_markdown_front_matter_fills_title_and_metadata() -> None:
    article = parse_article(MARKDOWN, "markdown")
    assert article.title == "Ferry Season Opens"
    assert article.author == "Rosa Vell and Tom Ick"
    assert article.date == "2026-10-14"
    assert article.language == "en"
    assert article.standfirst == "The harbour ferry runs again from May."


def test_markdown_headings_lists_and_links() -> None:
    article = parse_article(MARKDOWN, "markdown")
    assert [(s.heading, s.level) for s in article.sections] == [
        ("Ferry Season Opens", 1),
        ("Tickets", 2),
        ("Passes", 3),
        ("Fares", 2),
    ]
    assert article.sections[0].paragraphs == ("The first crossing leaves at 7 a.m. See the timetable for more.",)
    assert article.sections[1].paragraphs == ("Prices for the season:", "- adults pay £3", "- children ride free")
    assert article.sections[2].paragraphs == ("1. buy online", "2. show the code")
    assert article.sections[3].paragraphs == ("Cash is still accepted.",)


def test_first_h1_is_the_title_without_front_matter() -> None:
    article = parse_article("# Big Title\n\nBody.\n\n## Part\n\nMore.", "markdown")
    assert article.title == "Big Title"
    assert [s.heading for s in article.sections] == ["Big Title", "Part"]


def test_markdown_that_starts_with_a_section_heading_has_no_empty_lead() -> None:
    article = parse_article("# T\n\n## One\n\nA.\n\n## Two\n\nB.", "markdown")
    assert [s.heading for s in article.sections] == ["One", "Two"]


def test_malformed_front_matter_is_read_as_text() -> None:
    article = parse_article("---\ntitle: [unclosed\n---\n\n# Heading\n\nBody.", "markdown")
    assert "Body." in article.paragraphs


@pytest.mark.parametrize(
    "source",
    [
        MARKDOWN,
        "# A *tricky* title with #hash and [brackets]\n\nText with * stars _ and `ticks` and <tags>.\n\n"
        "1986\\. was a year.\n\n## 2. Second\n\n- item\n- item two",
        "Plain first line\n\nsecond paragraph",
    ],
)
def test_markdown_output_round_trips(source: str) -> None:
    article = parse_article(source, "markdown")
    again = parse_article(to_markdown(article), "markdown")
    assert again == article


def full_inline_blocks(body: str) -> list[tuple[str, str, bool]]:
    """Every paragraph through markdown-it's own inline pass: the oracle for the fast path."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(body)
    out = []
    for index, token in enumerate(tokens):
        if token.type == "inline" and tokens[index - 1].type in ("paragraph_open", "heading_open"):
            parts = [
                c.content if c.type in ("text", "code_inline") else " "
                for c in token.children or []
                if c.type in ("text", "code_inline", "softbreak", "hardbreak")
            ]
            children = [c for c in token.children or [] if not (c.type == "text" and not c.content.strip())]
            italic = len(children) >= 3 and children[0].type == "em_open" and children[-1].type == "em_close"
            text = " ".join("".join(parts).split())
            if text:
                out.append((tokens[index - 1].type, text, italic and tokens[index - 1].type == "paragraph_open"))
    return out


def test_paragraphs_without_markup_skip_the_inline_pass_and_read_the_same() -> None:
    import random

    from listen.articles.markdown import markdown_blocks

    pieces = [
        "plain words", "two\nlines", "trailing  \nbreak", "*emphasis*", "_under_", "**strong**", "`code`",
        r"\*escaped\*", "[a link](http://example.org)", "[ref link][r]", "![an image](x.png)", "<http://auto.link>",
        "&amp; &copy;", "a & b", "1 < 2", "wow!", "[brackets]", "x_y_z", "<b>html</b>",
    ]
    rng = random.Random(3)
    paragraphs = [" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 4))) for _ in range(400)]
    paragraphs[::37] = ["*" + p.replace("*", "") + "*" for p in paragraphs[::37]]
    body = "# Title\n\n" + "\n\n".join(paragraphs) + "\n\n[r]: http://example.org/ref\n"
    blocks, italic = markdown_blocks(body)
    kinds = {"heading": "heading_open", "paragraph": "paragraph_open"}
    fast = [(kinds[b.kind], b.text, i) for b, i in zip(blocks, italic)]
    assert fast == full_inline_blocks(body)


def test_headings_and_paragraphs_skip_the_block_parser_and_read_the_same(monkeypatch) -> None:
    """Random texts of headings and paragraphs (and, now and then, one line that starts
    something else) give the same blocks with and without markdown_simple's shortcut."""
    import random

    from listen.articles import markdown
    from listen.articles.markdown_simple import simple_blocks

    prose = [
        "Plain words here.", "two\nlines", "  indented by two", "trailing  \nbreak", "*whole emphasis*",
        "some _under_ and **strong**", "a [link](http://example.org) too", "&amp; entity", r"\# escaped hash",
        "wow! 1984 was a year", "x_y_z", "tabs\tinside", "1984 is a number", "#hashtag at the start",
    ]
    headings = ["# Title", "## Part 2", "### Closing ###", "#### Hash# inside", "#", "  ## Indented heading"]
    others = [
        "- a list item", "1. first", "> a quote", "    indented code", "```\ncode\n```", "<div>html</div>",
        "Setext\n===", "Setext\n---", "[ref]: http://example.org", "a | b\n--- | ---", "***", "+ plus item",
        "para\n# heading inside",
    ]
    rng = random.Random(11)
    taken = 0
    for round_ in range(400):
        pool = prose + headings + (others if round_ % 3 == 0 else [])
        blocks = [rng.choice(pool) for _ in range(rng.randint(1, 12))]
        body = rng.choice(["\n\n", "\n \n", "\n\n\n"]).join(blocks)
        fast = markdown.markdown_blocks(body)
        with monkeypatch.context() as patched:
            patched.setattr(markdown, "simple_blocks", lambda text: None)
            slow = markdown.markdown_blocks(body)
        assert fast == slow, repr(body)
        taken += simple_blocks(body) is not None
    assert 150 < taken < 400, f"the shortcut was taken {taken} times of 400: the test proves less"
