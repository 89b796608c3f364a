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
        "plain words",
        "two\nlines",
        "trailing  \nbreak",
        "*emphasis*",
        "_under_",
        "**strong**",
        "`code`",
        r"\*escaped\*",
        "[a link](http://example.org)",
        "[ref link][r]",
        "![an image](x.png)",
        "<http://auto.link>",
        "&amp; &copy;",
        "a & b",
        "1 < 2",
        "wow!",
        "[brackets]",
        "x_y_z",
        "<b>html</b>",
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
        "Plain words here.",
        "two\nlines",
        "  indented by two",
        "trailing  \nbreak",
        "*whole emphasis*",
        "some _under_ and **strong**",
        "a [link](http://example.org) too",
        "&amp; entity",
        r"\# escaped hash",
        "wow! 1984 was a year",
        "x_y_z",
        "tabs\tinside",
        "1984 is a number",
        "#hashtag at the start",
    ]
    headings = ["# Title", "## Part 2", "### Closing ###", "#### Hash# inside", "#", "  ## Indented heading"]
    others = [
        "- a list item",
        "1. first",
        "> a quote",
        "    indented code",
        "```\ncode\n```",
        "<div>html</div>",
        "Setext\n===",
        "Setext\n---",
        "[ref]: http://example.org",
        "a | b\n--- | ---",
        "***",
        "+ plus item",
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


# --- front matter: YAML, TOML, JSON -------------------------------------------------------

FRONT_MATTER = [
    (
        "yaml by",
        "---\ntitle: Quiet Streets\nby: Ines Lorca\ndate: 2025-01-05\n---\n\nBody text here.",
        {"title": "Quiet Streets", "author": "Ines Lorca", "date": "2025-01-05"},
    ),
    (
        "yaml authors of tables",
        "---\ntitle: Tides\nauthors:\n  - name: Ana Ruiz\n    url: https://example.org\n  - name: Bo Lind\n"
        "lang: en\n---\n\nThe water came in.",
        {"title": "Tides", "author": "Ana Ruiz and Bo Lind"},
    ),
    (
        "yaml author table",
        "---\ntitle: One\nauthor:\n  name: Kit Marr\n  email: kit@example.org\n---\n\nText.",
        {"title": "One", "author": "Kit Marr"},
    ),
    (
        "toml hugo",
        '+++\ntitle = "Harbour Lights"\ndate = 2024-06-01T10:00:00Z\nauthors = ["Lea Holt", "Sam Reed", "Ola Nyx"]\n'
        'description = "What the harbour looks like at night."\ntags = ["sea"]\nlanguage = "en-gb"\n+++\n\n'
        "Boats come in after dark.",
        {
            "title": "Harbour Lights",
            "date": "2024-06-01T10:00:00+00:00",
            "author": "Lea Holt, Sam Reed and Ola Nyx",
            "standfirst": "What the harbour looks like at night.",
            "language": "en",
        },
    ),
    (
        "toml zola extra",
        '+++\ntitle = "Moss"\n[extra]\nauthor = "Pia Gent"\nsummary = "Small plants, big roofs."\n+++\n\nMoss grows.',
        {"title": "Moss", "author": "Pia Gent", "standfirst": "Small plants, big roofs."},
    ),
    (
        "toml params",
        '+++\ntitle = "Kites"\n[params]\n  author = "Ezra Palm"\n+++\n\nKites fly.',
        {"title": "Kites", "author": "Ezra Palm"},
    ),
    (
        "json hugo",
        '{\n  "title": "Salt Roads",\n  "author": "Nina Vos",\n  "date": "2023-09-14",\n  "lang": "fr"\n}\n\n'
        "Le sel venait de la mer.",
        {"title": "Salt Roads", "author": "Nina Vos", "date": "2023-09-14", "language": "fr"},
    ),
    (
        "authors joined in the declared language",
        "---\ntitle: Le port\nauthors: [Léa Morel, Jean Roux]\nlang: fr\n---\n\nLe port dort.",
        {"title": "Le port", "author": "Léa Morel et Jean Roux", "language": "fr"},
    ),
]


@pytest.mark.parametrize(("case", "source", "want"), FRONT_MATTER, ids=[c[0] for c in FRONT_MATTER])
def test_front_matter_fills_metadata_and_never_the_body(case: str, source: str, want: dict) -> None:
    article = parse_article(source, "markdown")
    for name, value in want.items():
        assert getattr(article, name) == value, name
    body = " ".join(article.paragraphs)
    for leftover in ("title", "+++", "---", "tags", "[extra]", "[params]", '"', "{", "}"):
        assert leftover not in body


@pytest.mark.parametrize(
    "source",
    [
        '+++\ntitle = "unclosed\n+++\n\nBody.',  # malformed TOML
        '{"title": "x", broken\n\nBody.',  # not JSON
        "---\ntitle: [unclosed\n---\n\nBody.",  # malformed YAML
    ],
)
def test_front_matter_that_does_not_parse_is_left_as_text(source: str) -> None:
    article = parse_article(source, "markdown")
    assert "Body." in article.paragraphs


def test_description_is_the_standfirst_only_when_the_post_has_none() -> None:
    own = "---\ntitle: T\ndescription: A summary.\n---\n\n*The post's own standfirst.*\n\nBody."
    assert parse_article(own, "markdown").standfirst == "The post's own standfirst."
    repeated = "---\ntitle: T\ndescription: Boats come in after dark.\n---\n\nBoats come in after dark, slowly.\n\nMo."
    assert parse_article(repeated, "markdown").standfirst == ""  # it would be read twice
    alone = "---\ntitle: T\nsummary: Why the ferry matters.\n---\n\nThe ferry runs.\n\nMore."
    assert parse_article(alone, "markdown").standfirst == "Why the ferry matters."


@pytest.mark.parametrize(
    ("value", "language", "want"),
    [
        ("Ana Ruiz", "", "Ana Ruiz"),
        (["Ana Ruiz"], "", "Ana Ruiz"),
        (["Ana", "Bo"], "", "Ana and Bo"),
        (["Ana", "Bo", "Cy"], "en", "Ana, Bo and Cy"),
        ([{"name": "Ana"}, {"Name": "Bo"}, {"url": "https://x"}], "", "Ana and Bo"),
        ({"name": "Ana"}, "", "Ana"),
        (["Ana", "Bo"], "de-AT", "Ana und Bo"),
        (["Ana", "Bo"], "es", "Ana y Bo"),
        (["Ana", "Bo"], "fi", "Ana, Bo"),  # no "and" word from another language
        ([], "", ""),
        (None, "", ""),
        (True, "", ""),
    ],
)
def test_byline_reads_like_a_byline(value: object, language: str, want: str) -> None:
    from listen.articles.front_matter import byline

    assert byline(value, language) == want


# --- headings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "heading"),
    [
        ("## **Bold heading**", "Bold heading"),
        ("## *Italic heading*", "Italic heading"),
        ("## __Strong__", "Strong"),
        ("## Getting started {#start}", "Getting started"),
        ("## Getting started {: #start .wide}", "Getting started"),
        ("## Getting started {.wide}", "Getting started"),
        ("## **Bold with anchor** {#bold}", "Bold with anchor"),
        ("## **Not closed **", "Not closed"),
        ("## Closing hashes ##", "Closing hashes"),
        ("Setext heading\n--------------", "Setext heading"),
        ('## <a id="x"></a>Anchored', "Anchored"),
        ("## Sets {1, 2}", "Sets {1, 2}"),  # braces that are not attributes stay
    ],
)
def test_headings_are_clean(source: str, heading: str) -> None:
    article = parse_article(f"# Title\n\nIntro.\n\n{source}\n\nBody.", "markdown")
    assert [s.heading for s in article.sections] == ["Title", heading]


