"""EPUB furniture and back matter: what a book is besides its text, and what the voice never gets.

Each book is written here, in our own words, in the shapes real books come in: a Standard
Ebooks-style book (title page, imprint, dedication, half-title, endnotes with "↩" links,
colophon, uncopyright), a Project Gutenberg EPUB (header and licence as marked elements or as
marker lines), a book with no semantics at all (cover image, title page, copyright page, a
contents page, EPUB 2 guide), EPUB 3 landmarks, page numbers, a spine with a commented-out
entry, and notes without a heading. Each test gives the expected title, headings, what is
narrated and what never is.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from listen.articles import load_article
from listen.narration import narration_request, script_for
from listen.speech.script import ScriptOptions

XHTML = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>{title}</title></head>
<body{body_attrs}>{body}</body></html>"""


NON_LINEAR = ' linear="no"'


@dataclass(frozen=True)
class Doc:
    href: str
    body: str
    body_attrs: str = ""
    linear: bool = True


def build_epub(
    path: Path,
    title: str,
    docs: list[Doc],
    *,
    nav: str = "",
    ncx_points: list[tuple[str, str]] | None = None,
    guide: str = "",
    spine_extra: str = "",
) -> Path:
    """A book zipped by hand, so every shape (comments in the spine, a guide, landmarks,
    non-linear pages) is exactly what we write. EPUB 3 with `nav`, EPUB 2 with `ncx_points`."""
    version = "3.0" if nav else "2.0"
    items = "".join(f'<item id="d{n}" href="{d.href}" media-type="application/xhtml+xml"/>' for n, d in enumerate(docs))
    if nav:
        items += '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
    if ncx_points is not None:
        items += '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>'
    spine = "".join(f'<itemref idref="d{n}"{"" if d.linear else NON_LINEAR}/>' for n, d in enumerate(docs))
    opf = f"""<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="{version}" unique-identifier="id">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}</dc:title><dc:creator>Rosalind Achterberg</dc:creator>
<dc:language>en</dc:language><dc:identifier id="id">urn:uuid:{abs(hash(title))}</dc:identifier></metadata>
<manifest>{items}</manifest><spine{' toc="ncx"' if ncx_points is not None else ""}>{spine_extra}{spine}</spine>{guide}</package>"""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr(
            "META-INF/container.xml",
            """<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>""",
        )
        z.writestr("OEBPS/content.opf", opf)
        for doc in docs:
            z.writestr(f"OEBPS/{doc.href}", XHTML.format(title=title, body=doc.body, body_attrs=doc.body_attrs))
        if nav:
            z.writestr("OEBPS/nav.xhtml", XHTML.format(title="Contents", body=nav, body_attrs=""))
        if ncx_points is not None:
            points = "".join(
                f'<navPoint id="p{n}" playOrder="{n + 1}"><navLabel><text>{label}</text></navLabel><content src="{src}"/></navPoint>'
                for n, (label, src) in enumerate(ncx_points)
            )
            z.writestr(
                "OEBPS/toc.ncx",
                f"""<?xml version="1.0" encoding="utf-8"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">
<head/><docTitle><text>{title}</text></docTitle><navMap>{points}</navMap></ncx>""",
            )
    return path


def headings(path: Path) -> list[tuple[str, bool]]:
    article = load_article(path)
    return [(s.heading, s.back_matter) for s in article.sections if s.heading != article.title]


def narrated(path: Path, *, back_matter: str = "skip") -> str:
    script = script_for(load_article(path), narration_request(script=ScriptOptions(back_matter=back_matter)))
    return "\n".join(u.text for c in script.chapters for u in c.utterances)


CHAPTER_ONE = """<p>The orchard had been planted by someone who expected to live for ever: pear trees in
rows so long that the far end disappeared into the mist on autumn mornings.</p>
<p>Nell counted them the first week and got a different number every time.<a href="endnotes.xhtml#note-1"
id="noteref-1" epub:type="noteref">1</a></p>"""
CHAPTER_TWO = """<p>The cider press lived in a barn with half a roof, and it took three people and a
great deal of swearing to turn the screw once the mash was in.</p>"""


