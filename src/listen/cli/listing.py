"""`listen list [FOLDER]`: one line per article: title, words, minutes, language, origin, path.

The figures are the ones `listen show` gives for the same file. A file `show` would refuse
is listed too, marked refused with the reason, so nothing in the folder goes unmentioned.
An article listen fetched says where from ("from URL", "from the feed URL"); `--web` adds
every page and feed entry listen has fetched, as the reader's library shows them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from listen.articles.library import ArticleSummary, scan_library
from listen.articles.model import listening_time
from listen.articles.sources import cache_root
from listen.controls import printable


def add_parser(subparsers: argparse._SubParsersAction, summary: str) -> None:
    parser = subparsers.add_parser("list", help=summary, description=__doc__)
    parser.add_argument("folder", nargs="?", default="articles", help="folder to scan (default: ./articles)")
    parser.add_argument("--format", "-f", choices=("text", "json"), default="text")
    parser.add_argument("--web", action="store_true", help="also list the pages and feed entries listen fetched")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    web = cache_root() if getattr(args, "web", False) else None
    summaries = scan_library(Path(args.folder), include_refused=True, web=web, feeds=True)
    articles = [s for s in summaries if not s.refused]
    refused = [s for s in summaries if s.refused]
    if args.format == "json":
        rows = [json_row(s) for s in articles + refused]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return 0
    for s in articles:
        line = (
            f"{s.title} — {s.words} words, {listening_time(s.listening_minutes)}, {s.language}{came_from(s)}, {s.path}"
        )
        sys.stdout.write(printable(line.replace("\n", " ")) + "\n")  # text is data, never terminal control
    for s in refused:
        line = f"{s.path.name} — refused: {s.refusal}{came_from(s)}, {s.path}"
        sys.stdout.write(printable(line.replace("\n", " ")) + "\n")
    if not summaries:
        print(f"No articles in {args.folder} (listen reads .txt, .md and .html files).", file=sys.stderr)
    return 0


def came_from(summary: ArticleSummary) -> str:
    """', from URL' or ', from the feed URL' for a fetched article; nothing for the user's own file."""
    if summary.feed:
        return f", from the feed {summary.feed}"
    return f", from {summary.url}" if summary.url else ""


def json_row(summary: ArticleSummary) -> dict:
    row: dict = {
        "title": printable(summary.title),
        "words": summary.words,
        "minutes": round(summary.listening_minutes, 1),
        "language": summary.language,
        "path": printable(str(summary.path)),
        "modified": summary.modified,
        "origin": summary.origin,
    }
    if summary.url:
        row["url"] = printable(summary.url)
    if summary.feed:
        row["feed"] = printable(summary.feed)
    if summary.refused:
        row["refused"] = printable(summary.refusal)
    return row
