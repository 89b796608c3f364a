import pytest

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


P = "A paragraph of prose that runs on for a while, the way body text does in any real document."

HEADING_SHAPES = [
    (
        "chapters",
        f"A Book\n\nChapter 1\n\n{P}\n\n{P}\n\nChapter 2\n\n{P}\n\nChapter 3: The Return\n\n{P}",
        [("Chapter 1", 2), ("Chapter 2", 2), ("Chapter 3: The Return", 2)],
    ),
    (
        "parts over chapters",
        f"A Book\n\nPart One\n\n{P}\n\nChapter 1\n\n{P}\n\nPart Two\n\nChapter 2\n\n{P}",
        [("Part One", 2), ("Chapter 1", 3), ("Part Two", 2), ("Chapter 2", 3)],
    ),
    (
        "book the first",
        f"Novel\n\nBOOK THE FIRST\n\nCHAPTER I\n\n{P}\n\nCHAPTER II\n\n{P}\n\nBOOK THE SECOND\n\nCHAPTER III\n\n{P}",
        [("BOOK THE FIRST", 2), ("CHAPTER I", 3), ("CHAPTER II", 3), ("BOOK THE SECOND", 2), ("CHAPTER III", 3)],
    ),
    ("roman numerals", f"Essay\n\nI.\n\n{P}\n\nII.\n\n{P}\n\nIII.\n\n{P}", [("I", 2), ("II", 2), ("III", 2)]),
    (
        "roman with titles",
        f"Essay\n\nI. The Harbour\n\n{P}\n\nII. The Town\n\n{P}",
        [("I. The Harbour", 2), ("II. The Town", 2)],
    ),
    (
        "numbered",
        f"Report\n\n1. Introduction\n\n{P}\n\n2. Methods\n\n{P}\n\n2.1 Sampling\n\n{P}\n\n3. Results\n\n{P}",
        [("1. Introduction", 2), ("2. Methods", 2), ("2.1 Sampling", 2), ("3. Results", 2)],
    ),
    (
        "underlined",
        f"Notes\n=====\n\n{P}\n\nFirst part\n----------\n\n{P}\n\nSecond part\n-----------\n\n{P}",
        [("First part", 2), ("Second part", 2)],
    ),
    (
        "underlined two levels",
        f"Notes\n\nBig Part\n========\n\n{P}\n\nSmall part\n----------\n\n{P}",
        [("Big Part", 2), ("Small part", 3)],
    ),
    ("capitals with colons", f"Report\n\nSUMMARY:\n\n{P}\n\nFINDINGS:\n\n{P}", [("SUMMARY", 2), ("FINDINGS", 2)]),
    (
        "label and title apart",
        f"Book\n\n{P}\n\nCHAPTER I.\n\nTHE START.\n\n{P}\n\nCHAPTER II.\n\nTHE END.\n\n{P}",
        [("CHAPTER I. THE START", 2), ("CHAPTER II. THE END", 2)],
    ),
    (
        "heading wrapped over two lines",
        f"Book\n\nTHE FIRST PART OF A LONG\nHEADING.\n\n{P}\n\nTHE SECOND ONE.\n\n{P}",
        [("THE FIRST PART OF A LONG HEADING", 2), ("THE SECOND ONE", 2)],
    ),
    (
        "contents then chapters",
        f"Book\n\n{P}\n\nCONTENTS\n\nCHAPTER I. THE START\n\nCHAPTER II. THE END\n\n"
        f"CHAPTER I. THE START\n\n{P}\n\nCHAPTER II. THE END\n\n{P}",
        [("CHAPTER I. THE START", 2), ("CHAPTER II. THE END", 2)],
    ),
    (
        "news headings",
        f"Title Here\n\n{P}\n\nWhat happened\n\n{P}\n\nWhy it matters\n\n{P}",
        [("What happened", 2), ("Why it matters", 2)],
    ),
    (
        "named parts among chapters",
        f"Novel\n\nPROLOGUE\n\n{P}\n\nCHAPTER I.\n\n{P}\n\nCHAPTER II.\n\n{P}\n\nEPILOGUE\n\n{P}",
        [("PROLOGUE", 2), ("CHAPTER I", 2), ("CHAPTER II", 2), ("EPILOGUE", 2)],
    ),
    (
        "a chapter title starting with By",
        f"Tale\n\n{P}\n\nBY THE RIVER\n\n{P}\n\nTHE FERRYMAN\n\n{P}",
        [("BY THE RIVER", 2), ("THE FERRYMAN", 2)],
    ),
    (
        "epigraph under a chapter",
        f"Book\n\nI. Of Rivers\n\nThe water runs,\nAnd runs away.\n\nA. POET.\n\n{P}\n\n"
        f"II. Of Hills\n\nThe hill stays,\nAnd stays.\n\nB. POET.\n\n{P}",
        [("I. Of Rivers", 2), ("II. Of Hills", 2)],
    ),
    ("initials are not numerals", f"Story\n\n{P}\n\nM. Cavalcanti nodded.\n\n{P}\n\nC. Dupont sat down.\n\n{P}", []),
    (
        "chapters in French, German and Spanish",
        f"Livre\n\nCHAPITRE PREMIER\n\n{P}\n\nCHAPITRE II\n\n{P}\n\nKapitel 3\n\n{P}\n\nCapítulo IV\n\n{P}",
        [("CHAPITRE PREMIER", 2), ("CHAPITRE II", 2), ("Kapitel 3", 2), ("Capítulo IV", 2)],
    ),
    (
        "verse titles",
        "Poems\n\nThe Tide\n\nThe tide comes in\nthe tide goes out\nand nothing stays\n\nThe Gull\n\n"
        "A gull stands on\none leg all day\nand looks at me",
        [("The Tide", 2), ("The Gull", 2)],
    ),
    (
        "the end mark closes the book",
        f"Tale\n\nCHAPTER I.\n\n{P}\n\nCHAPTER II.\n\n{P}\n\nTHE END.\n\n{P}",
        [("CHAPTER I", 2), ("CHAPTER II", 2)],
    ),
    (
        "a play's speaker names over each speech",
        f"Play\n\n{P}\n\nFIRST ACT\n\n" + f"ANNA.\n\n{P}\n\nBORIS.\n\n{P}\n\n" * 4 + f"SECOND ACT\n\nANNA.\n\n{P}",
        [("FIRST ACT", 2), ("SECOND ACT", 2)],
    ),
    (
        "a label with a recurring sub-label and a wrapped title",
        f"Epic\n\n{P}\n\nBOOK I.\n\nARGUMENT.\n\nTHE SHIP.\n\n{P}\n\nBOOK II.\n\nARGUMENT.\n\n{P}\n\n"
        f"BOOK III.\n\nARGUMENT.\n\nTHE LONG ROAD\nHOME.\n\n{P}",
        [("BOOK I. THE SHIP", 2), ("BOOK II", 2), ("BOOK III. THE LONG ROAD HOME", 2)],
    ),
    (
        "a part label stacked over a book label",
        f"Saga\n\n{P}\n\nPART I.\n\nAT SEA.\n\nBOOK I.\n\nTHE STORM.\n\n{P}\n\n"
        f"PART II.\n\nON LAND.\n\nBOOK I.\n\nTHE HARBOUR.\n\n{P}",
        [("PART I. AT SEA", 2), ("BOOK I. THE STORM", 2), ("PART II. ON LAND", 2), ("BOOK I. THE HARBOUR", 2)],
    ),
    (
        "Fit the First",
        f"Poem\n\n{P}\n\nFit the First\n\n{P}\n\nFit the Second\n\n{P}",
        [("Fit the First", 2), ("Fit the Second", 2)],
    ),
    (
        "a word after 'ACT' that opens with a numeral's letter is no number",
        f"Play\n\n{P}\n\nFIRST ACT\n\n{P}\n\nACT DROP\n\nSECOND ACT\n\n{P}",
        [("FIRST ACT", 2), ("SECOND ACT", 2)],
    ),
    (
        "a name in capitals under a preface signs it, over a mixed-case title",
        f"Tales\n\n{P}\n\nPREFACE\n\n{P}\n\nMARY ANN HALE\n\nThe Lantern\n\n{P}\n\nThe Weir\n\n{P}",
        [("PREFACE", 2), ("The Lantern", 2), ("The Weir", 2)],
    ),
    (
        "lines a paragraph introduces with a colon are quoted, not headings",
        f"Tales\n\n{P}\n\nTHE CLOCK\n\n{P} She read the notice:\n\nSALE OF WORK\n\nPARISH HALL\n\n{P}"
        f"\n\nTHE WEIR\n\n{P}",
        [("THE CLOCK", 2), ("THE WEIR", 2)],
    ),
    (
        "chapters numbered in words past twenty-nine",
        f"Voyage\n\n{P}\n\nCHAPTER TWENTY-NINE\n\n{P}\n\nCHAPTER THIRTY\n\n{P}\n\nCHAPTER THIRTY-ONE\n\n{P}",
        [("CHAPTER TWENTY-NINE", 2), ("CHAPTER THIRTY", 2), ("CHAPTER THIRTY-ONE", 2)],
    ),
    (
        "a Roman numeral over a named part is one heading",
        f"Voyage\n\n{P}\n\nI\n\nIntroduction\n\n{P}\n\nII\n\nTHE MACHINE\n\n{P}\n\nIII\n\nTHE RETURN\n\n{P}",
        [("I. Introduction", 2), ("II. THE MACHINE", 2), ("III. THE RETURN", 2)],
    ),
    (
        "a preface named for the play it comes before",
        f"Play\n\n{P}\n\nPREFACE TO THE LANTERN.\n\n{P}\n\nACT I\n\n{P}\n\nACT II\n\n{P}",
        [("PREFACE TO THE LANTERN", 2), ("ACT I", 2), ("ACT II", 2)],
    ),
    (
        "a poem's title after the last stanza of a long poem is no epigraph's attribution",
        "Ballads\n\n"
        + "\n\n".join(
            f"{name}\n\n"
            + "\n\n".join([f"Over the {name.lower()} the rain came down\nAnd the lantern swung in the yard"] * 4)
            for name in ("Harbour Bells", "The Weir", "Lantern Road")
        ),
        [("Harbour Bells", 2), ("The Weir", 2), ("Lantern Road", 2)],
    ),
    (
        "a bare 'SCENE' under each act is not the act's title",
        f"Play\n\n{P}\n\nFIRST ACT\n\nSCENE\n\n{P}\n\nSECOND ACT\n\nSCENE\n\n{P}",
        [("FIRST ACT", 2), ("SECOND ACT", 2)],
    ),
]


