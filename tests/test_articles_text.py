from pathlib import Path

import pytest

from listen.articles.text import clean_text, decode, read_text
from listen.errors import ArticleError

TEXT = "Café “quoted” — 9\u00a0p.m."


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # with BOM
        b"\xff\xfe" + TEXT.encode("utf-16-le"),
        TEXT.encode("utf-16-be").join([b"\xfe\xff", b""]),
        TEXT.encode("utf-32"),
        TEXT.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "utf-32", "cp1252"],
)
def test_every_encoding_we_read_decodes_to_the_same_text(data: bytes) -> None:
    assert decode(data) == TEXT


def test_utf16_without_bom_is_recognised() -> None:
    data = ("Long enough plain text without a byte order mark. " * 3).encode("utf-16-le")
    assert decode(data).startswith("Long enough plain text")


def test_latin1_bytes_outside_cp1252_still_decode() -> None:
    assert decode(b"caf\xe9 \x81") == "café \x81"


def test_a_legacy_8bit_file_is_read_as_windows_1252() -> None:
    assert decode("naïve café – “quoted” £5".encode("cp1252")) == "naïve café – “quoted” £5"


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"caf\xc3\xa9 and cr\xc3\xa8me, bre\xffad", "café and crème, bre\ufffdad"),  # a stray byte
        (b"na\xc3\xafve \xe2\x80 cut", "naïve \ufffd cut"),  # a truncated sequence
        (b"\xc3\xa9t\xc3\xa9 \xed\xa0\x80", "été \ufffd\ufffd\ufffd"),  # an encoded surrogate
    ],
)
def test_damaged_utf8_keeps_its_good_characters_and_marks_the_bad_bytes(data: bytes, text: str) -> None:
    """Never mojibake: a few bad bytes in UTF-8 text do not make the whole file Windows-1252."""
    assert decode(data) == text


def test_nuls_anywhere_in_a_text_file_are_removed_not_refused(write) -> None:
    body = ("A plain line of an article about the harbour ferry. " * 200).encode()
    path = write("nuls.txt", b"Title\x00\n\n" + body[:100] + b"\x00" + body[100:] + b"\x00\x00 end")
    text = read_text(path)
    assert "\x00" not in text
    assert text.startswith("Title\n\nA plain line") and text.endswith("end")


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 4,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
        b"\x7fELF\x02\x01\x01" + bytes(100),
        b"\x1f\x8b\x08\x00" + bytes(range(256)) * 8,  # gzip
        b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(7, 200)) * 20,  # zip
    ],
    ids=["all-bytes", "png", "elf", "gzip", "zip"],
)
def test_binary_data_is_refused_with_one_line(data: bytes) -> None:
    with pytest.raises(ArticleError, match="binary file"):
        decode(data, "thing.txt")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("nine\u00a0p.m.", "nine p.m."),  # non-breaking space
        ("a\u202fb\u2009c\u3000d", "a b c d"),  # narrow, thin, ideographic spaces
        ("zero\u200bwidth\ufeff", "zerowidth"),  # invisible characters
        ("co\u00adoperate", "cooperate"),  # soft hyphen
        ("cafÃ©", "café"),  # mojibake repaired
        ("a \ufb01ne day", "a fine day"),  # ligatures
        ("â€œquotedâ€\x9d", "“quoted”"),  # cp1252 mojibake of curly quotes
        ("“curly” and 'straight'", "“curly” and 'straight'"),  # quotes kept as written
        ("#LibrariesAfterDark at 9 p.m., 12%", "#LibrariesAfterDark at 9 p.m., 12%"),  # hashtags, numbers kept
        ("one\r\ntwo\rthree", "one\ntwo\nthree"),  # line ends
        ("a\n\n\n\n\nb", "a\n\nb"),  # blank-line runs collapse
        ("  spaced   out \t here  ", "spaced out here"),  # runs of spaces, tabs, edges
        ("\n\n\ntext\n\n\n", "text"),
        ("a\x00b\x01c\x07d\x1fe\x7ff", "abcdef"),  # C0 controls and DEL, wherever they are
        ("tab\tand\nline", "tab and\nline"),  # tab and newline are whitespace, not controls
        ("caf\u00e9 \x81\x8d\x8f\x90\x9d!", "caf\u00e9 !"),  # C1 controls with no Windows-1252 meaning
        ("caf\u00e9 it\x92s", "caf\u00e9 it\u2019s"),  # a C1 control that stood for a Windows-1252 character
        ("\u202egnp.exe\u202c and \u2066x\u2069 \u202a\u202b\u202d\u2067\u2068", "gnp.exe and x"),  # bidi controls
        ("\x1b[1;31mred\x1b[0m \x1b]0;title\x07done", "red done"),  # terminal colours and titles
    ],
)
def test_cleaning_rules(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


@pytest.mark.parametrize("content", ["", "   \n\n\t  \n", "\ufeff", "\u00a0\u00a0"])
def test_empty_or_whitespace_files_are_refused(write, content: str) -> None:
    path = write("empty.txt", content)
    with pytest.raises(ArticleError, match="is empty"):
        read_text(path)


def test_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="no such file"):
        read_text(tmp_path / "nowhere.txt")


def regex_clean_text(text: str) -> str:
    """The rules as plain regular expressions, one pass each: the oracle clean_text's fast checks must match."""
    import re
    import unicodedata

    import ftfy

    from listen.articles.text import _FTFY, _NEEDS_FTFY

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?", "", text)
    if _NEEDS_FTFY.search(text):
        text = ftfy.fix_text(text, config=_FTFY)
    elif not text.isascii():
        text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad\u202a-\u202e\u2066-\u2069]", "", text)
    text = re.sub(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]", "", text)
    text = re.sub(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\v\f]", " ", text)
    text = re.sub(r" {2,}", " ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def test_fast_cleaning_matches_the_plain_rules() -> None:
    """Random text over every character a rule looks at (and mojibake pairs) cleans the same both ways."""
    import random

    rng = random.Random(5)
    alphabet = [
        *"ab Z.,\n\r\t\v\f",
        "  ",
        "\n\n\n",
        "\u00a0",
        "\u1680",
        "\u2000",
        "\u2009",
        "\u200a",
        "\u202f",
        "\u205f",
        "\u3000",
        "\u200b",
        "\u200c",
        "\u200d",
        "\u2060",
        "\ufeff",
        "\u00ad",
        "é",
        "e\u0301",
        "Ã©",
        "â€œ",
        "\u0092",
        "\ufb01",
        "“",
        "—",
        "ü",
        "日本",
        "\x00",
        "\x07",
        "\x1b",
        "\x1b[0m",
        "\x1b]2;t\x07",
        "\x7f",
        "\x81",
        "\x85",
        "\x9d",
        "\u202e",
        "\u2066",
        "\u2069",
    ]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert clean_text(text) == regex_clean_text(text), repr(text)