def standard_ebooks_shaped(folder: Path) -> Path:
    docs = [
        Doc(
            "titlepage.xhtml",
            '<section epub:type="titlepage"><h1 epub:type="title">The Pear Orchard</h1>'
            '<p>By Rosalind Achterberg.</p><img src="titlepage.svg" alt="The title page"/></section>',
        ),
        Doc(
            "imprint.xhtml",
            '<section epub:type="imprint"><h2>Imprint</h2><p>This edition was typeset by a small '
            "group of volunteers who proofread it twice and argued about semicolons.</p></section>",
        ),
        Doc(
            "dedication.xhtml",
            '<section epub:type="dedication"><p>For my sister, who climbed every tree first.</p></section>',
        ),
        Doc(
            "halftitlepage.xhtml",
            '<section epub:type="halftitlepage"><hgroup><h2 epub:type="fulltitle">The Pear Orchard</h2></hgroup></section>',
        ),
        Doc(
            "chapter-1.xhtml",
            f'<section epub:type="chapter"><h2 epub:type="ordinal">I</h2>{CHAPTER_ONE}</section>',
            ' epub:type="bodymatter"',
        ),
        Doc(
            "chapter-2.xhtml",
            f'<section epub:type="chapter"><h2 epub:type="ordinal">II</h2>{CHAPTER_TWO}</section>',
            ' epub:type="bodymatter"',
        ),
        Doc(
            "endnotes.xhtml",
            '<section epub:type="endnotes" role="doc-endnotes"><h2>Endnotes</h2><ol>'
            '<li id="note-1" epub:type="endnote"><p>Forty-one, in the end, not counting the dead one. '
            '<a href="chapter-1.xhtml#noteref-1" epub:type="backlink" role="doc-backlink">↩</a></p></li></ol></section>',
        ),
        Doc(
            "colophon.xhtml",
            '<section epub:type="colophon"><h2>Colophon</h2><p>Set in a typeface drawn for '
            "newspapers in the nineteen-thirties and checked against a scan of the first printing.</p></section>",
        ),
        Doc(
            "uncopyright.xhtml",
            '<section epub:type="copyright-page"><h2>Uncopyright</h2><p>Nobody owns this '
            "edition; copy it, print it, read it aloud to the hens.</p></section>",
        ),
    ]
    nav = """<nav epub:type="toc"><h2>Contents</h2><ol>
<li><a href="titlepage.xhtml">Titlepage</a></li><li><a href="imprint.xhtml">Imprint</a></li>
<li><a href="dedication.xhtml">Dedication</a></li>
<li><a href="halftitlepage.xhtml">The Pear Orchard</a><ol>
<li><a href="chapter-1.xhtml">I: Counting the Trees</a></li><li><a href="chapter-2.xhtml">II: The Press</a></li></ol></li>
<li><a href="endnotes.xhtml">Endnotes</a></li><li><a href="colophon.xhtml">Colophon</a></li>
<li><a href="uncopyright.xhtml">Uncopyright</a></li></ol></nav>"""
    return build_epub(folder / "orchard.epub", "The Pear Orchard", docs, nav=nav)


def test_a_standard_ebooks_shaped_book_narrates_only_the_book(tmp_path: Path) -> None:
    book = standard_ebooks_shaped(tmp_path)
    assert load_article(book).title == "The Pear Orchard"
    assert headings(book) == [
        ("Imprint", True),
        ("Dedication", False),
        ("I: Counting the Trees", False),
        ("II: The Press", False),
        ("Endnotes", True),
        ("Colophon", True),
        ("Uncopyright", True),
    ]
    voice = narrated(book)
    assert "For my sister, who climbed every tree first." in voice
    assert "The cider press lived in a barn" in voice
    for never in ("By Rosalind Achterberg", "argued about semicolons", "Forty-one", "nineteen-thirties", "hens",
                  "Titlepage", "↩", "The title page"):  # fmt: skip
        assert never not in voice
    assert "Counted them the first week" not in voice and "got a different number every time." in voice


def test_back_matter_is_read_when_asked_but_never_the_link_back(tmp_path: Path) -> None:
    voice = narrated(standard_ebooks_shaped(tmp_path), back_matter="read")
    assert "Forty-one, in the end, not counting the dead one." in voice
    assert "↩" not in voice


