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


@pytest.mark.parametrize(
    "data",
    [bytes(range(256)) * 4, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), b"\x7fELF\x02\x01\x01" + bytes(100)],
    ids=["all-bytes", "png", "elf"],
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
    if _NEEDS_FTFY.search(text):
        text = ftfy.fix_text(text, config=_FTFY)
    else:
        text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]", "", text)
    text = re.sub(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\v\f]", " ", text)
    text = re.sub(r" {2,}", " ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def test_fast_cleaning_matches_the_plain_rules() -> None:
    """Random text over every character a rule looks at (and mojibake pairs) cleans the same both ways."""
    import random

    rng = random.Random(5)
    alphabet = [
        *"ab Z.,\n\r\t\v\f", "  ", "\n\n\n", "\u00a0", "\u1680", "\u2000", "\u2009", "\u200a", "\u202f",
        "\u205f", "\u3000", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "é", "e\u0301",
        "Ã©", "â€œ", "\u0092", "\ufb01", "“", "—", "ü", "日本",
    ]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert clean_text(text) == regex_clean_text(text), repr(text)
