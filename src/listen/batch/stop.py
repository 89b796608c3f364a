"""A stop asked for by Ctrl-C or SIGTERM while building, heard between articles."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Stop:
    """A stop asked for by Ctrl-C or SIGTERM, heard between articles (see `stopping`)."""

    def __init__(self) -> None:
        self.requested = 0  # the signal number, once one came
        self.raise_now = True  # raise KeyboardInterrupt at once (runners that wait inside an article)

    def __call__(self, signum: int, frame: object) -> None:
        self.requested = signum
        if self.raise_now:
            raise KeyboardInterrupt


STOP = Stop()


@contextmanager
def stopping() -> Iterator[None]:
    """While building, Ctrl-C and SIGTERM ask for a stop rather than end the process, so
    every finished article reaches the manifest before exit (only in the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    STOP.requested, STOP.raise_now = 0, True
    previous = {number: signal.signal(number, STOP) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
