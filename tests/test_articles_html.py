import pytest

from listen.articles import parse_article
from listen.articles.html import tidy_blocks
from listen.articles.sections import Block

PAGE = """<!doctype html>
<html lang="es-ES"><head><meta charset="utf-8"><title>Gazette | Plaza reopens</title>
<meta name="author" content="Lucía Marco"></head>
<body>
<nav><ul><li><a href="/">Portada</a></li><li><a href="/local">Local</a></li><li><a href="/deportes">Deportes</a></li></ul></nav>
<div class="cookies">Usamos cookies para mejorar tu experiencia. Aceptar</div>
<article>
<h1>La plaza vuelve a abrir</h1>
<p>La plaza del barrio abrió de nuevo el sábado tras ocho meses de obras, con bancos nuevos y más sombra para las tardes de verano.</p>
<h2>Los vecinos</h2>
<p>Los vecinos llegaron temprano con sillas plegables y termos de café para ver la inauguración desde primera fila.</p>
<h2>Lo que viene</h2>
<p>El ayuntamiento prometió una fuente para el próximo año y un mercado de productores los domingos por la mañana.</p>
</article>
<footer><p>© 2026 Gazette. Todos los derechos reservados.</p><p>Suscríbete a nuestro boletín.</p></footer>
</body></html>"""


def test_html_keeps_the_article_and_its_headings_only() -> None:
    article = parse_article(PAGE, "html")
    assert article.title == "La plaza vuelve a abrir"
    assert [s.heading for s in article.sections] == ["La plaza vuelve a abrir", "Los vecinos", "Lo que viene"]
    text = " ".join(article.paragraphs)
    for outside in ("Portada", "Deportes", "cookies", "derechos reservados", "boletín"):
        assert outside not in text


def test_html_language_and_author_come_from_the_page() -> None:
    article = parse_article(PAGE, "html")
    assert article.language == "es"
    assert article.author == "Lucía Marco"


@pytest.mark.parametrize("byline", ["Lucía Marco ·", "Lucía Marco |", "— Lucía Marco", "Lucía Marco,"])
def test_a_bylines_separator_is_not_part_of_the_authors_name(byline: str) -> None:
    article = parse_article(PAGE.replace('content="Lucía Marco"', f'content="{byline}"'), "html")
    assert article.author == "Lucía Marco"


def test_html_date_is_never_guessed_from_a_copyright_line() -> None:
    assert parse_article(PAGE, "html").date == ""


H = lambda text, level=2: Block("heading", text, level)  # noqa: E731
P = lambda text: Block("paragraph", text)  # noqa: E731
LONG = "The council met on Tuesday and agreed the budget for the coming year after a long debate."


@pytest.mark.parametrize(
    ("blocks", "expected"),
    [
        # citation markers and edit links
        (
            [H("History[edit]"), P("Built in 1887.[17][a] Rebuilt later.[citation needed]")],
            [H("History"), P("Built in 1887. Rebuilt later.")],
        ),
        ([H("Geschichte [Bearbeiten]"), P(LONG)], [H("Geschichte"), P(LONG)]),
        # the title's own heading and the kicker and byline above it
        ([P("Features"), H("Night ferry", 1), P("By Ann Lee | 4 May"), P(LONG)], [P(LONG)]),
        # a broken sentence around a formula is not a label
        ([P("When"), P(", there are two roots."), P(LONG)], [P("When"), P(", there are two roots."), P(LONG)]),
        # a Contents heading and its list
        ([H("Contents"), P("1 History"), P("2 Ecology"), H("History"), P(LONG)], [H("History"), P(LONG)]),
        # a pull quote set as a heading repeats the text: dropped; a real quotation stays
        (
            [P("“We will not move,” says Ann."), P(f"“We will not move,” she said. {LONG}"), P("“Keep going.”")],
            [P(f"“We will not move,” she said. {LONG}"), P("“Keep going.”")],
        ),
    ],
)
def test_extracted_blocks_are_tidied(blocks: list[Block], expected: list[Block]) -> None:
    assert tidy_blocks(blocks, "Night ferry")[1] == expected


