"""Markdown as people keep it, to a Draft; and an Article back to Markdown.

Front matter (YAML, TOML or JSON: front_matter.py) gives the title and metadata and is never
read as text. Parsing uses markdown-it-py's token stream: ATX and Setext headings, paragraphs,
list items (kept as one paragraph each, with their marker), block quotes, table rows as text.
Fenced and indented code become code blocks, verbatim. Raw HTML blocks (cards, tables,
`<details>`, figures) go through html_fragment.py, so their headings and words are kept in
order among the Markdown around them; HTML comments vanish. Link targets, images and static
site shortcodes (`{{< figure … >}}`, `{% include … %}`) are dropped; the words stay.
Footnotes are back matter: their marks (`[^2]`) leave the text, and their definitions,
wherever written, become a "Notes" section at the end, numbered as a rendered page numbers
them, which narration skips like a page's reference list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import yaml
from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from listen.articles.back_matter import is_back_matter
from listen.articles.front_matter import split_front_matter
from listen.articles.html_fragment import fragment_blocks
from listen.articles.markdown_simple import simple_blocks
from listen.articles.model import Article
from listen.articles.plain import MAX_STANDFIRST_WORDS
from listen.articles.sections import Block, Draft

# Blocks are parsed for the whole text at once; inline markup only for the paragraphs that
# have any (see inline_text), so the core "inline" pass over every paragraph is off.
# Footnote definitions (`[^1]: …`, over several paragraphs when indented) are read by
# mdit-py-plugins' footnote rule where they stand; markdown_blocks gathers them at the end.
_MD = MarkdownIt("commonmark").enable("table").use(footnote_plugin, inline=False, move_to_end=False).disable("inline")
# The back-matter section footnotes become (back_matter.py knows the name).
NOTES_HEADING = "Notes"
# A character some CommonMark inline rule starts at (escape, code, emphasis, link, image,
# autolink/HTML, entity); a paragraph without one is its own text. Looked for with `in`,
# one character at a time: a scan in C, many times faster than a regex character class.
_INLINE_MARKUP = "\\`*_[]!<&"
# Static site generator tags in the text: Hugo shortcodes `{{< … >}}` and `{{% … %}}`,
# Liquid/Jekyll and Zola tags `{% … %}`, Zola's inline shortcodes `{{ name(…) }}` and
# template variables `{{ site.url }}`, `{{ page.date | date: "%b" }}`.
_SHORTCODE = re.compile(
    r"\{\{[<%].*?[%>]\}\}|\{%-?.*?-?%\}|\{\{-?\s*[\w.-]+(?:\(.*?\))?\s*(?:\|[^{}]*)?-?\}\}", re.DOTALL
)
# A heading's trailing attributes: Hugo/kramdown/Pandoc `{#id}`, `{: #id .class}`, `{.class}`.
_HEADING_ATTRIBUTES = re.compile(r"\s*\{:?\s*[#.][^{}]*\}$")
# Static site generators' code wrappers, each alone on its line, and the fence they become.
# Hugo's `highlight`, `code` and `code-toggle` (a configuration shown in TOML, YAML and JSON)
# shortcodes, and Jekyll's `{% highlight %}`.
_CODE_SHORTCODES = r"(?:highlight|code|code-toggle|codeblock|code-block)"
_HIGHLIGHT_OPEN = re.compile(
    rf" {{0,3}}(?:\{{\{{[<%]\s*{_CODE_SHORTCODES}\b[^>%]*[>%]\}}\}}|\{{%-?\s*highlight\b[^%]*%\}})\s*$"
)
_HIGHLIGHT_CLOSE = re.compile(
    rf" {{0,3}}(?:\{{\{{[<%]\s*/{_CODE_SHORTCODES}\s*[>%]\}}\}}|\{{%-?\s*endhighlight\s*-?%\}})\s*$"
)
# A link whose target is a template expression: `[Ruby Gem]({{ '/docs/gems' | relative_url }})`.
_TEMPLATE_TARGET = re.compile(r"\]\(\s*\{\{.*?\}\}\s*\)")
_HIGHLIGHT_FENCE = "~" * 12
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_BREAK = re.compile(r"<(?:br|/?p|hr)\b", re.IGNORECASE)  # inline HTML that separates words
_ALIGNED = re.compile(r"[^.!?:\s] {2,}\S")
_SENTENCE_END = re.compile(r"[^\W\d_]{2,}[.!?…][\"'’”)]?(?:\s|$)")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]+\](?!:)")
_FOOTNOTE_LABEL = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_WIKILINK = re.compile(r"(!?)\[\[([^\]|]+)(?:\|([^\]]+))?\]\]")
# MkDocs/Python-Markdown admonitions: `!!! note "Title"`, collapsible `??? tip` / `???+ tip`.
_ADMONITION = re.compile(r" {0,3}(?:!!!|\?\?\?\+?)[ \t]*([\w-]+)(?:[^\S\n]+\"([^\"]*)\")?[ \t]*$")
_ALERT = re.compile(r"\[!(\w+)\][+-]?[ \t]*(.*)$")  # the first line of a GitHub or Obsidian alert
_ESCAPE = re.compile(r"([\\`*_\[\]<>#|])")
_LIST_MARKER = re.compile(r"^([-*+]|\d{1,9}[.)])\s+")


def parse_markdown(text: str, fallback_title: str) -> Draft:
    meta, body = split_front_matter(text)
    blocks, italic_first = markdown_blocks(body)
    title = meta.pop("title", "")
    if (
        not title
        and blocks
        and (blocks[0].kind == "heading" or (blocks[0].kind == "paragraph" and len(blocks[0].text.split()) <= 30))
    ):
        # The first heading, or a short first line, is the title when the front matter has none.
        title, blocks, italic_first = blocks[0].text, blocks[1:], italic_first[1:]
    title = title or fallback_title
    standfirst = meta.pop("standfirst", "")
    description = meta.pop("description", "")
    if not standfirst and blocks and blocks[0].kind == "paragraph" and italic_first and italic_first[0]:
        if len(blocks[0].text.split()) <= MAX_STANDFIRST_WORDS:
            standfirst, blocks = blocks[0].text, blocks[1:]
    if not standfirst and description and not opens_with(blocks, description):
        standfirst = description  # the post's own summary, unless its opening says the same
    return Draft(title, tuple(blocks), standfirst, meta)


def opens_with(blocks: list[Block], summary: str) -> bool:
    """Whether the first paragraph says what `summary` says (Hugo summaries often copy it)."""
    first = next((b.text for b in blocks if b.kind != "heading"), "")
    words = [w.strip(".,;:!?…\"'").lower() for w in summary.split()]
    opening = [w.strip(".,;:!?…\"'").lower() for w in first.split()[: len(words)]]
    return bool(words) and words == opening


def markdown_blocks(body: str) -> tuple[list[Block], list[bool]]:
    """Blocks in order, and for each whether it was wholly emphasised (a standfirst sign)."""
    env: dict = {}  # link reference definitions, found by the block pass, used by inline parses
    if "!!!" in body or "???" in body:
        body = admonitions_as_alerts(body)
    if "{{" in body or "{%" in body:  # templates: code wrappers and template link targets
        body = _TEMPLATE_TARGET.sub("](#)", highlight_fences(body))
    simple = simple_blocks(body)
    if simple is not None:  # headings and paragraphs only: no block parse needed
        link_headings(env, (content for kind, content, _ in simple if kind == "heading"))
        return prose_blocks(simple, env)
    tokens = _MD.parse(body, env)
    link_headings(env, (t.content for i, t in enumerate(tokens) if i and tokens[i - 1].type == "heading_open"))
    blocks: list[Block] = []
    italic: list[bool] = []
    markers: list[str] = []  # the marker of each open list, innermost last
    counters: list[int] = []
    row: list[str] = []
    html: list[str] = []  # consecutive raw HTML blocks, parsed together (a table cut by blank lines)
    prose_end = -1  # the line after an indented block read as prose, where its paragraph may go on
    notes: list[Block] = []  # footnote definitions, in the order written
    note_start, note_label = -1, ""  # where the definition being read starts, and its label
    order: list[str] = []  # footnote labels in the order the text first refers to them
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "footnote_reference_open":
            note_start, note_label = len(blocks), str(token.meta.get("label", ""))
        elif kind == "footnote_reference_close":
            if not notes:
                order = list(dict.fromkeys(m.group(1) for m in _FOOTNOTE_LABEL.finditer(body)))
            notes += numbered_note(note_label, blocks[note_start:], order)
            del blocks[note_start:], italic[note_start:]
            continue
        if kind == "code_block" and html and token.content.lstrip().startswith("<"):
            # Indented HTML after a blank line inside a raw HTML block (a table's rows, a card's
            # body): CommonMark ends the HTML block and reads the rest as code, but the author
            # wrote one HTML element and meant its words.
            kind = "html_block"
        elif html and kind != "html_block":
            add_html(blocks, italic, html)
        if kind == "html_block":
            html.append(token.content)
        elif kind == "bullet_list_open":
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
            blocks.append(Block("heading", heading_text(inline_text(token, env)), level))
            italic.append(False)
        elif kind == "inline" and tokens[index - 1].type == "paragraph_open":
            if tokens[index - 2].type == "blockquote_open" and token.content.startswith("[!"):
                text = alert_text(token.content, env)
            else:
                text = inline_text(token, env)
            if not text:
                continue
            if markers and tokens[index - 2].type == "list_item_open":
                prefix = "-" if markers[-1] == "-" else f"{counters[-1]}."
                text = f"{prefix} {text}"
            if prose_end >= 0 and (line_map := tokens[index - 1].map) and line_map[0] == prose_end:
                # The rest of a paragraph whose first line was indented (see reads_as_prose).
                blocks[-1] = Block("paragraph", f"{blocks[-1].text} {text}")
                continue
            blocks.append(Block("paragraph", text))
            italic.append(wholly_emphasised(token, env))
        elif kind == "code_block" and reads_as_prose(token.content, continues_on(tokens, index)):
            blocks.append(Block("paragraph", " ".join(token.content.split())))
            italic.append(False)
            prose_end = token.map[1] if token.map else -1
        elif kind in ("fence", "code_block") and token.content.strip():
            # Verbatim: line breaks and indentation are the code's meaning.
            blocks.append(Block("code", token.content.strip("\n")))
            italic.append(False)
        elif kind == "inline" and tokens[index - 1].type in ("th_open", "td_open"):
            row.append(inline_text(token, env))
        elif kind == "tr_close":
            if any(row):
                blocks.append(Block("paragraph", ", ".join(cell for cell in row if cell)))
                italic.append(False)
            row = []
    if html:
        add_html(blocks, italic, html)
    if notes:
        add_notes(blocks, italic, notes)
    return blocks, italic


def numbered_note(label: str, blocks: list[Block], order: list[str]) -> list[Block]:
    """A footnote's blocks, its first paragraph numbered as a rendered page numbers it: by the
    order of the first references in the text (`order`), whatever the labels (`[^pressure]`, `[^2]`).
    A note nothing refers to keeps a label that is a number, else goes unnumbered."""
    number = str(order.index(label) + 1) if label in order else label if label.isdigit() else ""
    if number and blocks and blocks[0].kind == "paragraph":
        return [Block("paragraph", f"{number}. {blocks[0].text}"), *blocks[1:]]
    return blocks


def add_notes(blocks: list[Block], italic: list[bool], notes: list[Block]) -> None:
    """Footnotes are back matter: after the article, under the writer's own "Footnotes" or
    "Notes" heading when the text ends with one and nothing but the notes is under it, else
    under a "Notes" heading of their own, at the level of the text's sections."""
    last = next((i for i in range(len(blocks) - 1, -1, -1) if blocks[i].kind == "heading"), -1)
    if not (last >= 0 and last == len(blocks) - 1 and is_back_matter(blocks[last].text)):
        levels = [b.level for b in blocks[1:] if b.kind == "heading"]
        blocks.append(Block("heading", NOTES_HEADING, min(levels, default=2)))
        italic.append(False)
    blocks += notes
    italic += [False] * len(notes)


