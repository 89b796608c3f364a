"""Fidelity: does listen keep exactly the article? Title, headings and body against known answers.

    .venv/bin/python bench/bench_fidelity.py [FOLDER ...] [--readability DIR] [--trafilatura DIR] [--titles DIR]
                                             [--article-bodies DIR]
                                             [--limit N] [--peers/--no-peers]

Sources of known answers (none of the yardstick pages live in the project; give their paths):
- FOLDER (default tests/fixtures/fidelity): `NAME.txt|md|html` + `NAME.expected.json`
  (title, headings, body; the shared format of issue 11);
- --readability DIR: Mozilla Readability's test pages, `NAME/source.html` with
  `expected.html` (the article's HTML: its h1–h6 are the headings, the rest the body) and
  `expected-metadata.json` (the title);
- --titles DIR: pages with a known title only, as goose3 (`tests/data/**/X.html` beside
  `X.json` with "expected": {"title"}) and newspaper4k (`tests/data/html/X.html` with
  `tests/data/metadata/X.json` holding "title") keep their test data; only titles are scored
  (a held-out check for the title rules, which are tuned on Readability's pages alone);
- --trafilatura DIR: trafilatura's evaluation set, `evaldata.json` mapping each page (in
  `eval/` or `cache/`) to phrases that must be kept ("with") and must be dropped
  ("without"); scored as trafilatura scores it (whitespace-normalised substring match).
- --article-bodies DIR: pages with their article's text only, as scrapinghub's
  article-extraction-benchmark holds them (`ground-truth.json` mapping a page's id to its
  `articleBody`, `html/ID.html.gz` the page): body F1 only. Kept for held-out checks: no rule
  is tuned on it.

Figures, per system (listen and, on HTML pages, the peers: trafilatura in its precision,
default and recall modes, and readability-lxml), all through the same scorer:
- title: share of pages whose title matches exactly after case, punctuation and spacing
  are normalised; title~ also counts a title that is the expected one with words added or
  dropped at an end (Readability's expected titles keep site names: "… | eHow");
- heading P/R: micro-averaged over all pages (a heading counts once per expected copy);
- body F1: mean over pages of the token F1 (multisets of casefolded words) of the body.
- "by the issue's rules" (title=, head P=, head R=, printed beside the raw columns, never
  instead of them): where an answer disagrees with a rule issue 11 states, scored by the
  rule. Only disagreements a program can see in the answer and the page count, each named:
  * site name: a title is also right when it is the answer with whole parts cut from its end
    at a separator (" | ", " - ", " – ", " — ", " · ", " • ", " :: ", " » ", " @ ", "_", a
    trailing "[…]"), each part cut shorter than what is kept ("Article | eHow"), or cut from
    its start when the page declares that part as its site's name (og:site_name,
    application-name, twitter:site: "Firefox — …"); parts cut from the end may be longer
    than what is kept when what is kept is the page's own name for its article, an h1 or its
    og:title ("Mozilla - Wikipedia", h1 "Mozilla");
  * site's own title: when the answer is a name the page declares for its site, a title that
    is the page's own name for its article (an h1 or og:title that is not a site name) is right;
  * bold sub-heading: a heading found that the answer sets as a paragraph wholly in bold,
    standing alone above ordinary text (the issue: such lines are sub-headings);
  * dropped heading: a heading found that is an h1–h6 of the page whose section's first
    paragraph the answer keeps (the answer kept the text and lost its heading; the issue:
    every heading a chapter);
  * comment heading: a heading the answer expects that sits in a comment thread on the page
    (an element whose class or id token is a thread's name, "comments", "comment-list"…;
    the issue: comment threads out).
  Disagreements of other kinds (a related box or a newsletter box the answer keeps, a
  different but also right title) stay misses in both columns.
Peers' outputs are read with the same tree-to-blocks converter as listen's (html_blocks.py),
so headings and paragraphs are told apart the same way for everyone.
Goals (issue 11): body F1 ≥ the best peer's, heading P/R ≥ 0.95, title ≥ 0.90.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from lxml import etree  # noqa: E402
from lxml import html as lxml_html  # noqa: E402

from listen.articles.html_blocks import blocks_from_tree  # noqa: E402
from listen.articles.load import FORMATS, parse_article  # noqa: E402
from listen.articles.sections import Block, title_from_words  # noqa: E402
from listen.articles.text import decode  # noqa: E402
from listen.errors import ListenError  # noqa: E402

_WORD = re.compile(r"\w+")
_EDIT_LINK = re.compile(r"\s*\[\s*edit\s*\]$")
PEERS = ("trafilatura precision", "trafilatura default", "trafilatura recall", "readability-lxml")


@dataclass(frozen=True)
class Output:
    """What one system made of one page."""

    title: str = ""
    headings: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    failed: str = ""

    @property
    def text(self) -> str:
        """Everything shown as the article, title included (a phrase to keep may be the headline)."""
        return "\n".join((self.title, *self.headings, *self.body))


@dataclass(frozen=True)
class Expected:
    title: str | None  # None: the source states none, so titles are not scored
    headings: tuple[str, ...] | None
    body: str | None
    keep: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    # What the rules see in the answer and the page (see "by the rules" above),
    # as normalised texts: bold lines the answer keeps, headings of the page whose text it
    # keeps, and the answer's headings that sit in a comment thread.
    bold_lines: frozenset[str] = frozenset()
    dropped_headings: frozenset[str] = frozenset()
    comment_headings: frozenset[str] = frozenset()
    site_names: frozenset[str] = frozenset()  # what the page declares (og:site_name…), normalised
    # The page's own names for its article (its h1s and og:title), normalised.
    article_names: frozenset[str] = frozenset()


@dataclass
class Score:
    pages: int = 0
    titled: int = 0
    titles_right: int = 0
    titles_near: int = 0
    titles_by_rules: int = 0
    heading_found: int = 0
    heading_expected: int = 0
    heading_matched: int = 0
    rules_found: int = 0
    rules_expected: int = 0
    rules_matched: int = 0
    body_f1: list[float] = field(default_factory=list)
    tp: int = 0
    fp: int = 0
    fn: int = 0
    failures: int = 0
    seconds: float = 0.0

    def add(self, expected: Expected, output: Output) -> None:
        self.pages += 1
        self.failures += bool(output.failed)
        if expected.title is not None:
            self.titled += 1
            found, wanted = norm(output.title), norm(expected.title)
            self.titles_right += found == wanted
            # "near": one is the other with words added at an end (a site name kept or dropped).
            self.titles_near += bool(found) and (
                wanted.startswith(found) or found.startswith(wanted) or wanted.endswith(found) or found.endswith(wanted)
            )
            cuts = site_name_cuts(expected.title, expected.site_names, expected.article_names)
            # An answer that is the site's own name (yahoo-2's application-name) is no article's
            # title: the page's own name for its article is right by the rules instead.
            if wanted in expected.site_names:
                cuts |= expected.article_names - expected.site_names
            self.titles_by_rules += found == wanted or (bool(found) and found in cuts)
        if expected.headings is not None:
            title = norm(output.title) if expected.title is None else norm(expected.title)
            found = Counter(h for h in map(norm, output.headings) if h and h != title)
            wanted = Counter(h for h in map(norm, expected.headings) if h and h != title)
            self.heading_found += sum(found.values())
            self.heading_expected += sum(wanted.values())
            self.heading_matched += sum((found & wanted).values())
            ruled = wanted - Counter({h: n for h, n in wanted.items() if h in expected.comment_headings})
            extra = found - ruled
            ruled += Counter(
                {h: n for h, n in extra.items() if h in expected.bold_lines or h in expected.dropped_headings}
            )
            self.rules_found += sum(found.values())
            self.rules_expected += sum(ruled.values())
            self.rules_matched += sum((found & ruled).values())
        if expected.body is not None:
            self.body_f1.append(token_f1(" ".join(output.body), expected.body))
        if expected.keep or expected.drop:
            text = " ".join(output.text.split())
            kept = sum(1 for k in expected.keep if " ".join(k.split()) in text)
            leaked = sum(1 for d in expected.drop if " ".join(d.split()) in text)
            self.tp += kept
            self.fn += len(expected.keep) - kept
            self.fp += leaked

    def row(self) -> dict[str, str]:
        def ratio(a: int, b: int) -> str:
            return f"{a / b:.3f}" if b else "—"

        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return {
            "pages": str(self.pages),
            "title": ratio(self.titles_right, self.titled),
            "title~": ratio(self.titles_near, self.titled),
            "title=": ratio(self.titles_by_rules, self.titled),
            "head P": ratio(self.heading_matched, self.heading_found),
            "head R": ratio(self.heading_matched, self.heading_expected),
            "head P=": ratio(self.rules_matched, self.rules_found),
            "head R=": ratio(self.rules_matched, self.rules_expected),
            "body F1": f"{sum(self.body_f1) / len(self.body_f1):.3f}" if self.body_f1 else "—",
            "keep/drop F1": f"{2 * precision * recall / (precision + recall):.3f}" if precision + recall else "—",
            "failed": str(self.failures),
            "s/page": f"{self.seconds / self.pages:.3f}" if self.pages else "—",
        }


def norm(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def token_f1(found: str, expected: str) -> float:
    a, b = Counter(_WORD.findall(found.casefold())), Counter(_WORD.findall(expected.casefold()))
    if not a and not b:
        return 1.0
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


_TITLE_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|·|•|::|»|@)\s+|\s*_\s*|\s*(?=\[[^\]]*\]\s*$)")
# A class or id token that names a comment thread or one comment (matched whole).
_COMMENT_NAME = re.compile(
    r"comments?|comments?-(list|area|section|thread)|commentlist|disqus_thread|respond", re.IGNORECASE
)
_BOLD_TAGS = ("b", "strong")
_BOLD_WRAPPERS = ("em", "i", "span", "u", "font")
SUBHEADING_WORDS = 10  # as the bold sub-headings: a short label, not a sentence


def site_name_cuts(title: str, sites: frozenset[str] = frozenset(), articles: frozenset[str] = frozenset()) -> set[str]:
    """The normalised titles left when whole parts are cut from the end of `title` at its
    separators, each cut shorter than what is kept ('Article | eHow' → {'article'}), or from its
    start when each part cut there is a name the page declares for its site ('Firefox — …').
    Parts cut from the end may be as long as they like when what is kept is the page's own
    name for its article (an h1 or og:title in `articles`): 'Mozilla - Wikipedia', h1 'Mozilla'."""
    bounds, start = [], 0
    for cut in _TITLE_SEPARATOR.finditer(title):
        bounds.append((start, cut.start()))
        start = cut.end()
    bounds.append((start, len(title)))
    bounds = [(a, b) for a, b in bounds if title[a:b].strip()]
    cuts: set[str] = set()
    for first in range(len(bounds)):
        for last in range(first, len(bounds)):
            if (first, last) == (0, len(bounds) - 1):
                continue
            kept = title[bounds[first][0] : bounds[last][1]]  # with its own separators, as written
            dropped = [title[a:b] for a, b in bounds[last + 1 :]]
            if (first == 0 and norm(kept) in articles) or (
                all(norm(title[a:b]) in sites for a, b in bounds[:first])
                and all(len(norm(d)) < len(norm(kept)) for d in dropped)
            ):
                cuts.add(norm(kept))
    return cuts


def article_names(page: lxml_html.HtmlElement) -> frozenset[str]:
    """The page's own names for its article: the text of its h1s and its og:title."""
    found = [" ".join(h.itertext()) for h in page.iter("h1")]
    found += page.xpath("//meta[@property='og:title' or @name='og:title']/@content")
    return frozenset(n for name in found if (n := norm(str(name))))


