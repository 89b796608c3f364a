"""EPUB books: spine order, navigation titles as sections (nested ones deeper), metadata, and
one clear line for a DRM-protected, broken or incomplete book. Every book is made here."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from ebooklib import epub

from listen.articles import load_article
from listen.articles.epub import is_drm
from listen.batch.jobs import collect
from listen.errors import ArticleError

LISTEN = str(Path(sys.executable).parent / "listen")

LOCKS = """<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>Locks</title>
<link rel="stylesheet" href="style.css"/></head><body>
<section epub:type="chapter"><h1 class="chapter-title">Chapter One: The Locks</h1>
<p>The canal climbs forty metres in a mile, so the locks come one after another like stairs,
and a narrowboat takes most of a morning to get to the top.<a epub:type="noteref" href="#n1">1</a></p>
<p>Lock keepers once lived in the cottages beside each gate; now volunteers in green jackets
open the paddles at weekends and explain the difference between a ground paddle and a gate paddle.</p>
<h2 id="winding">Winding holes</h2>
<p>A boat seventy feet long cannot turn just anywhere. Winding holes are the wide notches in the bank
where a steerer can swing the bow round, usually with an audience.</p>
<aside epub:type="footnote" id="n1"><p>The flight was restored in 1974.</p></aside>
</section></body></html>"""
BRIDGES = """<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Bridges</title></head><body>
<h1>Chapter Two: Bridges</h1>
<p>Every bridge on the towpath has a number on a cast-iron plate, counted from the junction,
and walkers use them the way drivers use junction numbers on a motorway.</p>
<div class="sidebar"><p>Roving bridges let the towing horse cross to the other bank without being unhitched.</p></div>
<pre>Bridge 41  Ferry Lane
Bridge 42  Mill Street</pre>
</body></html>"""
AFTERWORD = """<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Afterword</title></head><body>
<p>Thanks to the volunteers of the canal trust, who answered questions in the rain.</p></body></html>"""


def make_epub3(folder: Path, *, name: str = "canal.epub") -> Path:
    book = epub.EpubBook()
    book.set_identifier("urn:uuid:6f7c1c2e-canal-walks")
    book.set_title("Walking the Canal")
    book.set_language("en")
    book.add_author("Oluwaseun Adeyemi")
    book.add_author("Kit Barlow")
    book.add_metadata("DC", "date", "2025-03-14")
    book.set_cover("cover.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    chapters = [
        epub.EpubHtml(title="Locks", file_name="text/locks.xhtml", content=LOCKS),
        epub.EpubHtml(title="Bridges", file_name="text/bridges.xhtml", content=BRIDGES),
        epub.EpubHtml(title="Afterword", file_name="text/afterword.xhtml", content=AFTERWORD),
    ]
    for chapter in chapters:
        book.add_item(chapter)
    book.toc = [
        (epub.Section("Part One: Uphill"), [
            (epub.Link("text/locks.xhtml", "The Locks", "locks"), [epub.Link("text/locks.xhtml#winding", "Winding holes", "winding")]),
            epub.Link("text/bridges.xhtml", "Bridges", "bridges"),
        ]),
        epub.Link("text/afterword.xhtml", "Afterword", "afterword"),
    ]  # fmt: skip
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["cover", "nav", *chapters]
    path = folder / name
    epub.write_epub(str(path), book)
    return path


def make_epub2(folder: Path) -> Path:
    """An EPUB 2 as older tools write it: an NCX and no nav document, made by hand."""
    path = folder / "ferry.epub"
    chapter = """<?xml version="1.0" encoding="utf-8"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>{t}</title></head><body><h2>{t}</h2><p>{p}</p></body></html>"""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr(
            "META-INF/container.xml",
            """<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>""",
        )
        z.writestr(
            "OEBPS/content.opf",
            """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="id">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
<dc:title>The Ferry Year</dc:title><dc:creator opf:role="aut">Mairead Quinn</dc:creator><dc:language>en-IE</dc:language>
<dc:identifier id="id">ferry-year-2</dc:identifier></metadata>
<manifest><item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
<item id="c1" href="winter.html" media-type="application/xhtml+xml"/><item id="c2" href="summer.html" media-type="application/xhtml+xml"/></manifest>
<spine toc="ncx"><itemref idref="c1"/><itemref idref="c2"/></spine></package>""",
        )
        z.writestr(
            "OEBPS/toc.ncx",
            """<?xml version="1.0" encoding="utf-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><head/><docTitle><text>The Ferry Year</text></docTitle>