def reads_as_prose(code: str, continues: bool = False) -> bool:
    """Whether an indented code block is really a paragraph indented by its writer.

    Text kept as Markdown but never rendered often indents paragraphs, or their first line,
    by four spaces or a tab; CommonMark makes that code, which narration would skip. Prose is
    told apart by its characters: nearly all letters, mostly lower case, words of sentence
    length, starting like a sentence and holding a sentence end, or (`continues`) one line
    whose paragraph goes on unindented on the next.
    Code, commands, SQL, logs and tables fail one of these.
    """
    words = code.split()
    if len(words) < 6 or not (words[0][0].isupper() or words[0][0] in "\"'‘“"):
        return False
    visible = sum(len(word) for word in words)
    letters = sum(ch.isalpha() for ch in code)
    lower = sum(ch.islower() for ch in code)
    if letters + sum(ch.isdigit() for ch in code) < 0.9 * visible or lower < 0.7 * letters:
        return False
    if _ALIGNED.search(code):
        return False  # columns lined up with runs of spaces: a table or a listing
    return bool(_SENTENCE_END.search(code)) or (continues and "\n" not in code.strip("\n"))


def continues_on(tokens: list[Token], index: int) -> bool:
    """Whether a paragraph starts on the line right after the block at `index`."""
    after = tokens[index + 1] if index + 1 < len(tokens) else None
    here = tokens[index].map
    return bool(after and after.type == "paragraph_open" and after.map and here and after.map[0] == here[1])


