"""bench_fidelity's "by the issue's rules" columns: a disagreement counts only when the rule it
rests on is seen in the answer or the page, and the raw columns never move."""

import importlib.util
import sys
from pathlib import Path

import pytest
from lxml import html

BENCH = Path(__file__).resolve().parents[1] / "bench" / "bench_fidelity.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_fidelity", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_fidelity", module)
    spec.loader.exec_module(module)
    return module


bench = _bench()


@pytest.mark.parametrize(
    ("answer", "sites", "title", "right"),
    [
        ("How to Fold a Map | Papercraft", frozenset(), "How to Fold a Map", True),
        ("Harbour fees rise again - The Courier - News", frozenset(), "Harbour fees rise again", True),
        ("Weekly notes for 3 May [Tideline]", frozenset(), "Weekly notes for 3 May", True),
        ("渡船时刻表调整_本地新闻_港口日报", frozenset(), "渡船时刻表调整_本地新闻", True),
        # the part cut must be shorter than the title kept: a title is never cut to its site
        ("Ferry | The Harbour Courier Daily", frozenset(), "Ferry", False),
        # a part at the start goes only when the page names its site so
        ("Tideline — Weekly notes for 3 May", frozenset({"tideline"}), "Weekly notes for 3 May", True),
        ("Release 1.8 - The Long Summer", frozenset(), "The Long Summer", False),
        # a colon is not a separator: a title's own two halves stay together
        ("Lake Orrin: a history", frozenset(), "Lake Orrin", False),
    ],
)
def test_a_title_is_right_by_the_rules_only_when_the_site_name_is_cut(
    answer: str, sites: frozenset[str], title: str, right: bool
) -> None:
    assert (bench.norm(title) in bench.site_name_cuts(answer, sites)) is right


@pytest.mark.parametrize(
    ("answer", "articles", "title", "right"),
    [
        # the kept part is the page's own h1: the site part goes however long it is
        ("Orrin - The Free Lake Atlas", frozenset({"orrin"}), "Orrin", True),
        ("Tides: a primer — tide tables for the north coast", frozenset({"tides a primer"}), "Tides: a primer", True),
        # without that evidence the longer part still stays
        ("Orrin - The Free Lake Atlas", frozenset(), "Orrin", False),
        # a heading of the page that sits at the end is never kept by cutting the start
        ("Tides: a primer — tide tables", frozenset({"tide tables"}), "tide tables", False),
    ],
)
def test_a_site_part_longer_than_the_title_is_cut_when_the_page_names_its_article_so(
    answer: str, articles: frozenset[str], title: str, right: bool
) -> None:
    assert (bench.norm(title) in bench.site_name_cuts(answer, frozenset(), articles)) is right


def test_an_answer_that_is_the_site_s_own_name_gives_way_to_the_page_s_name_for_its_article() -> None:
    def by_rules(found: str, sites: frozenset[str]) -> str:
        expected = bench.Expected(
            "Coastal Post - News and Weather",
            None,
            None,
            site_names=sites,
            article_names=frozenset({"coastal post news and weather", "ferry timetable changes"}),
        )
        score = bench.Score()
        score.add(expected, bench.Output(found))
        return score.row()["title="]

    declared = frozenset({"coastal post news and weather"})
    assert by_rules("Ferry timetable changes", declared) == "1.000"
    assert by_rules("Ferry timetable changes", frozenset()) == "0.000"  # not declared: the answer stands
    assert by_rules("Coastal Post - News and Weather", declared) == "1.000"
    assert by_rules("Something else entirely", declared) == "0.000"


def test_the_page_s_names_for_its_article_are_its_h1s_and_og_title() -> None:
    page = html.document_fromstring(
        "<html><head><title>Orrin - Atlas</title><meta property='og:title' content='Lake Orrin, drained'>"
        "</head><body><h1>Orrin</h1><h2>History</h2></body></html>"
    )
    assert bench.article_names(page) == frozenset({"orrin", "lake orrin drained"})