@pytest.mark.parametrize(("text", "headings"), [c[1:] for c in HEADING_SHAPES], ids=[c[0] for c in HEADING_SHAPES])
def test_heading_styles_found_by_the_documents_shape(text: str, headings: list) -> None:
    article = parse_article(text, "text")
    found = [(s.heading, s.level) for s in article.sections if s.heading != article.title]
    assert found == headings


NOT_HEADINGS = [
    ("attributions", f"Blog\n\n{P}\n\n— Jane Doe\n\n{P}\n\n-- John Roe, The Book\n\n{P}\n\n– Ann Vell\n\n{P}"),
    ("time stamps", f"Live\n\n07.13\n\n{P}\n\n14:05\n\n{P}\n\n9.41am\n\n{P}\n\nUpdated 10.02 GMT\n\n{P}"),
    ("bare numbers", f"Story\n\n{P}\n\n12\n\n{P}\n\n3,400\n\n{P}"),
    ("dates", f"Story\n\n{P}\n\nTuesday 14 January 2031\n\n{P}\n\nMarch 3, 2031\n\n{P}"),
    ("link promos", f"Story\n\n{P}\n\nRead more: Ferry fares to rise\n\n{P}\n\nRelated: The bridge vote\n\n{P}"),
    ("a list set apart by blank lines", f"Recipe\n\n{P}\n\nFlour\n\nSugar\n\nEggs\n\nButter\n\n{P}"),
    ("numbered steps", f"Steps\n\n{P}\n\n1. Preheat the oven.\n\n2. Mix the flour.\n\n3. Bake it.\n\n{P}"),
    ("one capitalised line", f"News\n\n{P}\n\nNOTICE.\n\n{P}"),
    ("sentences ending in a stop or colon", f"Title\n\n{P}\n\nHe did not come back.\n\n{P}\n\nRead this:\n\n{P}"),
    ("a byline inside", f"Story\n\n{P}\n\nBy Ann Vell\n\n{P}"),
    ("addresses and bracketed lines", f"Story\n\n{P}\n\nwww.example.org\n\n{P}\n\n[Illustration]\n\n{P}"),
    (
        "the end of a bracketed block",
        f"Story\n\n{P}\n\n[Illustration: a lamp\n\nChapter I.]\n\n{P}\n\nChapter II.]\n\n{P}",
    ),
    ("signatures with initials", f"Preface\n\n{P}\n\nA. R. WELLS.\n\n{P}\n\nJOHN T. MARSH\n\n{P}\n\nG.T.B.\n\n{P}"),
    ("credits", f"Book\n\n{P}\n\nCopyright, 1909, by Ann Vell\n\n{P}\n\nIllustrated by T. ROWE\n\n{P}"),
    ("a signature whose initial is a numeral's letter", f"Preface\n\n{P}\n\nL. Ann Vell\n\n{P}\n\nC. Tom Marsh\n\n{P}"),
]


