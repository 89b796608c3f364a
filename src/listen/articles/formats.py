"""Which files are articles, by their suffix: kept apart from the loaders so that finding
articles (a build's planning, the library's walk) does not import every parser."""

from __future__ import annotations

FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".epub": "epub",
}
FORMAT_NAMES = "plain text (.txt), Markdown (.md) or HTML (.html) articles and EPUB (.epub) books"
