"""A fake of Google's text-to-speech endpoint for gTTS tests, and a clock that moves only when slept on.

gTTS posts to Google's batchexecute endpoint and reads a line holding
`jQ1olc","[\\"<base64 MP3>\\"]`; the MP3 here is a tone ffmpeg encodes at test time.
"""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

ENDPOINT = "https://translate.google.com/_/TranslateWebserverUi/data/batchexecute"


def tone_mp3(folder: Path, seconds: float = 1.0, frequency: int = 440) -> bytes:
    """A mono 24 kHz tone as Google would send it (a file, so LAME writes its gapless header)."""
    path = Path(folder) / f"tone-{frequency}-{seconds}.mp3"
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
         "-i", f"sine=frequency={frequency}:duration={seconds}",
         "-ar", "24000", "-ac", "1", "-c:a", "libmp3lame", "-b:a", "32k", str(path)],
        check=True,
    )  # fmt: skip
    return path.read_bytes()


def google_body(mp3: bytes) -> str:
    audio = base64.b64encode(mp3).decode("ascii")
    return ")]}'\n\n" + f'[["wrb.fr","jQ1olc","[\\"{audio}\\"]",null,null,null,"generic"]]\n'


class FakeTime:
    """A clock that only moves when slept on, so backoff runs instantly and can be inspected."""

    def __init__(self, now: float = 0.0) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now
