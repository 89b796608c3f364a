"""Large text: letters really bigger (block-character glyphs 5+ rows tall), and reading still works.

Pilot tests check that paragraph and section moves, find and follow-along keep working in big
letters and that F3 cycles and remembers the size; the tmux test measures the letters on a
real terminal's screen.
"""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from listen.state import Store
from listen.tui.big_text import big_rows, hit_columns, load_font
from tui_support import (
    BOX_AND_BLOCK,
    LISTEN,
    FakeSpeech,
    Terminal,
    make_app,
    open_article,
    pilot_test,
    screen_text,
    settle,
    terminal_env,
    wait_for,
)


def sized_app(tmp_path: Path, size: str, speech: FakeSpeech | None = None, **settings: object):
    store = Store(tmp_path / "state.sqlite3")
    store.save_settings(replace(store.settings(), text_size=size, **settings))
    return make_app(tmp_path, store=store, services=speech.services(tmp_path / "audio") if speech else None)


def test_words_wrap_to_the_width_in_glyph_cells_and_hits_map_to_their_columns() -> None:
    font = load_font("smblock")
    text = "paper lanterns fill the windows"
    rows = big_rows(text, 40, font)
    assert all(len(row) <= 40 for big in rows for row in big.rows)
    assert " ".join(big.source for big in rows) == text
    for big, after in zip(rows, rows[1:]):  # greedy: the next word would not have fitted
        assert font.width(f"{big.source} {after.source.split()[0]}") > 40
    wide = big_rows(text, 200, font)[0]
    first, end = hit_columns(wide, "LANTERN")[0]
    assert (first, end) == (wide.columns[6], wide.columns[13])
    assert big_rows("“Quotes” and café", 80, font)[0].source == '"Quotes" and cafe'


@pilot_test
async def test_moving_finding_and_following_narration_work_in_big_letters(tmp_path: Path) -> None:
    speech = FakeSpeech()
    app = sized_app(tmp_path, "large", speech)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_article(pilot)
        assert app.large_text == 2
        view = app.screen.view
        assert BOX_AND_BLOCK.search("".join(screen_text(app)[1:-2])), "the body is drawn in block letters"
        await pilot.press("h")
        assert app.status_text == "Section 2 of 4: The workshop"
        await pilot.press("j")
        assert app.status_text == "Section 2 of 4, paragraph 1 of 3"
        top = view.starts[view.current] - int(view.scroll_y)
        assert 0 <= top < view.scrollable_content_region.height, "the current paragraph is in view"
        await pilot.press("slash", *"paper", "enter")
        await settle(pilot)
        assert app.status_text == "Match 2 of 3"
        assert any(app.screen.get_style_at(x, y).reverse for y in range(24) for x in range(80)), "the hit is marked"
        await pilot.press("l")
        await settle(pilot)
        player = speech.players[-1]
        target = next(i for i, u in enumerate(player.utterances) if (u.section, u.paragraph) == (3, 0))
        await asyncio.to_thread(player.emit, "playing", target)
        await wait_for(lambda: app.screen.blocks[view.current].section == 3, pilot)
        top = view.starts[view.current] - int(view.scroll_y)
        assert 0 <= top < view.scrollable_content_region.height, "follow-along keeps big text in view"


@pilot_test
async def test_big_letters_reflow_to_the_window(tmp_path: Path) -> None:
    app = sized_app(tmp_path, "large")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_article(pilot)
        wide = len(app.screen.view.lines)
        await pilot.resize_terminal(50, 30)
        await settle(pilot)
        narrow = app.screen.view.lines
        assert len(narrow) > wide
        assert max(line.cells for line in narrow) <= 50 - 4


