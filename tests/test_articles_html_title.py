"""The article's title from a page: its own heading or declared title, never the site's name."""

import pytest
from lxml import html

from listen.articles.html_title import article_title, heading_readings, site_names, strip_site


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
        # the full-width bar of Japanese and Chinese titles, spaced or not, declared or not
        ("渡し船が運休｜港町新聞", {"港町新聞"}, "渡し船が運休"),
        ("渡し船、来月で運休へ｜港町新聞デジタル", set(), "渡し船、来月で運休へ"),
        ("渡し船、来月で運休へ ｜ 港町新聞", set(), "渡し船、来月で運休へ"),
        # a short last part in a script without capitals is a name too; a long one is not
        ("معارضون يسيطرون على مخازن - الجريدة", set(), "معارضون يسيطرون على مخازن"),
        (
            "港の再整備 - 住民の意見を聞く会が来月から各地区で始まる予定",
            set(),
            "港の再整備 - 住民の意見を聞く会が来月から各地区で始まる予定",
        ),
        # a site name on both ends, or glued on and then repeated after a bar
        ("Harbour Notes | Fog on the estuary | Harbour Notes", {"harbour notes"}, "Fog on the estuary"),
        ("Truck wash opensDas Branchenbuch | Das Branchenbuch", {"das branchenbuch"}, "Truck wash opens"),
        # character references a CMS escaped twice are read
        ("Don&#8217;t close the pier &amp; the slip | Courier", {"courier"}, "Don’t close the pier & the slip"),
        ("Fish &amp; chips", set(), "Fish & chips"),
        # a site part longer than the article's, after "»" or "::"
        ("The Lower Wessex Evening Courier » Fog", {"the lower wessex evening courier"}, "Fog"),
        ("Fog on the estuary :: Harbour Notes", set(), "Fog on the estuary"),
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
        # The site's name in a theme's site-title heading that links home, longer than the
        # post's title under it: the post's, though both agree with the <title>.
        (
            "<title>Fog &#8211; Notes from the Lower Skell Walking Club</title>",
            (
                "<header><h1 class='site-title'><a href='https://skell.example/' rel='home'>"
                "Notes from the Lower Skell Walking Club</a></h1></header><h2 class='entry-title'>Fog</h2>"
            ),
            "Fog",
        ),
        # The same name as a heading that is wholly a link to "/", no class, no declaration.
        (
            "<title>Cierran el muelle — Diario de la Costa Norte</title>",
            "<h1><a href='/'>Diario de la Costa Norte</a></h1><h2>Cierran el muelle</h2>",
            "Cierran el muelle",
        ),
        # A kicker set inside the h1 is not part of the title the <title> agrees with.
        (
            "<title>The ferryman’s last crossing | Harbour Notes</title>",
            "<h1><span class='kicker'><a href='/features'>Features</a></span> The ferryman’s last crossing</h1>",
            "The ferryman’s last crossing",
        ),
        (
            "<title>Luftfahrt hebt wieder ab | Hafenblatt</title>",
            "<h1><strong>Nach der Krise</strong>: Luftfahrt hebt wieder ab</h1>",
            "Luftfahrt hebt wieder ab",
        ),
        # A <title> that is only the site's name: a short h1 over it, unless the h1 is a
        # section's name the page links to.
        (
            '<title>The Courier</title><meta property="og:site_name" content="The Courier">',
            "<h1>Tide tables</h1><p>Text.</p>",
            "Tide tables",
        ),
        (
            '<title>The Courier</title><meta property="og:site_name" content="The Courier">',
            "<nav><a href='/features'>Features</a></nav><h1>Features</h1><p>Text.</p>",
            "The Courier",
        ),
        # A twice-escaped share title, read.
        (
            "<title>Home</title><meta property='og:title' content='Don&amp;#8217;t close the pier'>",
            "<p>Text.</p>",
            "Don’t close the pier",
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


@pytest.mark.parametrize(
    ("heading", "readings"),
    [
        ("<h1>Fog on the estuary</h1>", ("Fog on the estuary",)),
        ("<h1><span>Features</span> Fog on the estuary</h1>", ("Features Fog on the estuary", "Fog on the estuary")),
        ("<h1><em>Mehr zu:</em> Luftfahrt hebt ab</h1>", ("Mehr zu: Luftfahrt hebt ab", "Luftfahrt hebt ab")),
        # words before the first element: not a kicker set apart
        ("<h1>Fog <em>on</em> the estuary</h1>", ("Fog on the estuary",)),
        # a leading element as long as the rest is not a kicker
        ("<h1><span>Fog on the</span> estuary</h1>", ("Fog on the estuary",)),
        ("<h1><a href='/p/1'>Fog on the estuary</a></h1>", ("Fog on the estuary",)),
        ("<h1> </h1>", ()),
    ],
)
def test_a_heading_is_also_read_without_a_kicker_set_apart_in_it(heading: str, readings: tuple[str, ...]) -> None:
    assert heading_readings(html.fragment_fromstring(heading)) == readings


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ("<a href='/' rel='home'>Skell Walkers</a>", {"skell walkers"}),
        ("<p class='site-title'><a href='/'>Skell Walkers</a></p>", {"skell walkers"}),
        ("<div id='blog-name'>Skell Walkers</div>", {"skell walkers"}),
        ("<h2><a href='https://skell.example/'>Skell Walkers</a></h2>", {"skell walkers"}),
        # a heading linking to a page of the site, or to an anchor, names no site
        ("<h2><a href='/2026/10/fog/'>Fog on the Skell</a></h2>", set()),
        ("<h2><a href='#top'>Fog on the Skell</a></h2>", set()),
        ("<h2><a href='https://skell.example/?p=412'>Fog on the Skell</a></h2>", set()),
        ("<h2><a href=''>Fog on the Skell</a></h2>", set()),
        # a heading with more in it than its link
        ("<h2><a href='/'>Skell Walkers</a> on fog</h2>", set()),
        # a headline as the alt text of a picture in a "…logo…" box is no name
        (
            "<div class='has-logo-overlay'><img alt='Vegan char kway teow with flat rice noodles and greens'></div>",
            set(),
        ),
        # a whole paragraph in a site-title box is no name
        ("<div class='site-name'>" + "word " * 12 + "</div>", set()),
    ],
)
def test_the_sites_name_is_read_from_how_the_page_shows_it(body: str, names: set[str]) -> None:
    tree = html.document_fromstring(f"<html><head><title>t</title></head><body>{body}</body></html>")
    assert site_names(tree) == names
