"""The options that decide what narration says, shared by `speak`, `build` and `show --format script`.

Kept apart from speak.py so `show` can take them without importing engines or audio.
"""

from __future__ import annotations

import argparse

from listen.speech.script import ScriptOptions


def add_script_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--code",
        choices=("cue", "read", "skip"),
        default="cue",
        help="code blocks: a short spoken cue such as 'Code example, 6 lines.' (default), read line by line, or skip",
    )
    parser.add_argument(
        "--back-matter",
        choices=("skip", "read"),
        default="skip",
        help="references, notes, see also…: left out and named at the end (default), or read as chapters",
    )


def script_options(args: argparse.Namespace) -> ScriptOptions:
    return ScriptOptions(code=args.code, back_matter=args.back_matter)