def declared_site_names(page: lxml_html.HtmlElement) -> frozenset[str]:
    """The names a page declares for its site: og:site_name, application-name, twitter:site."""
    found = page.xpath(
        "//meta[@property='og:site_name' or @name='og:site_name' or @name='application-name'"
        " or @name='twitter:site' or @property='twitter:site']/@content"
    )
    return frozenset(n for name in found if (n := norm(str(name).lstrip("@"))))


def bold_lines(answer: lxml_html.HtmlElement) -> frozenset[str]:
    """Paragraphs of the answer wholly in bold, short, and followed by a paragraph that is not."""
    found = set()
    for paragraph in answer.iter("p"):
        following = paragraph.getnext()
        if _wholly_bold(paragraph) and following is not None and not _wholly_bold(following):
            text = norm(paragraph.text_content())
            if text and len(text.split()) <= SUBHEADING_WORDS:
                found.add(text)
    return frozenset(found)


def _wholly_bold(element: lxml_html.HtmlElement) -> bool:
    children = [c for c in element if isinstance(c.tag, str) and c.tag != "br"]
    if len(children) != 1 or (element.text or "").strip() or (children[0].tail or "").strip():
        return False
    return children[0].tag in _BOLD_TAGS or (children[0].tag in _BOLD_WRAPPERS and _wholly_bold(children[0]))


