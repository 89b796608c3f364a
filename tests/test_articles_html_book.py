"""A book saved as one HTML page (Project Gutenberg's HTML edition, old and new layouts, both
written here around our own plain-text fixture book) is read as a book: no header, licence,
transcriber's note or page numbers; chapters as chapters; the title page and a publisher's
list after THE END kept for the reader but never narrated."""

from pathlib import Path

import pytest

from listen.articles import load_article, parse_article
from listen.articles.html_book import read_html_book
from listen.speech.script import build_script

FIXTURES = Path(__file__).parent / "fixtures" / "fidelity"
LAYOUTS = ["html-gutenberg-old-layout.html", "html-gutenberg-new-layout.html"]


@pytest.mark.parametrize("name", LAYOUTS)
def test_the_header_fields_are_the_books_metadata(name: str) -> None:
    article = load_article(FIXTURES / name)
    assert (article.author, article.language) == ("Margaret Ellsworth Hale", "en")


@pytest.mark.parametrize("name", LAYOUTS)
def test_narration_starts_at_the_introduction_and_says_what_it_left_out(name: str) -> None:
    script = build_script(load_article(FIXTURES / name))
    assert [c.title for c in script.chapters][:2] == ["INTRODUCTION", "CHAPTER I. THE KEEPER AND HIS LAMP"]
    assert script.skipped == ("Front matter", "FOOTNOTES", "After the end")
    spoken = " ".join(u.text for u in script.utterances)
    for phrase in ("TREVANION", "BOOKS BY THE SAME AUTHOR", "cloth", "To my brother"):
        assert phrase not in spoken


@pytest.mark.parametrize("name", LAYOUTS)
def test_the_title_page_and_the_publishers_list_are_kept_for_the_reader(name: str) -> None:
    sections = {s.heading: s for s in load_article(FIXTURES / name).sections}
    assert "To my brother, who kept the lamp with me." in sections["Front matter"].paragraphs
    assert sections["After the end"].back_matter
    assert any("THE SALT MARSH" in p for p in sections["After the end"].paragraphs)


PAGE = """<html><head><title>The Project Gutenberg eBook of Salt, by Ann Tor</title></head><body>
<p>*** START OF THE PROJECT GUTENBERG EBOOK SALT ***</p>
{front}
<h2>CHAPTER I.</h2>
<h3>THE QUAY</h3>
<p>{text}</p>
<h2>CHAPTER II.</h2><h3>THE BOATS</h3>
<p>{text}</p>
<p>*** END OF THE PROJECT GUTENBERG EBOOK SALT ***</p><p>Licence words.</p>
</body></html>"""
TEXT = "The boats came in late that evening, low in the water and slow against the ebb. " * 12


def test_a_chapter_label_and_its_title_set_as_two_headings_are_one_chapter() -> None:
    article = parse_article(PAGE.format(front="", text=TEXT), "html")
    assert (article.title, article.author) == ("Salt", "Ann Tor")
    assert [s.heading for s in article.sections] == ["CHAPTER I. THE QUAY", "CHAPTER II. THE BOATS"]
    assert "Licence" not in " ".join(article.paragraphs)


def test_a_long_opening_without_a_label_is_text_not_front_matter() -> None:
    """More than a small share of the book before its first chapter is the book's own text
    (a long prologue set without a heading), so it is narrated, not put aside."""
    front = "<p>" + "Before the quay was built the boats lay on the sand. " * 60 + "</p>"
    article = parse_article(PAGE.format(front=front, text=TEXT), "html")
    assert not any(s.back_matter for s in article.sections)
    assert "Before the quay was built" in article.sections[0].paragraphs[0]


def test_a_page_that_is_not_an_etext_is_left_to_the_page_reader() -> None:
    assert read_html_book("<html><body><h1>Harbour news</h1><p>The quay reopened.</p></body></html>") is None
    # Quoting a marker in a sentence is not carrying one.
    quoted = "<html><body><p>Files begin with a line like *** START OF THE PROJECT GUTENBERG EBOOK X *** and so on.</p></body></html>"
    assert read_html_book(quoted) is None


def test_a_whole_book_on_one_page_keeps_every_story_not_only_the_first() -> None:
    """A single-page e-book (chapters marked epub:type="chapter") is all text: the news-page
    extractor kept its first story and dropped the rest, with no word of warning."""
    article = load_article(FIXTURES / "html-ebook-single-page.html")
    assert (article.title, article.author) == ("Tales of the Estuary", "Wenna Carlyon")
    headings = [s.heading for s in article.sections]
    assert [h for h in headings if h in ("The Ferryman", "The Net Loft", "The Lamp Room")] == [
        "The Ferryman",
        "The Net Loft",
        "The Lamp Room",
    ]
    assert [s.heading for s in article.sections if s.back_matter] == ["Imprint", "Colophon", "Copyright"]


AO3 = ["html-ao3-download.html", "html-ao3-work-page.html"]


@pytest.mark.parametrize("name", AO3)
def test_an_archive_work_is_its_story_title_author_and_summary(name: str) -> None:
    """A fan-fiction archive's download and its work page saved whole: the preface's title,
    author and summary are the article's; tags, landmarks ("Chapter Text"), kudos, comments
    and the archive's own lines are not in the text at all."""
    article = load_article(FIXTURES / name)
    assert (article.title, article.author) == ("Low Water", "wennawrites")
    assert article.standfirst == "Two people, one harbour, and a great deal of weather."
    chapters = [s.heading for s in article.sections if not s.back_matter]
    assert chapters == [
        "Chapter 1: The Net Loft",
        "Chapter 2: Low Water",
        "Chapter 3: What the Gulls Said",
        "Chapter 4: Home by the Long Road",
    ]


@pytest.mark.parametrize("name", AO3)
def test_the_authors_notes_are_kept_after_each_chapters_text_and_said_once_as_not_read(name: str) -> None:
    article = load_article(FIXTURES / name)
    for index, section in enumerate(article.sections):
        if section.heading == "Chapter 2: Low Water":
            assert not section.back_matter and section.paragraphs  # the story first
            assert article.sections[index + 1].heading == "Notes" and article.sections[index + 1].back_matter
    script = build_script(article)
    assert script.skipped == ("Notes",)
    assert script.chapters[0].utterances[-1].text != "Not read: Notes."
    assert script.chapters[-1].utterances[-1].text == "Not read: Notes."


def test_letters_beyond_ascii_survive_the_book_path() -> None:
    """The page is handed on to the book reader as bytes: undeclared, lxml would read them as
    Latin-1 ("Â" for every non-breaking space, three letters for a curly quote)."""
    text = "Café owners on the quay—and the ferryman’s dog—waited\u00a0for the tide. " * 12
    text += "</p>\n<p>&#160;</p>\n<p>Tamsin’s lamp was lit."  # a spacer paragraph, as archives set them
    article = parse_article(PAGE.format(front="", text=text), "html")
    assert article.sections[0].paragraphs[0].startswith("Café owners on the quay—and the ferryman’s dog—waited")
    assert not any("Â" in p or "â€" in p for p in article.paragraphs)
