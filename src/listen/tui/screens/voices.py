"""The voice picker the settings open: every voice `listen voices` knows, with its language.

A list like the contents (choice.py): Up and Down move, Enter takes the voice, Escape or
Ctrl+G keeps the one there was. Each line says the language first ("French (France)"),
because that is what a reader looks for, then the voice's name, engine and quality. The
first line keeps the engine's own choice for each article's language; the last lets the
reader type a name or a Piper model path instead. P plays a sample of the highlighted voice
(speech.voices.sample_text) through the reader's player, so a reader hears it before choosing. The choice sets both the engine and the
voice, and listen-from-here and Make MP3 use them (listen.narration.request_from_settings).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from listen.errors import ListenError
from listen.tui.bindings import dialog_bindings
from listen.tui.screens.choice import ChoiceScreen

if TYPE_CHECKING:
    from listen.speech.player import Player, PlayerEvent
    from listen.speech.voices import Voice

TYPE_ONE = "type"  # the entry that opens the typing box


@dataclass(frozen=True)
class VoiceChoice:
    """What the settings store: the engine and the voice argument for it ('' for its default)."""

    engine: str
    voice: str
    spoken: str  # how the choice is announced
    language: str = ""  # what its sample is said in


DEFAULT = VoiceChoice("auto", "", "the best installed voice for each article's language")


def voice_entries(voices: Sequence[Voice]) -> list[tuple[str, VoiceChoice | str]]:
    """The picker's lines: the default, each voice (as speech.voices.Voice), then typing one."""
    entries: list[tuple[str, VoiceChoice | str]] = [(f"Default: {DEFAULT.spoken}", DEFAULT)]
    for voice in voices:
        language = voice.label or voice.language
        line = f"{language}: {voice.name}, {voice.engine}, {voice.quality}"
        entries.append((line, VoiceChoice(voice.engine, voice.name, line, voice.language)))
    entries.append(("Type a voice name or a Piper model path…", TYPE_ONE))
    return entries


def current_entry(entries: Sequence[tuple[str, VoiceChoice | str]], engine: str, voice: str) -> int:
    """The line of the voice in use, so the list opens on it (the default when not listed)."""
    for index, (_, choice) in enumerate(entries):
        if (
            isinstance(choice, VoiceChoice)
            and choice.voice == voice
            and (not voice or choice.engine == engine or engine == "auto")
        ):
            return index
    return 0


class VoiceScreen(ChoiceScreen):
    """Dismisses with a VoiceChoice, TYPE_ONE, or None (Escape: nothing changes)."""

    KEY_SCOPE = "voices"
    BINDINGS = dialog_bindings("voices")

    def __init__(self, voices: Sequence[Voice], engine: str, voice: str) -> None:
        entries = voice_entries(voices)
        super().__init__("Voices", entries, current_entry(entries, engine, voice))
        self.count = len(voices)
        self._player: Player | None = None  # the sample playing, if any

    def opened_message(self) -> str:
        return (
            f"Voices, {self.count} installed; Up and Down move, P plays a sample, Enter uses the voice, "
            f"Escape keeps the one there was. {self.entries[self.start][0]}"
        )

    def action_preview(self) -> None:
        """P: hear the highlighted voice say a sentence in its language, before choosing it."""
        index = self.choices.highlighted
        choice = self.entries[index][1] if index is not None else None
        if not isinstance(choice, VoiceChoice):
            self.app.announce("Move to a voice to hear a sample of it")
            return
        self.app.announce(f"Playing a sample of {choice.voice or 'the default voice'}…")
        self.run_worker(lambda: self._preview(choice), thread=True, exclusive=True, group="preview")

    def _preview(self, choice: VoiceChoice) -> None:
        from listen.speech.script import Utterance  # imported when a sample is asked for
        from listen.speech.voices import sample_text

        services = self.app.services
        try:
            request = services.request(replace(self.app.settings, engine=choice.engine, voice=choice.voice))
            engine = services.get_engine(request, choice.language or None)
            text = sample_text(choice.language or "en")
            if self._player is not None:
                self._player.stop()
            self._player = services.player(engine, self._heard)
            self._player.play([Utterance(text, text, 0, 0, "sentence", 0)])
        except ListenError as error:
            self.app.call_from_thread(self.app.announce, f"No sample: {error}")

    def _heard(self, event: PlayerEvent) -> None:
        if event.kind == "error":
            self.app.call_from_thread(self.app.announce, f"No sample: {event.message}")

    def on_unmount(self) -> None:
        if self._player is not None:
            self._player.stop()
