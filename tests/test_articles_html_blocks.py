"""blocks_from_tree: the one converter from an lxml tree (HTML or trafilatura XML) to blocks."""

import pytest
from lxml import etree, html

from listen.articles.html_blocks import blocks_from_tree, is_quotation
from listen.articles.sections import Block

H = lambda text, level=2: Block("heading", text, level)  # noqa: E731
P = lambda text: Block("paragraph", text)  # noqa: E731
C = lambda text: Block("code", text)  # noqa: E731


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<h2>Section</h2><p>Text  here.</p>", [H("Section"), P("Text here.")]),
        ("<h3>“We will not move,” she said.</h3><p>Text.</p>", [P("“We will not move,” she said."), P("Text.")]),
        ("<blockquote><h3>Not a section</h3></blockquote>", [P("Not a section")]),
        # a short quoted phrase, or a word in scare quotes, names a section in someone's words
        ("<h2>‘We need to listen’</h2><p>Text.</p>", [H("‘We need to listen’"), P("Text.")]),
        ("<h2>‘Unprecedented’ strandings</h2><p>Text.</p>", [H("‘Unprecedented’ strandings"), P("Text.")]),
        ("<aside class='pullquote'><h2>Lifted line</h2></aside>", [P("Lifted line")]),
        ("<h2>Part</h2><p><strong>Consenso</strong></p><p>Text.</p>", [H("Part"), H("Consenso", 3), P("Text.")]),
        (
            "<p><strong>A whole bold sentence stands here.</strong></p><p>Text.</p>",
            [P("A whole bold sentence stands here."), P("Text.")],
        ),
        ("<p><b>Why did you leave?</b></p><p>Because.</p>", [P("Why did you leave?"), P("Because.")]),
        ("<p>Text.</p><p><strong>Alone at the end</strong></p>", [P("Text."), P("Alone at the end")]),
        # bold inside italics is as bold
        ("<p><em><strong>Read the status</strong></em></p><p>Text.</p>", [H("Read the status"), P("Text.")]),
        # a bold label over a run of links points at other pages: a line, not a sub-heading
        (
            "<p><strong>Read more:</strong></p><p><a href='/a'>One story</a></p><p><a href='/b'>Another</a></p>",
            [P("Read more:"), P("One story"), P("Another")],
        ),
        (
            "<p><em><b>More news:</b></em></p><ul><li><a href='/a'>One</a></li><li><a href='/b'>Two</a></li></ul>",
            [P("More news:"), P("- One"), P("- Two")],
        ),
        # one link, or links inside sentences, is text under a sub-heading
        (
            "<p><strong>Sources</strong></p><p>See <a href='/a'>the report</a> for the figures.</p><p>More.</p>",
            [H("Sources"), P("See the report for the figures."), P("More.")],
        ),
        # a sentence in Chinese has no spaces to count words by, but its commas show it
        (
            "<p><b>本文版权归本站所有，未经许可，不得转载</b></p><p>正文。</p>",
            [P("本文版权归本站所有，未经许可，不得转载"), P("正文。")],
        ),
        ("<p><b>渡船的未来</b></p><p>正文。</p>", [H("渡船的未来"), P("正文。")]),
        ("<pre><code>if x:\n    y()\n</code></pre>", [C("if x:\n    y()")]),
        ("<p>Call <code>open()</code> first.</p>", [P("Call open() first.")]),
        ("<ul><li>one</li><li>two <b>bold</b></li></ul>", [P("- one"), P("- two bold")]),
        ("<ol start='3'><li>three</li><li>four</li></ol>", [P("3. three"), P("4. four")]),
        (
            "<table><tr><th>City</th><th>Rain</th></tr><tr><td>Vigo</td><td>12</td></tr></table>",
            [P("City, Rain"), P("Vigo, 12")],
        ),
        # bold text labelling a row beside other cells is the row's, not a section
        (
            "<table><tr><td><p><strong>Slow replies</strong></p></td><td><p>Check the queue.</p></td></tr></table>",
            [P("Slow replies"), P("Check the queue.")],
        ),
        # a layout table of one column keeps its sub-headings
        (
            "<table><tr><td><p><strong>Slow replies</strong></p><p>Check the queue.</p></td></tr></table>",
            [H("Slow replies"), P("Check the queue.")],
        ),
        ("<div>Loose text<p>Para.</p>tail words</div>", [P("Loose text"), P("Para."), P("tail words")]),
        ("<p>Line one<br>line two</p>", [P("Line one line two")]),
        ("<p>Area <math><mi>x</mi></math> grows.</p><script>var a;</script>", [P("Area grows.")]),
    ],
)
def test_html_markup_becomes_blocks(markup: str, expected: list[Block]) -> None:
    assert blocks_from_tree(html.fragment_fromstring(markup, create_parent="div")) == expected


