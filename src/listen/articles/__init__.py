"""Articles: load, clean and section text the way a careful editor would."""

from listen.articles.load import FORMATS, load_article, parse_article
from listen.articles.model import Article, Section, count_words, listening_time

__all__ = ["FORMATS", "Article", "Section", "count_words", "listening_time", "load_article", "parse_article"]
