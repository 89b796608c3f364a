"""Load any article file we read into an Article; anything else gets one clear line."""

from __future__ import annotations

from pathlib import Path

from listen.articles.formats import FORMAT_NAMES, FORMATS
from listen.articles.language import language_of
from listen.articles.model import Article
from listen.articles.plain import parse_plain
from listen.articles.sections import Draft, plan_article
from listen.articles.text import clean_text, read_text
from listen.errors import ArticleError


def load_article(path: Path | str) -> Article:
    """Read, clean and section one article file."""
    path = Path(path)
    fmt = format_of(path)
    if path.is_dir():
        raise ArticleError(f"{path} is a folder; give an article file (or use 'listen list').")
    if fmt == "epub":
        from listen.articles.epub import read_epub  # ebooklib loads only for books

        return plan_draft(read_epub(path), path=path)
    # Markdown's indentation is syntax, and a page's <pre> keeps its layout: neither is squeezed.
    return parse_article(read_text(path, keep_indent=fmt in ("markdown", "html")), fmt, path=path, cleaned=True)


def parse_article(text: str, fmt: str, *, path: Path | None = None, cleaned: bool = False) -> Article:
    """Parse decoded text of a known format ('text', 'markdown' or 'html')."""
    fallback = title_from_filename(path) if path else "Untitled"
    if not cleaned:
        text = clean_text(text, keep_indent=fmt in ("markdown", "html"))
    draft: Draft
    # The Markdown and HTML parsers (markdown-it, lxml) load only for their formats: a plain
    # text file spared 0.3-0.6 s of imports in front of `listen speak`.
    if fmt == "markdown":
        from listen.articles.markdown import parse_markdown

        draft = parse_markdown(text, fallback)
    elif fmt == "html":
        from listen.articles.html import parse_html
        from listen.articles.html_book import read_html_book

        draft = read_html_book(text) or parse_html(text, fallback, path or "page")
    else:
        draft = parse_plain(text, fallback)
    return plan_draft(draft, path=path)


def plan_draft(draft: Draft, *, path: Path | None = None) -> Article:
    """A loader's Draft to an Article: its language settled, its sections planned."""
    body = " ".join(b.text for b in draft.blocks[:40])
    language = language_of(draft.meta.get("language", ""), f"{draft.title}. {draft.standfirst} {body}")
    return plan_article(draft, language=language, path=path)


def format_of(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        if not path.exists() and not path.suffix:
            raise ArticleError(f"{path}: no such file; check the path.")
        if path.is_dir():
            raise ArticleError(f"{path} is a folder; give an article file (or use 'listen list').")
        raise ArticleError(f"{path}: listen reads {FORMAT_NAMES}, not '{path.suffix or 'no extension'}' files.")
    return fmt


def title_from_filename(path: Path) -> str:
    """'night-bus_returns.txt' → 'Night bus returns': a title when the text has none."""
    words = path.stem.replace("_", " ").replace("-", " ").split()
    return " ".join(words).capitalize() if words else "Untitled"
