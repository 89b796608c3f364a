"""Articles: load, clean and section text the way a careful editor would.

The loaders (and the parsers they import) are imported on first use, so a command that only
needs the model or the article suffixes (an unchanged `listen build`) does not pay for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from listen.articles.formats import FORMATS
from listen.articles.model import Article, Section, count_words, listening_time

if TYPE_CHECKING:
    from listen.articles.load import load_article, parse_article

__all__ = ["FORMATS", "Article", "Section", "count_words", "listening_time", "load_article", "parse_article"]


def __getattr__(name: str) -> Any:
    if name in ("load_article", "parse_article"):
        from listen.articles import load

        return getattr(load, name)
    raise AttributeError(f"module 'listen.articles' has no attribute {name!r}")
