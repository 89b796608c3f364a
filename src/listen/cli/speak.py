"""`listen speak ARTICLE`: narrate one article to an MP3 (or an M4B audiobook) with a chapter per section."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from listen.articles.sources import INPUT_FORMATS, open_article
from listen.cli.narration_options import add_script_options, script_options
from listen.cli.progress import narration_progress
from listen.audio.m4b import check_cover
from listen.errors import UsageError
from listen.narration import (
    NarrationRequest,
    audio_name,
    engine_for,
    narrate_article,
    narration_request,
    record_audio,
    script_for,
)

AUDIO_FORMATS = ("mp3", "m4b")


def add_parser(subparsers: argparse._SubParsersAction, summary: str) -> None:
    parser = subparsers.add_parser("speak", help=summary, description=__doc__)
    parser.add_argument("article", help="a .txt, .md, .html or .epub file, an http(s) URL, or - for standard input")
    parser.add_argument("--from", dest="input_format", choices=tuple(INPUT_FORMATS), help="what standard input holds, if not guessed right")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", help="the .mp3 or .m4b to write (default: audio/<name>.mp3)")
    where.add_argument("-d", "--dir", default="audio", help="folder for <name>.mp3 or .m4b (default: audio)")
    add_voice_options(parser, INPUT_FORMATS)
    parser.set_defaults(run=run)


def add_voice_options(parser: argparse.ArgumentParser, input_formats: dict[str, str] | None = None) -> None:
    """The options `speak` and `build` share.

    `speak --format` long named what standard input holds (txt, md, html); those values
    still mean that there (they are `--from` now), so --format takes both kinds."""
    formats = AUDIO_FORMATS + tuple(input_formats or ())
    also = f"; {', '.join(input_formats)}: the same as --from" if input_formats else ""
    parser.add_argument("--format", dest="audio_format", choices=formats, default="mp3",
                        help=f"mp3 (default), or m4b: an audiobook (AAC) with chapters, tags and cover{also}")
    parser.add_argument("--cover", help="a JPEG or PNG cover image for --format m4b")
    parser.add_argument("--engine", "-e", default="auto", help="auto (default), piper, espeak or gtts (online)")
    parser.add_argument("--voice", help="a language (fr), a voice from 'listen voices', or a Piper model file (.onnx)")
    parser.add_argument("--lang", help="the article's language, if it is detected wrongly (e.g. en, es)")
    parser.add_argument("--rate", type=float, default=1.0, help="speed, 1.0 is normal (0.5 to 3)")
    parser.add_argument("--lexicon", help="pronunciation file of 'word = how to say it' lines")
    parser.add_argument("--bitrate", type=int, default=64, choices=(48, 64, 80, 96), help="kbps of the MP3 or M4B (default 64)")
    add_script_options(parser)


def request_from_args(args: argparse.Namespace) -> NarrationRequest:
    """The narration `speak` and `build` were asked for: --engine in any case is parsed here,
    once (EngineError for an unknown one), and the lexicon is loaded. A bad cover fails
    here too, before any synthesis."""
    if args.cover and args.audio_format != "m4b":
        raise UsageError("--cover is for --format m4b; an MP3's cover is the feed's image (listen publish --image).")
    return narration_request(
        engine=args.engine, voice=args.voice, rate=args.rate, lexicon=args.lexicon,
        script=script_options(args), bitrate_kbps=args.bitrate, audio_format=args.audio_format,
        cover=check_cover(Path(args.cover)) if args.cover else None,
    )


def run(args: argparse.Namespace) -> int:
    if args.audio_format not in AUDIO_FORMATS:  # the older spelling of --from
        args.input_format, args.audio_format = args.audio_format, "mp3"
    if args.output and Path(args.output).suffix.lower() == ".m4b":
        args.audio_format = "m4b"
    article = open_article(args.article, fmt=args.input_format)
    if args.lang:
        article = _with_language(article, args.lang)
    dest = Path(args.output) if args.output else audio_name(article, Path(args.dir)).with_suffix(f".{args.audio_format}")
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
