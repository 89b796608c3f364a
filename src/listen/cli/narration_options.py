"""The options that decide what narration says and with which voice, shared by `speak`, `build`
and (the script options) `show --format script`.

Kept apart from speak.py so `show` and `build` can take them without importing engines, audio
or the article loaders: a build with nothing to do must not pay for them.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from listen.errors import UsageError
from listen.narration import NarrationRequest, narration_request
from listen.speech.script import ScriptOptions

AUDIO_FORMATS = ("mp3", "m4b")


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


def add_voice_options(parser: argparse.ArgumentParser, input_formats: dict[str, str] | None = None) -> None:
    """The options `speak` and `build` share.

    `speak --format` long named what standard input holds (txt, md, html); those values
    still mean that there (they are `--from` now), so --format takes both kinds."""
    formats = AUDIO_FORMATS + tuple(input_formats or ())
    also = f"; {', '.join(input_formats)}: the same as --from" if input_formats else ""
    parser.add_argument(
        "--format",
        dest="audio_format",
        choices=formats,
        default="mp3",
        help=f"mp3 (default), or m4b: an audiobook (AAC) with chapters, tags and cover{also}",
    )
    parser.add_argument("--cover", help="a JPEG or PNG cover image for --format m4b")
    parser.add_argument("--engine", "-e", default="auto", help="auto (default), piper, espeak or gtts (online)")
    parser.add_argument("--voice", help="a language (fr), a voice from 'listen voices', or a Piper model file (.onnx)")
    parser.add_argument("--lang", help="the article's language, if it is detected wrongly (e.g. en, es)")
    parser.add_argument("--rate", type=float, default=1.0, help="speed, 1.0 is normal (0.5 to 3)")
    parser.add_argument("--lexicon", help="pronunciation file of 'word = how to say it' lines")
    parser.add_argument(
        "--bitrate", type=int, default=64, choices=(48, 64, 80, 96), help="kbps of the MP3 or M4B (default 64)"
    )
    add_script_options(parser)


def request_from_args(args: argparse.Namespace) -> NarrationRequest:
    """The narration `speak` and `build` were asked for: --engine in any case is parsed here,
    once (EngineError for an unknown one), and the lexicon is loaded. A bad cover fails
    here too, before any synthesis."""
    if args.cover and args.audio_format != "m4b":
        raise UsageError("--cover is for --format m4b; an MP3's cover is the feed's image (listen publish --image).")
    return narration_request(
        engine=args.engine,
        voice=args.voice,
        rate=args.rate,
        lexicon=args.lexicon,
        script=script_options(args),
        bitrate_kbps=args.bitrate,
        audio_format=args.audio_format,
        cover=_cover(args.cover),
    )


def _cover(path: str | None) -> Path | None:
    if not path:
        return None
    from listen.audio.m4b import check_cover  # PIL, only when there is a cover to check

    return check_cover(Path(path))
