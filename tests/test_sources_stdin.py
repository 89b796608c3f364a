"""'-' reads an article from standard input: the format guessed, or given with --format/--from."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from listen.articles.sources import guess_format, local_copy, open_article, read_stdin
from listen.errors import ArticleError

LISTEN = str(Path(sys.executable).parent / "listen")
PAGE = """<!DOCTYPE html><html lang="en"><head><title>Tide tables | Harbour Log</title></head><body>
<nav>Home · Tides · Contact</nav><article><h1>Reading a tide table</h1>
<p>High water at the harbour mouth comes about forty minutes before it reaches the town quay,
because the channel narrows and the flood has to push past the sandbar first.</p>
<h2>Springs and neaps</h2><p>Twice a month the range is largest; those are springs, and they have nothing to
do with the season. The smaller ranges in between are neaps, when the moorings barely move.</p>
</article><footer>Subscribe to our newsletter</footer></body></html>"""
NOTES = """Reading a tide table

High water at the harbour mouth comes about forty minutes before it reaches the town quay.

Springs and neaps

Twice a month the range is largest; those are springs, and they have nothing to do with the season.
"""
MARKDOWN = """---
title: Reading a tide table
author: Harbour Log
---

## Springs and neaps

Twice a month the range is largest; those are springs.
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (PAGE, "html"),
        ("  \n<html><body><p>x</p></body></html>", "html"),
        ("<body><p>Saved from a browser's reader view.</p></body>", "html"),
        (MARKDOWN, "markdown"),
        ("# Tide tables\n\nSome words.", "markdown"),
        ("Notes\n\nSome words.\n\n## Later\n\nMore.", "markdown"),
        (NOTES, "text"),
        ("Use <b> for bold, said nobody in plain text.", "text"),
        ("#hashtag at the start of a tweet thread", "text"),
    ],
)
def test_the_format_is_guessed_from_the_content(text: str, expected: str) -> None:
    assert guess_format(text) == expected


def test_html_from_a_pipe_goes_through_the_html_path() -> None:
    article = open_article("-", stdin=io.BytesIO(PAGE.encode()))
    assert article.title == "Reading a tide table"
    assert [s.heading for s in article.sections][-1] == "Springs and neaps"
    assert "newsletter" not in " ".join(article.paragraphs)


def test_the_format_can_be_forced() -> None:
    as_text = open_article(
        "-", fmt="txt", stdin=io.BytesIO(b"# Not a heading\n\nJust a line that starts with a hash.\n")
    )
    assert as_text.title == "# Not a heading"


def test_windows_1252_input_is_decoded() -> None:
    text = read_stdin(io.BytesIO("Caf\u00e9 on the quay \u2013 open till late".encode("cp1252")))
    assert text.startswith("Caf\u00e9 on the quay \u2013")


def test_empty_input_is_one_line() -> None:
    with pytest.raises(ArticleError, match="standard input is empty"):
        open_article("-", stdin=io.BytesIO(b"  \n\n"))


def test_the_reader_gets_standard_input_as_a_file_it_can_reopen() -> None:
    path = local_copy("-", stdin=io.BytesIO(MARKDOWN.encode()))
    assert path.name == "standard-input.md" and path.read_text().strip() == MARKDOWN.strip()


def test_show_reads_a_pipe() -> None:
    out = subprocess.run(
        [LISTEN, "show", "-", "-f", "json"], input=MARKDOWN, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["title"] == "Reading a tide table" and data["author"] == "Harbour Log" and data["path"] is None


def test_show_with_nothing_piped_is_one_line() -> None:
    out = subprocess.run([LISTEN, "show", "-"], stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert (
        out.returncode == 1
        and out.stderr.strip() == "listen: standard input is empty; there is no article text to read."
    )


def test_build_refuses_standard_input() -> None:
    out = subprocess.run([LISTEN, "build", "-"], input="x", capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert (
        out.stderr.strip()
        == "listen: build reads files, folders, URLs and feeds; to narrate standard input use 'listen speak -'."
    )


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("espeak-ng") is None or shutil.which("ffmpeg") is None, reason="needs espeak-ng and ffmpeg"
)
def test_speak_from_a_pipe_names_the_mp3_after_the_title(tmp_path: Path) -> None:
    out = subprocess.run(
        [LISTEN, "speak", "-", "-d", str(tmp_path), "--engine", "espeak", "--format", "html"],
        input=PAGE, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "reading-a-tide-table.mp3").is_file()
    chapters = json.loads((tmp_path / "reading-a-tide-table.chapters.json").read_text())["chapters"]
    assert [c["title"] for c in chapters][-1] == "Springs and neaps"


def test_the_reader_on_a_pipe_without_a_terminal_is_one_line() -> None:
    out = subprocess.run(
        [LISTEN, "read", "-"], input=MARKDOWN, capture_output=True, text=True, timeout=60, start_new_session=True
    )  # a new session has no controlling terminal, as under cron or in CI
    assert out.returncode == 2
    assert (
        out.stderr.strip()
        == "listen: the reader needs a terminal for its keys; to print standard input use 'listen show -'."
    )
