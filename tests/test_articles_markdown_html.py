"""Raw HTML fragments (as found inside Markdown) to blocks: html_fragment.py."""

import pytest

from listen.articles.html_fragment import element_blocks, fragment_blocks
from listen.articles.sections import Block


def p(text: str) -> Block:
    return Block("paragraph", text)


@pytest.mark.parametrize(
    ("html", "blocks"),
    [
        ("<h2>Tides <a href='#t'>#</a></h2><p>High at noon.</p>", [Block("heading", "Tides", 2), p("High at noon.")]),
        ("<h4>Notes ¶</h4>", [Block("heading", "Notes", 4)]),
        ("<p>One <em>two</em><br>three</p>", [p("One two three")]),
        ("<ul><li>a<ul><li>b</li></ul></li><li><p>c</p></li></ul>", [p("- a"), p("- b"), p("- c")]),
        ("<ol start='4'><li>d</li><li>e</li></ol>", [p("4. d"), p("5. e")]),
        ("<dl><dt>Term</dt><dd>Meaning.</dd></dl>", [p("Term"), p("Meaning.")]),
        (
            "<table><caption>Fares</caption><tr><th>Who</th><th>£</th></tr><tr><td>Adult</td><td>3</td></tr></table>",
            [p("Fares"), p("Who, £"), p("Adult, 3")],
        ),
        ("<tr><td>a row</td><td></td><td>alone</td></tr>", [p("a row, alone")]),
        ("<blockquote><p>Said once.</p><p>Said twice.</p></blockquote>", [p("Said once."), p("Said twice.")]),
        ("<figure><img src='x.png' alt='alt'><figcaption>Caption.</figcaption></figure>", [p("Caption.")]),
        ("<details><summary>Why so?</summary>Because.</details>", [p("Why so?"), p("Because.")]),
        (
            "<div class='note warning'><h5>Mind the step</h5><p>It is steep.</p></div>",
            [p("Mind the step: It is steep.")],
        ),
        ("<aside class='callout'><h4>Tip</h4></aside>", [p("Tip")]),
        (
            "<div class='notebook'><h3>Real section</h3><p>Text.</p></div>",
            [Block("heading", "Real section", 3), p("Text.")],
        ),
        ("<details><summary>Click to expand</summary><p>Hidden words.</p></details>", [p("Hidden words.")]),
        (
            "<details><summary><h3>Setup</h3></summary><p>Run it.</p></details>",
            [Block("heading", "Setup", 3), p("Run it.")],
        ),
        ("<pre><code>\nif x:\n    y()\n</code></pre>", [Block("code", "if x:\n    y()")]),
        ("<p>Kept</p><script>drop()</script><style>p{}</style><!-- gone --><template>t</template>", [p("Kept")]),
        (
            "<p>Seen <span hidden>unseen</span><span aria-hidden='true'>★</span><b style='display: none'>x</b></p>",
            [p("Seen")],
        ),
        ("<div class='card'><p>Card text.</p><a href='/more'>Browse all tools</a></div>", [p("Card text.")]),
        ("<div>Visit <a href='/x'>the shop</a> today.</div>", [p("Visit the shop today.")]),
        ("<p><a href='/report'>Read the report</a></p>", [p("Read the report")]),  # a paragraph of its own
        ("<nav><a href='/'>Home</a> <a href='/about'>About</a></nav><p>Text.</p>", [p("Text.")]),
        ("<form><label>Email</label><input name='e'><button>Go</button></form><p>On.</p>", [p("On.")]),  # sign-up boxes
        ("<p>Tides<sup><a href='#fn1'>1</a></sup> and m<sup>2</sup>.</p>", [p("Tides and m2.")]),
        ("", []),
        ("<!-- only a comment -->", []),
        ("</div>", []),
    ],
)
def test_fragment_blocks(html: str, blocks: list[Block]) -> None:
    assert fragment_blocks(html) == blocks


def test_element_blocks_walks_any_lxml_element() -> None:
    from lxml import html as lxml_html

    page = lxml_html.fromstring("<html><body><main><h1>T</h1><p>Body.</p></main><p>After.</p></body></html>")
    main = page.find(".//main")
    assert element_blocks(main) == [Block("heading", "T", 1), p("Body.")]