@pilot_test
async def test_f3_cycles_the_size_and_it_is_remembered(tmp_path: Path) -> None:
    app = sized_app(tmp_path, "normal")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_article(pilot)
        normal = len(app.screen.view.lines)
        await pilot.press("f3")
        assert app.status_text == "Text size: large"
        await pilot.pause()
        assert len(app.screen.view.lines) > normal * 2
        await pilot.press("f3")
        assert app.large_text == 3
        await pilot.press("f3")
        assert app.status_text == "Text size: normal" and app.large_text == 0
        await pilot.press("f3")
    assert Store(tmp_path / "state.sqlite3").settings().text_size == "large"


@pilot_test
async def test_a_screen_reader_gets_letters_not_pictures_of_letters(tmp_path: Path) -> None:
    app = sized_app(tmp_path, "larger", screen_reader=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_article(pilot)
        assert app.large_text == 0
        assert not BOX_AND_BLOCK.search("".join(screen_text(app)))
        await pilot.press("f3")
        assert app.status_text == "Large text is off in screen-reader mode"


def components(rows: list[str]) -> list[set[tuple[int, int]]]:
    """Groups of touching (8-way) non-blank cells: a letter, or letters that touch."""
    cells = {(x, y) for y, row in enumerate(rows) for x, c in enumerate(row) if not c.isspace()}
    groups = []
    while cells:
        stack = [cells.pop()]
        group = set(stack)
        while stack:
            x, y = stack.pop()
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    near = (x + dx, y + dy)
                    if near in cells:
                        cells.remove(near)
                        group.add(near)
                        stack.append(near)
        groups.append(group)
    return groups


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
@pytest.mark.skipif(not LISTEN.exists(), reason="needs the installed listen in .venv")
def test_at_level_two_every_letter_in_the_reader_is_at_least_five_rows_tall(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    words = "quick brown foxes jump over lazy dogs while big yellow kites glide"
    (work / "letters.txt").write_text(f"Big letters\n\n{words} {words} {words}\n", encoding="utf-8")
    term = Terminal(work, terminal_env(tmp_path), size=(80, 24))
    try:
        term.start(f"{LISTEN} read --large-text 2 letters.txt")
        term.wait_for_big("Opened: Big letters")
        term.keys("j")  # onto the paragraph: body-size letters fill the screen
        term.wait_for_big("Section 1 of 1, paragraph 1 of 1")
        rows = term.lines()[1:]
        status = next(y for y, row in enumerate(rows) if "|" not in row[:4])  # the big status line below
        body = [row[4:78] for row in rows[:status]]  # past the gutter (the "| " mark), before the scrollbar
        groups = components(body)
        assert len(groups) >= 8, "\n".join(rows)
        whole = [g for g in groups if min(y for _, y in g) > 0 and max(y for _, y in g) < len(body) - 1]
        heights = {max(y for _, y in g) - min(y for _, y in g) + 1 for g in whole}  # letters cut by an edge aside
        assert heights and min(heights) >= 5, (heights, "\n".join(rows))
        assert not any(c.isalpha() for row in body for c in row), "no letters left at normal size"
    finally:
        term.kill()


TITLES = [
    "",
    "Kites",
    "Night buses and the people who drive them through the sleeping city",
    "“Quoted” titles, café owners — and an ellipsis…",
    "Antidisestablishmentarianism-and-then-some-more-hyphenated-words",
    "東京の夜",
]


@pytest.mark.parametrize("title", TITLES)
@pytest.mark.parametrize(
    ("width", "level", "scaled"), [(36, 2, False), (76, 2, False), (116, 3, False), (76, 2, True), (38, 3, True)]
)
def test_an_entry_is_measured_exactly_without_drawing_it(title: str, width: int, level: int, scaled: bool) -> None:
    from listen.tui.big_text import entry_height, entry_rows

    rows = entry_rows(title, width, level, scaled)
    assert entry_height(title, width, level, scaled) == len(rows)
    assert all(len(text) <= width for text, _ in rows), "nothing wider than the list"
    if not scaled and title:
        assert not any(c.isalpha() for text, _ in rows for c in text), "big letters, never the words"