# --- code --------------------------------------------------------------------------------------


def test_fenced_and_indented_code_are_code_blocks_verbatim() -> None:
    source = (
        "# Code\n\nRun `make` first.\n\n```python\ndef f(x):\n    if x:\n\n        return 1\n```\n\n"
        "Then:\n\n    make install\n      --prefix=/opt\n\n~~~\n\ttabbed\n~~~\n"
    )
    section = parse_article(source, "markdown").sections[0]
    assert section.paragraphs == (
        "Run make first.",
        "def f(x):\n    if x:\n\n        return 1",
        "Then:",
        "make install\n  --prefix=/opt",
        "\ttabbed",
    )
    assert section.code == frozenset({1, 3, 4})


def test_code_file_on_disk_keeps_its_indentation(tmp_path) -> None:
    from listen.articles import load_article

    path = tmp_path / "post.md"
    source = "# Post\n\nText.\n\n    indented  code\n\tnext\n\n```\n  a   b\n\n\n\nc\n```\n"
    path.write_text(source, encoding="utf-8")
    section = load_article(path).sections[0]
    assert section.paragraphs == ("Text.", "indented  code\nnext", "  a   b\n\n\n\nc")
    assert section.code == frozenset({1, 2})


def test_code_is_never_the_title(tmp_path) -> None:
    from listen.articles import load_article

    path = tmp_path / "listing-files.md"
    path.write_text("```\nls -l\n```\n\nWhat that shows.", encoding="utf-8")
    article = load_article(path)
    assert article.title == "Listing files"  # from the file name, as for any text without one
    assert article.sections[0].paragraphs == ("ls -l", "What that shows.")
    assert article.sections[0].code == frozenset({0})


