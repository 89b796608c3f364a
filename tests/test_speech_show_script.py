"""`listen show --format script`: exactly what the voice will be given, as a user runs it."""

import shutil
import subprocess
import sys
from pathlib import Path

LISTEN = shutil.which("listen", path=str(Path(sys.executable).parent)) or "listen"

# A small news item in Markdown: money, a CVE, a time, and a reference list at the end.
PATCH_NOTE = """# Harbour Office Patches Its Booking System

The booking system, which took $427bn (£230bn) in fares, says nothing was lost.

Dr. Anvik's team fixed CVE-2024-43402 at 17.00 on Friday and shipped v2.10.3 the same night.

## What changes for travellers

Nothing: #include files aside, 12% of bookings were checked again.

## References

1. Harbour Office, Notice 14, 2024.
"""

NOTE_FR = """# Le port corrige sa billetterie

Le Dr Anvik a corrigé la faille CVE-2024-43402 à 14h30 ; coût : 2,4 millions d'euros, soit 12 % du budget.

## Voir aussi

Le rapport de 2023.
"""


def show_script(path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LISTEN, "show", str(path), "--format", "script", *args], capture_output=True, text=True, timeout=60
    )


def test_script_format_prints_each_chapter_and_each_utterance_as_spoken(write) -> None:
    result = show_script(write("patch.md", PATCH_NOTE))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Chapter 1 of 2: Harbour Office Patches Its Booking System\n"
        "    Harbour Office Patches Its Booking System\n"
        "    The booking system, which took four hundred and twenty-seven billion dollars"
        " (two hundred and thirty billion pounds) in fares, says nothing was lost.\n"
        "    Doctor Anvik's team fixed CVE two zero two four, four three four zero two at seventeen hundred"
        " on Friday and shipped version two point ten point three the same night.\n"
        "\n"
        "Chapter 2 of 2: What changes for travellers\n"
        "    What changes for travellers\n"
        "    Nothing: hash include files aside, twelve percent of bookings were checked again.\n"
        "    Not read: References.\n"
    )


def test_script_format_takes_the_narration_options(write) -> None:
    result = show_script(write("patch.md", PATCH_NOTE), "--back-matter", "read")
    assert result.returncode == 0, result.stderr
    assert "Chapter 3 of 3: References" in result.stdout
    assert "Not read" not in result.stdout


def test_script_format_speaks_the_articles_language(write) -> None:
    result = show_script(write("port.md", NOTE_FR), "--lang", "fr")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[2] == (
        "    Le docteur Anvik a corrigé la faille CVE deux zéro deux quatre, quatre trois quatre zéro deux"
        " à quatorze heures trente ; coût : deux virgule quatre millions d'euros, soit douze pour cent du budget."
    )
    assert result.stdout.splitlines()[-1] == "    Non lu : Voir aussi."


def test_speak_and_build_take_the_narration_options_and_refuse_bad_values(write) -> None:
    from listen.cli import build_parser
    from listen.cli.narration_options import script_options
    from listen.speech.script import ScriptOptions

    for command in ("speak", "build"):
        args = build_parser(command).parse_args([command, "a.md", "--code", "read", "--back-matter", "read"])
        assert script_options(args) == ScriptOptions(code="read", back_matter="read")
        assert script_options(build_parser(command).parse_args([command, "a.md"])) == ScriptOptions()
    result = subprocess.run([LISTEN, "speak", "a.md", "--code", "loud"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "--code" in result.stderr
