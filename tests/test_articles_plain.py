from listen.articles import load_article, parse_article

NEWS = """The Night Bus Comes Back


"We missed it more than we expected."

The number 40 night bus returns on Monday after\u00a0two years, the transit office said on Tuesday.

Like local stories? Sign up for our newsletter for your weekly dose of neighbourhood news.

Drivers will run the route every 30 minutes between 11 p.m. and 5 a.m. #NightOwls

Subscribe to our newsletter and get the latest news.
"""


def test_plain_text_title_standfirst_and_body_without_newsletter_lines() -> None:
    article = parse_article(NEWS, "text")
    assert article.title == "The Night Bus Comes Back"
    assert article.standfirst == '"We missed it more than we expected."'
    assert article.paragraphs == (
        "The number 40 night bus returns on Monday after two years, the transit office said on Tuesday.",
        "Drivers will run the route every 30 minutes between 11 p.m. and 5 a.m. #NightOwls",
    )
    assert len(article.sections) == 1
    assert article.sections[0].heading == article.title


def test_italic_line_after_title_is_the_standfirst() -> None:
    article = parse_article("Title here\n\n*A calm evening by the water.*\n\nBody text follows.", "text")
    assert article.standfirst == "A calm evening by the water."
    assert article.paragraphs == ("Body text follows.",)


def test_a_long_quoted_paragraph_is_body_not_standfirst() -> None:
    long_quote = '"' + " ".join(["word"] * 60) + '."'
    article = parse_article(f"Title\n\n{long_quote}\n\nMore.", "text")
    assert article.standfirst == ""
    assert article.paragraphs[0] == long_quote


def test_heading_like_lines_start_sections() -> None:
    text = "Harvest Notes\n\nIntro paragraph of the piece.\n\nWhat Grew Well\n\nBeans and squash did well.\n\nNext Year\n\nMore shade for lettuce."
    article = parse_article(text, "text")
    assert [s.heading for s in article.sections] == ["Harvest Notes", "What Grew Well", "Next Year"]
    assert article.sections[1].paragraphs == ("Beans and squash did well.",)


def test_lines_that_end_like_sentences_are_not_headings() -> None:
    text = "Title\n\nIntro.\n\nThis short line ends with a stop.\n\nRead this:\n\n“A quoted line”\n\nEnd."
    article = parse_article(text, "text")
    assert len(article.sections) == 1


def test_a_trailing_short_line_is_not_a_heading_without_text_after_it() -> None:
    article = parse_article("Title\n\nSome text.\n\nThe End", "text")
    assert article.paragraphs == ("Some text.", "The End")


def test_hard_wrapped_lines_join_and_list_lines_stay_apart() -> None:
    text = "Title\n\nA sentence that was\nwrapped by an editor.\n\nBring:\n- a torch\n- a flask of tea\n  kept warm"
    article = parse_article(text, "text")
    assert article.paragraphs == (
        "A sentence that was wrapped by an editor.",
        "Bring:",
        "- a torch",
        "- a flask of tea kept warm",
    )


def test_title_only_file_loads(write) -> None:
    article = load_article(write("only-title.txt", "Just A Title\n"))
    assert article.title == "Just A Title"
    assert article.sections == ()
    assert article.words == 3


def test_a_huge_single_line_is_body_with_a_title_from_the_file_name(write) -> None:
    line = "word " * 40_000  # 200,000 characters on one line
    article = load_article(write("one-long-line.txt", line))
    assert article.title == "One long line"
    assert sum(len(p.split()) for p in article.paragraphs) == 40_000


def test_seed_like_text_keeps_hashtags_quotes_and_numbers() -> None:
    text = "Title\n\n“Quote,” she said of #BlueSkies — 3,000 people, 12% more, $2.4 million."
    assert parse_article(text, "text").paragraphs == (
        "“Quote,” she said of #BlueSkies — 3,000 people, 12% more, $2.4 million.",
    )
