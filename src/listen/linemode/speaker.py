"""`play` and `stop` in line mode: narration from the current paragraph, told in whole lines.

Speech is imported only when someone asks to play, so line mode starts fast and works where
no engine is installed; what is missing is said in one line, as the full-screen reader does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from listen.articles.model import Article
from listen.errors import ListenError
from listen.state import ReaderSettings


class Speaker:
    """One player at a time; `say` prints a line (from the player's thread too)."""

    def __init__(self, settings: ReaderSettings, say: Callable[[str], None]) -> None:
        self.settings = settings
        self.say = say
        self.player: Any = None

    def play(self, article: Article, section: int, paragraph: int) -> None:
        self.stop(quiet=True)
        try:
            from listen.narration import engine_for, request_from_settings, script_for

            request = request_from_settings(self.settings)  # the user's lexicon too, as speak uses it
            utterances = list(script_for(article, request).utterances_from(section, paragraph))
            engine = engine_for(request, article.language)
            self.player = _player(engine, self._event)
        except (ListenError, ImportError) as error:
            self.say(f"Narration is not available: {error}")
            return
        if not utterances:
            self.say("Nothing to narrate from here.")
            return
        self.say("Narration started; type stop to stop it.")
        self.player.play(utterances)

    def stop(self, *, quiet: bool = False) -> None:
        player, self.player = self.player, None
        if player is not None:
            player.stop()
            if not quiet:
                self.say("Narration stopped.")
        elif not quiet:
            self.say("Nothing is playing.")

    def _event(self, event: Any) -> None:
        if event.kind == "finished":
            self.say("Narration finished.")
        elif event.kind == "error":
            self.say(f"Narration stopped: {event.message}")


def _player(engine: Any, on_event: Callable[[Any], None]) -> Any:
    """The audio player (tests put one that needs no sound card here)."""
    from listen.speech.player import Player

    return Player(engine, on_event=on_event)
