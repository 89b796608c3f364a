"""A feed podcast directories accept: category, owner, explicit, language, artwork, warnings."""

from __future__ import annotations

import feedparser
import pytest
from browser.library import ARTICLES, make_library
from lxml import etree
from PIL import Image

from listen.audio.sidecars import Cue, transcript_srt, transcript_vtt
from listen.cli import main
from listen.errors import UsageError
from listen.publish.cover import COVER_NAME, COVER_SIZE, drawn_for
from listen.publish.directories import Category, image_problems, parse_category
from listen.publish.publisher import publish

BASE = "https://example.org/audio/"
NS = {"itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd", "podcast": "https://podcastindex.org/namespace/1.0"}
READY = [
    "--category",
    "News > Tech News",
    "--owner-name",
    "Mira Ostrowska",
    "--owner-email",
    "mira@example.org",
    "--author",
    "Harbour Radio volunteers",
]


def channel(audio):
    return etree.parse(str(audio / "feed.xml")).getroot().find("channel")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Technology", Category("Technology")),
        ("technology", Category("Technology")),
        ("News > Tech News", Category("News", "Tech News")),
        ("news/tech news", Category("News", "Tech News")),
        ("Society & Culture: Places & Travel", Category("Society & Culture", "Places & Travel")),
        ("  Society &amp; Culture ", Category("Society & Culture")),
        ("Tech News", Category("News", "Tech News")),  # a subcategory alone names its parent
        ("True Crime", Category("True Crime")),
    ],
)
def test_apple_categories_are_read_whatever_the_case_and_separator(given, expected):
    assert parse_category(given) == expected


@pytest.mark.parametrize(
    ("given", "suggested"),
    [("Tech", "Technology"), ("Sciense", "Science"), ("News > Tech", "News > Tech News"), ("Polticis", "Politics")],
)
def test_an_unknown_category_is_one_line_naming_near_matches(given, suggested):
    with pytest.raises(UsageError) as caught:
        parse_category(given)
    message = str(caught.value)
    assert "\n" not in message and "not an Apple Podcasts category" in message
    assert suggested in message


def test_a_ready_feed_carries_category_owner_explicit_author_and_artwork(tmp_path, capsys):
    audio = make_library(tmp_path)
    assert main(["publish", str(audio), "--base-url", BASE, "--title", "Harbour Radio", *READY]) == 0
    assert capsys.readouterr().err == ""  # nothing a directory would refuse
    feed = feedparser.parse((audio / "feed.xml").read_bytes())
    assert not feed.bozo
    assert feed.feed.tags[0].term == "News"
    assert feed.feed.publisher_detail == {"name": "Mira Ostrowska", "email": "mira@example.org"}
    assert channel(audio).findtext("itunes:explicit", namespaces=NS) == "false"  # feedparser reads only yes/clean
    assert channel(audio).findtext("itunes:author", namespaces=NS) == "Harbour Radio volunteers"
    assert feed.feed.image.href == f"{BASE}{COVER_NAME}"
    top = channel(audio).find("itunes:category", NS)
    assert top.get("text") == "News" and top.find("itunes:category", NS).get("text") == "Tech News"
    assert channel(audio).findtext("itunes:type", namespaces=NS) == "episodic"


def test_explicit_is_said_the_way_apple_spells_it(tmp_path, capsys):
    audio = make_library(tmp_path)
    assert main(["publish", str(audio), "--base-url", BASE, "--explicit", *READY]) == 0
    assert channel(audio).findtext("itunes:explicit", namespaces=NS) == "true"
    assert main(["publish", str(audio), "--base-url", BASE, "--clean", *READY]) == 0
    assert channel(audio).findtext("itunes:explicit", namespaces=NS) == "false"


def test_the_default_cover_is_a_3000_px_square_png_of_the_title(tmp_path):
    audio = make_library(tmp_path)
    publish(audio, BASE, title="Harbour Radio")
    cover = audio / COVER_NAME
    with Image.open(cover) as image:
        assert (image.format, image.size, image.mode) == ("PNG", (COVER_SIZE, COVER_SIZE), "RGB")
        colours = sorted(image.getcolors(maxcolors=1 << 16), reverse=True)
    assert image_problems(cover) == []
    background, lettering = colours[0][1], next(c for _, c in colours if c[0] > 200)
    assert max(background) < 40 and min(lettering) > 200  # light letters on a dark field
    assert sum(n for n, c in colours if c == lettering) > COVER_SIZE * COVER_SIZE * 0.02  # large letters
    assert drawn_for(cover) == "Harbour Radio"
    made = cover.stat().st_mtime_ns
    publish(audio, BASE, title="Harbour Radio")
    assert cover.stat().st_mtime_ns == made  # the same title is not drawn again
    publish(audio, BASE, title="Night Shift Radio")
    assert drawn_for(cover) == "Night Shift Radio"


