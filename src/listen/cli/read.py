"""`listen read [PATH]`: open the reader on a folder of articles (the library) or one article.

`listen` with no command does the same on ./articles. `--plain` reads line by line instead of
full screen, for screen readers that cope badly with full-screen programs.

With large text on, the terminal is asked first (before Textual takes it over) whether it
draws scaled text itself (kitty's OSC 66); if it does, large text uses that instead of block
letters. LISTEN_TEXT_SIZING=on|off overrides the question.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from listen.errors import UsageError

# The reader's theme names (listen.tui.themes.NAMES), spelled out here so that building the
# command line never imports Textual; a test keeps the two in step.
THEMES = ("listen-dark", "listen-light", "high-contrast-dark", "high-contrast-light", "yellow-on-black")
TEXT_SIZES = {"2": "large", "3": "larger"}


def add_parser(subparsers: argparse._SubParsersAction, summary: str) -> None:
    parser = subparsers.add_parser("read", help=summary, description=__doc__)
    parser.add_argument(
        "path",
        nargs="?",
        default="articles",
        help="a folder of articles, one article, an http(s) URL, or - for standard input (default: ./articles)",
    )
    parser.add_argument(
        "--from",
        dest="input_format",
        choices=("txt", "md", "html"),
        help="what standard input holds, if not guessed right",
    )
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
        "--large-text",
        choices=tuple(TEXT_SIZES),
        help="letters 2 or 3 times as big: the terminal's own scaled text where it has it (kitty), "
        "else drawn in block characters",
    )
    parser.add_argument(
        "--self-voicing", action="store_true", help="speak every announcement through Speech Dispatcher (spd-say)"
    )
    parser.add_argument("--plain", action="store_true", help="line mode: numbered lists and commands, no full screen")
    parser.add_argument(
        "--web",
        action="store_true",
        help="the library also lists every feed entry listen fetched (pages fetched to read are always listed)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    path = opened(args.path, args.input_format)
    if not path.exists():
        raise UsageError(f"No such folder or article: {path}; give a folder of articles or an article file.")
    if args.plain:
        from listen.linemode.session import run_line_mode

        return run_line_mode(path)
    screen_reader = args.screen_reader or os.environ.get("LISTEN_SCREEN_READER", "") not in ("", "0")
    text_size = TEXT_SIZES.get(args.large_text or "")
    from listen.state import Store

    # One Store for the question below and the reader: a damaged state file is set aside
    # and made afresh by the first Store that opens it, so only that one can tell the user,
    # and the reader says it on its status line.
    store = Store()
    try:
        if (args.self_voicing or store.settings().self_voicing) and shutil.which("spd-say") is None:
            from listen.tui.voice import missing

            # Also said on the status line; here it stays in the terminal after the reader exits.
            print(f"listen: {missing()}", file=sys.stderr, flush=True)
        text_sizing = scaled_text_here(text_size, screen_reader=screen_reader, store=store)
        from listen.tui.app import create_app  # Textual loads only for the reader
        from listen.tui.services import Services, scan_with_feeds

        create_app(
            path,
            store=store,
            services=Services(scan=scan_with_feeds) if args.web else None,
            theme=args.theme,
            screen_reader=True if screen_reader else None,
            text_size=text_size,
            self_voicing=True if args.self_voicing else None,
            text_sizing=text_sizing,
        ).run()
    finally:
        store.close()
    return 0


def opened(source: str, input_format: str | None) -> Path:
    """The path to read: a URL's cached copy or standard input saved, with the terminal back on stdin."""
    from listen.articles.fetch import is_url

    if source != "-" and not is_url(source):
        return Path(source)
    from listen.articles.sources import local_copy

    path = local_copy(source, fmt=input_format)
    if source == "-":
        # The article came through the pipe; keys come from the terminal, as `less` does it.
        try:
            terminal = os.open("/dev/tty", os.O_RDONLY)
        except OSError:
            raise UsageError(
                "the reader needs a terminal for its keys; to print standard input use 'listen show -'."
            ) from None
        os.dup2(terminal, 0)
        os.close(terminal)
    return path


def scaled_text_here(text_size: str | None, *, screen_reader: bool, store: Any = None) -> bool:
    """Whether large text can use the terminal's scaled text; the terminal is asked only if needed.

    Not asked in screen-reader mode (large text is off there, and a probe is noise to read)
    nor when large text is off at start: a round trip at every start would cost everyone
    who never uses it. Turned on later with F3, large text is then drawn in block letters
    for the rest of that run, and in scaled text from the next start (the size is saved).
    """
    from listen.tui import text_sizing

    forced = text_sizing.override(os.environ)
    if forced is not None:
        return forced
    if screen_reader:
        return False
    from listen.state import Store

    own = store is None
    store = Store() if store is None else store
    try:
        saved = store.settings()  # its notice, if any, is left for the reader's status line
    finally:
        if own:
            store.close()
    if saved.screen_reader or (text_size or saved.text_size) not in TEXT_SIZES.values():
        return False
    return text_sizing.detect()
