"""The article's title from a page: its own heading or declared title, never the site's name."""

import pytest
from lxml import html

from listen.articles.html_title import article_title, strip_site


@pytest.mark.parametrize(
    ("title", "sites", "expected"),
    [
        ("Ferry timetable cut | The Valley Courier", {"the valley courier"}, "Ferry timetable cut"),
        ("Ferry timetable cut · Courier", set(), "Ferry timetable cut"),
        ("Ferry timetable cut - Courier", set(), "Ferry timetable cut"),
        ("Ferry timetable cut — The Valley Courier", {"the valley courier"}, "Ferry timetable cut"),
        ("The Valley Courier | Ferry timetable cut", {"the valley courier"}, "Ferry timetable cut"),
        (
            "Reforma del muelle de la InfantaUltima Hora Mallorca",
            {"ultima hora mallorca"},
            "Reforma del muelle de la Infanta",
        ),
        ("Lake Orrin - Wikipedia", set(), "Lake Orrin"),
        ("Why the bridge - not the tunnel - won", set(), "Why the bridge - not the tunnel - won"),
        ("Daring Fireball: Colophon", set(), "Daring Fireball: Colophon"),
        ("Night buses return to the Metro", {"metro"}, "Night buses return to the Metro"),
        ("Tinkering with clocks", {"tinkering"}, "Tinkering with clocks"),
        ("Tinkering: Building a sundial", {"tinkering"}, "Building a sundial"),
        # parts joined by "_" (usual on Chinese sites): none left dangling when the site comes off
        ("河口的渡船停运_本地频道_江城网", {"江城网"}, "河口的渡船停运_本地频道"),
    ],
)
def test_site_names_are_stripped_from_titles(title: str, sites: set[str], expected: str) -> None:
    assert strip_site(title, sites) == expected


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        # The h1 the declared title agrees with, not the logo's alt text.
        (
            '<title>Night buses return | Metro Daily</title><meta property="og:site_name" content="Metro Daily">',
            '<header><h1 class="logo"><a href="/"><img alt="Metro Daily" src="l.png"></a></h1></header><h1>Night buses return</h1>',
            "Night buses return",
        ),
        # The site part longer than the article's: the h1 says which part is the article's,
        # and so does the site name the page declares when there is no h1.
        (
            "<title>Orrin - The Free Atlas of Lakes</title>",
            "<h1>Orrin</h1><p>A lake in the hills.</p>",
            "Orrin",
        ),
        (
            '<title>Orrin - The Free Atlas of Lakes</title><meta name="application-name" content="The Free Atlas of Lakes">',
            "<p>A lake in the hills.</p>",
            "Orrin",
        ),
        # A blog's name in the h1, the post's title further down: the post's.
        (
            "<title>Tinkering: Building a sundial from scrap</title>",
            "<h1>Tinkering</h1><h3 class='post-title'>Building a sundial from scrap</h3>",
            "Building a sundial from scrap",
        ),
        # Only a glued <title>: the site name the page declares comes off.
        (
            '<title>Plan de aguas aprobadoDiario Norte</title><meta property="og:site_name" content="Diario Norte">',
            '<h1><img alt="Diario Norte" src="logo.svg"></h1><p>Texto.</p>',
            "Plan de aguas aprobado",
        ),
        # og:title is the article's own declaration when no heading agrees.
        (
            '<title>Home</title><meta property="og:title" content="Harvest festival moves indoors">',
            "<div>Nothing like a heading.</div>",
            "Harvest festival moves indoors",
        ),
        # Dublin Core and Parse.ly name the document: they come before the share card's title.
        (
            (
                '<title>Home</title><meta property="og:title" content="Share this!">'
                '<meta property="dc:title" content="Tide tables for the estuary">'
            ),
            "<p>Text.</p>",
            "Tide tables for the estuary",
        ),
        (
            '<title>Home</title><meta name="parsely-title" content="Tide tables for the estuary">',
            "<p>Text.</p>",
            "Tide tables for the estuary",
        ),
        # One <meta> may state several names at once.
        (
            '<title>Home</title><meta property="x:title og:title" content="Tide tables for the estuary">',
            "<p>Text.</p>",
            "Tide tables for the estuary",
        ),
        # A permalink mark is not part of a heading.
        (
            "<title>Evolve: Shared History — evolve docs</title>",
            "<h1>Evolve: Shared History<a class='headerlink'>¶</a></h1>",
            "Evolve: Shared History",
        ),
    ],
)
def test_the_title_is_the_articles_not_the_sites(head: str, body: str, expected: str) -> None:
    tree = html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>")
    assert article_title(tree) == expected
