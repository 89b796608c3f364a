"""Write man/listen.1 from the command's own argparse parser, so `man listen` never drifts.

Run after changing any option: .venv/bin/python scripts/manpage.py
(tests/test_cli_docs.py fails when the committed page is stale).
"""

from __future__ import annotations

import sys
from pathlib import Path

from build_manpages.manpage import Manpage

from listen import __version__
from listen.cli import build_parser

PAGE = Path(__file__).resolve().parent.parent / "man" / "listen.1"


def render() -> str:
    parser = build_parser(None)
    parser.prog = "listen"
    page = Manpage(
        parser,
        _data={
            # The version, not today's date: the page changes only when the command does.
            "date": f"listen {__version__}",
            "project_name": "listen",
            "version": __version__,
            "manual_title": "listen manual",
            "manual_section": "1",
            "description": "read articles in the terminal and narrate them to chaptered MP3s",
        },
    )
    return str(page)


if __name__ == "__main__":
    if "--check" in sys.argv:
        sys.exit(0 if PAGE.exists() and PAGE.read_text() == render() else 1)
    PAGE.write_text(render())
    print(f"wrote {PAGE}")
