"""The `listen` command: a thin layer that parses arguments and calls the domain.

Each subcommand lives in its own module here with two functions:
``add_parser(subparsers)`` and ``run(args) -> int``. Errors a user can cause arrive as
ListenError and are printed as one line on stderr, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from listen import __version__
from listen.errors import ListenError

# Order is the order `listen --help` lists them.
COMMANDS = ("read", "show", "list", "speak", "build", "publish", "serve", "engines")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        argv = ["read", *argv]  # `listen` and `listen FOLDER` open the reader
    args = parser.parse_args(argv)
    try:
        return args.run(args) or 0
    except ListenError as error:
        print(f"listen: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("listen: stopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # A reader piped us into `head`; that is not an error worth a traceback.
        sys.stderr.close()
        return 0


def build_parser() -> argparse.ArgumentParser:
    parser = ListenArgumentParser(
        prog="listen",
        description="Read articles in the terminal and narrate them to chaptered MP3s.",
    )
    parser.add_argument("--version", action="version", version=f"listen {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ListenArgumentParser)
    for name in COMMANDS:
        # `list` lives in listing.py: a submodule named list would shadow the builtin here.
        module = importlib.import_module(f"listen.cli.{'listing' if name == 'list' else name}")
        module.add_parser(subparsers)
    return parser


class ListenArgumentParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit status 2, like every other error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message}; see '{self.prog} --help'.\n")
