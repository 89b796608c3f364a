"""Self-voicing: announcements spoken through Speech Dispatcher, for people without a screen reader.

Off by default (a screen reader already reads the status line, and two voices at once help
nobody). Each announcement first cancels whatever is still being said (``spd-say -C``), so a
quick run of key presses is heard as its last sentence, not as a queue to sit through. The
commands run on one background thread so a slow or missing speech server never blocks a key.

A voice that cannot speak says so, once, in words (``problem``): someone who relies on it
cannot notice silence. Missing ``spd-say`` is known at once; a speech server that refuses
(``spd-say`` exiting with an error) is known after the first try, and reported through
``on_problem``.
"""

from __future__ import annotations

import queue
import shutil
import subprocess
import threading
from collections.abc import Callable

TIMEOUT = 5.0  # seconds: spd-say returns at once normally; a hung server must not hang us


def missing(command: str = "spd-say") -> str:
    """Why self-voicing is silent when `command` is not installed, and what to do: one line."""
    return (
        f"Self-voicing cannot speak: {command} (Speech Dispatcher) is not installed; "
        "install speech-dispatcher, or turn Speak announcements off in Settings."
    )


class SpeechDispatcher:
    """Speaks messages with `spd-say`; `available` is False when it is not installed or failed."""

    def __init__(self, command: str = "spd-say", on_problem: Callable[[str], None] | None = None) -> None:
        self.command = command
        self.path = shutil.which(command)
        self.problem = "" if self.path else missing(command)
        self.on_problem = on_problem  # called once, from the voice's thread, when speaking fails
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    @property
    def available(self) -> bool:
        return self.path is not None and not self.problem

    def say(self, message: str) -> None:
        """Speak `message`, interrupting the one before; never blocks, never raises."""
        if not self.available or not message:
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
                failure = self._spd_say(args)
                if failure:
                    self._failed(failure)
                    return

    def _spd_say(self, args: list[str]) -> str:
        """Run spd-say once; return why it failed, or "" when it did not."""
        assert self.path is not None
        try:
            done = subprocess.run(
                [self.path, *args],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                timeout=TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return f"{self.command} did not answer within {TIMEOUT:g} seconds"
        except OSError as exc:
            return f"{self.command} could not run ({exc.strerror or exc})"
        if done.returncode != 0:
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            return f"{self.command} failed ({said[0] if said else f'exit {done.returncode}'})"
        return ""

    def _failed(self, reason: str) -> None:
        self.problem = (
            f"Self-voicing cannot speak: {reason}; check that the speech-dispatcher service runs, "
            "or turn Speak announcements off in Settings."
        )
        if self.on_problem is not None:
            self.on_problem(self.problem)