@pytest.mark.parametrize(
    ("size", "fmt", "complaints"),
    [
        ((300, 200), "PNG", ["square", "1400–3000"]),
        ((1400, 1400), "JPEG", []),
        ((3000, 3000), "PNG", []),
        ((3200, 3200), "PNG", ["1400–3000"]),
        ((1600, 1500), "JPEG", ["square"]),
    ],
)
def test_a_given_cover_is_checked_for_shape_size_and_format(tmp_path, capsys, size, fmt, complaints):
    audio = make_library(tmp_path)
    image = tmp_path / f"art.{'jpg' if fmt == 'JPEG' else 'png'}"
    Image.new("RGB", size, (30, 90, 160)).save(image, format=fmt)
    assert main(["publish", str(audio), "--base-url", BASE, "--image", str(image), *READY]) == 0
    err = capsys.readouterr().err
    for complaint in complaints:
        assert complaint in err
    assert (err == "") == (not complaints)


def test_a_png_named_jpg_is_reported_as_what_it_is(tmp_path):
    image = tmp_path / "art.jpg"
    Image.new("RGB", (1400, 1400)).save(image, format="GIF")
    assert any("GIF" in problem for problem in image_problems(image))


def test_missing_directory_fields_are_listed_and_strict_publishes_nothing(tmp_path, capsys):
    audio = make_library(tmp_path)
    assert main(["publish", str(audio), "--base-url", BASE]) == 0
    out, err = capsys.readouterr()
    assert out.count("\n") == 1
    assert "no category" in err and "no owner e-mail" in err and "no author" in err
    (audio / "feed.xml").unlink()
    assert main(["publish", str(audio), "--base-url", BASE, "--strict"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no category" in err and "nothing was published" in err
    assert not (audio / "feed.xml").exists()
    assert main(["publish", str(audio), "--base-url", BASE, "--strict", *READY]) == 0


def test_a_bad_owner_email_is_reported(tmp_path, capsys):
    audio = make_library(tmp_path)
    assert main(["publish", str(audio), "--base-url", BASE, *READY[:4], "--owner-email", "mira at example"]) == 0
    assert "does not look like an address" in capsys.readouterr().err


def test_channel_language_is_the_commonest_and_items_carry_their_own(tmp_path):
    articles = [dict(a, language="es") for a in ARTICLES]
    articles.append(dict(ARTICLES[0], slug="ferry-english", language="en"))
    audio = make_library(tmp_path, articles)
    publish(audio, BASE)
    root = channel(audio)
    assert root.findtext("language") == "es"
    by_slug = {item.findtext("link").rsplit("/", 1)[1]: item for item in root.findall("item")}
    languages = {
        slug: {t.get("language") for t in item.findall("podcast:transcript", NS)} for slug, item in by_slug.items()
    }
    assert languages["ferry-english.html"] == {"en"} and languages["harbour-ferry-returns.html"] == {"es"}


SPOKEN = (
    Cue("The harbour ferry returns", 0, 900, "title", 0, -1),
    Cue("On the slipway", 1200, 1900, "heading", 1, -1),
    Cue("Rust ate the keel plates.", 2000, 2600, "sentence", 1, 0),
    Cue("Volunteers cut & welded new ones <by hand>.", 2850, 3000, "sentence", 1, 0),
)


def with_timed_transcript(tmp_path):
    audio = make_library(tmp_path, sources=False)  # as if published far from the article sources
    (audio / "harbour-ferry-returns.transcript.vtt").write_text(transcript_vtt(SPOKEN), encoding="utf-8")
    (audio / "harbour-ferry-returns.transcript.srt").write_text(transcript_srt(SPOKEN), encoding="utf-8")
    return audio


def test_timed_transcripts_are_in_the_feed_as_vtt_and_srt_beside_the_html(tmp_path):
    audio = with_timed_transcript(tmp_path)
    publish(audio, BASE)
    item = next(i for i in channel(audio).findall("item") if i.findtext("title") == "The harbour ferry returns")
    tags = [(t.get("url"), t.get("type"), t.get("rel")) for t in item.findall("podcast:transcript", NS)]
    assert tags == [
        (f"{BASE}harbour-ferry-returns.transcript.vtt", "text/vtt", "captions"),
        (f"{BASE}harbour-ferry-returns.transcript.srt", "application/srt", "captions"),
        (f"{BASE}transcripts/harbour-ferry-returns.html", "text/html", None),
    ]


def test_the_transcript_page_comes_from_the_file_beside_the_mp3_wherever_publish_runs(tmp_path):
    audio = with_timed_transcript(tmp_path)
    result = publish(audio, BASE)
    assert "harbour-ferry-returns" not in result.manifest_only
    page = (audio / "transcripts" / "harbour-ferry-returns.html").read_text(encoding="utf-8")
    assert "<h2>On the slipway</h2>" in page
    assert "<p>Rust ate the keel plates. Volunteers cut &amp; welded new ones &lt;by hand&gt;.</p>" in page
    assert "not available" not in page


def test_the_page_offers_the_timed_transcript_as_a_captions_track_by_a_relative_url(tmp_path):
    audio = with_timed_transcript(tmp_path)
    publish(audio, BASE)
    page = (audio / "index.html").read_text(encoding="utf-8")
    assert '<track kind="captions" src="harbour-ferry-returns.transcript.vtt" srclang="en" label="Transcript">' in page
    tree = etree.HTML(page)
    addresses = tree.xpath("//@src | //@href")
    assert addresses and not [a for a in addresses if a.startswith(("http:", "https:", "//", "/"))]
