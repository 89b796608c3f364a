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
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        args = parser.parse_args(["read", *(argv or sys.argv[1:])]) if "read" in COMMANDS else args
        if not getattr(args, "command", None):
            parser.print_help()
            return 0
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
        module = importlib.import_module(f"listen.cli.{name}")
        module.add_parser(subparsers)
    return parser


class ListenArgumentParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit status 2, like every other error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message}; see '{self.prog} --help'.\n")
