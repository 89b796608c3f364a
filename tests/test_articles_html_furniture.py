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