GUTENBERG_HEADER = """<div class="pgmonospaced pgheader"><br/>The Project Gutenberg EBook of The Lamplighter's Round, by
Rosalind Achterberg<br/><br/>This eBook is for the use of anyone anywhere at no cost.<br/><br/>
Title: The Lamplighter's Round<br/><br/>*** START OF THIS PROJECT GUTENBERG EBOOK THE LAMPLIGHTER'S ROUND ***<br/></div>"""
GUTENBERG_FOOTER = """<div class="pgmonospaced pgheader">End of the Project Gutenberg EBook of The Lamplighter's Round<br/>
*** END OF THIS PROJECT GUTENBERG EBOOK THE LAMPLIGHTER'S ROUND ***<br/><br/>Section 1. General Terms of Use and
Redistributing Project Gutenberg-tm electronic works.<br/></div>"""
LAMPLIGHTER_CHAPTERS = """<h2 id="c1">I—DUSK</h2><p>At a quarter past four the lamplighter left the depot with his
ladder on his shoulder and a pocket full of wicks.</p><h2 id="c2">II—THE LONG STREET</h2>
<p>Ninety-two lamps stood along the long street, and the children followed him to the forty-third.</p>"""


@pytest.mark.parametrize(
    ("header", "footer"),
    [
        pytest.param(GUTENBERG_HEADER, GUTENBERG_FOOTER, id="marked-with-pgheader-class"),
        pytest.param(
            '<section id="pg-header"><p>The Project Gutenberg eBook of The Lamplighter\'s Round</p>'
            "<p>This ebook is for the use of anyone anywhere in the United States.</p></section>",
            '<section id="pg-footer"><p>Updated editions will replace the previous one. Project Gutenberg'
            " is a registered trademark.</p></section>",
            id="modern-pg-ids",
        ),
        pytest.param(
            "<p>The Project Gutenberg EBook of The Lamplighter's Round</p><p>Release notes and a promise to be free.</p>"
            "<p>*** START OF THE PROJECT GUTENBERG EBOOK THE LAMPLIGHTER'S ROUND ***</p>",
            "<p>*** END OF THE PROJECT GUTENBERG EBOOK THE LAMPLIGHTER'S ROUND ***</p>"
            "<p>Section 2. Information about the Mission of Project Gutenberg-tm</p>",
            id="marker-lines-only",
        ),
    ],
)
def test_a_gutenberg_epub_leaves_its_header_and_licence_out(tmp_path: Path, header: str, footer: str) -> None:
    docs = [Doc("book.html", header + LAMPLIGHTER_CHAPTERS + footer)]
    book = build_epub(
        tmp_path / "lamp.epub",
        "The Lamplighter's Round",
        docs,
        ncx_points=[("I—DUSK", "book.html#c1"), ("II—THE LONG STREET", "book.html#c2")],
    )
    assert headings(book) == [("I—DUSK", False), ("II—THE LONG STREET", False)]
    text = " ".join(p for s in load_article(book).sections for p in s.paragraphs)
    voice = narrated(book)
    assert "Gutenberg" not in text and "Gutenberg" not in voice
    assert "a pocket full of wicks" in voice


def test_a_book_without_semantics_loses_its_cover_title_and_contents_pages(tmp_path: Path) -> None:
    """PressBooks-style: nothing is typed; the guide names the cover and contents, the NCX the rest."""
    docs = [
        Doc("front-cover.html", '<div><img src="cover.jpg" alt="Cover"/></div>', linear=False),
        Doc("title-page.html", "<h1>Salt Roads</h1><h3>Rosalind Achterberg</h3><h4>Drydock Press</h4>"),
        Doc(
            "copyright.html", "<p>Salt Roads was made with a home-grown book tool. All rights stay with the author.</p>"
        ),
        Doc(
            "table-of-contents.html",
            '<h1>Contents</h1><ul><li><a href="ch1.html">CHAPTER I</a></li>'
            '<li><a href="ch2.html">CHAPTER II</a></li><li><a href="ch3.html">CHAPTER III</a></li></ul>',
        ),
        Doc("promo.html", ""),
        Doc(
            "ch1.html",
            "<h2>CHAPTER I</h2><p>The salt came down from the hills on mules until the railway reached the valley.</p>",
        ),
        Doc("ch2.html", "<h2>CHAPTER II</h2><p>After the railway, the muleteers became porters, then shopkeepers.</p>"),
        Doc("ch3.html", "<h2>CHAPTER III</h2><p>Only the road's name remembers the mules now.</p>"),
    ]
    guide = ('<guide><reference type="cover" href="front-cover.html" title="Cover"/>'
             '<reference type="toc" href="table-of-contents.html" title="Contents"/></guide>')  # fmt: skip
    points = [("Cover", "front-cover.html"), ("Title Page", "title-page.html"), ("Copyright", "copyright.html"),
              ("Table Of Contents", "table-of-contents.html"), ("Make your own books", "promo.html"),
              ("CHAPTER I", "ch1.html"), ("CHAPTER II", "ch2.html"), ("CHAPTER III", "ch3.html")]  # fmt: skip
    book = build_epub(tmp_path / "salt.epub", "Salt Roads", docs, ncx_points=points, guide=guide)
    assert headings(book) == [("Copyright", True), ("CHAPTER I", False), ("CHAPTER II", False), ("CHAPTER III", False)]
    voice = narrated(book)
    for never in ("Cover", "Drydock Press", "Title Page", "Contents", "home-grown book tool", "Make your own books"):
        assert never not in voice
    assert "The salt came down from the hills" in voice