def test_code_round_trips_through_markdown() -> None:
    source = "# T\n\nText.\n\n```\nprint('```')\n    indented\n```\n\n## Part\n\n    a\n    b\n"
    article = parse_article(source, "markdown")
    assert parse_article(to_markdown(article), "markdown") == article


# --- raw HTML in Markdown --------------------------------------------------------------------


def test_raw_html_blocks_are_read_in_order_with_the_markdown() -> None:
    source = """# Post

Before the card.

<div class="card">
  <h2>Card heading</h2>
  <p>Card <em>text</em> with <a href="/x">a link</a>.</p>
  <ul><li>one</li><li>two</li></ul>
</div>

Between, in **Markdown**.

<!-- a comment that
spans lines -->

<table>
<tr><th>Name</th><th>Age</th></tr>

<tr><td>Ada</td><td>36</td></tr>
</table>

<details>
<summary>More about it</summary>

Inside details, in Markdown.

</details>

<figure><img src="a.png" alt="alt words"><figcaption>The caption.</figcaption></figure>

<pre><code>x = 1
  y = 2</code></pre>

<script>var secret = 1;</script>

After <!-- inline comment --> all.
"""
    article = parse_article(source, "markdown")
    assert [s.heading for s in article.sections] == ["Post", "Card heading"]
    assert article.sections[0].paragraphs == ("Before the card.",)
    card = article.sections[1]
    assert card.paragraphs == (
        "Card text with a link.",
        "- one",
        "- two",
        "Between, in Markdown.",
        "Name, Age",
        "Ada, 36",
        "More about it",
        "Inside details, in Markdown.",
        "The caption.",
        "x = 1\n  y = 2",
        "After all.",
    )
    assert card.code == frozenset({9})
    text = " ".join(article.paragraphs)
    for gone in ("comment", "secret", "alt words", "<", ">"):
        assert gone not in text


def test_summary_holding_a_heading_is_a_heading() -> None:
    source = "# Post\n\nIntro.\n\n<details><summary><h3>Setup</h3></summary><p>Install it.</p></details>\n"
    article = parse_article(source, "markdown")
    assert [(s.heading, s.level, s.paragraphs) for s in article.sections][1:] == [("Setup", 3, ("Install it.",))]


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ('{{< figure src="x.png" caption="A ferry" >}}', ""),
        ("{{% notice tip %}}Carry cash.{{% /notice %}}", "Carry cash."),
        ('{{< youtube id="abc" >}} and words', "and words"),
        ("{% include share.html %}", ""),
        ('{{ youtube(id="abc") }}', ""),
        ('Posted on {{ page.date | date: "%b %d" }} by {{ site.author }}.', "Posted on by ."),
        ("Before {{< br >}} after", "Before after"),
        ("Templates use `{{ name }}` and `{{< x >}}` as code.", "Templates use {{ name }} and {{< x >}} as code."),
        ("A set {1, 2} stays.", "A set {1, 2} stays."),
    ],
)
def test_static_site_shortcodes_are_not_text(line: str, kept: str) -> None:
    article = parse_article(f"# Post\n\nIntro.\n\n{line}\n", "markdown")
    assert article.paragraphs == ("Intro.", kept) if kept else article.paragraphs == ("Intro.",)


@pytest.mark.parametrize(
    "body",
    [
        "Text\n\n```\ncode\n```",
        "Text\n\n    indented code",
        "Text\n\n\tcode after a tab",
        "Text\n\n<div>html</div>",
        "Text\n   <table><tr><td>x</td></tr></table>",
        "Text\n\n~~~\ncode\n~~~",
        "Text\n<!-- comment -->",
    ],
)
def test_fast_path_sends_code_and_html_to_the_full_parser(body: str) -> None:
    from listen.articles.markdown_simple import simple_blocks

    assert simple_blocks(body) is None


