"""`listen serve [DIR]`: share a published folder with players and podcast apps nearby."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from listen.publish.server import is_loopback, make_server


def add_parser(subparsers: argparse._SubParsersAction, summary: str) -> None:
    parser = subparsers.add_parser(
        "serve",
        help=summary,
        description="Serve the files 'listen publish' wrote, with byte ranges so players can seek. "
        "Only this computer can connect unless --host says otherwise.",
    )
    parser.add_argument(
        "folder", nargs="?", default="audio", metavar="DIR", help="the published folder (default: audio)"
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; 0.0.0.0 for the local network)"
    )
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000; 0 picks one)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    server = make_server(Path(args.folder), args.host, args.port)
    host, port = server.server_address[:2]
    shown = f"[{host}]" if ":" in str(host) else host
    reach = "" if is_loopback(str(host)) else " (reachable from other computers on the network)"
    if not (Path(args.folder) / "feed.xml").is_file():
        print(
            f"Note: {args.folder} has no feed.xml; run 'listen publish {args.folder}' for a page and a feed.",
            file=sys.stderr,
            flush=True,
        )
    print(f"Serving {args.folder} at http://{shown}:{port}/{reach}; press Ctrl-C to stop.", flush=True)
    if (Path(args.folder) / "feed.xml").is_file():
        # The file keeps the --base-url it was published for; each listener gets a copy whose
        # links use the address it reached this server at (feed_address.feed_for_address).
        where = (
            f"this computer's address, port {port}, path /feed.xml"
            if str(host) in ("0.0.0.0", "::")
            else f"http://{shown}:{port}/feed.xml"
        )
        print(
            f"Podcast apps can subscribe at {where}; the feed's links follow the address they use, not --base-url.",
            flush=True,
        )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("Stopped serving.", file=sys.stderr)
    finally:
        server.server_close()
    return 0