def test_landmarks_name_furniture_the_pages_do_not(tmp_path: Path) -> None:
    docs = [
        Doc("cover.xhtml", "<p>Salt Roads, a cover in words for the test.</p>"),
        Doc("about.xhtml", "<h1>About this edition</h1><p>Typeset in one evening, by lamplight.</p>"),
        Doc("ch1.xhtml", "<h1>The Valley</h1><p>The salt came down from the hills on mules.</p>"),
    ]
    nav = """<nav epub:type="toc"><ol><li><a href="ch1.xhtml">The Valley</a></li></ol></nav>
<nav epub:type="landmarks"><ol><li><a epub:type="cover" href="cover.xhtml">Cover</a></li>
<li><a epub:type="colophon" href="about.xhtml">About this edition</a></li>
<li><a epub:type="bodymatter" href="ch1.xhtml">Start</a></li></ol></nav>"""
    book = build_epub(tmp_path / "landmarks.epub", "Salt Roads", docs, nav=nav)
    assert headings(book) == [("About this edition", True), ("The Valley", False)]
    voice = narrated(book)
    assert "a cover in words" not in voice and "lamplight" not in voice
    assert "on mules" in voice


def test_a_commented_out_spine_entry_is_not_a_broken_book(tmp_path: Path) -> None:
    docs = [Doc("a.xhtml", "<h1>Tides</h1><p>The tide turns twice a day, a little later each day.</p>")]
    nav = '<nav epub:type="toc"><ol><li><a href="a.xhtml">Tides</a></li></ol></nav>'
    book = build_epub(tmp_path / "tides.epub", "Notes on the Shore", docs, nav=nav,
                      spine_extra='<!-- <itemref idref="nav"/> -->')  # fmt: skip
    assert headings(book) == [("Tides", False)]


def test_page_numbers_are_not_read_and_a_section_target_names_its_heading_once(tmp_path: Path) -> None:
    body = """<section id="s4"><div class="center"><span epub:type="pagebreak" title="169" id="p169">169</span></div>
<h2>SECTION FOUR <span>WEATHER STORIES</span></h2><p>The wind has opinions in every one of these stories, and it
<span role="doc-pagebreak" id="p170" aria-label="170"/>usually wins.</p>
<section id="s4-1"><div><span epub:type="pagebreak" id="p171">171</span></div><h3>The Kite</h3>
<p>A kite that would not come down stayed up for a whole summer.</p></section></section>"""
    nav = """<nav epub:type="toc"><ol><li><a href="w.xhtml#s4">SECTION FOUR WEATHER STORIES</a><ol>
<li><a href="w.xhtml#s4-1">The Kite</a></li></ol></li></ol></nav>"""
    book = build_epub(tmp_path / "weather.epub", "Weather Stories", [Doc("w.xhtml", body)], nav=nav)
    assert headings(book) == [("SECTION FOUR WEATHER STORIES", False), ("The Kite", False)]
    voice = narrated(book)
    assert "one hundred and sixty-nine" not in voice and "169" not in voice and "171" not in voice
    assert "it usually wins." in voice


