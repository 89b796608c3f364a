"""Check a finished MP3 by decoding it, before it is given its final name.

Why decode every output: a cached piece, a disk or a bug can put damaged frames into a file
whose header, manifest and feed still claim the full length; a listener then hears half an
episode with nothing to say why. ffmpeg decodes speech at several hundred times real time
(a 30-minute narration in about a second of one core), cheap beside encoding it, so every
MP3 is decoded in full: any decode error, or a decoded length that differs from what the
chapters add up to, stops that narration with one line and nothing is published.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from listen.audio.ffmpeg import ffmpeg, check
from listen.errors import OutputError

# The decoded length may differ from the chapters' total by this much: the MP3 frame grid
# (26 ms), rounding of chapter ends, and a decoder that drops the encoder delay or not.
TOLERANCE_S = 0.08
_OUT_TIME = re.compile(rb"out_time_us=(\d+)")


class CorruptAudioError(OutputError):
    """An MP3 just written does not decode, or decodes to another length than its chapters."""


def verify_mp3(path: Path, dest: Path, expected_s: float) -> float:
    """Decode `path` (the MP3 for `dest`) in full; return its decoded length in seconds.

    Raises CorruptAudioError if ffmpeg reports any decode error or the length is not
    `expected_s` within TOLERANCE_S (and 0.2%, for long narrations).
    """
    with tempfile.TemporaryFile() as progress:
        args = ["-i", str(path), "-map", "0:a", "-f", "null", "-progress", f"pipe:{progress.fileno()}", "-"]
        with ffmpeg(args, pass_fds=(progress.fileno(),)) as (proc, log):
            errors = check(proc, log, dest, "checking")
        progress.seek(0)
        times = _OUT_TIME.findall(progress.read())
    if errors.strip():
        first = errors.strip().splitlines()[0]
        raise CorruptAudioError(f"{dest} did not decode cleanly ({first}); nothing was published, run again.")
    decoded = int(times[-1]) / 1e6 if times else 0.0
    if abs(decoded - expected_s) > TOLERANCE_S + 0.002 * expected_s:
        raise CorruptAudioError(
            f"{dest} decodes to {decoded:.2f} s but its chapters add up to {expected_s:.2f} s; "
            "nothing was published, run again."
        )
    return decoded