def admonitions_as_alerts(body: str) -> str:
    """MkDocs admonitions (`!!! note "Title"` over indented text) written as the GitHub alerts
    they mean (`> [!note] Title`), so both are read alike: "Title: text", never "!!! note"."""
    lines = body.split("\n")
    out: list[str] = []
    fence = ""
    inside = False
    for number, line in enumerate(lines):
        opening = _FENCE.match(line)
        if inside:
            following = next((later for later in lines[number + 1 :] if later.strip()), "")
            if line.startswith(("    ", "\t")) or (not line.strip() and following.startswith(("    ", "\t"))):
                out.append("> " + (line[4:] if line.startswith("    ") else line[1:]) if line.strip() else ">")
                continue
            inside = False
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
        elif opening:
            fence = opening.group(1)
        elif (found := _ADMONITION.match(line)) is not None:
            out.append(f"> [!{found.group(1)}] {found.group(2) or ''}".rstrip())
            inside = True
            continue
        out.append(line)
    return "\n".join(out)


def highlight_fences(body: str) -> str:
    """Hugo's `{{< highlight go >}}` and Jekyll's `{% highlight ruby %}` lines wrap code: make
    them fences, so what they wrap is a code block. Lines inside real fences stay as they are."""
    lines = body.split("\n")
    fence = ""  # the opening run of an open ``` or ~~~ fence
    wrapped = False  # inside a highlight pair we made a fence of
    for number, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
        elif wrapped:
            if _HIGHLIGHT_CLOSE.match(line):
                lines[number], wrapped = _HIGHLIGHT_FENCE, False
        elif opening:
            fence = opening.group(1)
        elif _HIGHLIGHT_OPEN.match(line):
            lines[number], wrapped = _HIGHLIGHT_FENCE, True
    return "\n".join(lines)