def test_notes_without_a_heading_are_back_matter_and_the_title_is_not_a_chapter(tmp_path: Path) -> None:
    body = """<section epub:type="frontmatter"><h1>The Heron</h1><p>for the ferryman</p></section>
<section epub:type="bodymatter"><h2 id="one">I. STANDING</h2><p>The heron stands in the shallows as if it had
been planted there.</p><h2 id="two">II. LIFTING</h2><p>When it lifts, it folds its neck like a letter.</p></section>
<section epub:type="backmatter"><section epub:type="rearnotes"><p>Line 3. The shallows are the ford below the mill.</p>
</section></section>"""
    nav = """<nav epub:type="toc"><ol><li><a href="h.xhtml#one">I. STANDING</a></li>
<li><a href="h.xhtml#two">II. LIFTING</a></li></ol></nav>"""
    book = build_epub(tmp_path / "heron.epub", "The Heron", [Doc("h.xhtml", body)], nav=nav)
    assert headings(book) == [("I. STANDING", False), ("II. LIFTING", False), ("Notes", True)]
    voice = narrated(book)
    assert "for the ferryman" in voice and "folds its neck" in voice
    assert "ford below the mill" not in voice


def test_a_part_page_listing_its_chapters_keeps_its_heading_not_the_list(tmp_path: Path) -> None:
    docs = [
        Doc("part1.xhtml", '<h1>Part One: Rivers</h1><ul><li><a href="c1.xhtml">Chapter 1. Sources</a></li>'
            '<li><a href="c2.xhtml">Chapter 2. Mouths</a></li><li><a href="c3.xhtml">Chapter 3. Floods</a></li></ul>'),
        Doc("c1.xhtml", "<h1>Chapter 1. Sources</h1><p>Most rivers begin as a wet patch in a field that nobody notices.</p>"),
        Doc("c2.xhtml", "<h1>Chapter 2. Mouths</h1><p>At the other end they spread out and slow down, dropping silt.</p>"),
        Doc("c3.xhtml", "<h1>Chapter 3. Floods</h1><p>Once a decade the river remembers how wide it used to be.</p>"),
    ]  # fmt: skip
    nav = """<nav epub:type="toc"><ol><li><a href="part1.xhtml">Part One: Rivers</a><ol>
<li><a href="c1.xhtml">Chapter 1. Sources</a></li><li><a href="c2.xhtml">Chapter 2. Mouths</a></li>
<li><a href="c3.xhtml">Chapter 3. Floods</a></li></ol></li></ol></nav>"""
    book = build_epub(tmp_path / "rivers.epub", "Rivers and Roads", docs, nav=nav)
    assert [h for h, _ in headings(book)] == [
        "Part One: Rivers",
        "Chapter 1. Sources",
        "Chapter 2. Mouths",
        "Chapter 3. Floods",
    ]
    assert narrated(book).count("Chapter one. Sources") == 1  # said once, as its chapter, not in a list


def test_a_title_page_goes_but_a_dedication_sharing_it_stays(tmp_path: Path) -> None:
    docs = [
        Doc("title.xhtml", "<h1>Working in the Open</h1><h2>Notes from a Print Shop</h2><h3>Rosalind Achterberg</h3>"
            "<p>Copyright 2019 Rosalind Achterberg, under a licence that lets you share it.</p>"
            "<h1>Dedication</h1><p>To the night shift, who kept the presses warm.</p>"),
        Doc("c1.xhtml", "<h1>Setting Type</h1><p>Every letter was a small block of lead, picked from a case by hand.</p>"),
    ]  # fmt: skip
    nav = """<nav epub:type="toc"><ol><li><a href="title.xhtml">Working in the Open</a></li>
<li><a href="c1.xhtml">Setting Type</a></li></ol></nav>"""
    book = build_epub(tmp_path / "open.epub", "Working in the Open", docs, nav=nav)
    assert [h for h, _ in headings(book)] == ["Dedication", "Setting Type"]
    voice = narrated(book)
    assert "To the night shift" in voice
    assert "Notes from a Print Shop" not in voice and "under a licence" not in voice


