"""Large text in the terminal's own scaled glyphs (OSC 66): reading still works, and the glyphs
the driver draws over each frame carry the right text, place and colours.

The app is told the terminal scales text (create_app(text_sizing=True)); Pilot's headless
driver writes nothing, so what the real driver would append to a frame is worked out with
the driver's own function, `cursor.overlaid`.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

from rich.style import Style
from textual.strip import Strip

from listen.state import Store
from listen.tui.app import create_app
from listen.tui.services import Services
from listen.tui.cursor import SYNC_END, SYNC_START, overlaid
from listen.tui.text_sizing import Overlay, ScaledLine
from listen.tui.widgets.article_view import GUTTER, scaled_lines
from tui_support import BOX_AND_BLOCK, FIXTURES, FakeSpeech, open_article, pilot_test, screen_text, settle, wait_for

SIZED = re.compile(r"\x1b\[(\d+);(\d+)H((?:\x1b\[[0-9;]*m\x1b\]66;s=\d;[^\x07]*\x07)+)")
RUN = re.compile(r"\x1b\[([0-9;]*)m\x1b\]66;s=(\d);([^\x07]*)\x07")


def scaled_app(tmp_path: Path, size: str = "large", speech: FakeSpeech | None = None, **options: Any):
    audio = tmp_path / "audio"
    return create_app(
        FIXTURES,
        store=Store(tmp_path / "state.sqlite3"),
        services=speech.services(audio) if speech else Services(audio_dir=audio),
        keymap={},
        text_size=size,
        text_sizing=True,
        **options,
    )


def frame_end(app: Any) -> str:
    """What the driver writes at the end of a synchronized frame, now."""
    return overlaid(SYNC_END, Overlay(lambda: scaled_lines(app)), visible=False, was_visible=False)


def drawn(app: Any) -> list[tuple[int, int, list[tuple[str, int, str]]]]:
    """(x, y, [(SGR, scale, text)…]) for each line the driver would draw, 0-based cells."""
    out = []
    for found in SIZED.finditer(frame_end(app)):
        runs = [(sgr.removeprefix("0;"), int(scale), text) for sgr, scale, text in RUN.findall(found.group(3))]
        out.append((int(found.group(2)) - 1, int(found.group(1)) - 1, runs))
    return out


def sgr_at(app: Any, x: int, y: int) -> str:
    """The SGR parameters Textual would write for the cell at x, y."""
    style: Style = app.screen.get_style_at(x, y)
    return Strip.render_ansi(style, app.console._color_system)


def current_lines(app: Any) -> list[ScaledLine]:
    view = app.screen.view
    top = int(view.scroll_y)
    region = view.scrollable_content_region
    return [line for line in scaled_lines(app) if view.lines[top + line.y - region.y].block == view.current]


def article_rows(app) -> list[str]:
    """The rows the reader's text covers. The status line below it is drawn in block letters
    even where the terminal scales text (tui/widgets/status_line.py), so it is not looked at."""
    region = app.screen.view.region
    return [row[:-1] for row in screen_text(app)[region.y : region.bottom]]


@pilot_test
async def test_scaled_text_is_real_text_laid_out_for_the_terminal_to_enlarge(tmp_path: Path) -> None:
    app = scaled_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_article(pilot)
        view = app.screen.view
        assert app.large_text == 2 and view.scales
        rows = screen_text(app)
        assert not BOX_AND_BLOCK.search("".join(article_rows(app))), "no block letters"
        assert "The Lantern Makers of" in rows[1], "the first row of a scaled line is its real text"
        region = view.scrollable_content_region
        x = region.x + view._margin + GUTTER
        lines = drawn(app)
        assert lines, frame_end(app)
        assert lines[0] == (x, region.y, [(sgr_at(app, x, region.y), 3, "The Lantern Makers of")]), "title a size up"
        for line_x, y, runs in lines:
            number = int(view.scroll_y) + y - region.y
            scale = view.scales[number]
            assert line_x == x and {s for _, s, _ in runs} == {scale}
            assert "".join(text for _, _, text in runs) == view.lines[number].text
            assert y + scale <= region.bottom, "no glyph spills out of the reader"
            assert all(view.lines[number + k].text == " " for k in range(1, scale)), "rows left for the glyphs"
        assert frame_end(app).endswith(SYNC_END) and frame_end(app).startswith("\x1b7")


@pilot_test
async def test_moving_finding_and_following_narration_work_in_scaled_text(tmp_path: Path) -> None:
    speech = FakeSpeech()
    app = scaled_app(tmp_path, speech=speech)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_article(pilot)
        view = app.screen.view
        await pilot.press("h")
        assert app.status_text == "Section 2 of 4: The workshop"
        await pilot.press("j")
        assert app.status_text == "Section 2 of 4, paragraph 1 of 3"
        await pilot.press("k")
        assert app.status_text == "Section 2 of 4, heading: the workshop"
        await pilot.press("k")
        assert app.status_text == "Section 1 of 4, paragraph 2 of 2"
        await pilot.press("H")
        assert app.status_text == "Section 1 of 4: The Lantern Makers of Orrin Bay"
        await pilot.press("h", "h")
        assert app.status_text == "Section 3 of 4: The winter fair"
        marked = current_lines(app)
        assert marked, "the current block is drawn scaled"
        for line in marked:
            assert line.runs[0][0] == sgr_at(app, line.x, line.y), "drawn in the current block's colours"

        await pilot.press("g")
        await pilot.press("slash", *"paper", "enter")
        await settle(pilot)
        assert app.status_text == "Match 1 of 3"
        await pilot.press("n")
        assert app.status_text == "Match 2 of 3"
        await pilot.press("n")
        assert app.status_text == "Match 3 of 3"
        await pilot.press("N")
        assert app.status_text == "Match 2 of 3"
        hits = [(x, y, runs) for x, y, runs in drawn(app) for sgr, _, text in runs if text.casefold() == "paper"]
        assert hits, "a hit on screen is drawn scaled"
        for x, y, runs in hits:
            offset = 0
            for sgr, _, text in runs:
                if text.casefold() == "paper":
                    assert sgr == sgr_at(app, x + offset, y), "with the find-hit colours"
                    assert app.screen.get_style_at(x + offset, y).reverse
                offset += len(text)

        await pilot.press("l")
        await settle(pilot)
        player = speech.players[-1]
        target = next(i for i, u in enumerate(player.utterances) if (u.section, u.paragraph) == (3, 0))
        await asyncio.to_thread(player.emit, "playing", target)
        await wait_for(lambda: app.screen.blocks[view.current].section == 3, pilot)
        await pilot.pause()
        followed = current_lines(app)
        assert followed, "follow-along keeps the spoken paragraph in view, drawn scaled"
        assert all(line.runs[0][0] == sgr_at(app, line.x, line.y) for line in followed)


@pilot_test
async def test_nothing_is_drawn_over_help_and_what_was_drawn_is_erased(tmp_path: Path) -> None:
    app = scaled_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_article(pilot)
        overlay = Overlay(lambda: scaled_lines(app))
        assert "\x1b]66;" in overlay.after_frame()
        shown = overlay.shown
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        assert scaled_lines(app) == []
        start = overlaid(SYNC_START, overlay, visible=False, was_visible=False)
        assert start.startswith(SYNC_START) and f"\x1b[{shown[0].y + 1};{shown[0].x + 1}H" in start
        assert shown[0].runs[0][1] in start, "the glyphs drawn before help are erased (their text written back)"
        assert overlaid(SYNC_END, overlay, visible=False, was_visible=False) == SYNC_END, "none drawn over help"
        await pilot.press("f1")
        await pilot.pause()
        assert "\x1b]66;" in frame_end(app), "drawn again once the reader is back"


@pilot_test
async def test_the_size_cycles_between_block_free_scaled_sizes(tmp_path: Path) -> None:
    app = scaled_app(tmp_path, size="normal")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_article(pilot)
        assert scaled_lines(app) == [] and frame_end(app) == SYNC_END
        await pilot.press("f3")
        await pilot.pause()
        assert {s for _, _, runs in drawn(app) for _, s, _ in runs} <= {2, 3} and drawn(app)
        assert not BOX_AND_BLOCK.search("".join(article_rows(app))), "not block letters"
        await pilot.press("f3")
        await pilot.pause()
        assert app.large_text == 3
        assert {s for _, _, runs in drawn(app) for _, s, _ in runs} <= {3, 4} and drawn(app)
        await pilot.press("f3")
        await pilot.pause()
        assert app.large_text == 0 and frame_end(app) == SYNC_END


@pilot_test
async def test_screen_reader_mode_never_uses_scaled_text(tmp_path: Path) -> None:
    app = scaled_app(tmp_path, size="larger", screen_reader=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_article(pilot)
        assert app.large_text == 0
        assert app.screen.view.scales == {}
        assert frame_end(app) == SYNC_END
        await pilot.press("f3")
        assert app.status_text == "Large text is off in screen-reader mode"
        assert frame_end(app) == SYNC_END
