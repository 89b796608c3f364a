"""Pilot tests: Listen from here, its controls, follow-along, speed and Make MP3, with fakes."""

from __future__ import annotations

import asyncio
from pathlib import Path

from listen.state import Store
from listen.tui.services import Services
from tui_support import FakeSpeech, make_app, open_article, pilot_test, settle, wait_for


def speech_app(tmp_path: Path, speech: FakeSpeech):
    return make_app(tmp_path, store=Store(tmp_path / "s.sqlite3"), services=speech.services(tmp_path / "audio"))


@pilot_test
async def test_listen_from_here_starts_at_the_current_paragraph(tmp_path: Path) -> None:
    speech = FakeSpeech()
    app = speech_app(tmp_path, speech)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_article(pilot)
        await pilot.press("h", "j", "l")
        await settle(pilot)
        player = speech.players[-1]
        assert player.calls[0][0] == "play"
        first = player.utterances[0]
        assert (first.section, first.paragraph) == (1, 0)


@pilot_test
async def test_the_spoken_paragraph_becomes_current_and_is_announced_once(tmp_path: Path) -> None:
    speech = FakeSpeech()
    app = speech_app(tmp_path, speech)
    async with app.run_test(size=(60, 12)) as pilot:
        await open_article(pilot)
        await pilot.press("l")
        await settle(pilot)
        player = speech.players[-1]
        target = next(i for i, u in enumerate(player.utterances) if (u.section, u.paragraph) == (2, 1))
        await asyncio.to_thread(player.emit, "playing", 0)
        await wait_for(lambda: app.status_text.startswith("Narrating from"), pilot)
        await asyncio.to_thread(player.emit, "playing", target)
        view = app.screen.view
        await wait_for(lambda: app.screen.blocks[view.current].position.section == 2, pilot)
        block = app.screen.blocks[view.current]
        assert (block.section, block.paragraph) == (2, 1)
        first_line = view.starts[view.current]
        assert view.scroll_y <= first_line < view.scroll_y + view.scrollable_content_region.height
        await asyncio.to_thread(player.emit, "finished", 0)
        await wait_for(lambda: app.status_text == "Narration finished", pilot)


@pilot_test
async def test_play_pause_skip_speed_and_stop_reach_the_player(tmp_path: Path) -> None:
    speech = FakeSpeech()
    app = speech_app(tmp_path, speech)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_article(pilot)
        await pilot.press("p")  # nothing playing: p starts from here
        await settle(pilot)
        player = speech.players[-1]
        await pilot.press("p")
        await wait_for(lambda: app.status_text == "Narration paused", pilot)
        await pilot.press("p")
        await wait_for(lambda: app.status_text == "Narration resumed", pilot)
        await pilot.press("full_stop", "comma", "greater_than_sign", "less_than_sign")
        await pilot.press("plus")
        await settle(pilot)
        assert app.status_text == "Speed 1.1×"
        await pilot.press("minus", "minus")
        await settle(pilot)
        assert app.settings.rate == 0.9
        await pilot.press("x")
        assert app.status_text == "Narration stopped"
        calls = [name for name, _ in player.calls]
        assert calls[:3] == ["play", "toggle", "toggle"]
        assert ("skip", 1) in player.calls and ("skip", -1) in player.calls
        assert ("skip_paragraph", 1) in player.calls and ("skip_paragraph", -1) in player.calls
        assert ("set_engine", 1.1) in player.calls
        assert calls[-1] == "stop"


@pilot_test
async def test_skip_without_narration_says_how_to_start(tmp_path: Path) -> None:
    app = speech_app(tmp_path, FakeSpeech())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_article(pilot)
        await pilot.press("full_stop")
        assert app.status_text == "No narration is playing; press l to listen from here"
        await pilot.press("x")
        assert app.status_text == "No narration is playing"


@pilot_test
async def test_missing_narration_degrades_to_one_status_line(tmp_path: Path) -> None:
    from listen.errors import ListenError

    def no_script(article, request):
        raise ListenError("Narration is not available: no module named listen.speech.script")

    services = Services(audio_dir=tmp_path / "audio", build_script=no_script)
    app = make_app(tmp_path, services=services)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_article(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert app.status_text.startswith("Narration is not available")


@pilot_test
async def test_make_mp3_shows_progress_and_where_the_file_went(tmp_path: Path) -> None:
    speech = FakeSpeech()
    app = speech_app(tmp_path, speech)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_article(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert speech.made == [tmp_path / "audio" / "lantern-makers.mp3"]
        assert speech.recorded == speech.made, "Make MP3 records what it made in the manifest"
        assert app.status_text == f"MP3 saved: {tmp_path / 'audio' / 'lantern-makers.mp3'}"
        bar = app.screen.query_one("#mp3")
        assert bar.progress == 100 and not bar.has_class("-running")


@pilot_test
async def test_make_mp3_from_the_library_marks_the_row_and_survives_a_restart(tmp_path: Path) -> None:
    from tui_support import LANTERN

    speech = FakeSpeech()
    dest = tmp_path / "audio" / "lantern-makers.mp3"

    def lantern_row(app) -> str:
        articles = app.screen.query_one("ArticleList")
        row = next(i for i, n in enumerate(articles.shown) if articles.rows[n].path == LANTERN)
        return "".join(s.text for s in articles.render_line(row)).rstrip()

    def audio_column(app) -> str:  # the row ends "… en    no     file": audio, then where it came from
        return lantern_row(app).split()[-2]

    app = speech_app(tmp_path, speech)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("ArticleList").select_path(LANTERN)
        assert audio_column(app) == "no"
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert speech.made == [dest]
        assert "Making an MP3 of The Lantern Makers of Orrin Bay…" in app.announcements
        assert app.status_text == f"MP3 saved: {dest}"
        assert app.screen.query_one("#mp3").progress == 100
        assert audio_column(app) == "yes", "the audio column changes at once"
        assert app.screen.query_one("ArticleList").current.path == LANTERN, "the selection stays"
    app = speech_app(tmp_path, FakeSpeech())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert audio_column(app) == "yes", "an MP3 made from the reader counts as audio next time"


@pilot_test
async def test_make_mp3_from_the_library_on_a_bad_file_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    article = folder / "gone.md"
    article.write_text("# Soon gone\n\nA paragraph that will not be there.\n")
    speech = FakeSpeech()
    app = make_app(tmp_path, folder, services=speech.services(tmp_path / "audio"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        article.unlink()  # listed, then removed before Make MP3
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert speech.made == []
        assert app.status_text == f"{article}: no such file; check the path."
