"""`listen speak ARTICLE`: narrate one article to an MP3 (or an M4B audiobook) with a chapter per section."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from listen.articles.sources import INPUT_FORMATS, open_article
from listen.cli.narration_options import AUDIO_FORMATS, add_voice_options, request_from_args
from listen.cli.progress import narration_progress
from listen.errors import UsageError
from listen.narration import audio_name, engine_for, narrate_article, record_audio, script_for


def add_parser(subparsers: argparse._SubParsersAction, summary: str) -> None:
    parser = subparsers.add_parser("speak", help=summary, description=__doc__)
    parser.add_argument("article", help="a .txt, .md, .html or .epub file, an http(s) URL, or - for standard input")
    parser.add_argument(
        "--from",
        dest="input_format",
        choices=tuple(INPUT_FORMATS),
        help="what standard input holds, if not guessed right",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", help="the .mp3 or .m4b to write (default: audio/<name>.mp3)")
    where.add_argument("-d", "--dir", default="audio", help="folder for <name>.mp3 or .m4b (default: audio)")
    add_voice_options(parser, INPUT_FORMATS)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.audio_format not in AUDIO_FORMATS:  # the older spelling of --from
        args.input_format, args.audio_format = args.audio_format, "mp3"
    if args.output and Path(args.output).suffix.lower() == ".m4b":
        args.audio_format = "m4b"
    article = open_article(args.article, fmt=args.input_format)
    if args.lang:
        article = _with_language(article, args.lang)
    dest = (
        Path(args.output) if args.output else audio_name(article, Path(args.dir)).with_suffix(f".{args.audio_format}")
    )
    if dest.suffix.lower() != f".{args.audio_format}":
        raise UsageError(f"{dest}: the output must be an .{args.audio_format} file.")
    request = request_from_args(args)
    engine = engine_for(request, article.language)
    if engine.name == "espeak" and request.engine == "auto" and request.voice is None:
        from listen.speech.voices import natural_voice_notice

        notice = natural_voice_notice(article.language)
        if notice:
            print(f"listen: {notice}", file=sys.stderr)
    with narration_progress(article.title) as progress:
        result = narrate_article(article, dest, engine, request, progress=progress)
    if not args.output:  # named by the rule, in the folder: listed for publish, skipped by build
        record_audio(article, result, request, engine, Path(args.dir))
    minutes, seconds = divmod(round(result.duration_s), 60)
    chapters = len(result.chapters)
    print(
        f"Wrote {result.path} ({minutes} min {seconds:02d} s, {chapters} chapter{'s' * (chapters != 1)}, "
        f"{engine.name} {engine.voice}), with {in_words([p.name for p in result.sidecars])}."
    )
    skipped = script_for(article, request).skipped
    if skipped:
        print(f"Not narrated: {', '.join(skipped)} (back matter; --back-matter read includes it).")
    return 0


def _with_language(article, language: str):
    from dataclasses import replace

    return replace(article, language=language.lower())


def in_words(names: list[str]) -> str:
    """'a, b, c and d': a list as a sentence says it, for people and screen readers alike."""
    if len(names) < 2:
        return "".join(names) or "nothing beside it"
    return ", ".join(names[:-1]) + " and " + names[-1]
