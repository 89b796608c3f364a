import pytest

from listen.articles.boilerplate import boilerplate_rule

# Each row: a paragraph and the rule that must drop it (None: it is article text and stays).
CASES = [
    ("Subscribe to our newsletter and get the latest local updates.", "newsletter sign-up"),
    ("Like local stories? Sign up for our newsletter for your weekly dose of good news.", "newsletter sign-up"),
    ("Get the Morning Brief newsletter in your inbox.", "newsletter sign-up"),
    ("Join our newsletter!", "newsletter sign-up"),
    ("Our newsletter lands in your inbox every Friday — subscribe here.", "newsletter sign-up"),
    ("Subscribe now.", "subscribe prompt"),
    ("Subscribe today to support local journalism.", "subscribe prompt"),
    ("Share this article", "share prompt"),
    ("Share on Facebook", "share prompt"),
    ("Email this story to a friend", "share prompt"),
    ("Click here to share", "share prompt"),
    ("Follow us on Instagram for more", "follow prompt"),
    ("We use cookies to improve your experience.", "cookie notice"),
    ("This website uses cookies.", "cookie notice"),
    ("Accept all cookies", "cookie notice"),
    ("ADVERTISEMENT", "advertisement"),
    ("Sponsored content", "advertisement"),
    ("Read more:", "read more"),
    ("Continue reading", "read more"),
    ("Download our app for breaking news alerts.", "app prompt"),
    ("Share", "page buttons"),
    ("Save", "page buttons"),
    ("Share · Save · Copy link", "page buttons"),
    ("Photo: Dredgers working in the outer harbour in 2019. (Credit: Jago Tremain/Harbour Press)", "caption"),
    ("Image caption, Crowds gathered on the slipway", "caption"),
    ("(Credit: Harbour Press)", "credit"),
    ("(Reporting by Carys Menheniot; Editing by Tom Quick)", "agency credit"),
    ("© 2025 Harbour Press Ltd. All rights reserved.", "copyright footer"),
    ("Copyright 2024 The Quay Gazette", "copyright footer"),
    # Article text that merely mentions these words stays.
    ("Copyright law was rewritten in 1988, and the libraries noticed at once.", None),
    ("The photo shows the harbour at dawn, before the boats went out.", None),
    ("Save the date: the regatta returns on the first Saturday of August.", None),
    ("Like many in the village, she remembers the winter of 1963.", None),
    ("X", None),  # a chapter's Roman numeral
    ("Listen", None),  # a poem's title
    ("The council's newsletter reported that the ferry would return in spring.", None),
    ("She had subscribed to the paper for forty years and never missed a Sunday.", None),
    ("“Share what you grow,” the gardener said, handing over a basket of beans.", None),
    ("Volunteers baked cookies for the reopening.", None),
    (
        "Residents who sign up for the newsletter at the front desk will hear first, the librarian said, "
        "and the branch hopes to add more evening events, a homework club and a quiet room for exam "
        "season if the budget allows it next year.",
        None,
    ),
    ("#LibrariesAfterDark", None),
    ("", None),
]


@pytest.mark.parametrize(("paragraph", "rule"), CASES)
def test_boilerplate_rules(paragraph: str, rule: str | None) -> None:
    assert boilerplate_rule(paragraph) == rule


@pytest.mark.parametrize(("extra_words", "rule"), [(0, "cookie notice"), (1, None)])
def test_a_paragraph_over_the_word_limit_is_kept_whatever_it_says(extra_words: int, rule: str | None) -> None:
    from listen.articles.boilerplate import MAX_WORDS

    notice = "This site uses cookies"  # a cookie notice, padded to the limit and one past it
    words = notice.split() + ["and"] * (MAX_WORDS - len(notice.split()) + extra_words)
    assert len(words) == MAX_WORDS + extra_words
    assert boilerplate_rule(" ".join(words[:4]) + "  " + " \t ".join(words[4:])) == rule  # runs of spaces count once


def test_a_page_copied_as_text_loses_its_thread_its_buttons_and_its_read_more_list() -> None:
    from listen.articles.boilerplate import without_page_furniture

    chunks = [
        "The ferry returns on Monday, the council said, after a winter of repairs to the slipway.",
        "Share\nSave",
        "Crews worked through February to replace the timber piles that storms had loosened.",
        "Read more:\n- Slipway closed after storm damage\n- Ferry fares to rise in spring",
        "Tickets go on sale at the harbour office from Friday.",
        "Comments (12)",
        "boatfan  3 hours ago\nAbout time too.\nReply  Like (2)",
    ]
    assert without_page_furniture(chunks) == [chunks[0], chunks[2], chunks[4]]


@pytest.mark.parametrize(
    "heading",
    ["Comments", "Responses", "Join the discussion"],
)
def test_a_comments_heading_without_a_thread_under_it_is_the_articles_text(heading: str) -> None:
    """An essay may have a section called "Comments" (on a draft, say): it is cut only when it
    gives a count or what follows reads as a thread (replies, likes, "3 hours ago")."""
    from listen.articles.boilerplate import without_page_furniture

    chunks = [
        "The draft went to the committee in May.",
        "The minutes were kept.",
        heading,
        "They asked for two changes.",
    ]
    assert without_page_furniture(chunks) == chunks
