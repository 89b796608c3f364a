"""Make MP3, from the reader (this article) or the library (the selected one).

The narrator runs in a worker thread with a progress bar above the status line; the bar's
updates are merged to about ten a second, so a screen reader is not flooded, and the status
line says once where the file went (or, in one sentence, why there is none).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.widgets import ProgressBar

from listen.errors import ListenError

if TYPE_CHECKING:
    from listen.articles.model import Article
    from listen.tui.app import ListenApp
    from listen.tui.screens.base import ListenScreen


class Mp3Maker:
    """One MP3 job at a time for `screen`, with its progress bar mounted on first use."""

    def __init__(self, screen: ListenScreen[Any], on_made: Callable[[Article, Path], None] | None = None) -> None:
        self.screen = screen
        self.on_made = on_made
        self._last_progress = 0.0

    @property
    def app(self) -> ListenApp:
        return self.screen.app

    @property
    def running(self) -> bool:
        return any(worker.group == "mp3" and worker.is_running for worker in self.screen.workers)

    def start(self, article: Article) -> None:
        if self.running:
            self.app.announce("Still making the last MP3; one at a time.")
            return
        bars = self.screen.query("#mp3")
        if bars:
            bar = bars.first(ProgressBar)
        else:
            bar = ProgressBar(total=100, show_eta=True, id="mp3")
            self.screen.mount(bar, before=self.screen.query_one("StatusLine"))
        bar.update(total=100, progress=0)
        bar.add_class("-running")
        self.app.announce(f"Making an MP3 of {article.title}…")
        self.screen.run_worker(lambda: self._make(article), thread=True, exclusive=True, group="mp3")

    def _make(self, article: Article) -> None:
        services, settings = self.app.services, self.app.settings
        try:
            dest = services.audio_name(article, services.audio_dir)  # the name speak and build give it
            request = services.request(settings)
            engine = services.get_engine(request, article.language)
            result = services.narrate(article, dest, engine, request, self._progress)
        except ListenError as error:
            message = str(error)
            self.app.call_from_thread(self._made, f"No MP3 made: {message}" if "MP3" not in message else message)
            return
        saved = f"MP3 saved: {dest}"
        try:
            # Through the manifest's one writer, so `publish` lists it and `build` skips it.
            services.record(article, result, request, engine, services.audio_dir)
        except ListenError as error:
            saved += f"; not listed for publish ({error})"
        self.app.call_from_thread(self._made, saved, article, dest)

    def _progress(self, *args: float) -> None:
        """Accept progress(fraction) or progress(done, total); updates are merged to ~10 a second."""
        fraction = progress_fraction(*args)
        now = time.monotonic()
        if fraction < 1 and now - self._last_progress < 0.1:
            return
        self._last_progress = now
        self.app.call_from_thread(self._show_progress, fraction)

    def _show_progress(self, fraction: float) -> None:
        self.screen.query_one("#mp3", ProgressBar).update(progress=round(fraction * 100))

    def _made(self, message: str, article: Article | None = None, dest: Path | None = None) -> None:
        self.screen.query_one("#mp3", ProgressBar).remove_class("-running")
        if article is not None and dest is not None and self.on_made is not None:
            self.on_made(article, dest)
        self.app.announce(message)


def progress_fraction(*args: float) -> float:
    if len(args) >= 2 and args[1]:
        return max(0.0, min(1.0, float(args[0]) / float(args[1])))
    if args and isinstance(args[0], (int, float)):
        return max(0.0, min(1.0, float(args[0])))
    for name in ("fraction", "done"):
        value = getattr(args[0], name, None) if args else None
        if isinstance(value, (int, float)):
            total = getattr(args[0], "total", 1) or 1
            return max(0.0, min(1.0, float(value) / (1 if name == "fraction" else float(total))))
    return 0.0