@pytest.mark.parametrize("text", [c[1] for c in NOT_HEADINGS], ids=[c[0] for c in NOT_HEADINGS])
def test_short_lines_that_are_never_headings(text: str) -> None:
    article = parse_article(text, "text")
    assert [s.heading for s in article.sections] == [article.title]


def test_title_page_lines_are_not_chapters_and_not_the_body() -> None:
    text = (
        "INHABITANTS OF THE COAST\n\nA SHORT ACCOUNT\n\nBY\nA RESIDENT\n\nPHILADELPHIA\nPRINTED BY J. SMALL\nMDCCLXXVI\n\n"
        f"INTRODUCTION.\n\n{P}\n\n{P}\n\nCHAPTER I.\n\n{P}\n\nCHAPTER II.\n\n{P}"
    )
    article = parse_article(text, "text")
    assert article.title == "INHABITANTS OF THE COAST"
    assert [s.heading for s in article.sections] == ["INTRODUCTION", "CHAPTER I", "CHAPTER II"]
    assert "PHILADELPHIA" not in " ".join(article.paragraphs)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Features\nThe hands that keep the old clocks running\n\nBody.", "The hands that keep the old clocks running"),
        (
            "Features\n\nThe hands that keep the old clocks running\n\nBody.",
            "The hands that keep the old clocks running",
        ),
        ("World news\n\nFerry crews walk out over new rotas\n\nBody.", "Ferry crews walk out over new rotas"),
        (
            "Opinion | Transport\nWhy the ferry matters more than the bridge\n\nBody.",
            "Why the ferry matters more than the bridge",
        ),
        ("Essay\n\nI. The Harbour\n\nBody.", "Essay"),  # too short a line under it to be the title
        ("Harvest Notes\n\nIntro paragraph of the piece.", "Harvest Notes"),
        ("Sport\n\nA sentence of body text, which ends in a full stop.", "Sport"),
    ],
)
def test_a_section_label_over_the_title_is_not_the_title(text: str, title: str) -> None:
    assert parse_article(text, "text").title == title