def dropped_headings(page: lxml_html.HtmlElement, answer_body: str) -> frozenset[str]:
    """Headings of the page whose section's first paragraph (six words or more) the answer keeps."""
    kept = f" {norm(answer_body)} "
    found = set()
    headings = list(page.iter("h1", "h2", "h3", "h4", "h5", "h6"))
    for heading in headings:
        # MediaWiki's "[edit]" link is furniture here as in the answer (readability_pages).
        name = norm(_EDIT_LINK.sub("", " ".join(heading.text_content().split())))
        for element in heading.itersiblings():
            if not isinstance(element.tag, str) or element.tag in ("script", "style"):
                continue
            if element.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                break
            words = norm(element.text_content())
            if len(words.split()) >= 6:
                if f" {' '.join(words.split()[:12])} " in kept:
                    found.add(name)
                break
    return frozenset(n for n in found if n)


def comment_headings(page: lxml_html.HtmlElement) -> frozenset[str]:
    """Headings of the page inside an element (not the page's body, main or article) whose class
    or id is a comment thread's name ("comments", "comment-list", "disqus_thread"…)."""
    return frozenset(
        norm(h.text_content())
        for h in page.iter("h1", "h2", "h3", "h4", "h5", "h6")
        if any(
            a.tag not in ("html", "body", "main", "article")
            and any(_COMMENT_NAME.fullmatch(t) for t in f"{a.get('class') or ''} {a.get('id') or ''}".split())
            for a in h.iterancestors()
        )
    )


