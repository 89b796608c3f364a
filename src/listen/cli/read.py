"""`listen read [PATH]`: open the reader on a folder of articles (the library) or one article.

`listen` with no command does the same on ./articles. `--plain` reads line by line instead of
full screen, for screen readers that cope badly with full-screen programs.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from listen.errors import UsageError

# The reader's theme names (listen.tui.themes.NAMES), spelled out here so that building the
# command line never imports Textual; a test keeps the two in step.
THEMES = ("listen-dark", "listen-light", "high-contrast-dark", "high-contrast-light", "yellow-on-black")
TEXT_SIZES = {"2": "large", "3": "larger"}


def add_parser(subparsers: argparse._SubParsersAction, summary: str) -> None:
    parser = subparsers.add_parser(
        "read", help=summary, description=__doc__
    )
    parser.add_argument("path", nargs="?", default="articles", help="a folder of articles or one article (default: ./articles)")
    parser.add_argument(
        "--theme", choices=(*THEMES, "listen-high-contrast"), help="colour theme for this run (Settings remembers one)"
    )
    parser.add_argument(
        "--screen-reader",
        action="store_true",
        help="screen-reader mode: visible cursor on the focus, nothing decorative "
        "(also LISTEN_SCREEN_READER=1, or the setting)",
    )
    parser.add_argument(
        "--large-text", choices=tuple(TEXT_SIZES), help="letters 2 or 3 times as big, drawn in block characters"
    )
    parser.add_argument(
        "--self-voicing", action="store_true", help="speak every announcement through Speech Dispatcher (spd-say)"
    )
    parser.add_argument("--plain", action="store_true", help="line mode: numbered lists and commands, no full screen")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if not path.exists():
        raise UsageError(f"No such folder or article: {path}; give a folder of articles or an article file.")
    if args.plain:
        from listen.plain.session import run_plain

        return run_plain(path)
    screen_reader = args.screen_reader or os.environ.get("LISTEN_SCREEN_READER", "") not in ("", "0")
    from listen.tui.app import create_app  # Textual loads only for the reader

    create_app(
        path,
        theme=args.theme,
        screen_reader=True if screen_reader else None,
        text_size=TEXT_SIZES.get(args.large_text or ""),
        self_voicing=True if args.self_voicing else None,
    ).run()
    return 0
