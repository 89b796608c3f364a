"""`listen publish [DIR]`: a podcast feed, a download page and transcripts for a narrated folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from listen.publish.publisher import publish


def add_parser(subparsers: argparse._SubParsersAction, summary: str) -> None:
    parser = subparsers.add_parser(
        "publish",
        help=summary,
        description="Read DIR/manifest.json (written by 'listen build') and write, into DIR, a podcast "
        "feed (feed.xml), an accessible download page (index.html) and a transcript page per article.",
    )
    parser.add_argument("folder", nargs="?", default="audio", metavar="DIR",
                        help="the folder 'listen build' wrote (default: audio)")
    parser.add_argument("--base-url", metavar="URL",
                        help="the public address of DIR, e.g. https://example.org/audio/ (required)")
    parser.add_argument("--title", default="", help="the name of the podcast and the page")
    parser.add_argument("--author", default="", help="who publishes it")
    parser.add_argument("--image", type=Path, metavar="FILE", help="cover art, a square JPEG or PNG")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    result = publish(Path(args.folder), args.base_url, title=args.title, author=args.author, image=args.image)
    print(result.summary())
    return 0