def add_html(blocks: list[Block], italic: list[bool], html: list[str]) -> None:
    """Append the blocks of a run of raw HTML blocks, and empty the run."""
    for block in fragment_blocks("".join(html)):
        if block.kind == "code":
            blocks.append(block)
        else:
            text = " ".join(without_marks(block.text).split()) if "{" in block.text else block.text
            if block.kind == "heading":
                text = heading_text(text)
            if text:
                blocks.append(Block(block.kind, text, block.level))
            else:
                continue
        italic.append(False)
    html.clear()


def link_headings(env: dict, headings: Iterable[str]) -> None:
    """Let `[Heading text]` and `[words][Heading text]` link to that heading, as pandoc's
    Markdown does (its implicit header references): without this a manual's every "see
    [Templates] below" keeps its brackets on screen. Only a label no definition claims, and
    only one that names a heading of this document, so a bracket meant as a bracket stays."""
    references = env.setdefault("references", {})
    for heading in headings:
        label = normalizeReference(heading.strip())
        if label and label not in references:
            references[label] = {"title": "", "href": "#"}


def prose_blocks(simple: list[tuple[str, str, int]], env: dict) -> tuple[list[Block], list[bool]]:
    """markdown_blocks for a text of headings and paragraphs (markdown_simple.py)."""
    blocks: list[Block] = []
    italic: list[bool] = []
    for kind, content, level in simple:
        token = Token("inline", "", 0, content=content, children=[])
        text = inline_text(token, env)
        if kind == "heading":
            blocks.append(Block("heading", heading_text(text), level))
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
    """A block's words on one line: markup, link targets, images, HTML tags and shortcodes
    dropped; inline code kept as it is written."""
    if not any(mark in token.content for mark in _INLINE_MARKUP):
        # What the inline rules would give: text and breaks.
        text = " ".join(token.content.split())
        return " ".join(without_marks(text).split()) if "{" in text else text
    runs: list[str] = []  # text and inline code alternate; shortcodes are looked for in text only
    prose: list[str] = []
    for child in inline_children(token, env):
        if child.type in ("text", "text_special"):
            prose.append(child.content)
        elif child.type in ("softbreak", "hardbreak") or (child.type == "html_inline" and _BREAK.match(child.content)):
            prose.append(" ")
        elif child.type == "code_inline":
            runs += [without_marks("".join(prose)), child.content]
            prose = []
    runs.append(without_marks("".join(prose)))
    return " ".join("".join(runs).split())


