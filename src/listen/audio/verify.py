"""Check a finished MP3 by decoding it, before it is given its final name.

Why decode every output: a cached piece, a disk or a bug can put damaged frames into a file
whose header, manifest and feed still claim the full length; a listener then hears half an
episode with nothing to say why. ffmpeg decodes speech at several hundred times real time
(a 30-minute narration in about a second of one core), cheap beside encoding it, so every
MP3 is decoded in full: any decode error, or a decoded length that differs from what the
chapters add up to, stops that narration with one line and nothing is published.

A narration encoded in pieces while it was synthesised (overlap.py) is checked piece by
piece as each is encoded (PieceCheck), and the joined file is compared with those pieces
byte for byte (verify_joined) instead of being decoded a second time. Those pieces were
written by LAME in this process a moment before, so what can go wrong with them is what
happens to bytes on the way to and from the disk, or a bug of ours in cutting and joining:
PieceCheck walks every frame instead of decoding it (`frame_problem`): each header must be
the stream's, frame after frame to the last byte, as many frames as the Info frame counts,
and each frame's side information must be one a decoder accepts (its main data inside the
bit reservoir and its own frame, no overlap with the frame before, big_values in range).
That finds the damage a decoder reports (a scribbled stretch, a piece cut short: tested;
of 60 single bits flipped in side information it found 14 where ffmpeg's decode found 5),
in 5 ms of CPU for a 3-minute piece where ffmpeg took 0.27 s, a tenth of `listen speak`'s CPU. What
it does not do is Huffman-decode the spectral data, which a decoder would reject only if
LAME itself wrote nonsense; a cached piece or an M4B, whose bytes come from elsewhere or
from another encoder, is still decoded in full by verify_mp3.
"""

from __future__ import annotations

import queue
import re
import tempfile
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from contextlib import ExitStack
from pathlib import Path

import numpy as np

from listen.audio.ffmpeg import ffmpeg, check
from listen.audio.mp3 import FRAME_SAMPLES, OUTPUT_RATE, PieceInfo, frame_length, piece_info
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
    """Check the pieces of an overlapped encode (overlap.py) while the narration is still
    being made, each as soon as its encode is done, in order, on a thread of its own.

    Why: the full decode after the join was a second pass over the whole MP3 on the critical
    path; a decode of each piece beside synthesis still cost as much CPU as the meter. The
    frame walk (`frame_problem`, see the module docstring) finds the same damage. The joined
    file is then held to the pieces that were checked by `verify_joined`, which compares its
    bytes with theirs (a memcmp) and its Info frame's count with theirs.
    """

    def __init__(self, dest: Path, stack: ExitStack) -> None:
        self._dest = dest
        self._queue: queue.Queue[tuple[Path, Future[PieceInfo]] | None] = queue.Queue()
        self._frames = 0
        self._problem: str | None = None
        self._checker = threading.Thread(target=self._check, name="listen-check", daemon=True)
        self._checker.start()
        stack.callback(self._queue.put, None)  # on the way out (an error too): stop after the piece in hand

    def add(self, piece: Path, encoded: Future[PieceInfo]) -> None:
        """Check `piece` once `encoded` (its encode) is done, after the pieces added before it."""
        self._queue.put((piece, encoded))

    def finish(self) -> int:
        """Wait for the check of every piece added; return the frames they hold. Raises
        CorruptAudioError if any piece is not whole, well-formed frames."""
        self._queue.put(None)
        self._checker.join()
        if self._problem is not None:
            raise CorruptAudioError(f"{self._dest} is damaged ({self._problem}); nothing was published, run again.")
        return self._frames

    def _check(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._problem is not None:
                continue
            piece, encoded = item
            try:
                info = encoded.result()
            except BaseException:  # the encode's own error is raised where it is awaited
                self._problem = "a piece was not encoded"
                continue
            try:
                with open(piece, "rb") as source:
                    source.seek(info.audio_at)
                    data = source.read()
            except OSError as exc:
                self._problem = f"a piece cannot be read back: {exc.strerror or exc}"
                continue
            self._problem = frame_problem(data, info)
            self._frames += info.frames


def frame_problem(data: bytes, info: PieceInfo) -> str | None:
    """What is wrong with `data`, the audio frames of a piece whose Info frame is `info`
    (mono MPEG-1 Layer III, CBR, as encode_range writes it); None if nothing is.

    Walks the frames by their headers, then checks every frame's side information at once
    (numpy): big_values at most 288, and its main data (part2_3_length bits of both granules)
    starting where the bit reservoir has bytes (main_data_begin back, not before the piece's
    first frame, not inside the frame before's main data) and ending inside its own frame.
    """
    stream = info.header[:4]  # the Info frame's header: version, layer, bitrate, rate, mode
    if len(data) < 4 or data[:2] != stream[:2] or (data[2] ^ stream[2]) & 0xFC or (data[3] ^ stream[3]) & 0xC0:
        return "a piece's first frame is not of its stream"
    head1, head2, head3 = data[1], data[2] & 0xFD, data[3]  # the first frame's; LAME sets bits the Info frame leaves
    length = frame_length(data[:4])
    if length is None:
        return "a piece's first frame has no valid header"
    base = length - (data[2] >> 1 & 1)  # its padding bit set aside
    starts: list[int] = []
    at, size = 0, len(data)
    while at + 4 <= size:
        if data[at] != 0xFF or data[at + 1] != head1 or data[at + 2] & 0xFD != head2 or data[at + 3] != head3:
            return f"frame {len(starts) + 1} of a piece has a damaged header"
        starts.append(at)
        at += base + (data[at + 2] >> 1 & 1)
    if at != size:
        return f"a piece ends inside frame {len(starts)}"
    if len(starts) != info.frames:
        return f"a piece holds {len(starts)} frames where its Info frame counts {info.frames}"
    buffer = np.frombuffer(data, np.uint8)
    positions = np.asarray(starts, np.int64)
    side = buffer[positions[:, None] + np.arange(4, 4 + _SIDE_MONO + 2)].astype(np.int64)  # 2 spare: see field()

    def field(first: int, width: int) -> np.ndarray:
        """Bits [first, first + width) of every frame's side information (width <= 17)."""
        byte, shift = divmod(first, 8)
        three = side[:, byte] << 16 | side[:, byte + 1] << 8 | side[:, byte + 2]
        return (three >> (24 - shift - width)) & ((1 << width) - 1)

    begin = field(0, 9)
    used = field(18, 12) + field(18 + 59, 12)  # part2_3_length of the two granules
    if int(max(field(30, 9).max(), field(30 + 59, 9).max())) > 288:
        return "a frame of a piece has impossible side information (big_values)"
    areas = np.diff(np.append(positions, size)) - 4 - _SIDE_MONO  # main data bytes each frame carries
    area_at = np.concatenate(([0], np.cumsum(areas)[:-1]))  # in the piece's stream of main data
    first_bit = (area_at - begin) * 8
    last_bit = first_bit + used
    bad = (first_bit < 0) | (last_bit > (area_at + areas) * 8)
    bad[1:] |= first_bit[1:] < last_bit[:-1]
    if bad.any():
        return f"frame {int(np.argmax(bad)) + 1} of a piece reaches outside its bit reservoir"
    return None


_SIDE_MONO = 17  # bytes of side information in a mono MPEG-1 Layer III frame


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
