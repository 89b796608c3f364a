"""Retry-After, read once for everything listen asks of the network (pages, feeds, gTTS)."""

from __future__ import annotations

import email.utils
from collections.abc import Callable
from datetime import datetime, timezone


def retry_after_seconds(value: str | None, now: Callable[[], datetime] | None = None) -> float | None:
    """Parse a Retry-After header: seconds ("120") or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    current = now() if now else datetime.now(timezone.utc)
    return max(0.0, (when - current).total_seconds())