def alert_text(content: str, env: dict) -> str:
    """A GitHub or Obsidian alert (`> [!WARNING]`, `> [!tip] Title`): its own title, else the
    word its writer chose ("Warning"), then its text."""
    first, _, rest = content.partition("\n")
    found = _ALERT.match(first)
    if found is None:
        return inline_text(Token("inline", "", 0, content=content, children=[]), env)
    title = inline_text(Token("inline", "", 0, content=found.group(2), children=[]), env)
    body = inline_text(Token("inline", "", 0, content=rest, children=[]), env)
    label = title or found.group(1).capitalize()
    return f"{label}: {body}" if body else label


def without_marks(text: str) -> str:
    """Text without marks that are markup, never words: static site generator tags, footnote
    markers (`[^2]`) and Obsidian or wiki links (`[[Page|shown words]]` keeps the words)."""
    if "{" in text:
        text = _SHORTCODE.sub(" ", text)
    if "[" in text:
        text = _FOOTNOTE_REF.sub("", text)
        text = _WIKILINK.sub(wikilink_words, text)
    return text


def wikilink_words(link: re.Match) -> str:
    """`[[Page|shown]]` → 'shown', `[[Page#Part]]` → 'Page', `[[#Part]]` → 'Part', `![[embed]]` → ''."""
    embed, target, shown = link.groups()
    if embed:
        return ""
    page, _, part = target.partition("#")
    return shown or page or part


def heading_text(text: str) -> str:
    """A heading without trailing attributes (`{#id}`) or stray emphasis marks around it."""
    if "{" in text:
        text = _HEADING_ATTRIBUTES.sub("", text)
    while len(text) > 2 and text[0] in "*_" and text[-1] == text[0]:
        text = text[1:-1].strip()  # `**Bold **` that markdown-it left as text
    return text


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
        for index, paragraph in enumerate(section.paragraphs):
            marker = _LIST_MARKER.match(paragraph)
            if section.is_code(index):
                lines += [*fenced(paragraph), ""]
            elif marker:
                lines += [marker.group(0) + escape(paragraph[marker.end() :]), ""]
            else:
                lines += [escape(paragraph), ""]
    return "\n".join(lines)


def fenced(code: str) -> list[str]:
    """A code block's lines inside a backtick fence longer than any backtick run in it."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence, *code.split("\n"), fence]


def escape(text: str) -> str:
    text = _ESCAPE.sub(r"\\\1", text)
    text = re.sub(r"^(\d{1,9})([.)])(?=\s)", r"\1\\\2", text)
    if re.match(r"^[-+=]\s", text):
        text = "\\" + text
    return text


def yaml_scalar(value: str) -> str:
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True).strip().removesuffix("...").strip()