def test_rules_count_bold_lines_dropped_headings_and_comment_threads_beside_the_raw_figures() -> None:
    expected = bench.Expected(
        "Harbour fees",
        ("Tariffs", "3 comments"),
        "body",
        bold_lines=frozenset({"the vote"}),
        dropped_headings=frozenset({"history"}),
        comment_headings=frozenset({"3 comments"}),
    )
    score = bench.Score()
    score.add(expected, bench.Output("Harbour fees", ("Tariffs", "The vote", "History", "Related"), ("body",)))
    row = score.row()
    assert (row["head P"], row["head R"]) == ("0.250", "0.500")  # raw: 1 of 4 found, 1 of 2 expected
    # by the rules: the bold line and the dropped heading count, the comment heading is not owed,
    # and "Related" stays an extra heading
    assert (row["head P="], row["head R="]) == ("0.750", "1.000")


def test_the_answer_s_bold_lines_and_the_page_s_dropped_headings_are_read_from_the_markup() -> None:
    answer = html.fromstring(
        "<div><p><strong>The vote</strong></p><p>Text under it.</p><p><b>A whole bold sentence that runs on"
        " and on past ten words for sure.</b></p><p>More.</p></div>"
    )
    assert bench.bold_lines(answer) == frozenset({"the vote"})
    page = html.document_fromstring(
        "<html><body><h2>History</h2><p>The harbour was dug in the winter of the great frost by hand.</p>"
        "<h2>Related</h2><p>Other stories from the same coast that nobody kept here.</p>"
        "<div class='comments'><h3>3 comments</h3></div></body></html>"
    )
    kept = "The harbour was dug in the winter of the great frost by hand."
    assert bench.dropped_headings(page, kept) == frozenset({"history"})
    assert bench.comment_headings(page) == frozenset({"3 comments"})


def test_a_dropped_heading_is_named_without_its_wiki_edit_link() -> None:
    """The answer's headings lose "[edit]"; the page's must too, or "Community" never matches."""
    page = html.document_fromstring(
        "<html><body><h2>Community<span>[<a href='?action=edit'>edit</a>]</span></h2>"
        "<p>The community consists of many volunteers from across the whole wide globe.</p></body></html>"
    )
    kept = "The community consists of many volunteers from across the whole wide globe."
    assert bench.dropped_headings(page, kept) == frozenset({"community"})


def test_pages_with_only_an_article_body_are_scored_on_the_body(tmp_path) -> None:
    """scrapinghub's layout: ground-truth.json by page id, each page gzipped under html/."""
    import gzip
    import json

    (tmp_path / "html").mkdir()
    page = "<html><body><article><h1>Tides</h1><p>High water is at noon on Sunday.</p></article></body></html>"
    (tmp_path / "html" / "abc.html.gz").write_bytes(gzip.compress(page.encode("utf-8")))
    (tmp_path / "ground-truth.json").write_text(
        json.dumps({"abc": {"articleBody": "High water is at noon on Sunday."}})
    )
    [(name, fmt, text, expected)] = list(bench.article_body_pages(tmp_path))
    assert (name, fmt, text) == ("abc", "html", page)
    assert (expected.title, expected.headings, expected.body) == (None, None, "High water is at noon on Sunday.")


def test_pages_with_known_titles_are_read_in_both_test_data_layouts(tmp_path: Path) -> None:
    page = "<html><head><title>{0} | Tideline</title></head><body><h1>{0}</h1><p>Text.</p></body></html>"
    (tmp_path / "title").mkdir()
    (tmp_path / "title" / "gulls.html").write_text(page.format("Gulls return"), encoding="utf-8")
    (tmp_path / "title" / "gulls.json").write_text('{"expected": {"title": "Gulls return"}}', encoding="utf-8")
    (tmp_path / "title" / "empty.html").write_text(page.format(""), encoding="utf-8")
    (tmp_path / "title" / "empty.json").write_text('{"expected": {"title": ""}}', encoding="utf-8")
    (tmp_path / "html").mkdir()
    (tmp_path / "metadata").mkdir()
    (tmp_path / "html" / "ferry.html").write_text(page.format("Ferry cut"), encoding="utf-8")
    (tmp_path / "metadata" / "ferry.json").write_text('{"title": "Ferry cut", "language": "en"}', encoding="utf-8")
    found = {name: expected.title for name, _, _, expected in bench.title_pages(tmp_path)}
    assert found == {"title/gulls.html": "Gulls return", "html/ferry.html": "Ferry cut"}
    (expected,) = [e for name, _, _, e in bench.title_pages(tmp_path) if name == "html/ferry.html"]
    assert expected.headings is None and expected.body is None  # only the title is scored
