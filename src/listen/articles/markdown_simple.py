"""The block structure of plain-prose Markdown, found without markdown-it's block parser.

A long article saved as Markdown is mostly ATX headings and paragraphs separated by blank
lines. For such a text the blocks are plain to see, and markdown-it's block pass (a rule
tried per line, in Python) was half the cost of opening a 100,000-word article. If any line
could start something else (a list, quote, code, table, HTML, a setext underline, a link
reference definition, indented code), `simple_blocks` says None and markdown.py parses
the whole text with markdown-it as before; a test holds the two to the same result.
Inline markup inside a paragraph is not a block matter: markdown.py handles it either way.
"""

from __future__ import annotations

import re

# The start of a line that could open a block other than a paragraph, or is indented
# enough to be code. Texts holding "|" (a table row) or a NUL are left to markdown-it too.
_NOT_PROSE = re.compile(r" {0,3}[#>*+\-_=<\[`~:]| {0,3}\d{1,9}[.)]| {4}| {0,3}\t")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))??(?:[ \t]+#+)?[ \t]*$")


def simple_blocks(body: str) -> list[tuple[str, str, int]] | None:
    """(kind, text, level) for each block when `body` is headings and paragraphs only, else None."""
    if "|" in body or "\x00" in body:
        return None
    blocks: list[tuple[str, str, int]] = []
    for chunk in re.split(r"\n(?:[ \t]*\n)+", body.strip("\n")):
        if not chunk.strip(" \t"):
            continue
        if chunk.lstrip(" ").startswith("#"):
            heading = _ATX.match(chunk)
            if heading is None or "\n" in chunk:
                return None
            blocks.append(("heading", (heading.group(2) or "").strip(" \t"), len(heading.group(1))))
        else:
            lines = chunk.split("\n")
            if any(_NOT_PROSE.match(line) for line in lines):
                return None
            blocks.append(("paragraph", "\n".join(line.lstrip(" \t") for line in lines).strip(), 0))
    return blocks