def test_a_running_footer_on_every_page_is_not_read_but_a_repeated_line_in_the_text_is(tmp_path: Path) -> None:
    footer = "<p>From Field Notes on Moss, second edition. Shared under a free documentation licence.</p>"
    docs = [
        Doc(f"c{n}.xhtml", f"<h1>{name}</h1><p>{text}</p><p>Yes.</p><p>{text.upper()}</p>{footer}")
        for n, (name, text) in enumerate(
            [
                ("Cushions", "Cushion moss grows in domes that hold water like a sponge."),
                ("Carpets", "Carpet mosses creep across stones and roots in a flat mat."),
                ("Feathers", "Feather moss branches in fronds that look like tiny ferns."),
                ("Stars", "Star moss stands upright with leaves spread like a starfish."),
            ]
        )
    ]
    nav = (
        '<nav epub:type="toc"><ol>'
        + "".join(
            f'<li><a href="c{n}.xhtml">{name}</a></li>'
            for n, name in enumerate(["Cushions", "Carpets", "Feathers", "Stars"])
        )
        + "</ol></nav>"
    )
    book = build_epub(tmp_path / "moss.epub", "Field Notes on Moss", docs, nav=nav)
    voice = narrated(book)
    assert "free documentation licence" not in voice
    assert voice.count("Yes.") == 4
    assert "Star moss stands upright" in voice


def test_an_etext_with_a_contents_list_a_byline_and_a_licence_page_reads_as_the_book(tmp_path: Path) -> None:
    """Gutenberg's own EPUBs: the title and 'By …' as headings, a CONTENTS block of links,
    chapters over several files, and a last file whose heading sits over the licence."""
    first = (
        """<h1 id="t">THE SALT ROADS</h1><h2>By Rosalind Achterberg</h2><blockquote><div>
<p class="toc"><big>CONTENTS</big></p>"""
        + "".join(f'<p class="toc"><a href="part{n // 2}.html#c{n}">Chapter {n}</a></p>' for n in range(1, 7))
        + """</div></blockquote><h2 id="c1">Chapter 1</h2><p>The salt came down from the hills on mules.</p>
<h2 id="c2">Chapter 2</h2><p>The mules knew the road better than the drivers did.</p>"""
    )
    later = [
        Doc(f"part{n}.html", f'<h2 id="c{2 * n + 1}">Chapter {2 * n + 1}</h2><p>Chapter {2 * n + 1} goes on about the road.</p>'
            f'<h2 id="c{2 * n + 2}">Chapter {2 * n + 2}</h2><p>Chapter {2 * n + 2} ends at the sea.</p>')
        for n in (1, 2)
    ]  # fmt: skip
    last = Doc("bm.html", '<h2 id="about">About Project Gutenberg</h2><div class="pgmonospaced pgheader">End of the '
               "Project Gutenberg EBook of The Salt Roads<br/>*** END OF THIS PROJECT GUTENBERG EBOOK THE SALT ROADS ***"
               "<br/>Section 1. General Terms of Use</div>")  # fmt: skip
    points = [("THE SALT ROADS", "part0.html#t")] + [
        (f"Chapter {n}", f"part{(n - 1) // 2}.html#c{n}") for n in range(1, 7)
    ] + [("More Info", "bm.html")]  # fmt: skip
    book = build_epub(
        tmp_path / "salt.epub", "The Salt Roads", [Doc("part0.html", first), *later, last], ncx_points=points
    )
    assert load_article(book).title == "The Salt Roads"
    assert [h for h, _ in headings(book)] == [f"Chapter {n}" for n in range(1, 7)]
    voice = narrated(book)
    assert "CONTENTS" not in voice and "Rosalind" not in voice and "Gutenberg" not in voice and "More Info" not in voice
    assert voice.count("Chapter one") == 1


def test_a_topic_named_like_back_matter_deep_in_a_chapter_is_read(tmp_path: Path) -> None:
    body = """<section epub:type="chapter"><h1>Chapter 2. Building Better Books</h1><p>Structure comes first.</p>
<h2 id="sem">Semantics</h2><p>Say what each part of the page is.</p><h3 id="fn">Footnotes</h3>
<p>Footnotes need a way back to the sentence that called them.</p><h3 id="pn">Page Numbers</h3>
<p>Print page numbers help a class read along together.</p><h2>Notes</h2><p>1. Written on a train.</p></section>"""
    nav = """<nav epub:type="toc"><ol><li><a href="c2.xhtml">Chapter 2. Building Better Books</a><ol>
<li><a href="c2.xhtml#sem">Semantics</a><ol><li><a href="c2.xhtml#fn">Footnotes</a></li>
<li><a href="c2.xhtml#pn">Page Numbers</a></li></ol></li></ol></li></ol></nav>"""
    book = build_epub(tmp_path / "better.epub", "Better Books", [Doc("c2.xhtml", body)], nav=nav)
    assert headings(book) == [
        ("Chapter 2. Building Better Books", False),
        ("Semantics", False),
        ("Footnotes", False),
        ("Page Numbers", False),
        ("Notes", True),
    ]
    voice = narrated(book)
    assert "need a way back" in voice and "Written on a train" not in voice