@pytest.mark.parametrize(
    ("title", "blocks", "expected"),
    [
        # the title's heading with a kicker set inside it goes like the title's own
        ("The ferryman's last crossing", [H("Features The ferryman’s last crossing", 1), P(LONG)], [P(LONG)]),
        ("The ferryman's last crossing", [H("Long read: The ferryman's last crossing", 1), P(LONG)], [P(LONG)]),
        # a section that ends in a short title's words stays
        ("Mozilla", [H("History of Mozilla"), P(LONG)], [H("History of Mozilla"), P(LONG)]),
        # more words before the title than a kicker has: a heading of its own
        (
            "The ferryman's last crossing",
            [H("What we learned from the ferryman's last crossing"), P(LONG)],
            [H("What we learned from the ferryman's last crossing"), P(LONG)],
        ),
    ],
)
def test_the_titles_heading_goes_with_a_kicker_inside_it(
    title: str, blocks: list[Block], expected: list[Block]
) -> None:
    assert tidy_blocks(blocks, title)[1] == expected


def test_a_subtitle_the_page_marks_is_the_standfirst_not_a_chapter() -> None:
    dek = "Low water means the crossing runs only at high tide until the rains return"
    standfirst, blocks = tidy_blocks([H("Night ferry", 1), H(dek, 3), P(LONG)], "Night ferry", dek)
    assert standfirst == dek and blocks == [P(LONG)]
    standfirst, blocks = tidy_blocks([P(LONG)], "Night ferry", dek)
    assert standfirst == dek  # the extractor left it out; the page marks it as the article's


_LONG = "The ferry timetable changes on the first of the month and nobody has told the drivers."
_OTHER = "A second paragraph long enough to count, about the market stalls by the harbour wall."


@pytest.mark.parametrize(
    ("kept", "page", "restored"),
    [
        # the extractor kept the text and lost its heading: the heading comes back, at its level
        ([P(_LONG)], [H("Timetable", 3), P(_LONG)], [H("Timetable", 3), P(_LONG)]),
        # a heading it kept is not doubled, nor one it kept as a paragraph
        ([H("Timetable"), P(_LONG)], [H("Timetable"), P(_LONG)], [H("Timetable"), P(_LONG)]),
        ([P("Timetable"), P(_LONG)], [H("Timetable"), P(_LONG)], [P("Timetable"), P(_LONG)]),
        # a short line, or one the page repeats, never brings back the heading above it
        ([P("Read more")], [H("Related"), P("Read more")], [P("Read more")]),
        ([P(_LONG)], [H("Box"), P(_LONG), H("Box again"), P(_LONG)], [P(_LONG)]),
        # text the extractor left out keeps its heading out too
        ([P(_OTHER)], [H("Timetable"), P(_LONG), P(_OTHER)], [P(_OTHER)]),
        # the title, the page's declared description and an image's file name are not sections
        ([P(_LONG)], [H("Ferry news"), P(_LONG)], [P(_LONG)]),
        ([P(_LONG)], [H("Drivers were not told"), P(_LONG)], [P(_LONG)]),
        ([P(_LONG)], [H("harbour-2026.jpg"), P(_LONG)], [P(_LONG)]),
    ],
)
def test_headings_the_extractor_dropped_come_back_above_their_text(
    kept: list[Block], page: list[Block], restored: list[Block]
) -> None:
    from listen.articles.html import restore_headings

    assert restore_headings(kept, page, "Ferry news", frozenset({"drivers were not told"})) == restored


def test_an_article_laid_out_in_a_gallery_named_container_keeps_its_paragraphs() -> None:
    """Sites name layouts "gallery" too: only a gallery made of captions is chrome."""
    words = "The stalls open at six and the fishmongers are packed up again before the town wakes."
    page = (
        "<html><head><title>Market mornings</title></head><body><main><article><h1>Market mornings</h1>"
        + "".join(f"<div class='gallery--paragraph-section'><p>{n}. {words}</p></div>" for n in range(1, 5))
        + "</article></main></body></html>"
    )
    article = parse_article(page, "html")
    assert len(article.paragraphs) == 4


