"""Encode a narration while it is still being synthesised, at a gain guessed from its start.

The gain that brings a narration to TARGET_LUFS is known only once all of it has been heard,
so the encode used to wait for the last sentence. With espeak-ng (about 700x real time) the
encode is most of the work, and a second core sat idle during synthesis. So, as the spool
grows, it is cut in pauses (as mp3.encode_split cuts it) into pieces of about PIECE_SECONDS,
and each piece is encoded on a thread as soon as it is complete, at the gain the meter's
running integrated loudness gives after the first piece. When the narration ends, the final
loudness is known: if the guessed gain is within GAIN_SLACK_DB of the right one (the slack the
chapter cache already allows for, a fraction of the loudness tolerance), the pieces are kept
and joined; otherwise every piece is encoded again at the right gain. Speech from one voice
is steady in loudness after a minute or two, so the second encode is rare.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import IO

import numpy as np

from listen.audio.loudness import GAIN_SLACK_DB
from listen.audio.mp3 import (
    CUT_PAUSE_MS,
    FRAME_SAMPLES,
    OUTPUT_RATE,
    Layout,
    PieceInfo,
    cut_in_silence,
    encode_range,
    join,
    piece_path,
)
from listen.audio.pcm import SAMPLE_RATE, SAMPLE_WIDTH
from listen.audio.verify import PieceCheck

PIECE_SECONDS = 180.0  # each join adds 26 ms of near-silence inside a pause
SEARCH_SECONDS = 30.0  # how far back from the spool's end a pause is looked for


class OverlappedEncode:
    """Pieces of the spool `raw` encoded on `jobs` threads as it grows (see the module docstring).

    Call `grew` after each block is written and flushed; `finish` when the spool is complete.
    `guess(seconds)` gives the gain for the narration's first `seconds`, or None if it cannot
    say yet (then nothing is encoded early, and `finish` returns None: encode as before)."""

    def __init__(
        self,
        raw: IO[bytes],
        dest: Path,
        bitrate_kbps: int,
        jobs: int,
        guess: Callable[[float], float | None],
        stack: ExitStack,
    ) -> None:
        self._raw, self._dest, self._bitrate, self._guess, self._stack = raw, dest, bitrate_kbps, guess, stack
        self._pool = ThreadPoolExecutor(max(1, jobs), thread_name_prefix="listen-encode")
        stack.callback(self._pool.shutdown, wait=True, cancel_futures=True)  # an error: queued pieces never start
        self._cuts = [0]
        self._pieces: list[Path] = []
        self._running: list[Future[PieceInfo]] = []
        self._gain: float | None = None
        self._gave_up = False
        self._check: PieceCheck | None = None
        self.checked_frames: int | None = (
            None  # after `finish`: frames PieceCheck decoded, if it checked the pieces joined
        )
        self.reencoded = False  # for tests and benches: the guess was off and every piece was encoded again

    def grew(self, samples: int) -> None:
        """The spool now holds `samples` samples: start a piece if a pause ends one."""
        if self._gave_up:
            return
        margin = CUT_PAUSE_MS * SAMPLE_RATE // 2000
        target = self._cuts[-1] + int(PIECE_SECONDS * SAMPLE_RATE)
        if samples < target + 2 * margin:
            return
        if self._gain is None:
            self._gain = self._guess(target / SAMPLE_RATE)
            if self._gain is None:
                self._gave_up = True
                return
        low = max(target, samples - int(SEARCH_SECONDS * SAMPLE_RATE)) - margin
        window = np.frombuffer(os.pread(self._raw.fileno(), (samples - low) * SAMPLE_WIDTH, low * SAMPLE_WIDTH), "<i2")
        per_frame = FRAME_SAMPLES * SAMPLE_RATE // OUTPUT_RATE
        cut = cut_in_silence(window, low, target, margin, per_frame)
        if cut is not None:
            self._start(self._cuts[-1], cut, self._gain)
            self._cuts.append(cut)

    def finish(self, samples: int, gain_db: float, tmp: Path, tag_room: int) -> Layout | None:
        """Encode the last piece, re-encode all if the guess was off, and join into `tmp`;
        None if nothing was started early (the caller encodes the whole spool then)."""
        if self._gain is None or not self._running:
            return None
        self._start(self._cuts[-1], samples, self._gain)
        infos = [future.result() for future in self._running]
        if self._check is not None:
            self.checked_frames = self._check.finish()  # before any piece is written again
        if abs(self._gain - gain_db) > GAIN_SLACK_DB:
            self.checked_frames = None  # the pieces decoded are not the ones joined
            self.reencoded = True
            self._running.clear()
            ends = [*self._cuts[1:], samples]
            for number, (start, end) in enumerate(zip(self._cuts, ends)):
                self._running.append(self._submit(start, end, self._pieces[number], gain_db))
            infos = [future.result() for future in self._running]
        join(self._pieces, self._dest, tmp, tag_room)
        return Layout(tuple(self._cuts), tuple(infos), samples)

    @property
    def pieces(self) -> tuple[Path, ...]:
        """The pieces, in order, as joined by `finish` (they last as long as the stack)."""
        return tuple(self._pieces)

    @property
    def gain_db(self) -> float | None:
        """The gain the pieces were encoded at (the guess), once one was made."""
        return self._gain

    def _start(self, start: int, end: int, gain_db: float) -> None:
        piece = self._stack.enter_context(piece_path(self._dest))
        self._pieces.append(piece)
        self._running.append(self._submit(start, end, piece, gain_db))
        if self._check is None:
            self._check = PieceCheck(self._dest, self._stack)
        self._check.add(piece, self._running[-1])

    def _submit(self, start: int, end: int, piece: Path, gain_db: float) -> Future[PieceInfo]:
        fd = self._raw.fileno()
        return self._pool.submit(
            encode_range, fd, start * SAMPLE_WIDTH, end * SAMPLE_WIDTH, self._dest, piece, gain_db, self._bitrate, None
        )
