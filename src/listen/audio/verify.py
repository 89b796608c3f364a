"""Check a finished MP3 by decoding it, before it is given its final name.

Why decode every output: a cached piece, a disk or a bug can put damaged frames into a file
whose header, manifest and feed still claim the full length; a listener then hears half an
episode with nothing to say why. ffmpeg decodes speech at several hundred times real time
(a 30-minute narration in about a second of one core), cheap beside encoding it, so every
MP3 is decoded in full: any decode error, or a decoded length that differs from what the
chapters add up to, stops that narration with one line and nothing is published.

A narration encoded in pieces while it was synthesised (overlap.py) is decoded piece by
piece as each is encoded (PieceCheck), and the joined file is compared with those pieces
byte for byte (verify_joined) instead of being decoded a second time: the same frames are
decoded, off the critical path, and the file on disk must be exactly them.
"""

from __future__ import annotations

import contextlib
import queue
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from contextlib import ExitStack
from pathlib import Path

from listen.audio.ffmpeg import ffmpeg, check
from listen.audio.mp3 import FRAME_SAMPLES, OUTPUT_RATE, PieceInfo, piece_info
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


class PieceCheck:
    """Decode the pieces of an overlapped encode (overlap.py) while the narration is still
    being made, through one ffmpeg reading their frames, in order, from a pipe.

    Why: the full decode after the join is a second pass over the whole MP3 on the critical
    path, after synthesis and the encode have finished. Decoding each piece as its encode
    finishes puts that work beside synthesis, on the core the encode threads leave free.
    The joined file is then held to the pieces that were decoded by `verify_joined`, which
    reads it without decoding: its Info frame must count their frames, and its audio must be
    their bytes, compared as they are (a memcmp, far cheaper than a CRC or a decode).
    One ffmpeg for all pieces, because starting one costs about 0.1 CPU s.
    """

    def __init__(self, dest: Path, stack: ExitStack) -> None:
        self._dest = dest
        self._progress = stack.enter_context(tempfile.TemporaryFile())
        args = ["-f", "mp3", "-i", "pipe:0", "-map", "0:a", "-f", "null"]
        args += ["-progress", f"pipe:{self._progress.fileno()}", "-"]
        self._proc, self._log = stack.enter_context(
            ffmpeg(args, stdin=subprocess.PIPE, pass_fds=(self._progress.fileno(),))
        )
        self._queue: queue.Queue[tuple[Path, Future[PieceInfo]] | None] = queue.Queue()
        self._frames = 0
        self._feeder = threading.Thread(target=self._feed, name="listen-check-feed", daemon=True)
        self._feeder.start()

    def add(self, piece: Path, encoded: Future[PieceInfo]) -> None:
        """Decode `piece` once `encoded` (its encode) is done, after the pieces added before it."""
        self._queue.put((piece, encoded))

    def finish(self) -> int:
        """Wait for the decode of every piece added; return the frames they hold. Raises
        CorruptAudioError if any frame did not decode or the decoded length is not theirs."""
        self._queue.put(None)
        self._feeder.join()
        errors = check(self._proc, self._log, self._dest, "checking")
        self._progress.seek(0)
        times = _OUT_TIME.findall(self._progress.read())
        if errors.strip():
            first = errors.strip().splitlines()[0]
            raise CorruptAudioError(f"{self._dest} did not decode cleanly ({first}); nothing was published, run again.")
        decoded = int(times[-1]) / 1e6 if times else 0.0
        if abs(decoded - self._frames * FRAME_SAMPLES / OUTPUT_RATE) > TOLERANCE_S:
            raise CorruptAudioError(
                f"{self._dest} decodes to {decoded:.2f} s but its frames hold "
                f"{self._frames * FRAME_SAMPLES / OUTPUT_RATE:.2f} s; nothing was published, run again."
            )
        return self._frames

    def _feed(self) -> None:
        stdin = self._proc.stdin
        assert stdin is not None
        try:
            while (item := self._queue.get()) is not None:
                piece, encoded = item
                try:
                    info = encoded.result()
                except BaseException:  # the encode's own error is raised where it is awaited
                    break
                with open(piece, "rb") as source:
                    source.seek(info.audio_at)
                    shutil.copyfileobj(source, stdin, 1 << 16)
                self._frames += info.frames
        except OSError:
            pass  # ffmpeg died: `finish` reports why from its log and exit status
        finally:
            with contextlib.suppress(OSError):
                stdin.close()


def verify_joined(path: Path, dest: Path, expected_s: float, pieces: Sequence[Path], frames: int) -> float:
    """Check, without decoding, that `path` holds exactly the frames of `pieces`, which
    PieceCheck decoded (`frames` of them): an Info frame counting them, then their bytes, the
    same, and nothing else. Return the decoded length in seconds, as verify_mp3 does."""
    info = piece_info(path)
    if info is None or info.frames != frames:
        counted = "no" if info is None else info.frames
        raise CorruptAudioError(
            f"{dest} counts {counted} frames where {frames} were encoded; nothing was published, run again."
        )
    with open(path, "rb") as joined:
        joined.seek(info.audio_at)
        for piece in pieces:
            with open(piece, "rb") as source:
                source.seek(_audio_at(piece))
                while block := source.read(1 << 20):  # a 9-hour narration is 260 MB of frames
                    if joined.read(len(block)) != block:
                        raise CorruptAudioError(
                            f"{dest} differs from the audio that was encoded; nothing was published, run again."
                        )
        if joined.read(1):
            raise CorruptAudioError(f"{dest} has bytes after its last frame; nothing was published, run again.")
    decoded = (info.frames * FRAME_SAMPLES - info.delay - info.padding) / OUTPUT_RATE
    if abs(decoded - expected_s) > TOLERANCE_S + 0.002 * expected_s:
        raise CorruptAudioError(
            f"{dest} decodes to {decoded:.2f} s but its chapters add up to {expected_s:.2f} s; "
            "nothing was published, run again."
        )
    return decoded


def _audio_at(piece: Path) -> int:
    info = piece_info(piece)
    if info is None:
        raise CorruptAudioError(f"{piece} is not an MP3 piece; nothing was published, run again.")
    return info.audio_at
