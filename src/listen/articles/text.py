"""Bytes to clean text: decoding, mojibake, odd spaces, blank-line runs.

Cleaning never invents a word: it only decodes, repairs encodings, normalises whitespace
and (in boilerplate.py) drops whole paragraphs that are not the article.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import ftfy

from listen.errors import ArticleError

# Spaces that look like spaces but confuse search, wrapping and speech.
_ODD_SPACES = "\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000\t\v\f"
# Invisible characters scraped pages carry: zero-width space/joiners, BOM, soft hyphen, word joiner,
# and the bidi embedding/override/isolate controls (U+202A–202E, U+2066–2069), which can make a
# line display in an order other than the one it is read and spoken in.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_RUNS_OF_SPACES = re.compile(r" {2,}")
_BLANK_RUNS = re.compile(r"\n{3,}")
# Control characters that never occur in text (everything below 0x20 but tab/newline/CR/FF).
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_DAMAGED_RUNS = re.compile("\ufffd+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# What clean_text removes wherever it is: C0 controls but tab and the line/page ends (which become
# spaces or newlines first), DEL, and the C1 controls ftfy did not map to the Windows-1252
# characters they stood for.
# Text copied from a terminal carries colour and title sequences; their ESC alone is a control,
# but the rest ("[31m") would be left as if it were words.
_TERMINAL_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")
_STRAY_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Windows-1252 is Latin-1 with printable characters where Latin-1 has C1 controls, but for five
# bytes it leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D), which stay as Latin-1 has them.
_CP1252_OVER_LATIN1 = {
    byte: bytes([byte]).decode("cp1252") for byte in range(0x80, 0xA0) if byte not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}
_STRAY_CONTROL_CHARS = "".join(map(chr, (*range(0x00, 0x09), *range(0x0E, 0x20), *range(0x7F, 0xA0))))

_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_character_width=False, normalization="NFC")
# What ftfy repairs leaves a trace a single regex pass finds: UTF-8 read as Windows-1252
# (a lead byte like Ã or â followed by a continuation byte's character), C1 controls,
# ligatures. Text without one skips ftfy, which is most of the cost of opening a long article.
_NEEDS_FTFY = re.compile(
    "[\u0080-\u009f\ufb00-\ufb06]"
    "|[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
# The characters every match of _NEEDS_FTFY starts with, looked for one by one before it runs.
_MOJIBAKE_LEADS = "".join(map(chr, (*range(0x80, 0xA0), *range(0xC2, 0xF5), *range(0xFB00, 0xFB07))))


def read_text(path: Path, *, keep_indent: bool = False) -> str:
    """Read an article file as clean text, or raise ArticleError with a one-line reason."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ArticleError(f"{path}: no such file; check the path.") from None
    except IsADirectoryError:
        raise ArticleError(f"{path} is a folder; give an article file (or use 'listen list').") from None
    except PermissionError:
        raise ArticleError(f"{path}: permission denied; check the file's permissions.") from None
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read it ({exc.strerror}).") from exc
    text = clean_text(decode(data, path), keep_indent=keep_indent)
    if not text.strip():
        raise ArticleError(f"{path} is empty; there is no article text to read.")
    return text


def decode(data: bytes, path: Path | str = "input") -> str:
    """Decode UTF-8, UTF-16/32 (with BOM, or UTF-16 without one) and Windows-1252/Latin-1."""
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return _decode_or_fail(data, codec, path)
    head = data[:4096]
    # A NUL is either UTF-16 without a BOM (one in every other byte) or a stray byte in an
    # 8-bit file; _looks_binary below judges the share of controls, so a few NULs pass.
    if head and b"\x00" in head and (utf16 := _utf16_without_bom(head)) is not None:
        return _decode_or_fail(data, utf16, path)
    text = _decode_8bit(data)
    if _looks_binary(text):
        raise ArticleError(f"{path} looks like a binary file, not an article; give a .txt, .md or .html file.")
    return text


def clean_text(text: str, *, keep_indent: bool = False) -> str:
    """Repair mojibake, drop control and bidi characters, normalise spaces and line ends,
    collapse blank-line runs.

    With `keep_indent` (Markdown), a line's leading spaces and tabs, runs of spaces and runs
    of blank lines are kept: there they are syntax (indented code, nested lists) or the
    verbatim layout of a code block. Only trailing spaces go.
    """
    # Each step first asks, with `in` (a scan in C, some 50 times faster than a regular
    # expression's scan), whether there is anything to do: most text has nothing to fix, and a
    # 100,000-word article is cleaned in a few milliseconds instead of some forty.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in text:
        text = _TERMINAL_ESCAPES.sub("", text)
    ascii_only = text.isascii()  # then there is no C1 control to look for
    if not ascii_only:
        if any(lead in text for lead in _MOJIBAKE_LEADS) and _NEEDS_FTFY.search(text):
            text = ftfy.fix_text(text, config=_FTFY)
        else:
            text = unicodedata.normalize("NFC", text)
        for invisible in _INVISIBLE:
            if invisible in text:
                text = text.replace(invisible, "")
    if any(control in text for control in _STRAY_CONTROL_CHARS if control.isascii() or not ascii_only):
        text = _STRAY_CONTROLS.sub("", text)
    for space in _ODD_SPACES:
        if space in text and not (keep_indent and space == "\t"):
            text = text.replace(space, " ")
    if keep_indent:
        return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
    if "  " in text:
        text = _RUNS_OF_SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    if "\n\n\n" in text:
        text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip("\n")


def clean_line(text: str) -> str:
    """Clean one short piece of text (a title, a meta value) to a single tidy line."""
    return " ".join(clean_text(text).split())


def _decode_8bit(data: bytes) -> str:
    """UTF-8, with damaged sequences as U+FFFD; or, when the bytes are not UTF-8 at all,
    Windows-1252 (Latin-1 for the five bytes it leaves undefined).

    A file that is mostly good UTF-8 with a few bad bytes (a truncated download, one pasted
    Latin-1 word) is read as UTF-8: decoding all of it as Windows-1252 would turn every other
    accented letter in it into mojibake. A legacy 8-bit file has no valid multi-byte sequences,
    or fewer than its invalid ones.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", "replace")
    damaged = len(_DAMAGED_RUNS.findall(text))  # one bad sequence may be several U+FFFD
    decoded = sum(1 for ch in _NON_ASCII.findall(text) if ch != "\ufffd")
    if decoded >= damaged:
        return text
    return data.decode("latin-1").translate(_CP1252_OVER_LATIN1)


def _decode_or_fail(data: bytes, codec: str, path: Path | str) -> str:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        raise ArticleError(
            f"{path} is not valid {codec.upper().replace('-SIG', '')} text; save it as UTF-8 and try again."
        ) from None
    if _looks_binary(text):
        raise ArticleError(f"{path} looks like a binary file, not an article; give a .txt, .md or .html file.")
    return text


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text without a BOM has a NUL in every other byte for Latin-script text."""
    even, odd = head[0::2], head[1::2]
    if odd and odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even and even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    controls = len(_CONTROL.findall(sample))
    # Only non-ASCII characters can be private-use or unassigned; text is mostly ASCII.
    unassigned = sum(1 for ch in _NON_ASCII.findall(sample) if unicodedata.category(ch) in ("Co", "Cn"))
    return (controls + unassigned) > 0.01 * len(sample) + 2