# --- the systems -------------------------------------------------------------------------


def run_listen(text: str, fmt: str) -> Output:
    try:
        article = parse_article(text, fmt)
    except ListenError as error:
        return Output(failed=str(error))
    headings = []
    for section in article.sections:
        if section.level == 1 and section.heading == article.title:
            continue
        if section.paragraphs and section.heading == title_from_words(section.paragraphs[0]):
            continue  # a part title made up for a headless article, not a heading found
        headings.append(section.heading)
    body = ((article.standfirst,) if article.standfirst else ()) + article.paragraphs
    return Output(article.title, tuple(headings), body)


def from_blocks(title: str, blocks: list[Block]) -> Output:
    headings = tuple(b.text for b in blocks if b.kind == "heading" and norm(b.text) != norm(title))
    return Output(title, headings, tuple(b.text for b in blocks if b.kind != "heading"))


def trafilatura_runner(mode: dict[str, bool]) -> Callable[[str], Output]:
    def run(html: str) -> Output:
        import trafilatura

        try:
            document = trafilatura.bare_extraction(
                html,
                with_metadata=True,
                include_comments=False,
                include_formatting=True,
                include_links=False,
                include_images=False,
                include_tables=True,
                output_format="python",
                **mode,
            )
        except Exception as error:  # a peer's crash is a figure, not the bench's end
            return Output(failed=repr(error))
        if document is None or getattr(document, "body", None) is None:
            return Output(failed="nothing extracted")
        return from_blocks(document.title or "", blocks_from_tree(document.body))

    return run


def run_readability(html: str) -> Output:
    try:
        from readability import Document
    except ImportError:
        return Output(failed="readability-lxml is not installed (pip install -e '.[test]')")
    try:
        document = Document(html)
        summary = document.summary(html_partial=True)
        title = document.short_title()
    except Exception as error:
        return Output(failed=repr(error))
    return from_blocks(title, blocks_from_tree(lxml_html.fragment_fromstring(summary, create_parent="div")))


RUNNERS: dict[str, Callable[[str], Output]] = {
    "trafilatura precision": trafilatura_runner({"favor_precision": True}),
    "trafilatura default": trafilatura_runner({}),
    "trafilatura recall": trafilatura_runner({"favor_recall": True}),
    "readability-lxml": run_readability,
}


# --- the sources of known answers ---------------------------------------------------------


