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
    # Article text that merely mentions these words stays.
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
