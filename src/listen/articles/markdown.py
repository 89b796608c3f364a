"""Markdown (with YAML front matter) to a Draft, and an Article back to Markdown.

Parsing uses markdown-it-py's token stream: ATX and Setext headings, paragraphs, list items
(kept as one paragraph each, with their marker), block quotes, code and tables as text.
Link targets and images are dropped; their words stay.
"""

from __future__ import annotations

import re

import frontmatter
import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from listen.articles.model import Article
from listen.articles.plain import MAX_STANDFIRST_WORDS
from listen.articles.markdown_simple import simple_blocks
from listen.articles.sections import Block, Draft
from listen.articles.text import clean_line

# Blocks are parsed for the whole text at once; inline markup only for the paragraphs that
# have any (see inline_text), so the core "inline" pass over every paragraph is off.
_MD = MarkdownIt("commonmark").enable("table").disable("inline")
# A character some CommonMark inline rule starts at (escape, code, emphasis, link, image,
# autolink/HTML, entity); a paragraph without one is its own text. Looked for with `in`,
# one character at a time: a scan in C, many times faster than a regex character class.
_INLINE_MARKUP = "\\`*_[]!<&"
_META_KEYS = {
    "author": ("author", "authors", "byline"),
    "date": ("date", "published", "pubdate"),
    "source": ("source", "url", "site", "publication"),
    "language": ("language", "lang"),
    "standfirst": ("standfirst", "description", "summary", "subtitle", "dek"),
}
_ESCAPE = re.compile(r"([\\`*_\[\]<>#|])")
_LIST_MARKER = re.compile(r"^([-*+]|\d{1,9}[.)])\s+")


def parse_markdown(text: str, fallback_title: str) -> Draft:
    meta, body = split_front_matter(text)
    blocks, italic_first = markdown_blocks(body)
    title = meta.pop("title", "")
    if not title and blocks and (blocks[0].kind == "heading" or len(blocks[0].text.split()) <= 30):
        # The first heading, or a short first line, is the title when the front matter has none.
        title, blocks, italic_first = blocks[0].text, blocks[1:], italic_first[1:]
    title = title or fallback_title
    standfirst = meta.pop("standfirst", "")
    if not standfirst and blocks and blocks[0].kind == "paragraph" and italic_first and italic_first[0]:
        if len(blocks[0].text.split()) <= MAX_STANDFIRST_WORDS:
            standfirst, blocks = blocks[0].text, blocks[1:]
    return Draft(title, tuple(blocks), standfirst, meta)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """YAML front matter, mapped onto our few metadata names; malformed YAML is left as text."""
    if not text.startswith("---"):
        return {}, text
    try:
        post = frontmatter.loads(text)
    except (yaml.YAMLError, ValueError):
        return {}, text
    raw = {str(k).lower(): v for k, v in post.metadata.items()}
    meta: dict[str, str] = {}
    if raw.get("title"):
        meta["title"] = clean_line(str(raw["title"]))
    for name, keys in _META_KEYS.items():
        for key in keys:
            value = raw.get(key)
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            if value:
                meta[name] = clean_line(str(value))
                break
    return meta, post.content


