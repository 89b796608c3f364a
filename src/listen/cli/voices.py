"""`listen voices`: the voices listen can speak with; hear one; add a natural Piper voice.

    listen voices                       every voice: name, language, engine, quality, source
    listen voices --lang fr             only the voices for French
    listen voices --sample fr           speak a short sample with the voice --voice fr picks
    listen voices --sample fr -o s.mp3  write the sample instead (.mp3 or .wav)
    listen voices add fr_FR-siwis-medium
                                        download a Piper voice into listen's data dir

Any NAME here is what --voice takes on speak and build: a language (fr), a voice's name,
or a Piper model file (.onnx). One plain line per voice, so a screen reader reads each whole.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from listen.errors import EngineError, UsageError


def add_parser(subparsers: argparse._SubParsersAction, summary: str) -> None:
    parser = subparsers.add_parser(
        "voices", help=summary, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "action", nargs="?", choices=("list", "add"), default="list", help="list (default) or add a Piper voice by name"
    )
    parser.add_argument("name", nargs="?", help="for add: a Piper voice name such as fr_FR-siwis-medium")
    parser.add_argument("--lang", help="list only the voices for this language (e.g. fr, pt-br)")
    parser.add_argument("--sample", metavar="VOICE", help="speak a short sample with this voice")
    parser.add_argument("-o", "--output", help="with --sample: write it to this .mp3 or .wav instead of playing it")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format of the list (default: text)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.action == "add":
        return add(args.name)
    if args.name:
        raise UsageError(f"'{args.name}' is not a voices command; did you mean 'listen voices add {args.name}'?")
    if args.output and not args.sample:
        raise UsageError("-o is for --sample: 'listen voices --sample VOICE -o sample.mp3'.")
    if args.sample:
        return sample(args.sample, args.output)
    return show(args.lang, args.format)


def show(language: str | None, fmt: str) -> int:
    from listen.speech.engines.base import normalise_language
    from listen.speech.voices import list_voices

    voices = list_voices()
    if language:
        wanted = normalise_language(language)
        voices = [v for v in voices if v.language == wanted or v.language.partition("-")[0] == wanted.partition("-")[0]]
        if not voices:
            raise EngineError(f"no voice speaks '{language}'; 'listen voices' lists them all")
    if fmt == "json":
        print(
            json.dumps(
                [dataclasses.asdict(v) | {"model": str(v.model) if v.model else None} for v in voices],
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0
    if not voices:
        raise EngineError(
            "no speech engine is installed; install espeak-ng (sudo apt-get install espeak-ng) or pip install 'listen[piper]'"
        )
    for voice in voices:
        label = f" {voice.label}," if voice.label else ""
        print(f"{voice.name}: {voice.language},{label} {voice.engine}, {voice.quality}, from {voice.source}")
    return 0


def sample(name: str, output: str | None) -> int:
    from listen.speech.engines import get_engine
    from listen.speech.voices import sample_text, save_sample

    engine = get_engine("auto", voice=name)
    text = sample_text(getattr(engine, "language", "") or engine.voice.rpartition("/")[2])
    if output:
        written = save_sample(engine.synthesize(text), engine.sample_rate, Path(output))
        print(f"Wrote {written} ({engine.name} {engine.voice}).")
        return 0
    play(engine, text)
    print(f"Played a sample of {engine.name} {engine.voice}.")
    return 0


def play(engine, text: str) -> None:  # type: ignore[no-untyped-def]
    """Speak `text` through the Player and wait; a player that fails is one clear error."""
    from listen.speech.player import Player, PlayerEvent

    @dataclasses.dataclass(frozen=True)
    class Line:
        text: str
        pause_ms: int = 0

    problems: list[str] = []

    def heard(event: PlayerEvent) -> None:
        if event.kind == "error":
            problems.append(event.message)

    player = Player(engine, on_event=heard)
    player.play([Line(text)])
    try:
        player.wait()
    except KeyboardInterrupt:
        player.stop()
        raise
    if problems:
        raise EngineError(f"{problems[0].rstrip('.')} (or write the sample to a file with -o sample.mp3)")


def add(name: str | None) -> int:
    from listen.speech.voices import add_voice, voice_url

    if not name:
        raise UsageError("name the voice to add, e.g. 'listen voices add fr_FR-siwis-medium'.")
    voice_url(name)  # a malformed name fails here, before anything is said or fetched
    if sys.stderr.isatty():  # a terminal hears that a 60 MB download has begun; a log gets one line
        print(f"Downloading the Piper voice {name}…", file=sys.stderr, flush=True)
    voice = add_voice(name)
    print(
        f"Added {voice.name} ({voice.language}, {voice.quality}) to {voice.source}; use it with --voice {voice.name} "
        f"or --voice {voice.language.partition('-')[0]}."
    )
    return 0