def fixture_pages(folder: Path) -> Iterator[tuple[str, str, str, Expected]]:
    for answer in sorted(folder.glob("*.expected.json")):
        name = answer.name.removesuffix(".expected.json")
        sources = [p for p in folder.glob(name + ".*") if p.suffix.lower() in FORMATS]
        if not sources:
            continue
        data = json.loads(answer.read_text(encoding="utf-8"))
        text = decode(sources[0].read_bytes(), sources[0])
        expected = Expected(data["title"], tuple(data["headings"]), data["body"])
        yield name, FORMATS[sources[0].suffix.lower()], text, expected


def readability_pages(folder: Path) -> Iterator[tuple[str, str, str, Expected]]:
    for page in sorted(p for p in folder.iterdir() if (p / "source.html").exists() and (p / "expected.html").exists()):
        metadata = page / "expected-metadata.json"
        title = json.loads(metadata.read_text(encoding="utf-8")).get("title") if metadata.exists() else None
        # Decoded by us: the expected pages declare no charset, and lxml would read UTF-8 as Latin-1.
        tree = lxml_html.document_fromstring(decode((page / "expected.html").read_bytes(), page / "expected.html"))
        # Readability keeps MediaWiki's "[edit]" links and "Contents" box, which issue 11 calls
        # furniture: they are taken out of the expected page before it is read.
        # (Readability drops their classes, so the links are found by their text.)
        for furniture in tree.xpath("//*[contains(@class,'mw-editsection')] | //*[@id='toc'] | //*[@class='toc']"):
            furniture.drop_tree()
        headings = tuple(
            _EDIT_LINK.sub("", " ".join("".join(h.itertext()).split()))
            for h in tree.iter("h1", "h2", "h3", "h4", "h5", "h6")
        )
        for heading in list(tree.iter("h1", "h2", "h3", "h4", "h5", "h6")):
            heading.drop_tree()
        bold = bold_lines(tree)
        body = " ".join(tree.text_content().split())
        text = decode((page / "source.html").read_bytes(), page / "source.html")
        source = lxml_html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", text))
        yield (
            page.name,
            "html",
            text,
            Expected(
                title or None,
                headings,
                body,
                bold_lines=bold,
                dropped_headings=dropped_headings(source, body),
                comment_headings=comment_headings(source),
                site_names=declared_site_names(source),
                article_names=article_names(source),
            ),
        )


