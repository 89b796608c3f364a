"""`listen read [PATH]`: open the reader on a folder of articles (the library) or one article.

`listen` with no command does the same on ./articles.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from listen.errors import UsageError

THEMES = ("listen-dark", "listen-light", "listen-high-contrast")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "read", help="read articles in the terminal (the default command)", description=__doc__
    )
    parser.add_argument("path", nargs="?", default="articles", help="a folder of articles or one article (default: ./articles)")
    parser.add_argument("--theme", choices=THEMES, help="colour theme for this run (Settings remembers one)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if not path.exists():
        raise UsageError(f"No such folder or article: {path}; give a folder of articles or an article file.")
    from listen.tui.app import create_app  # Textual loads only for the reader

    create_app(path, theme=args.theme).run()
    return 0