def test_a_title_page_set_as_headings_at_the_top_of_a_long_page_is_not_read(tmp_path: Path) -> None:
    body = (
        """<h3 id="s">THE "HEARTH" LIBRARY</h3><h1 id="t">THE KITE<br/>THAT WOULD NOT LAND</h1>
<h4 id="p">GREENWAY AND DAUGHTERS<br/>LONDON</h4><h4 id="c">Copyright, 1921,<br/>by GREENWAY AND DAUGHTERS</h4>
<p>The kite over the harbour wall.</p><h2 id="c1">I—THE STRING</h2>"""
        + "".join(
            f"<p>Sentence {n} of the first chapter tells how the string was bought, waxed and wound.</p>"
            for n in range(8)
        )
        + """<h2 id="c2">II—THE WIND</h2><p>The wind came off the sea at noon and did not stop for a week.</p>"""
    )
    points = [('THE "HEARTH" LIBRARY', "k.html#s"), ("THE KITE THAT WOULD NOT LAND", "k.html#t"),
              ("GREENWAY AND DAUGHTERS LONDON", "k.html#p"), ("Copyright, 1921, by GREENWAY AND DAUGHTERS", "k.html#c"),
              ("I—THE STRING", "k.html#c1"), ("II—THE WIND", "k.html#c2")]  # fmt: skip
    book = build_epub(tmp_path / "kite.epub", "The Kite That Would Not Land", [Doc("k.html", body)], ncx_points=points)
    assert [h for h, _ in headings(book)] == ["I—THE STRING", "II—THE WIND"]
    voice = narrated(book)
    assert "HEARTH" not in voice and "GREENWAY" not in voice and "harbour wall" not in voice
    assert "string was bought" in voice


def test_a_short_dedication_and_epigraph_under_the_title_are_read(tmp_path: Path) -> None:
    body = """<h1>The Kite That Would Not Land</h1><h2>Dedication</h2><p>For Aunt Win.</p>
<h2>Epigraph</h2><p>What goes up stays up, if it is stubborn enough.</p><h2 id="c1">I—THE STRING</h2>""" + "".join(
        f"<p>Sentence {n} of the first chapter tells how the string was bought, waxed and wound.</p>" for n in range(30)
    )  # a chapter's length: a short page headed by the title is a title page
    book = build_epub(tmp_path / "kite2.epub", "The Kite That Would Not Land", [Doc("k.html", body)], ncx_points=[])
    assert [h for h, _ in headings(book)] == ["Dedication", "Epigraph", "I—THE STRING"]
    assert "For Aunt Win." in narrated(book)


@pytest.mark.parametrize(
    ("box", "label"),
    [
        ('<div class="tip" title="Tip"><h3 class="title">Tip</h3>', "Tip"),
        ('<div class="note"><h3 class="title">note</h3>', "note"),
        ('<aside class="admonition warning"><h4>Warning</h4>', "Warning"),
        ('<div class="caution"><h2>Caution</h2>', "Caution"),
    ],
)
def test_a_note_or_tip_box_inside_a_chapter_is_its_paragraphs_lead_in_not_a_heading(
    tmp_path: Path, box: str, label: str
) -> None:
    closing = "</aside>" if box.startswith("<aside") else "</div>"
    body = f"""<section epub:type="chapter"><h1>Chapter 3. Keeping the Bees</h1>
<p>A hive wants a dry stand and morning sun.</p>{box}<p>Move a hive at night, when the bees are in.</p>{closing}
<h2>Swarming</h2><p>In May the old queen leaves with half the colony.</p>
<div class="notes"><h2>Notes</h2><p>1. Counted by the keeper in 1911.</p></div></section>"""
    book = build_epub(tmp_path / "bees.epub", "Keeping Bees", [Doc("c3.xhtml", body)])
    found = [h for h, _back in headings(book)]
    assert label not in found
    assert found[:2] == ["Chapter 3. Keeping the Bees", "Swarming"]
    assert "Notes" in found  # a book's notes section is no box: it stays a section
    assert f"{label}: Move a hive at night" in narrated(book, back_matter="read")
