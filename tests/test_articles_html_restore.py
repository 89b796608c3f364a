"""Headings the extractor wrote as plain lines get their rank back from the page."""

import pytest
from lxml import html as lxml_html

from listen.articles.html_restore import restore_demoted_headings
from listen.articles.sections import Block

_TEXT = "The depot is a carpet warehouse now, but the arched doors are plain to see from the lane."


def H(text: str, level: int = 2) -> Block:
    return Block("heading", text, level)


def P(text: str) -> Block:
    return Block("paragraph", text)


@pytest.mark.parametrize(
    ("markup", "page", "kept", "restored"),
    [
        # an <h2> over an image, kept as a line: a heading again, at its own level
        (
            "<h3>The depot</h3>",
            [H("The depot", 3), P(_TEXT)],
            [P("The depot"), P(_TEXT)],
            [H("The depot", 3), P(_TEXT)],
        ),
        # the same words also stand as a paragraph on the page: which copy was kept is unknown
        (
            "<h2>The depot</h2>",
            [H("The depot"), P(_TEXT), P("The depot")],
            [P("The depot"), P(_TEXT)],
            [P("The depot"), P(_TEXT)],
        ),
        # the title is never made a section
        ("<h1>Tram line</h1>", [H("Tram line", 1), P(_TEXT)], [P("Tram line"), P(_TEXT)], [P("Tram line"), P(_TEXT)]),
        # a list item with a heading's words stays an item
        ("<h2>The depot</h2>", [H("The depot"), P(_TEXT)], [P("- The depot")], [P("- The depot")]),
        # a bold line the page reads as a sub-heading is not marked as a heading by the page
        (
            "<p><b>The depot</b></p>",
            [H("The depot", 3), P(_TEXT)],
            [P("The depot"), P(_TEXT)],
            [P("The depot"), P(_TEXT)],
        ),
    ],
)
def test_a_heading_the_extractor_wrote_as_a_line_is_a_heading_again(
    markup: str, page: list[Block], kept: list[Block], restored: list[Block]
) -> None:
    tree = lxml_html.document_fromstring(f"<html><body>{markup}<p>{_TEXT}</p></body></html>")
    assert restore_demoted_headings(kept, page, tree, "Tram line") == restored