<navMap><navPoint id="n1" playOrder="1"><navLabel><text>Winter crossings</text></navLabel><content src="winter.html"/></navPoint>
<navPoint id="n2" playOrder="2"><navLabel><text>Summer crossings</text></navLabel><content src="summer.html"/></navPoint></navMap></ncx>""",
        )
        z.writestr(
            "OEBPS/winter.html",
            chapter.format(
                t="Winter",
                p="In January the ferry runs every forty minutes, and the crew chip ice off the ramp before the first crossing.",
            ),
        )
        z.writestr(
            "OEBPS/summer.html",
            chapter.format(
                t="Summer",
                p="By July it runs every ten minutes and the queue of cars reaches back past the ice-cream van.",
            ),
        )
    return path


def rezip(source: Path, dest: Path, *, drop: str = "", add: dict[str, str] | None = None) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(dest, "w") as new:
        for item in old.infolist():
            if not (drop and item.filename.endswith(drop)):
                new.writestr(item, old.read(item.filename))
        for name, text in (add or {}).items():
            new.writestr(name, text)
    return dest


def test_an_epub3_reads_in_spine_order_with_its_navigation_as_sections(tmp_path: Path) -> None:
    article = load_article(make_epub3(tmp_path))
    assert article.title == "Walking the Canal"
    assert article.author == "Oluwaseun Adeyemi, Kit Barlow"
    assert article.language == "en" and article.date == "2025-03-14"
    assert [(s.heading, s.level) for s in article.sections] == [
        ("Part One: Uphill", 2),
        ("The Locks", 3),
        ("Winding holes", 4),
        ("Bridges", 3),
        ("Afterword", 2),
    ]
    locks = article.sections[1].paragraphs
    assert locks[0].startswith("The canal climbs forty metres") and locks[0].endswith(
        "get to the top."
    )  # no '1' marker
    bridges = article.sections[3]
    assert bridges.paragraphs[1].startswith("Roving bridges")
    assert bridges.is_code(2) and bridges.paragraphs[2] == "Bridge 41  Ferry Lane\nBridge 42  Mill Street"


def test_the_cover_and_the_navigation_page_are_not_read_as_text(tmp_path: Path) -> None:
    article = load_article(make_epub3(tmp_path))
    text = " ".join(article.paragraphs)
    assert "Part One: Uphill" not in text and "cover" not in text.lower()
    assert "Chapter One: The Locks" not in text and "Chapter One: The Locks" not in [
        s.heading for s in article.sections
    ]


def test_an_epub2_with_only_an_ncx(tmp_path: Path) -> None:
    article = load_article(make_epub2(tmp_path))
    assert article.title == "The Ferry Year" and article.author == "Mairead Quinn" and article.language == "en"
    assert [s.heading for s in article.sections] == ["Winter crossings", "Summer crossings"]
    assert article.sections[1].paragraphs[0].startswith("By July")


def test_a_missing_chapter_file_is_one_line(tmp_path: Path) -> None:
    broken = rezip(make_epub3(tmp_path), tmp_path / "broken.epub", drop="bridges.xhtml")
    with pytest.raises(
        ArticleError, match=r"broken\.epub: a broken EPUB; it lists EPUB/text/bridges\.xhtml but the file is missing"
    ):
        load_article(broken)


def test_drm_is_one_line_but_obfuscated_fonts_are_fine(tmp_path: Path) -> None:
    book = make_epub3(tmp_path)
    drm = """<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
<enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>
<enc:CipherData><enc:CipherReference URI="EPUB/text/locks.xhtml"/></enc:CipherData></enc:EncryptedData></encryption>"""
    fonts = drm.replace("http://www.w3.org/2001/04/xmlenc#aes128-cbc", "http://www.idpf.org/2008/embedding").replace(
        "EPUB/text/locks.xhtml", "EPUB/fonts/serif.otf"
    )
    locked = rezip(book, tmp_path / "locked.epub", add={"META-INF/encryption.xml": drm})
    with pytest.raises(ArticleError, match="locked.epub: this EPUB is DRM-protected; listen reads only DRM-free books"):
        load_article(locked)
    assert is_drm(fonts.encode()) is False
    assert (
        load_article(rezip(book, tmp_path / "fonts.epub", add={"META-INF/encryption.xml": fonts})).title
        == "Walking the Canal"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not an EPUB (the file is not a readable zip archive)"),
        (b"PK\x03\x04 half a download", "not an EPUB (the file is not a readable zip archive)"),
    ],
)
def test_a_damaged_file_is_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "download.epub"
    path.write_bytes(content)
    with pytest.raises(ArticleError, match=re.escape(message)):
        load_article(path)


def test_a_zip_that_is_not_a_book(tmp_path: Path) -> None:
    path = tmp_path / "photos.epub"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("IMG_0001.jpg", b"\xff\xd8")
    with pytest.raises(ArticleError, match=r"a broken EPUB \(no META-INF/container.xml\)"):
        load_article(path)


def test_books_in_a_folder_are_built_like_articles(tmp_path: Path) -> None:
    make_epub3(tmp_path)
    files, rejected = collect([tmp_path])
    assert [f.name for f in files] == ["canal.epub"] and rejected == []


def test_show_prints_a_book(tmp_path: Path) -> None:
    out = subprocess.run([LISTEN, "show", str(make_epub2(tmp_path))], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[:3] == ["The Ferry Year", "", "Winter crossings"]


def test_a_navigation_entry_may_point_inside_a_paragraph(tmp_path: Path) -> None:
    """Converters often anchor a chapter on a span inside its first paragraph, not on a heading."""
    book = epub.EpubBook()
    book.set_identifier("urn:uuid:one-file-book")
    book.set_title("One File")
    book.set_language("en")
    body = """<html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body>
<p class="first"><span id="ch1"></span>Morning on the quay starts with the fish van reversing and beeping.</p>
<p>By nine the gulls have given up and gone inland.</p>
<p class="first"><span id="ch2">Evening</span> belongs to the rowing club and its loud coach.</p></body></html>"""
    page = epub.EpubHtml(title="x", file_name="all.xhtml", content=body)
    book.add_item(page)
    book.toc = [epub.Link("all.xhtml#ch1", "Mornings", "m"), epub.Link("all.xhtml#ch2", "Evenings", "e")]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = [page]
    path = tmp_path / "one.epub"
    epub.write_epub(str(path), book)
    article = load_article(path)
    assert [(s.heading, s.paragraphs[0][:20]) for s in article.sections] == [
        ("Mornings", "Morning on the quay "),
        ("Evenings", "Evening belongs to t"),
    ]
