"""`listen list [FOLDER]`: one line per article: title, words, language, path."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from listen.articles.library import scan_library
from listen.articles.model import listening_time
from listen.controls import printable


def add_parser(subparsers: argparse._SubParsersAction, summary: str) -> None:
    parser = subparsers.add_parser("list", help=summary, description=__doc__)
    parser.add_argument("folder", nargs="?", default="articles", help="folder to scan (default: ./articles)")
    parser.add_argument("--format", "-f", choices=("text", "json"), default="text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    summaries = scan_library(Path(args.folder))
    if args.format == "json":
        rows = [
            {"title": printable(s.title), "words": s.words, "language": s.language, "path": printable(str(s.path)), "modified": s.modified}
            for s in summaries
        ]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return 0
    for s in summaries:
        line = f"{s.title} — {s.words} words, {listening_time(s.listening_minutes)}, {s.language}, {s.path}"
        sys.stdout.write(printable(line.replace("\n", " ")) + "\n")  # text is data, never terminal control
    if not summaries:
        print(f"No articles in {args.folder} (listen reads .txt, .md and .html files).", file=sys.stderr)
    return 0
