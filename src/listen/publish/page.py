"""The listener's pages: the download page (index.html) and one transcript page per article.

All HTML and CSS live here. The pages are static and self-contained (no external files, no
web fonts, no JavaScript needed): a screen-reader user moves by headings (h1 the library,
h2 an article, h3 its chapters), every control is native, colours meet WCAG AAA (7:1) in
light and dark schemes, focus is always visible, and nothing moves as the page loads.
Every piece of text from an article passes through `html.escape`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from html import escape
from urllib.parse import quote

from listen.articles.model import Article, listening_time
from listen.audio.sidecars import Cue
from listen.manifest import Entry
from listen.publish.site import Site
from listen.publish.transcript import Transcript
from listen.publish.words import audio_kind, words_for

TRANSCRIPT_FOLDER = "transcripts"

# Each pair is tested for a contrast of at least 7:1 against its background.
PALETTES = {
    "light": {
        "background": "#ffffff",
        "text": "#1b1b1b",
        "muted": "#404040",
        "link": "#00366f",
        "visited": "#4a1b73",
        "focus": "#1b1b1b",
        "rule": "#595959",
    },
    "dark": {
        "background": "#121212",
        "text": "#f3f3f3",
        "muted": "#d0d0d0",
        "link": "#a9d4ff",
        "visited": "#e2c2ff",
        "focus": "#ffd84d",
        "rule": "#a0a0a0",
    },
}


def transcript_name(entry: Entry) -> str:
    """Where an article's transcript page lives, relative to the published folder."""
    return f"{TRANSCRIPT_FOLDER}/{entry.slug}.html"


def render_index(entries: Sequence[Entry], site: Site) -> str:
    """The download page: per article a heading, its length, a player, a download, chapters."""
    lang = page_language(entries)
    count = f"{len(entries)} narrated article{'' if len(entries) == 1 else 's'}"
    feed = site.url("feed.xml")
    body = [
        '<a class="skip" href="#main">Skip to the articles</a>',
        "<header>",
        f"<h1>{escape(site.title)}</h1>",
        f"<p>{count}. Listen here, download the {' and '.join(sorted({audio_kind(e.mp3) for e in entries}) or ['MP3'])} files, "
        "or subscribe in a podcast app with "
        f'this feed address: <a id="feed-address" href="feed.xml">{escape(feed)}</a></p>',
        "</header>",
        '<main id="main" tabindex="-1">',
        *(_article_block(entry, lang) for entry in entries),
        "</main>",
    ]
    if not entries:
        body.insert(-1, "<p>Nothing has been narrated yet.</p>")
    head_extra = f'<link rel="alternate" type="application/rss+xml" title="{escape(site.title)}" href="feed.xml">'
    return _document(site.title, lang, "\n".join(body), head_extra=head_extra, script=SEEK_SCRIPT)


def render_transcript(transcript: Transcript, site: Site) -> str:
    """An article's text with its section headings, linked back to the player."""
    entry, article = transcript.entry, transcript.article
    back = "../index.html"
    body = [
        '<a class="skip" href="#main">Skip to the transcript</a>',
        f'<header><nav aria-label="Library"><a href="{back}">All articles in {escape(site.title)}</a></nav></header>',
        '<main id="main" tabindex="-1">',
        "<article>",
        f"<h1>{escape(entry.title)}</h1>",
    ]
    spoken_standfirst = next((c.text for c in transcript.cues if c.kind == "standfirst"), "")
    standfirst = (article.standfirst if article else "") or entry.standfirst or spoken_standfirst
    if standfirst:
        body.append(f'<p class="standfirst">{escape(standfirst)}</p>')
    body.append(_meta_line(entry))
    body.append(
        f'<p><a href="{back}#{escape(entry.slug)}">Listen to this article</a> or '
        f'<a href="../{href(entry.mp3)}" download>download the {audio_kind(entry.mp3)} ({file_size(entry.bytes)})</a>.</p>'
    )
    if transcript.cues:
        body.extend(_spoken_sections(transcript.cues))
    elif article is not None:
        body.extend(_sections(article, entry.title))
    else:
        body.append(
            f'<p class="notice">The full text was not available when this page was made '
            f"({escape(transcript.missing_reason)}), so it holds only the summary and the chapter titles.</p>"
        )
        if entry.description and entry.description != standfirst:
            body.append(f"<p>{escape(entry.description)}</p>")
        if entry.chapters:
            body.append("<h2>Chapters</h2>")
            body.append("<ol>" + "".join(f"<li>{escape(c.title)}</li>" for c in entry.chapters) + "</ol>")
    body += ["</article>", "</main>"]
    # The manifest's language, so the page agrees with the feed and the index.
    return _document(entry.title, entry.language or (article.language if article else ""), "\n".join(body))


