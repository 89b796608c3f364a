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
        # two back-matter names joined are back matter; a name joined to anything else is not
        ("Sources & links", True),
        ("Notes/References", True),
        ("Quellen und Literatur", True),
        ("Notes and queries", False),
        ("Sources and methods", False),
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


def plan(*blocks: Block) -> list[tuple[str, bool]]:
    sections = plan_article(Draft("A country", (Block("paragraph", "Opening."), *blocks)), language="en").sections
    return [(s.heading, s.back_matter) for s in sections[1:]]


def test_a_topical_name_is_back_matter_only_in_the_closing_run():
    # "Literature" under Culture is the country's literature; at the end it is the reading list.
    assert plan(
        Block("heading", "Culture", 2),
        Block("heading", "Literature", 3),
        Block("paragraph", "Poets of the coast."),
        Block("heading", "Music", 3),
        Block("paragraph", "Fiddles."),
        Block("heading", "Literature", 2),
        Block("paragraph", "A book about the coast."),
        Block("heading", "References", 2),
        Block("paragraph", "A citation."),
    ) == [("Culture", False), ("Literature", False), ("Music", False), ("Literature", True), ("References", True)]


def test_a_topical_back_matter_heading_and_its_subsections_are_read_when_the_article_goes_on():
    assert plan(
        Block("heading", "Sources", 2),
        Block("paragraph", "The river rises in the hills."),
        Block("heading", "Springs", 3),
        Block("paragraph", "Three springs feed it."),
        Block("heading", "Course", 2),
        Block("paragraph", "It runs west."),
    ) == [("Sources", False), ("Springs", False), ("Course", False)]


def test_a_sure_back_matter_name_stays_back_matter_between_chapters():
    # An annotated book's notes after each chapter: never the book's subject.
    assert plan(
        Block("heading", "Chapter One", 2),
        Block("paragraph", "The storm."),
        Block("heading", "Notes", 2),
        Block("paragraph", "1. A gale, in the old sense."),
        Block("heading", "Chapter Two", 2),
        Block("paragraph", "The calm."),
    ) == [("Chapter One", False), ("Notes", True), ("Chapter Two", False)]


@pytest.mark.parametrize(
    ("heading", "topical"),
    [("Sources & links", True), ("Quellen und Literatur", True), ("Notes/References", False), ("See also", False)],
)
def test_a_joined_name_is_topical_only_when_every_part_is(heading, topical):
    from listen.articles.back_matter import only_at_the_end

    assert is_back_matter(heading) and only_at_the_end(heading) is topical
