"""Back matter and code blocks are marked in the model, where reader and narrator both see them."""

import pytest

from listen.articles.back_matter import is_back_matter
from listen.articles.model import content_dict
from listen.articles.sections import Block, Draft, plan_article


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("References", True),
        ("7. See also", True),
        ("Notes:", True),
        ("IV. Further reading", True),
        ("Einzelnachweise", True),
        ("Véase también", True),
        ("BIBLIOGRAPHICAL NOTE", True),
        ("Notes from the harbour", False),
        ("Linking the two towns", False),
        ("Voices from the market", False),
    ],
)
def test_back_matter_headings_are_named_whole(heading, expected):
    assert is_back_matter(heading) is expected


def test_sections_under_a_back_matter_heading_are_back_matter_until_a_heading_at_its_level():
    draft = Draft(
        "Ferry timetable",
        (
            Block("paragraph", "The boats run again."),
            Block("heading", "Notes", 2),
            Block("paragraph", "A note."),
            Block("heading", "Sources in print", 3),
            Block("paragraph", "A book."),
            Block("heading", "After the season", 2),
            Block("paragraph", "Winter hours."),
        ),
    )
    sections = plan_article(draft, language="en").sections
    assert [(s.heading, s.back_matter) for s in sections] == [
        ("Ferry timetable", False),
        ("Notes", True),
        ("Sources in print", True),
        ("After the season", False),
    ]


def test_code_blocks_are_marked_by_index_and_kept_verbatim():
    code = "for boat in fleet:\n    boat.sail()"
    draft = Draft("Scripting the fleet", (Block("paragraph", "Try this:"), Block("code", code)))
    article = plan_article(draft, language="en")
    (section,) = article.sections
    assert section.paragraphs == ("Try this:", code)
    assert section.is_code(1) and not section.is_code(0)
    assert content_dict(article)["sections"][0]["code"] == [1]
