"""`listen engines`: which speech engines work on this machine, and what to do about the ones that don't.

One plain line per engine, so a screen reader reads each engine whole and in the same order
every time; `--format json` for scripts.
"""

from __future__ import annotations

import argparse
import dataclasses
import json

from listen.speech.engines import EngineInfo, describe_engines

# Shown first when summarising a long language list, so "130 languages (en, es, fr, …)"
# tells most readers what they need without reading all of them.
FAMILIAR = ("en", "es", "fr", "de", "it", "pt", "nl", "ru", "zh", "ja", "ar", "hi")
SHOWN = 5


def add_parser(subparsers: argparse._SubParsersAction, summary: str) -> None:
    parser = subparsers.add_parser(
        "engines",
        help=summary,
        description="List the speech engines, whether each works on this machine (and why not), "
        "whether it needs the internet, and its voices and languages.",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    engines = describe_engines()
    if args.format == "json":
        print(json.dumps([dataclasses.asdict(info) for info in engines], indent=2, ensure_ascii=False))
    else:
        for info in engines:
            print(describe_line(info))
    return 0


def describe_line(info: EngineInfo) -> str:
    """One sentence-like line: name, available or not (and why), offline/online, voices, languages."""
    where = "offline" if info.offline else "online"
    if not info.available.ok:
        return f"{info.name}: not available, {where}; {info.available.reason}"
    parts = [f"{info.name}: available", where]
    if info.voices:
        parts.append(_count(len(info.voices), info.voices, "voice"))
    if info.languages:
        parts.append(_count(len(info.languages), _familiar_first(info.languages), "language"))
    return ", ".join(parts) + f"; {info.note}"


def _count(total: int, items: tuple[str, ...] | list[str], noun: str) -> str:
    """'1 voice (a)', '130 languages (en, es, fr, de, it, …)'."""
    plural = noun if total == 1 else noun + "s"
    shown = ", ".join(items[:SHOWN]) + (", …" if len(items) > SHOWN else "")
    return f"{total} {plural} ({shown})"


def _familiar_first(languages: tuple[str, ...]) -> list[str]:
    """Familiar families first ("en" stands for en-us, en-gb…), then the other codes as listed."""
    families = [f for f in FAMILIAR if any(code == f or code.startswith(f + "-") for code in languages)]
    return families + [code for code in languages if code.partition("-")[0] not in families]
