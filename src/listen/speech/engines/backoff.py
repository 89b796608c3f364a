"""Waiting politely after an online service says "too many requests" or "try later".

One Backoff can be shared by every engine in a process (threads of a batch runner): when one
request is told to wait, `push_back` moves a shared "not before" time and every other request
waits for it in `wait()`, instead of each hammering the service on its own schedule. Separate
processes each need their own; a runner that wants one limit across processes should make its
workers share a single online engine instead.

`sleep`, `clock` and `jitter` are parameters so tests run instantly and deterministically.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from listen.retry_after import retry_after_seconds  # noqa: F401  (gtts and tests read it here too)


@dataclass
class Backoff:
    """Exponential backoff with jitter, a cap, and a shared pause that honours Retry-After."""

    attempts: int = 5  # tries per request, the first included
    base: float = 1.0  # seconds before the second try; doubles each time
    cap: float = 60.0  # longest wait we choose ourselves
    longest_retry_after: float = 300.0  # a server asking for more than this makes us give up
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    jitter: Callable[[], float] = random.random
    _not_before: float = field(default=0.0, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed try number `attempt` (0-based).

        Half fixed, half random ("equal jitter") so many clients spread out yet never retry
        at once; never less than the server's Retry-After.
        """
        ceiling = min(self.cap, self.base * 2**attempt)
        chosen = ceiling / 2 + self.jitter() * ceiling / 2
        return max(chosen, retry_after or 0.0)

    def push_back(self, seconds: float) -> None:
        """Make every user of this Backoff wait at least `seconds` from now."""
        with self._lock:
            self._not_before = max(self._not_before, self.clock() + seconds)

    def wait(self) -> None:
        """Sleep until the shared pause (if any) is over; returns at once when there is none."""
        with self._lock:
            remaining = self._not_before - self.clock()
        if remaining > 0:
            self.sleep(remaining)


# The process-wide default; a batch runner may replace it or pass its own to get_engine.
shared_backoff = Backoff()