def test_a_box_of_other_stories_is_not_a_run_of_chapters() -> None:
    """Headlines that link to other pages, each over a line of teaser, are the site's box."""
    teaser = (
        "<div class='story'><h4><b>Kicker</b> <a href='/s/{n}'>Other story {n}</a></h4>"
        "<p>One line of teaser for story {n}, short.</p></div>"
    )
    text = " ".join(["The article's own sentence, long enough to be the text of a page."] * 12)
    page = (
        f"<html><head><title>Ferry timetable cut</title></head><body><article><h1>Ferry timetable cut</h1>"
        f"<p>{text}</p><h2>What changes</h2><p>{text}</p>"
        f"<div class='group'><h2>Other columns</h2>{''.join(teaser.format(n=n) for n in range(4))}</div>"
        f"</article></body></html>"
    )
    article = parse_article(page, "html")
    assert [s.heading for s in article.sections if s.heading != article.title] == ["What changes"]
    assert "teaser" not in " ".join(article.paragraphs)


def test_sections_whose_headings_link_elsewhere_stay_when_they_hold_text() -> None:
    text = " ".join(["A paragraph of the section that runs on for a good many words."] * 8)
    page = (
        "<html><body><article><h1>Games of the year</h1>"
        + "".join(f"<h2><a href='/game/{n}'>Game {n}</a></h2><p>{text}</p>" for n in range(4))
        + "</article></body></html>"
    )
    article = parse_article(page, "html")
    assert [s.heading for s in article.sections if s.heading != article.title] == [f"Game {n}" for n in range(4)]


def test_a_links_only_back_matter_section_the_extractor_dropped_closes_the_article() -> None:
    """trafilatura leaves out a section of links alone; its heading names it back matter."""
    text = " ".join(["The keepers walked the towpath at dawn and logged each barge at the gate."] * 6)
    page = (
        "<html><head><title>Canal locks</title></head><body><article><h1>Canal locks of the valley</h1>"
        f"<p>{text}</p><h2>Restoration</h2><p>Volunteers rebuilt the upper gate in oak, {text}</p>"
        "<h2>External links</h2><ul>"
        + "".join(f"<li><a href='https://example.org/{n}'>Canal society archive {n}</a></li>" for n in range(3))
        + "</ul></article><footer><a href='/'>Home</a></footer></body></html>"
    )
    article = parse_article(page, "html")
    last = article.sections[-1]
    assert (last.heading, last.back_matter) == ("External links", True)
    assert "Canal society archive 2" in " ".join(article.paragraphs)
    assert "Home" not in " ".join(article.paragraphs)


@pytest.mark.parametrize(
    ("kept", "page", "expected"),
    [
        # the page goes on, after the article's last paragraph, with a back-matter list
        (
            [P(_LONG)],
            [P(_LONG), H("Further reading"), P("- Tide tables"), P("- Ferry history"), H("Newsletter")],
            [P(_LONG), H("Further reading"), P("- Tide tables"), P("- Ferry history")],
        ),
        # a heading that is not back matter, or one with no list under it, stays out
        ([P(_LONG)], [P(_LONG), H("More stories"), P("- Tide tables")], [P(_LONG)]),
        ([P(_LONG)], [P(_LONG), H("References"), P(_OTHER)], [P(_LONG)]),
        # a list of other stories is the site's box, not the article's back matter
        ([P(_LONG)], [P(_LONG), H("Related articles"), P("- Ferry fares rise")], [P(_LONG)]),
        # the article's last paragraph must be found once on the page, right before it
        ([P(_LONG)], [P(_LONG), P(_LONG), H("See also"), P("- Tide tables")], [P(_LONG)]),
        ([P(_LONG)], [P(_LONG), P(_OTHER), H("See also"), P("- Tide tables")], [P(_LONG)]),
        # a section the extractor kept is not added twice
        ([H("See also"), P(_LONG)], [P(_LONG), H("See also"), P("- Tide tables")], [H("See also"), P(_LONG)]),
    ],
)
def test_only_a_back_matter_list_right_after_the_article_comes_back(
    kept: list[Block], page: list[Block], expected: list[Block]
) -> None:
    from listen.articles.html import restore_back_matter

    assert restore_back_matter(kept, page) == expected