def href(name: str) -> str:
    """A file name as a link target: percent-encoded for the URL, then escaped for HTML."""
    return escape(quote(name))


def page_language(entries: Sequence[Entry]) -> str:
    """The commonest article language; articles in another one carry their own lang."""
    counts = Counter(e.language for e in entries if e.language)
    return counts.most_common(1)[0][0] if counts else "en"


def clock(seconds: float) -> str:
    """'4:05' or '1:02:03': the way players show positions."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def file_size(count: int) -> str:
    """'4.2 MB': decimal units, as download managers and phones show them."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} bytes"


def human_date(text: str) -> str:
    """'1 November 2026' from an ISO date; anything else is shown as it is."""
    try:
        day = date.fromisoformat(text[:10])
    except ValueError:
        return text
    return f"{day.day} {day:%B %Y}"


def _article_block(entry: Entry, page_lang: str) -> str:
    slug, title = escape(entry.slug), escape(entry.title)
    words, kind = words_for(entry.language), audio_kind(entry.mp3)  # the article's language, the file's kind
    lang = f' lang="{escape(entry.language)}"' if entry.language and entry.language != page_lang else ""
    parts = [
        f'<article id="{slug}" aria-labelledby="{slug}-title"{lang}>',
        f'<h2 id="{slug}-title">{title}</h2>',
        _meta_line(entry),
    ]
    if entry.description:
        parts.append(f"<p>{escape(entry.description)}</p>")
    track = ""
    srclang = escape(entry.language or "en")
    if entry.vtt:
        track = f'<track kind="chapters" src="{href(entry.vtt)}" srclang="{srclang}" label="Chapters" default>'
    if entry.transcript_vtt:
        track += f'<track kind="captions" src="{href(entry.transcript_vtt)}" srclang="{srclang}" label="Transcript">'
    parts += [
        f'<audio id="{slug}-player" controls preload="none" src="{href(entry.mp3)}">{track}'
        f'<a href="{href(entry.mp3)}">{words.phrase(words.listen_fallback, kind=kind, title=entry.title)}</a></audio>',
        '<ul class="actions">',
        f'<li><a href="{href(entry.mp3)}" download>{words.phrase(words.download, kind=kind, title=entry.title)} '
        f"({file_size(entry.bytes)})</a></li>",
        f'<li><a href="{href(transcript_name(entry))}">{words.phrase(words.transcript, title=entry.title)}</a></li>',
        "</ul>",
    ]
    if entry.chapters:
        parts.append(f"<h3>{words.phrase(words.chapters, title=entry.title)}</h3>")
        parts.append('<ol class="chapters">')
        for chapter in entry.chapters:
            start = f"{chapter.start_s:g}"
            parts.append(
                f'<li><a href="{href(entry.mp3)}#t={start}" data-player="{slug}-player" data-start="{start}">'
                f'<time datetime="PT{start}S">{clock(chapter.start_s)}</time> {escape(chapter.title)}</a></li>'
            )
        parts.append("</ol>")
    parts.append("</article>")
    return "\n".join(parts)


def _meta_line(entry: Entry) -> str:
    bits = [f"{words_for(entry.language).listening} {listening_time(entry.duration_s / 60)}"]
    if entry.date:
        shown = escape(human_date(entry.date))
        bits.append(
            f'<time datetime="{escape(entry.date[:10])}">{shown}</time>' if shown != escape(entry.date) else shown
        )
    if entry.author:
        bits.append(f"{words_for(entry.language).by} {escape(entry.author)}")
    return f'<p class="meta">{" · ".join(bits)}</p>'


