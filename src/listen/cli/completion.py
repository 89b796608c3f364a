"""`listen completion SHELL`: tab completion for bash, zsh and fish.

argcomplete completes from the same argparse parser the command runs, so completion can
never drift from the real options. The printed script calls `listen` back with
_ARGCOMPLETE set; `listen.cli.main` answers those calls before doing anything else.
"""

from __future__ import annotations

import argparse

SHELLS = ("bash", "zsh", "fish")
HOW = {
    "bash": 'eval "$(listen completion bash)"   # in ~/.bashrc',
    "zsh": 'eval "$(listen completion zsh)"    # in ~/.zshrc',
    "fish": "listen completion fish | source     # in ~/.config/fish/config.fish",
}


def add_parser(subparsers: argparse._SubParsersAction, summary: str) -> None:
    parser = subparsers.add_parser(
        "completion",
        help=summary,
        description="Print a tab-completion script for your shell. " + " ".join(HOW.values()),
    )
    parser.add_argument("shell", choices=SHELLS, help="the shell to complete in")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import argcomplete

    print(argcomplete.shellcode(["listen"], shell=args.shell))
    return 0


def complete_if_asked() -> None:
    """Answer a shell's completion request (it sets _ARGCOMPLETE) and exit; else do nothing."""
    import os

    if "_ARGCOMPLETE" not in os.environ:
        return
    import argcomplete

    from listen.cli import build_parser

    argcomplete.autocomplete(build_parser(None))
