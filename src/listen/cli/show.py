"""`listen show ARTICLE`: the cleaned article, linear and undecorated, for reading or piping.

`--format script` prints what the voice will be given instead: chapter by chapter, one
utterance a line, after normalisation, lexicon, code cues and back matter left out — the same
Script `speak` and `build` narrate, so anyone can check how a text will be said.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace

from listen.articles import Article
from listen.articles.markdown import to_markdown
from listen.articles.model import content_dict
from listen.articles.sources import INPUT_FORMATS, open_article
from listen.cli.narration_options import add_script_options, script_options
from listen.controls import printable
from listen.narration import narration_request, script_for
from listen.speech.script import Script


def add_parser(subparsers: argparse._SubParsersAction, summary: str) -> None:
    parser = subparsers.add_parser("show", help=summary, description=__doc__)
    parser.add_argument("article", help="a .txt, .md, .html or .epub file, an http(s) URL, or - for standard input")
    parser.add_argument("--format", "-f", choices=("text", "json", "markdown", "script"), default="text")
    parser.add_argument(
        "--from",
        dest="input_format",
        choices=tuple(INPUT_FORMATS),
        help="what standard input holds, if not guessed right",
    )
    parser.add_argument("--lang", help="the article's language, if it is detected wrongly (e.g. en, es)")
    parser.add_argument("--lexicon", help="for --format script: pronunciation file, as for speak")
    add_script_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    article = open_article(args.article, fmt=args.input_format)
    if args.lang:
        article = replace(article, language=args.lang.lower())
    if args.format == "script":
        script = script_for(article, narration_request(lexicon=args.lexicon, script=script_options(args)))
        sys.stdout.write(printable(as_script(script)))  # text is data, never terminal control
        return 0
    render = {"text": as_text, "json": as_json, "markdown": to_markdown}[args.format]
    sys.stdout.write(printable(render(article)).rstrip("\n") + "\n")  # text is data, never terminal control
    return 0


def as_script(script: Script) -> str:
    """'Chapter 1 of 3: Title' and then each utterance exactly as the voice gets it, indented."""
    lines: list[str] = []
    for number, chapter in enumerate(script.chapters, start=1):
        if lines:
            lines.append("")
        lines.append(f"Chapter {number} of {len(script.chapters)}: {chapter.title}")
        lines.extend(f"    {utterance.text}" for utterance in chapter.utterances)
    return "\n".join(lines) + "\n"


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
