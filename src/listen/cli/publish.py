"""`listen publish [DIR]`: a podcast feed, a download page and transcripts for a narrated folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from listen.publish.publisher import publish


def add_parser(subparsers: argparse._SubParsersAction, summary: str) -> None:
    parser = subparsers.add_parser(
        "publish",
        help=summary,
        description="Read DIR/manifest.json (written by 'listen build') and write, into DIR, a podcast "
        "feed (feed.xml), an accessible download page (index.html) and a transcript page per article. "
        "Then it lists what podcast directories (Apple Podcasts, Podcast Index) would still refuse.",
        epilog="Categories are Apple Podcasts' own, as 'News' or 'News > Tech News' (the subcategory alone "
        "works too): Arts, Business, Comedy, Education, Fiction, Government, History, Health & Fitness, "
        "Kids & Family, Leisure, Music, News, Religion & Spirituality, Science, Society & Culture, Sports, "
        "Technology, True Crime, TV & Film.",
    )
    parser.add_argument(
        "folder", nargs="?", default="audio", metavar="DIR", help="the folder 'listen build' wrote (default: audio)"
    )
    parser.add_argument(
        "--base-url", metavar="URL", help="the public address of DIR, e.g. https://example.org/audio/ (required)"
    )
    parser.add_argument("--title", default="", help="the name of the podcast and the page")
    parser.add_argument("--author", default="", help="who makes it, shown under the title in podcast apps")
    parser.add_argument(
        "--image",
        type=Path,
        metavar="FILE",
        help="cover art, a square JPEG or PNG of 1400 to 3000 pixels (default: one drawn from the title)",
    )
    parser.add_argument(
        "--category",
        default="",
        metavar="NAME",
        help="Apple Podcasts category, e.g. 'Society & Culture' or 'News > Tech News'",
    )
    parser.add_argument("--owner-name", default="", metavar="NAME", help="who directories contact (not shown)")
    parser.add_argument(
        "--owner-email",
        default="",
        metavar="ADDRESS",
        help="where directories send the ownership check (Apple requires one)",
    )
    explicit = parser.add_mutually_exclusive_group()
    explicit.add_argument(
        "--explicit", dest="explicit", action="store_true", default=False, help="mark the podcast as explicit"
    )
    explicit.add_argument(
        "--clean", dest="explicit", action="store_false", help="mark it as not explicit (the default)"
    )
    parser.add_argument(
        "--strict", action="store_true", help="publish nothing, and fail, if a directory would refuse the feed"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    result = publish(
        Path(args.folder),
        args.base_url,
        title=args.title,
        author=args.author,
        image=args.image,
        owner_name=args.owner_name,
        owner_email=args.owner_email,
        category=args.category,
        explicit=args.explicit,
        strict=args.strict,
    )
    print(result.summary())
    if result.problems:
        print("Podcast directories would refuse this feed until these are fixed:", file=sys.stderr)
        for problem in result.problems:
            print(f"  - {problem}", file=sys.stderr)
    return 0