def test_highlight_shortcodes_wrap_code_blocks() -> None:
    source = (
        '# T\n\nIntro.\n\n{{< highlight go "linenos=table" >}}\nfunc main() {\n\tfmt.Println("hi")\n}\n'
        "{{< /highlight >}}\n\nThen Ruby:\n\n{% highlight ruby %}\nputs 'x'\n{% endhighlight %}\n\n"
        "```\n{{< highlight go >}}\nshown as written\n{{< /highlight >}}\n```\n"
    )
    section = parse_article(source, "markdown").sections[0]
    assert section.paragraphs == (
        "Intro.",
        'func main() {\n\tfmt.Println("hi")\n}',
        "Then Ruby:",
        "puts 'x'",
        "{{< highlight go >}}\nshown as written\n{{< /highlight >}}",  # inside a fence: the post's example
    )
    assert section.code == frozenset({1, 3, 4})


def test_inline_line_breaks_in_html_separate_words() -> None:
    article = parse_article("# Post\n\nLine<br>break, line<br/>break, <b>bold</b>ly.\n", "markdown")
    assert article.paragraphs == ("Line break, line break, boldly.",)


@pytest.mark.parametrize(
    ("indented", "is_code"),
    [
        ("    The harbour was quiet that night, and the boats rocked on the swell.", False),
        ("    It was the first time the council had met in the old hall since\nthe fire, and it showed.", False),
        ("\tThe vote was close. Nobody had expected the ferry to win.", False),
        ("    SELECT name, email FROM users WHERE active = 1 ORDER BY name", True),
        ("    for x in xs:\n        print(x)", True),
        ("    Name      Age   City\n    Ada       36    Leeds", True),
        ("    2024-01-03 12:00:01 INFO server started on port 8080", True),
        ("    make install --prefix=/opt", True),
        ("    Hello world, this is a test of the system output", True),  # no sentence, nothing follows
    ],
)
def test_indented_paragraphs_of_prose_are_not_code(indented: str, is_code: bool) -> None:
    """People who keep text as Markdown without rendering it indent paragraphs; code stays code."""
    section = parse_article(f"# Notes\n\nFirst.\n\n{indented}\n\nLast.\n", "markdown").sections[0]
    assert len(section.paragraphs) == 3
    assert (section.code == frozenset({1})) is is_code
    if not is_code:
        assert section.paragraphs[1] == " ".join(indented.split())


@pytest.mark.parametrize(
    ("source", "paragraphs"),
    [
        ("Text with a note[^1] and another[^long].", ("Text with a note and another.",)),
        (
            "Body.\n\n[^1]: The first note.\n[^2]: The second,\n    on two lines.",
            ("Body.", "1. The first note.", "2. The second, on two lines."),
        ),
        ("Body.\n\n[^aside]: A named note.", ("Body.", "A named note.")),
        (
            "See [[Harbour notes|the notes]], [[Ferries#Timetable]] and [[#Fares]]. ![[map.png]]",
            ("See the notes, Ferries and Fares.",),
        ),
        ("> [!NOTE]\n> Carry cash on Sundays.", ("Note: Carry cash on Sundays.",)),
        ("> [!warning] Not on holidays\n> The office is shut.", ("Not on holidays: The office is shut.",)),
        ("> [!tip]- Folded\n> Inside.", ("Folded: Inside.",)),
        ("> [!IMPORTANT]", ("Important",)),
        ("> A quote that starts [!like this] stays.", ("A quote that starts [!like this] stays.",)),
    ],
)
def test_footnotes_wikilinks_and_alerts_read_as_rendered(source: str, paragraphs: tuple[str, ...]) -> None:
    assert parse_article(f"# Post\n\n{source}\n", "markdown").paragraphs == paragraphs


