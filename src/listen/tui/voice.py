"""Self-voicing: announcements spoken through Speech Dispatcher, for people without a screen reader.

Off by default (a screen reader already reads the status line, and two voices at once help
nobody). Each announcement first cancels whatever is still being said (``spd-say -C``), so a
quick run of key presses is heard as its last sentence, not as a queue to sit through. The
commands run on one background thread so a slow or missing speech server never blocks a key.
"""

from __future__ import annotations

import queue
import shutil
import subprocess
import threading

TIMEOUT = 5.0  # seconds: spd-say returns at once normally; a hung server must not hang us


class SpeechDispatcher:
    """Speaks messages with `spd-say`; `available` is False when it is not installed."""

    def __init__(self, command: str = "spd-say") -> None:
        self.path = shutil.which(command)
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    @property
    def available(self) -> bool:
        return self.path is not None

    def say(self, message: str) -> None:
        """Speak `message`, interrupting the one before; never blocks, never raises."""
        if self.path is None or not message:
            return
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="listen-voice", daemon=True)
            self._thread.start()
        self._queue.put(message)

    def close(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=TIMEOUT)
            self._thread = None

    def _run(self) -> None:
        assert self.path is not None
        while True:
            message = self._queue.get()
            while message is not None and not self._queue.empty():
                message = self._queue.get()  # only the newest of a burst is worth saying
            if message is None:
                return
            for args in (["-C"], ["-P", "message", "--", message]):
                try:
                    subprocess.run(
                        [self.path, *args],
                        stdin=subprocess.DEVNULL,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                        timeout=TIMEOUT,
                        check=False,
                    )
                except (OSError, subprocess.SubprocessError):
                    break