def test_byline_and_date_under_the_title_are_metadata_not_text() -> None:
    article = parse_article(
        f"Title Here\n\nBy Ann Vell and Tom Roe\n\n3 March 2031\n\nUpdated 10.02 GMT\n\n{P}", "text"
    )
    assert (article.author, article.date) == ("Ann Vell and Tom Roe", "3 March 2031")
    assert article.paragraphs == (P,)


def test_scene_breaks_are_not_text() -> None:
    assert parse_article(f"Title\n\n{P}\n\n* * *\n\n{P}\n\n~~~\n\n{P}", "text").paragraphs == (P, P, P)


def test_an_unmarked_line_alone_under_the_title_is_the_article_not_a_standfirst() -> None:
    from listen.articles.load import parse_article

    words = "quick brown foxes jump over lazy dogs while big yellow kites glide above the harbour wall"
    article = parse_article(f"Big letters\n\n{words}\n", "text")
    assert article.standfirst == ""
    assert article.paragraphs == (words,)
    with_body = parse_article(f"Big letters\n\n{words}\n\nThe ferry was late again.\n", "text")
    assert with_body.standfirst == words


BOOK_LINES = (
    "THE LAMP ROOM\n\nBY ANN VELL\n\nCHAPTER I.\n\nThe keeper woke early that winter,\nand the sea was grey.\n\n"
    "Some sentence here.\n\nCHAPTER II.\n\nShe climbed the stair with the oil can.\n"
)


@pytest.mark.parametrize(
    ("ending", "text"),
    [
        ("unix LF", BOOK_LINES),
        ("windows CRLF", BOOK_LINES.replace("\n", "\r\n")),
        ("old mac CR", BOOK_LINES.replace("\n", "\r")),
        ("mixed", BOOK_LINES.replace("\n\n", "\r\n\r\n", 2).replace("\n\n", "\r\r", 1)),
    ],
)
def test_parse_plain_reads_every_line_ending_alike(ending: str, text: str) -> None:
    from listen.articles.plain import parse_plain

    draft = parse_plain(text, "fallback")
    expected = parse_plain(BOOK_LINES, "fallback")
    assert draft == expected
    assert draft.title == "THE LAMP ROOM"
    assert [b.text for b in draft.blocks if b.kind == "heading"] == ["CHAPTER I", "CHAPTER II"]
    assert not any("\r" in b.text for b in draft.blocks)