def markdown_blocks(body: str) -> tuple[list[Block], list[bool]]:
    """Blocks in order, and for each whether it was wholly emphasised (a standfirst sign)."""
    env: dict = {}  # link reference definitions, found by the block pass, used by inline parses
    simple = simple_blocks(body)
    if simple is not None:  # headings and paragraphs only: no block parse needed
        return prose_blocks(simple, env)
    tokens = _MD.parse(body, env)
    blocks: list[Block] = []
    italic: list[bool] = []
    markers: list[str] = []  # the marker of each open list, innermost last
    counters: list[int] = []
    row: list[str] = []
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "bullet_list_open":
            markers.append("-")
            counters.append(0)
        elif kind == "ordered_list_open":
            markers.append(".")
            counters.append(int(token.attrs.get("start", 1) or 1) - 1)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            markers.pop()
            counters.pop()
        elif kind == "list_item_open":
            counters[-1] += 1
        elif kind == "inline" and tokens[index - 1].type == "heading_open":
            level = int(tokens[index - 1].tag[1])
            blocks.append(Block("heading", inline_text(token, env), level))
            italic.append(False)
        elif kind == "inline" and tokens[index - 1].type == "paragraph_open":
            text = inline_text(token, env)
            if not text:
                continue
            if markers and tokens[index - 2].type == "list_item_open":
                prefix = "-" if markers[-1] == "-" else f"{counters[-1]}."
                text = f"{prefix} {text}"
            blocks.append(Block("paragraph", text))
            italic.append(wholly_emphasised(token, env))
        elif kind in ("fence", "code_block") and token.content.strip():
            blocks.append(Block("paragraph", " ".join(token.content.split())))
            italic.append(False)
        elif kind == "inline" and tokens[index - 1].type in ("th_open", "td_open"):
            row.append(inline_text(token, env))
        elif kind == "tr_close":
            if any(row):
                blocks.append(Block("paragraph", ", ".join(cell for cell in row if cell)))
                italic.append(False)
            row = []
    return blocks, italic


def prose_blocks(simple: list[tuple[str, str, int]], env: dict) -> tuple[list[Block], list[bool]]:
    """markdown_blocks for a text of headings and paragraphs (markdown_simple.py)."""
    blocks: list[Block] = []
    italic: list[bool] = []
    for kind, content, level in simple:
        token = Token("inline", "", 0, content=content, children=[])
        text = inline_text(token, env)
        if kind == "heading":
            blocks.append(Block("heading", text, level))
            italic.append(False)
        elif text:
            blocks.append(Block("paragraph", text))
            italic.append(wholly_emphasised(token, env))
    return blocks, italic


def inline_children(token: Token, env: dict) -> list[Token]:
    """The inline tokens of a block's text, parsed once, on first need."""
    if token.children is None or (not token.children and token.content):
        token.children = []
        _MD.inline.parse(token.content, _MD, env, token.children)
    return token.children


def inline_text(token: Token, env: dict) -> str:
    if not any(mark in token.content for mark in _INLINE_MARKUP):
        return " ".join(token.content.split())  # what the inline rules would give: text and breaks
    parts: list[str] = []
    for child in inline_children(token, env):
        if child.type in ("text", "text_special", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def wholly_emphasised(token: Token, env: dict) -> bool:
    if "*" not in token.content and "_" not in token.content:
        return False
    children = [c for c in inline_children(token, env) if not (c.type == "text" and not c.content.strip())]
    return len(children) >= 3 and children[0].type == "em_open" and children[-1].type == "em_close"


def to_markdown(article: Article) -> str:
    """Markdown that parses back to the same Article (front matter carries the metadata)."""
    meta = {"author": article.author, "date": article.date, "source": article.source, "language": article.language}
    lines = ["---", *(f"{k}: {yaml_scalar(v)}" for k, v in meta.items() if v), "---", ""]
    lines += [f"# {escape(article.title)}", ""]
    if article.standfirst:
        lines += [f"*{escape(article.standfirst)}*", ""]
    for number, section in enumerate(article.sections):
        if not (number == 0 and section.heading == article.title and section.level == 1):
            lines += [f"{'#' * max(1, section.level)} {escape(section.heading)}", ""]
        for paragraph in section.paragraphs:
            marker = _LIST_MARKER.match(paragraph)
            if marker:
                lines += [marker.group(0) + escape(paragraph[marker.end():]), ""]
            else:
                lines += [escape(paragraph), ""]
    return "\n".join(lines)


def escape(text: str) -> str:
    text = _ESCAPE.sub(r"\\\1", text)
    text = re.sub(r"^(\d{1,9})([.)])(?=\s)", r"\1\\\2", text)
    if re.match(r"^[-+=]\s", text):
        text = "\\" + text
    return text


def yaml_scalar(value: str) -> str:
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True).strip().removesuffix("...").strip()
