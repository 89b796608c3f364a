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
from listen.controls import printable
from listen.errors import ListenError

# name → (module, one line for `listen --help`), in the order help lists them. Only the
# chosen command's module is imported: the others pull in Textual, numpy, requests…
COMMANDS = {
    "read": ("read", "read articles in the terminal (the default command)"),
    "show": ("show", "print an article, cleaned"),
    "list": ("listing", "list the articles in a folder"),  # list.py would shadow the builtin here
    "speak": ("speak", "narrate an article to MP3"),
    "build": ("build", "narrate many articles (resumable)"),
    "publish": ("publish", "write feed.xml, index.html and transcripts for narrated articles"),
    "serve": ("serve", "serve a published folder over HTTP (Ctrl-C stops)"),
    "engines": ("engines", "list speech engines and whether they work here"),
    "voices": ("voices", "list voices, hear a sample, or add a Piper voice"),
    "completion": ("completion", "print a tab-completion script for bash, zsh or fish"),
}


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        from listen.cli.completion import complete_if_asked

        complete_if_asked()  # a shell asking for completions gets them and nothing else
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        argv = ["read", *argv]  # `listen` and `listen FOLDER` open the reader
    args = build_parser(argv[0]).parse_args(argv)
    try:
        return args.run(args) or 0
    except ListenError as error:
        print(f"listen: {printable(str(error))}", file=sys.stderr)  # it may quote a file name
        return error.exit_code
    except KeyboardInterrupt:
        print("listen: stopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # A reader piped us into `head`; that is not an error worth a traceback.
        sys.stderr.close()
        return 0


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser, complete for `command` (or every command when None)."""
    parser = ListenArgumentParser(
        prog="listen",
        description="Read articles in the terminal and narrate them to chaptered MP3s.",
    )
    parser.add_argument("--version", action="version", version=f"listen {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ListenArgumentParser)
    for name, (module, summary) in COMMANDS.items():
        if command is None or name == command:
            importlib.import_module(f"listen.cli.{module}").add_parser(subparsers, summary)
        else:
            subparsers.add_parser(name, help=summary)
    return parser


class ListenArgumentParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit status 2, like every other error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message}; see '{self.prog} --help'.\n")