def _spoken_sections(cues: Sequence[Cue]) -> list[str]:
    """What was said, as headings (h2) and paragraphs: sentences of one paragraph of the
    article (the same section and paragraph in their cue ids) join into one <p>."""
    out: list[str] = []
    sentences: list[str] = []
    place: tuple[int, int] | None = None
    for cue in cues:
        if cue.kind in ("title", "standfirst"):
            continue
        if sentences and (cue.kind != "sentence" or (cue.section, cue.paragraph) != place):
            out.append(f"<p>{escape(' '.join(sentences))}</p>")
            sentences = []
        if cue.kind == "heading":
            out.append(f"<h2>{escape(cue.text)}</h2>")
        else:
            sentences.append(cue.text)
            place = (cue.section, cue.paragraph)
    if sentences:
        out.append(f"<p>{escape(' '.join(sentences))}</p>")
    return out


def _sections(article: Article, title: str) -> list[str]:
    """Section headings as h2..h6, never skipping a level, so heading navigation stays sane."""
    out: list[str] = []
    levels = [s.level for s in article.sections if s.heading]
    top = min(levels, default=2)
    previous = 1
    for section in article.sections:
        if section.heading and section.heading != title:
            level = max(2, min(6, section.level - top + 2, previous + 1))
            out.append(f"<h{level}>{escape(section.heading)}</h{level}>")
            previous = level
        out.extend(f"<p>{escape(p)}</p>" for p in section.paragraphs)
    return out


def _document(title: str, lang: str, body: str, *, head_extra: str = "", script: str = "") -> str:
    script_tag = f"<script>{script}</script>\n" if script else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(lang or "en")}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n" + (head_extra + "\n" if head_extra else "") + f"<style>{STYLE}</style>\n"
        "</head>\n"
        "<body>\n"
        f"{body}\n"
        f"{script_tag}"
        "</body>\n"
        "</html>\n"
    )


def _css(palette: dict[str, str]) -> str:
    return (
        f"--bg:{palette['background']};--fg:{palette['text']};--muted:{palette['muted']};"
        f"--link:{palette['link']};--visited:{palette['visited']};--focus:{palette['focus']};"
        f"--rule:{palette['rule']}"
    )


STYLE = (
    f":root{{color-scheme:light dark;{_css(PALETTES['light'])}}}"
    f"@media (prefers-color-scheme:dark){{:root{{{_css(PALETTES['dark'])}}}}}"
    "body{margin:0 auto;max-width:46rem;padding:1rem;background:var(--bg);color:var(--fg);"
    "font:1.125rem/1.6 system-ui,sans-serif}"
    "a{color:var(--link);text-underline-offset:.2em}a:visited{color:var(--visited)}"
    ":focus-visible{outline:3px solid var(--focus);outline-offset:3px}"
    "main:focus{outline:none}"
    ".skip{position:absolute;left:1rem;top:-4rem;padding:.5rem 1rem;background:var(--bg);z-index:1}"
    ".skip:focus{top:1rem}"
    ".vh{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;"
    "clip:rect(0 0 0 0);white-space:nowrap;border:0}"
    "article{border-top:1px solid var(--rule);padding-top:.5rem;margin-top:2rem}"
    "h1,h2,h3{line-height:1.25}.meta,.notice{color:var(--muted)}.standfirst{font-size:1.25rem}"
    "audio{display:block;width:100%;height:3.5rem;margin:1rem 0}"
    ".actions{padding-left:1.25rem}.chapters time{font-variant-numeric:tabular-nums}"
)

# Progressive enhancement: chapter links seek the player on the page instead of opening the MP3.
SEEK_SCRIPT = (
    'document.addEventListener("click",function(e){'
    'var a=e.target.closest("a[data-start]");if(!a)return;'
    "var p=document.getElementById(a.dataset.player);if(!p)return;"
    "e.preventDefault();p.currentTime=Number(a.dataset.start);p.focus();p.play();});"
    # every link on the page is relative, so it works wherever it is served; show that address
    'document.addEventListener("DOMContentLoaded",function(){'
    'var f=document.getElementById("feed-address");if(f)f.textContent=f.href;});'
)
