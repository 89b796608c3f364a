"""The Markdown fidelity fixtures (tests/fixtures/fidelity/md-*.md): what a reader sees and a
listener hears is the article, all of it, and nothing else."""

import json
from pathlib import Path

import pytest

from listen.articles import Article, load_article

FIXTURES = Path(__file__).parent / "fixtures" / "fidelity"
NAMES = sorted(p.stem for p in FIXTURES.glob("md-*.md"))


def expected(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))


def narrated_text(article: Article) -> str:
    """What the voice is given by default: no code, no back matter."""
    parts = [article.title, article.standfirst]
    for section in article.sections:
        if section.back_matter:
            continue
        parts.append(section.heading)
        parts += [p for i, p in enumerate(section.paragraphs) if not section.is_code(i)]
    return "\n".join(parts)


def test_there_are_markdown_fixtures() -> None:
    assert len(NAMES) >= 3


@pytest.mark.parametrize("name", NAMES)
def test_fixture_title_headings_and_body(name: str) -> None:
    article = load_article(FIXTURES / f"{name}.md")
    want = expected(name)
    assert article.title == want["title"]
    headings = [s.heading for s in article.sections if not (s.heading == article.title and s.level == 1)]
    assert headings == want["headings"]
    body = [article.standfirst] if article.standfirst else []
    assert "\n\n".join(body + list(article.paragraphs)) == want["body"]


@pytest.mark.parametrize("name", NAMES)
def test_fixture_narration_has_the_article_and_nothing_else(name: str) -> None:
    spoken = narrated_text(load_article(FIXTURES / f"{name}.md"))
    want = expected(name)
    assert [p for p in want["narrated"] if p not in spoken] == []
    assert [p for p in want["never_narrated"] if p in spoken] == []


@pytest.mark.parametrize("name", NAMES)
def test_front_matter_is_never_in_the_body(name: str) -> None:
    source = (FIXTURES / f"{name}.md").read_text(encoding="utf-8")
    fence = source[:3]
    front = source[3 : source.index(fence, 3)] if fence in ("---", "+++") else ""
    article = load_article(FIXTURES / f"{name}.md")
    text = "\n".join(article.paragraphs)
    for line in front.splitlines():
        key = line.split("=")[0].split(":")[0].strip()
        if key and not key.startswith("["):
            assert f"{key} =" not in text and f"{key}:" not in text, key


def test_hugo_post_with_toml_front_matter_and_raw_html() -> None:
    article = load_article(FIXTURES / "md-hugo-toml-raw-html.md")
    assert article.author == "Imke Dalhaus and Priya Samarasinghe"
    assert article.date == "2025-03-09T08:15:00+01:00"
    assert article.standfirst.startswith("Borrowing a drill instead of buying one")
    shelves = {s.heading: s for s in article.sections}
    assert shelves["Garden"].level == 3  # an <h3> in a raw HTML card
    numbers = shelves["The first year in numbers"].paragraphs
    assert numbers[:2] == ("Measure, April to June, July to March", "Members, 112, 389")
    # rows after a blank line inside the <table> are still rows, not a code block
    assert "Items never returned, 1, 3" in numbers
    assert not any(s.code for s in article.sections)
    questions = shelves["Questions people ask"].paragraphs
    assert questions[0] == "What happens if I break something?"
    assert questions[-1].startswith("Only for the cider press")
    assert all(s.paragraphs or s.heading == "What is on the shelves" for s in article.sections)
    assert article.words > 550  # was 227, most of them TOML, before raw HTML was read


def test_jekyll_post_byline_from_by() -> None:
    article = load_article(FIXTURES / "md-jekyll-yaml-byline.md")
    assert article.author == "Ottilie Branagh"
    assert article.language == "en"
    assert article.standfirst.startswith("I took the new sleeper")
    assert [(s.heading, s.level) for s in article.sections[1:]] == [
        ("Booking", 1),
        ("The night itself", 2),
        ("Would I do it again?", 2),
    ]


def test_technical_post_code_blocks_are_code_verbatim() -> None:
    article = load_article(FIXTURES / "md-technical-code.md")
    sections = {s.heading: s for s in article.sections}
    go = sections["The Go version"]
    assert go.code == frozenset({1})
    assert go.paragraphs[1].startswith("func Load(path string) (*Config, error) {\n\tf, err := os.Open(path)\n")
    assert "\n\n\tvar cfg Config\n" in go.paragraphs[1]
    # inline code stays in the prose
    assert go.paragraphs[0].endswith("Note the defer right after the error check, not before it.")
    python = sections["The Python version"].paragraphs[1]
    assert "dataclass\n\n\n@dataclass(frozen=True)\nclass Config:\n    listen: str" in python  # two blank lines kept
    shell = sections["Checking it from the shell"]
    assert shell.code == frozenset({1, 3})
    assert shell.paragraphs[3] == 'for f in deploy/*.toml; do\n    ./bin/checkconfig "$f" || exit 1\ndone'
    assert sections["What we learned"].code == frozenset()


@pytest.mark.parametrize("name", NAMES)
def test_fixture_round_trips_through_markdown(name: str) -> None:
    from listen.articles import parse_article
    from listen.articles.markdown import to_markdown

    article = load_article(FIXTURES / f"{name}.md")
    assert parse_article(to_markdown(article), "markdown") == article
