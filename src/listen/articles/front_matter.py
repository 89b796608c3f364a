"""Front matter as blogs keep it: YAML (`---`, Jekyll, Hugo, Eleventy), TOML (`+++`, Hugo,
Zola) and JSON (a `{…}` object at the top, Hugo), mapped onto the few metadata names an
Article has.

Front matter is never article text: when it parses, every key is metadata or is dropped.
When it does not parse (a stray `---` rule, broken YAML), the text is left as it was, so
no words are lost. Authors are joined the way a byline reads ("A and B", "A, B and C");
lists of names and of `{name: …}` tables both count.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from collections.abc import Callable

import yaml

from listen.articles.language import SAMPLE_CHARS, detect
from listen.articles.text import clean_line

# Our metadata names and the front matter keys that fill them, first found wins. `url` and
# `link` fill `source` only with a web address (Hugo's `url` is the page's own path).
META_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "author": ("author", "authors", "by", "byline", "creator", "creators"),
    "date": ("date", "published", "pubdate", "publishdate", "publish_date", "created"),
    "source": ("source", "publication", "site", "url", "link"),
    "language": ("language", "lang", "locale"),
    "standfirst": ("standfirst", "subtitle", "dek", "lede", "deck"),
    # Used as the standfirst only when the article has no other (see markdown.parse_markdown).
    "description": ("description", "summary", "excerpt", "abstract"),
}
# Tables where Hugo themes (`params`) and Zola (`extra`) keep the keys they do not define.
_NESTED = ("params", "extra")
_YAML = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_TOML = re.compile(r"\A\+\+\+[ \t]*\n(.*?\n)?\+\+\+[ \t]*(?:\n|\Z)", re.DOTALL)
_WEB = re.compile(r"^https?://", re.IGNORECASE)
_ADDRESS_KEYS = ("url", "link")
# "and" in the languages a front matter commonly declares; a byline in any other reads "A, B".
AND = {"en": "and", "fr": "et", "de": "und", "es": "y", "it": "e", "pt": "e", "nl": "en", "ca": "i", "sv": "och"}


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """(metadata, body): metadata under our names (see META_KEYS), body without the front matter."""
    raw, body = parse_front_matter(text)
    if raw is None:
        return {}, text
    return metadata(raw, body), body


def parse_front_matter(text: str) -> tuple[dict | None, str]:
    """The front matter as parsed data and the text after it; (None, text) when there is none."""
    start = text.lstrip("\n")
    loader: Callable[[str], object]
    if start.startswith("---"):
        found, loader = _YAML.match(start), _load_yaml
    elif start.startswith("+++"):
        found, loader = _TOML.match(start), tomllib.loads
    elif start.startswith("{"):
        return _json_front_matter(start)
    else:
        return None, text
    if found is None:
        return None, text
    try:
        data = loader(found.group(1) or "")
    except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError):
        return None, text
    if data is None:
        data = {}  # an empty block: still front matter, just nothing in it
    if not isinstance(data, dict):
        return None, text  # e.g. `---` then a line of prose: a thematic break, not metadata
    return data, start[found.end() :]


def metadata(raw: dict, body: str = "") -> dict[str, str]:
    """Our metadata names filled from parsed front matter; values as tidy single lines.

    Two or more authors are joined with "and" in the declared language, else in the
    language detected from the start of `body`.
    """
    keys = {str(k).lower(): v for k, v in raw.items()}
    for table in _NESTED:
        if isinstance(keys.get(table), dict):
            for key, value in keys[table].items():
                keys.setdefault(str(key).lower(), value)
    meta: dict[str, str] = {}
    language = _first(keys, META_KEYS["language"])
    if language:
        meta["language"] = language
    for name, names in META_KEYS.items():
        if name == "language":
            continue
        if name == "author":
            authors = _first_value(keys, names)
            language = meta.get("language", "")
            if not language and isinstance(authors, list) and len(authors) > 1:
                language = detect(body[:SAMPLE_CHARS])
            value = byline(authors, language)
        elif name == "source":
            found = ((key, _first(keys, (key,))) for key in names)
            value = next((v for key, v in found if v and (key not in _ADDRESS_KEYS or _WEB.match(v))), "")
        else:
            value = _first(keys, names)
        if value:
            meta[name] = value
    return meta


def byline(value: object, language: str = "") -> str:
    """'A and B' from a name, a list of names or of {name: …} tables; '' when there is none."""
    names = [n for n in (_name(v) for v in (value if isinstance(value, list) else [value])) if n]
    if len(names) < 2:
        return names[0] if names else ""
    word = AND.get(language.split("-")[0].split("_")[0].lower(), "") if language else "and"
    if not word:
        return ", ".join(names)
    return f"{', '.join(names[:-1])} {word} {names[-1]}"


def _json_front_matter(text: str) -> tuple[dict | None, str]:
    try:
        data, end = json.JSONDecoder().raw_decode(text)
    except ValueError:
        return None, text
    rest = text[end:]
    line_end = rest.find("\n")
    if not isinstance(data, dict) or rest[: line_end if line_end >= 0 else len(rest)].strip():
        return None, text  # front matter is an object alone on its lines, then the body
    return data, rest[line_end + 1 :] if line_end >= 0 else ""


def _load_yaml(text: str) -> object:
    return yaml.safe_load(text)


def _first_value(keys: dict, names: tuple[str, ...]) -> object:
    return next((keys[name] for name in names if keys.get(name)), None)


def _first(keys: dict, names: tuple[str, ...]) -> str:
    value = _first_value(keys, names)
    if value is None:
        return ""
    if isinstance(value, list):
        value = ", ".join(_scalar(v) for v in value if _scalar(v))
    return _scalar(value)


def _scalar(value: object) -> str:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (dict, list, bool)) or value is None:
        return ""  # a table or a flag is never a title, date or name
    return clean_line(str(value))


def _name(value: object) -> str:
    if isinstance(value, dict):
        lowered = {str(k).lower(): v for k, v in value.items()}
        return _scalar(lowered.get("name") or lowered.get("display_name") or "")
    return _scalar(value)
