"""Text is data, never terminal control: list, show, build's lines and publish pass none of
OSC 52 (clipboard), OSC 0 (title), CSI or DCS, nor bidi overrides and non-characters."""

from __future__ import annotations

import json
import re

import pytest
from browser.library import ARTICLES, make_library

from listen.cli import main
from listen.controls import printable

OSC52 = "\x1b]52;c;ZWNobyBvd25lZA==\x07"  # would put "echo owned" on the clipboard
OSC0 = "\x1b]0;you have mail\x1b\\"  # would retitle the terminal
CSI = "\x1b[2J\x1b[1;31m"  # clear the screen, then red
DCS = "\x1bP+q544e\x1b\\"  # a terminfo query whose answer the terminal types back
ATTACKS = {"osc52": OSC52, "osc0": OSC0, "csi": CSI, "dcs": DCS}
# Anything that starts a control sequence, in 7-bit or 8-bit form, or reorders or breaks text.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")

CASES = [
    ("plain words", "plain words"),
    ("café — naïve façade", "café — naïve façade"),
    ("keep\ttab\nand newline", "keep\ttab\nand newline"),
    (f"clip{OSC52}board", "clipboard"),
    (f"ti{OSC0}tle", "title"),
    (f"scr{CSI}een", "screen"),
    (f"que{DCS}ry", "query"),
    ("osc to the end \x1b]52;c;AAAA", "osc to the end "),
    ("8-bit csi \x9b31m red", "8-bit csi 31m red"),
    ("bell\x07 and nul\x00", "bell and nul"),
    ("files \u202egpj.exe", "files gpj.exe"),
    ("isolate \u2067x\u2069", "isolate x"),
    ("non\ufffecharacter\uffff", "noncharacter"),
    ("plane one \U0001fffe", "plane one "),
    ("broken name \udce9", "broken name \ufffd"),
    ("ESC c resets \x1bc the terminal", "ESC c resets  the terminal"),
    ("charset \x1b(0 switch", "charset  switch"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_printable_removes_controls_and_keeps_text(text: str, expected: str) -> None:
    assert printable(text) == expected
    assert printable(expected) == expected


PROSE = (
    "The lamp room smells of paraffin and salt. Every evening the keeper trims the wick, polishes "
    "the brass, and writes the wind and the swell in a ledger whose first pages are older than the "
    "pier. Fishing boats read her light the way a family reads a kitchen clock: without looking, "
    "and only noticing when it is wrong. Twice this winter the generator failed and she turned the "
    "lens by hand until dawn, counting the seconds aloud so the flashes kept their character. "
)


def hostile_library(tmp_path, attack: str):
    """An article with a control sequence in its file name, title, a heading and the text
    (long enough that the loader takes it for text, as a real scraped page would be)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / f"night{attack}.md").write_text(
        f"# Harbour{attack} lights\n\nThe keeper{attack} climbs the stairs at dusk. {PROSE * 3}\n\n"
        f"## Morning{attack}\n\n{PROSE * 2}\n",
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
@pytest.mark.parametrize("form", ["text", "json"])
def test_list_passes_no_control_to_the_terminal(tmp_path, capsys, attack: str, form: str) -> None:
    folder = hostile_library(tmp_path, attack)
    assert main(["list", str(folder), "--format", form]) == 0
    out = capsys.readouterr().out
    assert "Harbour" in out and not FORBIDDEN.search(out)


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
@pytest.mark.parametrize("form", ["text", "json", "markdown"])
def test_show_passes_no_control_to_the_terminal(tmp_path, capsys, attack: str, form: str) -> None:
    folder = hostile_library(tmp_path, attack)
    (path,) = folder.iterdir()
    assert main(["show", str(path), "--format", form]) == 0
    out = capsys.readouterr().out
    assert "keeper" in out and not FORBIDDEN.search(out)


def test_an_error_naming_a_hostile_file_is_printed_clean(tmp_path, capsys) -> None:
    assert main(["show", str(tmp_path / f"missing{OSC52}.md")]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and not FORBIDDEN.search(err)


@pytest.mark.parametrize(
    "attack", [*ATTACKS.values(), "\ufffe", "\x1b", "\u202e"], ids=[*ATTACKS, "fffe", "esc", "rlo"]
)
def test_publish_never_crashes_on_controls_and_feed_and_page_agree(tmp_path, capsys, attack: str) -> None:
    hostile = [dict(article) for article in ARTICLES]
    hostile[0]["title"] = f"The harbour{attack} ferry returns"
    hostile[0]["description"] = f"Two winters{attack} on the slipway."
    hostile[0]["chapters"] = [(f"Boarding{attack}", 0, 1200), *ARTICLES[0]["chapters"][1:]]
    audio = make_library(tmp_path, hostile)
    assert main(["publish", str(audio), "--base-url", "https://example.org/pod/"]) == 0, capsys.readouterr().err
    pages = {name: (audio / name).read_text(encoding="utf-8") for name in ("feed.xml", "index.html")}
    pages["transcript"] = (audio / "transcripts" / "harbour-ferry-returns.html").read_text(encoding="utf-8")
    for name, text in pages.items():
        assert not FORBIDDEN.search(text.replace("\r", "")), name
        assert "The harbour ferry returns" in text, name  # the same clean title everywhere
    assert json.loads((audio / "manifest.json").read_text())  # the manifest is left as it was
