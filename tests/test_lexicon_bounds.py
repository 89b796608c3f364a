"""A user's lexicon is bounded: a backtracking rule or a growing replacement fails with one
line naming the rule, instead of hanging the build or filling the memory."""

from __future__ import annotations

import pickle

import pytest

from listen.speech.lexicon import GROWTH, LexiconError, parse_lexicon
from listen.speech.script import build_script
from listen.articles import parse_article

SENTENCE = "The ferry left the quay at seven and the gulls followed it past the breakwater. "

HOSTILE = [
    # (lexicon line 2, sentence, what the one line says)
    ("/(x+x+)+y/ = z", "x" * 4000 + "!", "takes too long"),
    ("/(a|aa)+$/ = z", "a" * 3000 + "b", "takes too long"),
    ("/(.*,){12}x/ = z", "a," * 200, "takes too long"),
    ("/e/ = " + "e" * 200, SENTENCE * 20, f"more than {GROWTH} times longer"),
    ("/(?:)/ = padding words", SENTENCE * 4, f"more than {GROWTH} times longer"),  # matches between letters
]


@pytest.mark.parametrize(("rule", "text", "said"), HOSTILE, ids=["nested", "alternation", "commas", "grow", "empty"])
def test_a_hostile_rule_fails_with_one_line_naming_it(rule: str, text: str, said: str) -> None:
    lexicon = parse_lexicon(f"SQL = sequel\n{rule}\n", "my.lex")
    with pytest.raises(LexiconError) as failed:
        lexicon.apply(text)
    message = str(failed.value)
    assert message.startswith("my.lex line 2: the rule ") and said in message and "\n" not in message


def test_growth_is_counted_over_all_rules_not_per_rule() -> None:
    lexicon = parse_lexicon("/a/ = aaa\n/a/ = aaa\n/a/ = aaa\n", "chain.lex")  # 27 times as long, in steps of 3
    with pytest.raises(LexiconError, match="chain.lex line 3"):
        lexicon.apply("a" * 500)


def test_ordinary_rules_still_respell_and_travel_to_worker_processes() -> None:
    lexicon = parse_lexicon("Nguyen = Win\n/\\bcolou?r\\b/ = colour\nSQL = sequel\n")
    assert lexicon.apply("Nguyen likes the color of SQL and nosql.") == "Win likes the colour of sequel and nosql."
    assert pickle.loads(pickle.dumps(lexicon)).apply("sql") == "sequel"


def test_a_build_script_with_a_hostile_rule_is_one_error_not_a_hang() -> None:
    article = parse_article("# Harbour\n\n" + "x" * 3000 + "!\n", "md")
    with pytest.raises(LexiconError, match="line 1"):
        build_script(article, lexicon=parse_lexicon("/(x+x+)+y/ = z\n", "slow.lex"))