def title_pages(folder: Path) -> Iterator[tuple[str, str, str, Expected]]:
    for answer in sorted(folder.rglob("*.json")):
        try:
            data = json.loads(answer.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        if not isinstance(data, dict):
            continue
        title = data.get("title", (data.get("expected") or {}).get("title"))
        page = next(
            (
                p
                for p in (answer.with_suffix(".html"), answer.parent.parent / "html" / f"{answer.stem}.html")
                if p.exists()
            ),
            None,
        )
        if not isinstance(title, str) or not title.strip() or page is None:
            continue  # no title stated (goose3's "empty title" case), or no page beside it
        text = decode(page.read_bytes(), page)
        try:
            source = lxml_html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", text))
        except (ValueError, etree.ParserError):
            continue
        names = (declared_site_names(source), article_names(source))
        yield (
            str(page.relative_to(folder)),
            "html",
            text,
            Expected(title, None, None, site_names=names[0], article_names=names[1]),
        )


def trafilatura_pages(folder: Path) -> Iterator[tuple[str, str, str, Expected]]:
    data = json.loads((folder / "evaldata.json").read_text(encoding="utf-8"))
    for url in sorted(data):
        item = data[url]
        path = next(
            (folder / d / item["file"] for d in ("cache", "eval") if (folder / d / item["file"]).exists()), None
        )
        if path is None:
            continue
        try:
            text = decode(path.read_bytes(), path)
        except ListenError:
            continue
        yield item["file"], "html", text, Expected(None, None, None, tuple(item["with"]), tuple(item["without"]))


def article_body_pages(folder: Path) -> Iterator[tuple[str, str, str, Expected]]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(truth):
        path = folder / "html" / f"{key}.html.gz"
        if not path.exists():
            continue
        text = decode(gzip.decompress(path.read_bytes()), path)
        yield key, "html", text, Expected(None, None, truth[key].get("articleBody") or "")


# --- the table ----------------------------------------------------------------------------


def measure(
    pages: Iterator[tuple[str, str, str, Expected]], peers: bool, limit: int, verbose: bool
) -> dict[str, Score]:
    scores: dict[str, Score] = {"listen": Score()}
    for count, (name, fmt, text, expected) in enumerate(pages):
        if limit and count >= limit:
            break
        runs: dict[str, Callable[[], Output]] = {"listen": lambda: run_listen(text, fmt)}
        if peers and fmt == "html":
            runs.update({peer: (lambda r=RUNNERS[peer]: r(text)) for peer in PEERS})
        for system, run in runs.items():
            started = time.perf_counter()
            output = run()
            score = scores.setdefault(system, Score())
            elapsed = time.perf_counter() - started
            score.seconds += elapsed
            before = (score.titles_right, score.heading_matched, len(score.body_f1))
            score.add(expected, output)
            if system == "listen" and fmt == "html" and peers:
                html_only = scores.setdefault("listen, HTML pages only", Score())  # beside the peers
                html_only.add(expected, output)
                html_only.seconds += elapsed
            if verbose and system == "listen":
                f1 = f"{score.body_f1[-1]:.3f}" if len(score.body_f1) > before[2] else "—"
                right = "title ok" if score.titles_right > before[0] else f"title {output.title!r}"
                print(f"  {name}: {right}, body F1 {f1}, headings {list(output.headings)[:8]}", file=sys.stderr)
    return scores


def print_table(label: str, scores: dict[str, Score]) -> None:
    rows = {system: score.row() for system, score in scores.items() if score.pages}
    if not rows:
        return
    columns = list(next(iter(rows.values())))
    width = max(len(s) for s in rows) + 2
    print(f"\n{label}")
    print("system".ljust(width) + "".join(c.rjust(13) for c in columns))
    for system, row in rows.items():
        print(system.ljust(width) + "".join(row[c].rjust(13) for c in columns))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, help="folders of NAME.ext + NAME.expected.json")
    parser.add_argument("--readability", type=Path, help="Mozilla Readability's test-pages folder")
    parser.add_argument(
        "--trafilatura", type=Path, help="trafilatura's evaluation folder (evaldata.json, eval/, cache/)"
    )
    parser.add_argument("--titles", type=Path, help="goose3's or newspaper4k's test data: pages with known titles")
    parser.add_argument(
        "--article-bodies", type=Path, help="pages with their article's text (ground-truth.json, html/ID.html.gz)"
    )
    parser.add_argument("--limit", type=int, default=0, help="at most this many pages per source")
    parser.add_argument("--no-peers", dest="peers", action="store_false", help="listen only")
    parser.add_argument("--verbose", "-v", action="store_true", help="one line per page for listen")
    parser.add_argument(
        "--listen-mode",
        choices=("precision", "default", "recall"),
        help="run listen with this trafilatura mode instead of the one it ships with",
    )
    args = parser.parse_args(argv)
    if args.listen_mode:
        from listen.articles import html

        html.EXTRACTION = {f"favor_{args.listen_mode}": True} if args.listen_mode != "default" else {}
    os.environ.setdefault("TRAFILATURA_NO_DOWNLOAD", "1")
    sources = args.readability or args.trafilatura or args.titles or args.article_bodies
    folders = args.folders or ([] if sources else [Path("tests/fixtures/fidelity")])
    for folder in folders:
        print_table(f"fixtures: {folder}", measure(fixture_pages(folder), args.peers, args.limit, args.verbose))
    if args.readability:
        print_table(
            f"readability test pages: {args.readability}",
            measure(readability_pages(args.readability), args.peers, args.limit, args.verbose),
        )
    if args.titles:
        print_table(
            f"pages with known titles: {args.titles}",
            measure(title_pages(args.titles), args.peers, args.limit, args.verbose),
        )
    if args.trafilatura:
        print_table(
            f"trafilatura evaluation (keep/drop phrases): {args.trafilatura}",
            measure(trafilatura_pages(args.trafilatura), args.peers, args.limit, args.verbose),
        )
    if args.article_bodies:
        print_table(
            f"article bodies (held out): {args.article_bodies}",
            measure(article_body_pages(args.article_bodies), args.peers, args.limit, args.verbose),
        )
    print("\ngoals: body F1 ≥ best peer's; heading P and R ≥ 0.95; title ≥ 0.90", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