@pytest.mark.parametrize("text", ["Some sentence here.\r\n", "\r", "\r\n\r\n\r\n", "Title\r\n \r\n\r\nCHAPTER I\r"])
def test_parse_plain_never_fails_on_bare_or_empty_lines(text: str) -> None:
    from listen.articles.plain import parse_plain

    parse_plain(text, "fallback")  # an IndexError here once stopped a Windows file


V = (
    "The tide goes out along the wall,\nThe boats lie over, one and all;\nAnd in the mud the gulls go round\n"
    "To see what treasure can be found.\n\nThe tide comes in along the quay,\nThe boats get up and put to sea;\n"
    "And all the gulls go out as well\nTo follow them beyond the bell.\n\nAnd when the lamps are lit at night\n"
    "The harbour wall is washed with light;\nThe gulls come home, the boats come in,\nAnd all the tides begin again."
    "\n\nSo sing it slow and sing it low,\nThe way the tides will come and go."
)
COLLECTION = "\n\n".join(
    ["Harbour Verses", "Low Tide", V, "'Mind the Rope'", V, "The Pilot", V, "Gull Weather", V, "Ballast", V]
    + ["'Home by the Ferry'", V, "The Breakwater", V]
)

COLLECTION_TITLES = [
    "Low Tide",
    "'Mind the Rope'",
    "The Pilot",
    "Gull Weather",
    "Ballast",
    "'Home by the Ferry'",
    "The Breakwater",
]

