"""Chrome named in a site's own spelling is still chrome: the box goes before extraction."""

import pytest
from lxml import html as lxml_html

from listen.articles.html_furniture import strip_furniture

_ARTICLE = " ".join(["The council met on Tuesday and voted to keep the ferry running through the winter."] * 12)


@pytest.mark.parametrize(
    ("box", "gone"),
    [
        # camelCase names a slideshow as much as "slide-show" does
        ("<div class='slideShow'><ul><li>Previous</li><li>Next</li><li>1 of 5</li></ul></div>", True),
        ("<div id='SlideShow'><p>Close</p><p>Fullscreen</p></div>", True),
        ("<div class='photoGallery'><figure><figcaption>Pier at dawn</figcaption></figure></div>", True),
        # a word that only begins like one is not
        ("<div class='slides'><p>Ferry times are on the council's site.</p></div>", False),
    ],
)
def test_a_slideshow_box_named_in_camel_case_is_chrome(box: str, gone: bool) -> None:
    tree = lxml_html.document_fromstring(
        f"<html><body><article><h1>Ferry</h1><p>{_ARTICLE}</p>{box}</article></body></html>"
    )
    words = " ".join(lxml_html.fromstring(box).text_content().split())
    assert (words not in " ".join(strip_furniture(tree).text_content().split())) is gone


_SIGNUP = (
    "<div class='promo'><h3>Get the Harbour Briefing</h3><p>The week's news, straight to your inbox.</p>"
    "<form><input type='email' name='address'><button>Sign up</button></form></div>"
)


@pytest.mark.parametrize(
    ("box", "gone"),
    [
        # a heading, a line of blurb and an e-mail field: a sign-up box, heading and all
        (_SIGNUP, True),
        ("<section><h4>Newsletter</h4><form><input name='user_email'></form></section>", True),
        # an e-mail field with no heading in reach: only the form goes (as a control), not the text
        ("<div><p>Write to the editor.</p><form><input type='email'></form></div>", False),
        # a section that says a lot around its field is the article's own
        (f"<section><h2>How to apply</h2><p>{_ARTICLE}</p><form><input type='email'></form></section>", False),
    ],
)
def test_a_newsletter_sign_up_box_goes_with_its_heading(box: str, gone: bool) -> None:
    tree = lxml_html.document_fromstring(
        f"<html><body><article><h1>Ferry</h1><p>{_ARTICLE}</p>{box}</article></body></html>"
    )
    heading = lxml_html.fromstring(box).xpath("string((//h2|//h3|//h4|//p)[1])")
    assert (heading not in strip_furniture(tree).text_content()) is gone


@pytest.mark.parametrize(
    ("line", "gone"),
    [
        # a label, a colon and another story's headline as the whole rest of the line
        ("<p><strong>Read more:</strong> <a href='/news/b'>Lifeboat crew called out twice in one night</a></p>", True),
        ("<p><b>READ MORE: <a href='/news/c'>Council tax to rise by almost five percent</a></b></p>", True),
        # a short link is a source or a name, not a headline
        ("<p>Source: <a href='https://example.org/report'>Harbour survey</a></p>", False),
        # the line says more than the link: it is a sentence of the article
        ("<p>The board said: <a href='/docs/minutes'>read the full minutes of the March meeting</a> here.</p>", False),
        # a link within the page is not another story
        ("<p>See also: <a href='#tides'>the tide tables for the whole of next month</a></p>", False),
    ],
)
def test_a_read_more_line_pointing_at_another_story_goes(line: str, gone: bool) -> None:
    tree = lxml_html.document_fromstring(
        f"<html><body><article><h1>Ferry</h1><p>{_ARTICLE}</p>{line}</article></body></html>"
    )
    link = lxml_html.fromstring(line).xpath("string(//a)")
    assert (link not in strip_furniture(tree).text_content()) is gone
