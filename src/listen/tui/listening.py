"""Listen from here and Make MP3 (mp3_maker.py), for the reader screen.

Script building, engine start-up and MP3 making run in workers so the reader never
freezes; the player runs on its own thread and reports each utterance, which moves the
reader's current paragraph (follow-along). When narration is not installed or no audio
player exists, the status line says so in one sentence and the reader carries on.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import TYPE_CHECKING


from listen.errors import ListenError
from listen.articles.reading import ReadingBlock
from listen.tui.mp3_maker import Mp3Maker

if TYPE_CHECKING:
    from listen.speech.player import Player, PlayerEvent
    from listen.speech.script import Utterance
    from listen.tui.app import ListenApp
    from listen.tui.screens.reader import ReaderScreen

RATES = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0)


class Listening:
    """The reader's narration: one player at a time, and one MP3 job at a time (Mp3Maker)."""

    def __init__(self, screen: ReaderScreen) -> None:
        self.screen = screen
        self.player: Player | None = None
        self._started = False
        self.mp3 = Mp3Maker(screen)

    @property
    def app(self) -> ListenApp:
        return self.screen.app

    # Listen from here -----------------------------------------------------------------

    def start_here(self) -> None:
        block = self.screen.blocks[self.screen.view.current]
        self.stop(quiet=True)
        self.app.announce("Starting narration…")
        self.screen.run_worker(lambda: self._prepare(block), thread=True, exclusive=True, group="narration")

    def _prepare(self, block: ReadingBlock) -> None:
        """Build the script and the engine off the UI thread, then start the player."""
        services, settings, article = self.app.services, self.app.settings, self.screen.article
        try:
            request = services.request(settings)
            script = services.build_script(article, request)
            utterances = list(script.utterances_from(block.section, block.paragraph))
            engine = services.get_engine(request, article.language)
            player = services.player(engine, self._from_player)
        except ListenError as error:
            message = str(error)
            if not message.startswith("Narration is not available"):
                message = f"Narration is not available: {message}"
            self.app.call_from_thread(self.app.announce, message)
            return
        if not utterances:
            self.app.call_from_thread(self.app.announce, "Nothing to narrate from here")
            return
        self.player = player
        self._started = False
        player.play(utterances)

    def _from_player(self, event: PlayerEvent) -> None:
        """Player events come from its thread, or from ours when a key paused it."""
        if threading.current_thread() is threading.main_thread():
            self.on_player_event(event)
            return
        try:
            self.app.call_from_thread(self.on_player_event, event)
        except RuntimeError:
            pass  # the app has closed; nobody is listening any more

    def on_player_event(self, event: PlayerEvent) -> None:
        if event.kind == "playing" and event.utterance is not None:
            self.follow(event.utterance)
        elif event.kind == "paused":
            self.app.announce("Narration paused")
        elif event.kind == "resumed":
            self.app.announce("Narration resumed")
        elif event.kind == "finished":
            self.app.announce("Narration finished")
        elif event.kind == "error":
            self.app.announce(f"Narration stopped: {event.message}")

    def follow(self, utterance: Utterance) -> None:
        """Make the spoken paragraph current and keep it in view."""
        blocks = self.screen.blocks
        view = self.screen.view
        target = None
        for number, block in enumerate(blocks):
            if block.section == utterance.section and block.paragraph == utterance.paragraph:
                target = number
                break
        if target is not None and target != view.current:
            view.go_to(target)
            self.app.store.save_position(self.screen.key, blocks[target].position)
        if not self._started:
            self._started = True
            self.app.announce(f"Narrating from {self.screen.where()}")

    def toggle(self) -> None:
        if self.player is None or self.player.state in ("stopped", "finished"):
            self.start_here()
        else:
            self.player.toggle()

    def stop(self, *, quiet: bool = False) -> None:
        player, self.player = self.player, None
        if player is not None:
            player.stop()
            if not quiet:
                self.app.announce("Narration stopped")
        elif not quiet:
            self.app.announce("No narration is playing")

    def skip(self, delta: int) -> None:
        player = self._required_player()
        if player is not None:
            player.skip(delta)

    def skip_paragraph(self, delta: int) -> None:
        player = self._required_player()
        if player is not None:
            player.skip_paragraph(delta)

    def _required_player(self) -> Player | None:
        """The player, or None after saying that nothing is playing."""
        if self.player is None:
            self.app.announce("No narration is playing; press l to listen from here")
        return self.player

    def change_speed(self, direction: int) -> None:
        current = self.app.settings.rate
        nearest = min(range(len(RATES)), key=lambda i: abs(RATES[i] - current))
        rate = RATES[max(0, min(len(RATES) - 1, nearest + direction))]
        self.app.apply_settings(replace(self.app.settings, rate=rate))
        self.app.announce(f"Speed {rate:g}×")
        if self.player is not None:
            settings = self.app.settings
            language = self.screen.article.language

            def swap() -> None:
                services = self.app.services
                try:
                    engine = services.get_engine(services.request(settings), language)
                except ListenError as error:
                    self.app.call_from_thread(self.app.announce, str(error))
                    return
                if self.player is not None:
                    self.player.set_engine(engine)

            self.screen.run_worker(swap, thread=True, exclusive=True, group="speed")

    # Make MP3 ----------------------------------------------------------------------------

    def make_mp3(self) -> None:
        self.mp3.start(self.screen.article)