def test_trafilatura_xml_reads_like_html() -> None:
    xml = (
        '<doc><main><head rend="h2">Setup</head><p><hi rend="#b">Paso uno</hi></p><p>Text.</p>'
        '<code>make\nmake install</code><list rend="ul"><item>a</item></list>'
        "<quote><p>Said.</p></quote></main><comments><p>A reader wrote this.</p></comments></doc>"
    )
    assert blocks_from_tree(etree.fromstring(xml)) == [
        H("Setup"),
        H("Paso uno", 3),
        P("Text."),
        C("make\nmake install"),
        P("- a"),
        P("Said."),
    ]


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("“We will not move,” she said.", True),
        ("'Never again'", True),
        ("«Nunca más»", True),
        ("The council's plan", False),
        ("Why the “new” bridge failed", False),
        ("‘Unprecedented’ strandings", False),  # one word in scare quotes
        ("“Salt Roads” ($25)", False),  # a work's name in a list of them, with its price
        ("‘The Long Tide’ (2019)", False),
    ],
)
def test_a_heading_made_of_a_quotation_is_a_pull_quote(text: str, quoted: bool) -> None:
    assert is_quotation(text) is quoted


def test_code_keeps_its_breaks_and_leaves_out_comments_in_pages_and_markdown_alike() -> None:
    from lxml import html as lxml_html

    from listen.articles.html_fragment import fragment_blocks

    fragment = "<pre>\n\nx = 1<!-- note to self -->\n    y = 2<br>z = 3\n\n</pre>"
    page = blocks_from_tree(lxml_html.fromstring(f"<div>{fragment}</div>"))
    assert [(b.kind, b.text) for b in page] == [("code", "x = 1\n    y = 2\nz = 3")]
    assert [(b.kind, b.text) for b in fragment_blocks(fragment)] == [("code", "x = 1\n    y = 2\nz = 3")]


def test_a_link_box_label_is_named_for_the_extractors_copy_that_lost_its_links() -> None:
    labels: set[str] = set()
    markup = "<p><b>Read more:</b></p><p><a href='/a'>One</a></p><p><a href='/b'>Two</a></p><p>Bio line.</p>"
    blocks_from_tree(html.fragment_fromstring(markup, create_parent="div"), labels)
    assert labels == {"read more"}


@pytest.mark.parametrize(
    "hidden",
    [
        "<div style='display: none'><p>Sign in to read on.</p></div>",
        "<div style='visibility:hidden; position:fixed'><p>Sign in to read on.</p></div>",
        "<div hidden><p>Sign in to read on.</p></div>",
        "<p aria-hidden='true'>Sign in to read on.</p>",
    ],
)
def test_text_the_page_never_shows_is_not_a_block(hidden: str) -> None:
    tree = html.fromstring(f"<div><h2>Tides</h2>{hidden}<p>High water at noon.</p></div>")
    assert blocks_from_tree(tree) == [H("Tides"), P("High water at noon.")]