SHAPES_OF_BOOKS = [
    (
        "quoted titles among plain titles in a collection of poems",
        COLLECTION,
        COLLECTION_TITLES,
    ),
    (
        "a quoted line under a paragraph ending in a colon is what it introduces",
        COLLECTION.replace("Ballast\n\n", "Ballast\n\nHe chalked it on the board:\n\n'Keep Clear of the Crane'\n\n"),
        COLLECTION_TITLES,
    ),
    (
        "plate and figure captions between chapters",
        f"A Book\n\nCHAPTER I.\n\n{P}\n\nPLATE IV.--THE OLD PIER AT DUSK\n\n{P}\n\nCHAPTER II.\n\n{P}\n\n"
        f"PLATE: WOODCUT NO. 5.\n\n{P}\n\nFig. 3.--A SECTION THROUGH THE REEF\n\n{P}\n\nCHAPTER III.\n\n{P}",
        ["CHAPTER I", "CHAPTER II", "CHAPTER III"],
    ),
    (
        "a contents list of part lines and chapter lines, some long, is not the text's headings",
        "A Book\n\nContents\n\nBOOK ONE.--THE MARSH\n\n"
        "I. THE HOUSE\nII. A LANTERN ON THE DYKE.\nIII. WHAT THE EEL-CATCHER SAW FROM THE SLUICE GATE AT NIGHT.\n\n"
        "BOOK TWO.--THE FLOOD\n\nI. THE WIND.\nII. AFTERWARDS.\n\n"
        f"BOOK ONE\n\nTHE MARSH\n\nI.\n\nTHE HOUSE.\n\n{P}\n\nII.\n\nA LANTERN ON THE DYKE.\n\n{P}\n\n"
        f"III.\n\nWHAT THE EEL-CATCHER SAW FROM THE SLUICE GATE AT NIGHT, AND WHAT HE TOLD THE PARSON.\n\n{P}\n\n"
        f"BOOK TWO\n\nTHE FLOOD\n\nI.\n\nTHE WIND.\n\n{P}\n\nII.\n\nAFTERWARDS.\n\n{P}",
        [
            "BOOK ONE. THE MARSH",
            "I. THE HOUSE",
            "II. A LANTERN ON THE DYKE",
            "III. WHAT THE EEL-CATCHER SAW FROM THE SLUICE GATE AT NIGHT, AND WHAT HE TOLD THE PARSON",
            "BOOK TWO. THE FLOOD",
            "I. THE WIND",
            "II. AFTERWARDS",
        ],
    ),
    (
        "a speaker named in full once, whose label is the short name elsewhere",
        "THE HARBOUR MASTER\n\nACT FIRST.\n\n"
        + "\n\n".join(
            ["CAPTAIN MARLOWE.", P, "ISOLDE.", P, "MARLOWE.", P, "ISOLDE.", P, "MARLOWE.", P]
            + [
                "ACT SECOND.",
                P,
                "MARLOWE.",
                P,
                "ISOLDE FENWICK.",
                P,
                "MARLOWE.",
                P,
                "ISOLDE.",
                P,
                "CAPTAIN MARLOWE.",
                P,
            ]
        ),
        ["ACT FIRST", "ACT SECOND"],
    ),
    (
        "front matter headings set in underscore italics",
        f"A Book\n\n{P}\n\n_PREFATORY NOTE_\n\n{P}\n\n_INTRODUCTION._\n\n{P}\n\nCHAPTER I.\n\n{P}\n\nCHAPTER II.\n\n{P}",
        ["PREFATORY NOTE", "INTRODUCTION", "CHAPTER I", "CHAPTER II"],
    ),
    (
        "a subtitle in capitals under a heading; under a bare label it is the label's title",
        f"A Book\n\nCHAPTER I.\n\n{P}\n\nCHAPTER II.\n\n{P}\n\nAPPENDIX.\n\n"
        f"CONTAINING A LIST OF THE LIGHTHOUSES ON THE EAST COAST.\n\n{P}\n\n"
        f"POSTSCRIPT.\n\nFOUND AMONG THE KEEPER'S PAPERS.\n\n{P}",
        ["CHAPTER I", "CHAPTER II", "APPENDIX", "POSTSCRIPT. FOUND AMONG THE KEEPER'S PAPERS"],
    ),
    (
        "a collection of one-stanza poems keeps every title (each hangs from a title like itself)",
        "\n\n".join(
            ["Small Verses"]
            + [x for t in ("Low Tide", "The Pilot", "Gull Weather", "Ballast") for x in (t, V.split("\n\n")[0])]
        ),
        ["Low Tide", "The Pilot", "Gull Weather", "Ballast"],
    ),
    (
        "a name under each chapter's epigraph is no heading",
        "\n\n".join(
            ["A Book"]
            + [x for n in ("I", "II", "III", "IV") for x in (f"CHAPTER {n}.", V.split("\n\n")[0], "Tom Marsh", P, P)]
        ),
        ["CHAPTER I", "CHAPTER II", "CHAPTER III", "CHAPTER IV"],
    ),
    (
        "an author's name under 'BY' on the title page",
        f"LADY ANNE'S LAMP\n\nA PLAY\nIN THREE ACTS\n\nBY\n\nHUGO MARRABLE\n\n{P}\n\nFIRST ACT\n\n{P}\n\nSECOND ACT\n\n{P}",
        ["FIRST ACT", "SECOND ACT"],
    ),
]


@pytest.mark.parametrize(("text", "headings"), [c[1:] for c in SHAPES_OF_BOOKS], ids=[c[0] for c in SHAPES_OF_BOOKS])
def test_book_shapes_give_the_books_headings_only(text: str, headings: list) -> None:
    article = parse_article(text, "text")
    assert [s.heading for s in article.sections if s.heading != article.title] == headings


def test_quoted_dialogue_in_a_novel_is_never_a_heading() -> None:
    text = (
        f"A Novel\n\nCHAPTER I.\n\n{P}\n\n'Let the Ferryman Go to the Town'\n\n{P}\n\n"
        f"CHAPTER II.\n\n{P}\n\n'Stop Thief'\n\n{P}\n\nCHAPTER III.\n\n{P}"
    )
    article = parse_article(text, "text")
    assert [s.heading for s in article.sections] == ["CHAPTER I", "CHAPTER II", "CHAPTER III"]


def test_an_etext_title_page_repeating_the_title_is_not_a_chapter() -> None:
    text = (
        "Title: Harbour Verses\nAuthor: Ann Vell\n\n*** START OF THE PROJECT GUTENBERG EBOOK HARBOUR VERSES ***\n\n"
        + COLLECTION.replace("Harbour Verses", "HARBOUR VERSES\n\nBy Ann Vell", 1)
        + "\n\n*** END OF THE PROJECT GUTENBERG EBOOK HARBOUR VERSES ***"
    )
    article = parse_article(text, "text")
    assert (article.title, article.author) == ("Harbour Verses", "Ann Vell")
    assert article.sections[0].heading == "Low Tide"
    assert "By Ann Vell" not in article.paragraphs
