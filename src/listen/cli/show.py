"""`listen show ARTICLE`: the cleaned article, linear and undecorated, for reading or piping."""

from __future__ import annotations

import argparse
import json
import sys

from listen.articles import Article, load_article
from listen.articles.markdown import to_markdown
from listen.articles.model import content_dict
from listen.controls import printable


def add_parser(subparsers: argparse._SubParsersAction, summary: str) -> None:
    parser = subparsers.add_parser("show", help=summary, description=__doc__)
    parser.add_argument("article", help="a .txt, .md or .html file")
    parser.add_argument("--format", "-f", choices=("text", "json", "markdown"), default="text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    article = load_article(args.article)
    render = {"text": as_text, "json": as_json, "markdown": to_markdown}[args.format]
    sys.stdout.write(printable(render(article)).rstrip("\n") + "\n")  # text is data, never terminal control
    return 0


def as_text(article: Article) -> str:
    """Title, standfirst, then each heading and its paragraphs, blank lines between."""
    parts = [article.title]
    if article.standfirst:
        parts.append(article.standfirst)
    for number, section in enumerate(article.sections):
        if not (number == 0 and section.heading == article.title):
            parts.append(section.heading)
        parts.extend(section.paragraphs)
    return "\n\n".join(parts)


def as_json(article: Article) -> str:
    return json.dumps(article_dict(article), ensure_ascii=False, indent=2)


def article_dict(article: Article) -> dict:
    data = content_dict(article)
    sections = data.pop("sections")
    data.update(
        words=article.words,
        listening_minutes=round(article.listening_minutes, 1),
        path=str(article.path) if article.path else None,
        sections=sections,
    )
    return data
