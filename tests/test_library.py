import os
from pathlib import Path

import pytest

from listen.articles import library
from listen.articles.library import scan_library
from listen.errors import ArticleError


@pytest.fixture
def folder(write) -> Path:
    write("a.txt", "Zebra Crossing Repainted\n\nThe crossing on Mill Road was repainted overnight.")
    write("nested/deeper/b.md", "---\ntitle: Apple Harvest\nlanguage: en\n---\n\nThe orchard opened.")
    write(
        "nested/c.html",
        "<html lang='fr'><head><title>Le marché</title></head><body><h1>Le marché</h1><p>Le marché rouvre ce matin.</p></body></html>",
    )
    write("notes.pdf", b"%PDF-1.4 not an article")
    write("empty.txt", "   ")
    write(".hidden.txt", "Hidden\n\nNot listed.")
    return write("a.txt", "Zebra Crossing Repainted\n\nThe crossing on Mill Road was repainted overnight.").parent


def test_scan_finds_articles_recursively_sorted_by_title(folder: Path) -> None:
    summaries = scan_library(folder)
    assert [s.title for s in summaries] == ["Apple Harvest", "Le marché", "Zebra Crossing Repainted"]
    assert {s.path.name for s in summaries} == {"a.txt", "b.md", "c.html"}
    zebra = summaries[-1]
    assert zebra.words == 11 and zebra.language == "en" and zebra.modified > 0
    assert summaries[1].language == "fr"


def test_second_scan_reads_nothing_and_a_changed_file_is_read_again(folder: Path, monkeypatch) -> None:
    scan_library(folder)
    calls: list[Path] = []
    real = library.summarize
    monkeypatch.setattr(library, "summarize", lambda path, mtime: calls.append(path) or real(path, mtime))
    scan_library(folder)
    assert calls == []
    changed = folder / "a.txt"
    changed.write_text("Zebra Crossing Repainted Again\n\nNew paint.", encoding="utf-8")
    os.utime(changed, ns=(1, 2_000_000_000))
    titles = [s.title for s in scan_library(folder)]
    assert calls == [changed]
    assert "Zebra Crossing Repainted Again" in titles


def test_a_corrupt_index_is_rebuilt(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "library-index.json").write_text("{not json", encoding="utf-8")
    assert len(scan_library(folder, cache_dir=cache)) == 3


def test_scanning_a_missing_folder_or_a_file_says_so(tmp_path: Path, write) -> None:
    with pytest.raises(ArticleError, match="no such folder"):
        scan_library(tmp_path / "missing")
    with pytest.raises(ArticleError, match="is a file"):
        scan_library(write("x.txt", "X\n\nY"))


def test_summaries_carry_the_opening_of_the_text_for_filtering(folder: Path) -> None:
    by_name = {s.path.name: s for s in scan_library(folder)}
    assert by_name["a.txt"].text == "The crossing on Mill Road was repainted overnight."
    assert "rouvre ce matin" in by_name["c.html"].text


FIXTURES = Path(__file__).parent / "fixtures" / "fidelity"


def test_a_page_is_summarised_as_show_reads_it(tmp_path: Path) -> None:
    from listen.articles.load import load_article

    page = tmp_path / "ferry.html"
    page.write_bytes((FIXTURES / "html-news-comments.html").read_bytes())
    (summary,) = scan_library(tmp_path)
    article = load_article(page)
    assert (summary.title, summary.words, summary.language) == (article.title, article.words, article.language)
    assert summary.title == "Ferry timetable cut as river levels fall"
    assert summary.listening_minutes == article.listening_minutes
    assert "Derek Hollis" not in summary.text


def test_a_file_show_refuses_is_a_refused_row_with_the_reason(write) -> None:
    write(
        "home.html",
        "<html><head><title>Home</title></head><body><nav><a href='/'>Home</a></nav><img alt='V8' src='v8.png'></body></html>",
    )
    folder = write("good.txt", "Good News\n\nThe bakery reopened on Friday.").parent
    assert [s.path.name for s in scan_library(folder)] == ["good.txt"]
    rows = {s.path.name: s for s in scan_library(folder, include_refused=True)}
    assert not rows["good.txt"].refused
    home = rows["home.html"]
    assert home.refused and home.words == 0
    assert home.refusal.startswith("no article text found")
