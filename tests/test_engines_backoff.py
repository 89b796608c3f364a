"""The shared backoff policy: delays, caps, Retry-After, and a pause shared between users."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from fake_google import FakeTime as _FakeTime
from listen.speech.engines.backoff import Backoff, retry_after_seconds


def FakeTime() -> _FakeTime:  # noqa: N802  (these tests start the clock at 100 s)
    return _FakeTime(now=100.0)


@pytest.mark.parametrize(
    ("attempt", "jitter", "retry_after", "expected"),
    [
        (0, 0.0, None, 0.5),  # half of base
        (0, 1.0, None, 1.0),  # all of base
        (3, 0.0, None, 4.0),  # half of 8
        (10, 1.0, None, 30.0),  # capped
        (0, 0.5, 12.0, 12.0),  # server asks for longer: obey
        (3, 1.0, 2.0, 8.0),  # server asks for less: our own backoff wins
    ],
)
def test_delay_grows_exponentially_with_jitter_cap_and_retry_after(attempt, jitter, retry_after, expected) -> None:
    backoff = Backoff(base=1.0, cap=30.0, jitter=lambda: jitter)
    assert backoff.delay(attempt, retry_after) == pytest.approx(expected)


def test_wait_returns_at_once_when_nobody_pushed_back() -> None:
    time = FakeTime()
    Backoff(sleep=time.sleep, clock=time.clock).wait()
    assert time.sleeps == []


def test_push_back_makes_every_user_wait_for_the_longest_pause() -> None:
    time = FakeTime()
    shared = Backoff(sleep=time.sleep, clock=time.clock)
    shared.push_back(10)
    shared.push_back(3)  # a shorter pause never shortens a longer one
    shared.wait()
    assert time.sleeps == [10]
    shared.wait()  # the pause is over
    assert time.sleeps == [10]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("120", 120.0),
        (" 5 ", 5.0),
        ("Wed, 01 Jan 2025 00:01:30 GMT", 90.0),
        ("Tue, 31 Dec 2024 23:00:00 GMT", 0.0),  # already past
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_header_in_seconds_or_as_a_date(header, expected) -> None:
    now = lambda: datetime(2025, 1, 1, tzinfo=timezone.utc)  # noqa: E731
    assert retry_after_seconds(header, now=now) == expected