def test_indented_html_inside_a_raw_html_block_is_html_not_code() -> None:
    """Blank lines end a CommonMark HTML block, and the indented rest would be code; the
    writer meant one element, so its words are kept as text."""
    source = (
        '# Post\n\n<div class="post-body">\n\n    <p>First para.</p>\n\n    <h2>Heading</h2>\n\n'
        "    <p>Second para.</p>\n    <ul>\n      <li>item</li>\n    </ul>\n\n</div>\n\nAfter.\n"
    )
    article = parse_article(source, "markdown")
    assert [(s.heading, s.paragraphs, s.code) for s in article.sections] == [
        ("Post", ("First para.",), frozenset()),
        ("Heading", ("Second para.", "- item", "After."), frozenset()),
    ]


@pytest.mark.parametrize(
    ("source", "sections"),
    [
        # notes leave the text for a back-matter section of their own, numbered as rendered:
        # by the order the text first refers to them, whatever their labels
        (
            "Tides[^b] and winds[^a].\n\n[^a]: Wind note.\n\n## Later\n\nMore.\n\n[^b]: Tide note.",
            [
                ("Post", ("Tides and winds.",), False),
                ("Later", ("More.",), False),
                ("Notes", ("2. Wind note.", "1. Tide note."), True),
            ],
        ),
        # the writer's own notes heading at the end is kept, not doubled
        (
            "Text.[^1]\n\n## Footnotes\n\n[^1]: The note.",
            [("Post", ("Text.",), False), ("Footnotes", ("1. The note.",), True)],
        ),
        # a note of several paragraphs, and one that CommonMark alone would take for a link
        # reference definition, are both kept whole
        (
            "Text.[^1][^2]\n\n[^1]: First part.\n\n    Second part.\n\n[^2]: https://example.org/tides",
            [
                ("Post", ("Text.",), False),
                ("Notes", ("1. First part.", "Second part.", "2. https://example.org/tides"), True),
            ],
        ),
    ],
)
def test_footnotes_are_back_matter_after_the_text(
    source: str, sections: list[tuple[str, tuple[str, ...], bool]]
) -> None:
    article = parse_article(f"# Post\n\n{source}\n", "markdown")
    assert [(s.heading, s.paragraphs, s.back_matter) for s in article.sections] == sections


SITE_GENERATOR_MARKUP = [
    (
        "mkdocs admonition",
        '!!! tip "Water first"\n    Wet the soil.\n\n    Then sow.\n\nAfter.',
        ["Water first: Wet the soil.", "Then sow.", "After."],
    ),
    ("collapsible admonition without title", "??? note\n    Folded words.", ["Note: Folded words."]),
    ("admonition inside a fence is code", "```\n!!! note\n    kept\n```", ["!!! note\n    kept"]),
    ("template link target", "See [the guide]({{ '/docs/guide/' | relative_url }}) now.", ["See the guide now."]),
    ("hyphenated template variable", "{{ page.version-badge }}\n\nText.", ["Text."]),
]


@pytest.mark.parametrize(
    ("source", "paragraphs"), [c[1:] for c in SITE_GENERATOR_MARKUP], ids=[c[0] for c in SITE_GENERATOR_MARKUP]
)
def test_site_generator_markup_is_read_as_what_it_means(source: str, paragraphs: list[str]) -> None:
    assert list(parse_article("# T\n\n" + source, "markdown").paragraphs) == paragraphs


def test_code_toggle_shortcode_wraps_code_not_prose() -> None:
    article = parse_article(
        '# T\n\n{{< code-toggle file=hugo >}}\nbaseURL = "x"\n{{< /code-toggle >}}\n\nAfter.', "markdown"
    )
    section = article.sections[0]
    assert section.paragraphs == ('baseURL = "x"', "After.")
    assert section.code == frozenset({0})


@pytest.mark.parametrize("table", [False, True], ids=["prose only", "with a table"])
def test_a_bracketed_heading_name_is_a_link_to_it_and_other_brackets_stay(table: bool) -> None:
    """A manual in pandoc's Markdown points at its own sections by name, "see [Templates]
    below": the words are read without brackets. A bracket naming no heading is a bracket."""
    source = (
        "# Ferry Handbook\n\nSee [Timetables] below, and [the winter list][Winter timetables] too; "
        "the [sic] stays.\n\n## Timetables\n\nDaily.\n\n## Winter timetables\n\nFewer.\n"
    )
    if table:  # the full block parser, not the headings-and-paragraphs shortcut
        source += "\n| day | boats |\n| --- | --- |\n| Mon | 4 |\n"
    article = parse_article(source, "markdown")
    assert article.sections[0].paragraphs[0] == "See Timetables below, and the winter list too; the [sic] stays."
