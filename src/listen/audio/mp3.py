"""Encoding spooled PCM to MP3 with ffmpeg's libmp3lame: CBR mono at 44.1 kHz.

Why 44.1 kHz and not the engines' 22.05 kHz: 44.1 kHz is MPEG-1 Layer III, which every
player and podcast host decodes (22.05 kHz is the MPEG-2 "low sampling frequency" extension
that some hardware players and feed validators reject), and it is what Apple Podcasts asks
for. The 2:1 ratio to SAMPLE_RATE keeps the resampling exact in time. Why LAME quality 7:
at 44.1 kHz it encodes 30 min of speech in 6.5 CPU s against 13.3 s at quality 5 (and 7.9 s
for ffmpeg's default 22.05 kHz encode), and for band-limited synthetic speech at 64 kbps the
decoded result is no worse by segmental SNR (23.3 dB against 21.2 dB).

ffmpeg writes the Xing/LAME "Info" frame, whose encoder delay and padding let decoders
return exactly the samples we put in, and reserves room for the ID3 tag id3.py writes
afterwards, so tagging rewrites a few kilobytes in place instead of the whole file.

Chapter by chapter (chapter_cache.py), each chapter is encoded on its own into a "piece": an
MP3 without ID3 tag whose first frame is its Info frame. `join` copies the pieces' frames into
one file behind one new Info frame: a file copy, nothing decoded or re-encoded. Each piece
starts with an empty bit reservoir, so its frames decode the same wherever they sit. The
joined Info frame carries the first piece's encoder delay and the last one's padding, so the
delay and padding of the pieces in between stay in the stream, as 1152 samples (26 ms) of
near-silence at each join, inside the chapter pause; `piece_info` reads each piece's frame
count, delay and padding, from which narration.py computes exact chapter times. ffmpeg's
concat demuxer with `-c copy` writes the same frames and header fields (the tests compare
them) but takes 0.33 s for 27 minutes of audio, where the copy takes 0.01 s.

A long narration written in one go (`listen speak`) is encoded the same way, by `encode_split`:
LAME runs on one core, and with espeak-ng (about 700x real time) the encode, not the voice,
is what a listener waits for. So the spooled PCM is cut at a frame boundary in the middle of
a pause (digital silence the script put between sentences) into as many pieces as there are
encode jobs, each piece is fed from its byte range of the spool through a pipe to an ffmpeg
of its own, all at once, and the pieces are joined. Each piece gets the same gain and the same
limiter, so loudness and true peak are those of one encode; each join adds 26 ms of
near-silence inside that pause, and `Layout` maps sample positions (chapter starts) across it.
"""

from __future__ import annotations

import os
import shutil
import struct
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np

from listen.atomic import TEMP_MARK
from listen.audio.ffmpeg import check, ffmpeg
from listen.audio.loudness import encode_filters
from listen.audio.pcm import SAMPLE_RATE, SAMPLE_WIDTH
from listen.errors import OutputError

OUTPUT_RATE = 44100
LAME_QUALITY = 7
FRAME_SAMPLES = 1152  # an MPEG-1 Layer III frame at OUTPUT_RATE
BITRATES_KBPS = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
# Shorter than this per piece, a second ffmpeg costs more (start-up ~0.1 CPU s, a join) than
# it saves; so does a cut that cannot be placed in a pause.
SPLIT_MIN_SECONDS = 60.0
CUT_PAUSE_MS = 300  # a cut needs this much digital silence around it, half on each side
CUT_SEARCH_SECONDS = 120.0  # how far from the ideal place a cut may move to find a pause


def encode(raw_fd: int, dest: Path, tmp: Path, gain_db: float, bitrate_kbps: int, tag_room: int | None) -> None:
    """Encode the int16 PCM readable from `raw_fd` into `tmp` (an MP3 for `dest`).

    The whole file is read from its current offset to the end; `tag_room` bytes are left in
    an empty ID3v2.3 tag at the start so the real tag can be written in place. With
    `tag_room` None no tag is written: a piece for `join`.
    """
    args = _encode_args(f"pipe:{raw_fd}", tmp, gain_db, bitrate_kbps, tag_room)
    with ffmpeg(args, pass_fds=(raw_fd,)) as (proc, log):
        check(proc, log, dest, "encoding")


@dataclass(frozen=True)
class Layout:
    """Where the input samples of a narration encoded in pieces land in the joined MP3.

    `cuts` holds the first input sample (at SAMPLE_RATE) of each piece; `pieces` their Info
    frames, or None when the narration was encoded whole (nothing moves)."""

    cuts: tuple[int, ...]
    pieces: tuple[PieceInfo, ...] | None
    samples_in: int

    def at(self, sample: int) -> int:
        """The decoded position, at SAMPLE_RATE (floored), of input sample `sample`."""
        if self.pieces is None:
            return sample
        number = max(i for i, cut in enumerate(self.cuts) if cut <= sample)
        position = sum(info.samples for info in self.pieces[:number])
        shift = self.pieces[number].delay - self.pieces[0].delay
        return (position + shift + (sample - self.cuts[number]) * _RATIO) // _RATIO

    @property
    def output_samples(self) -> int:
        """Decoded samples at OUTPUT_RATE, without the first encoder delay and the last padding."""
        if self.pieces is None:
            return self.samples_in * _RATIO
        return sum(info.samples for info in self.pieces) - self.pieces[0].delay - self.pieces[-1].padding

    @property
    def samples(self) -> int:
        """Decoded length at SAMPLE_RATE, rounded up (what chapter marks end at)."""
        return -(-self.output_samples // _RATIO)


_RATIO = OUTPUT_RATE // SAMPLE_RATE


def encode_split(
    raw_fd: int, samples: int, dest: Path, tmp: Path, gain_db: float, bitrate_kbps: int, tag_room: int, jobs: int
) -> Layout:
    """Encode the `samples` int16 samples in the file `raw_fd` (filled to whole frames) into
    `tmp`, as `encode` does, but with up to `jobs` ffmpegs at once on pieces cut in pauses.

    Falls back to one `encode` when the narration is short, `jobs` is 1, or no pause is found."""
    cuts = pause_cuts(raw_fd, samples, jobs)
    if len(cuts) == 1:
        os.lseek(raw_fd, 0, os.SEEK_SET)
        encode(raw_fd, dest, tmp, gain_db, bitrate_kbps, tag_room)
        return Layout((0,), None, samples)
    ends = [*cuts[1:], samples]
    with ExitStack() as stack:
        pieces = [stack.enter_context(_piece_path(dest)) for _ in cuts]
        running = []
        for start, end, piece in zip(cuts, ends, pieces):
            source = _feed_range(stack, raw_fd, start * SAMPLE_WIDTH, end * SAMPLE_WIDTH)
            args = _encode_args(f"pipe:{source}", piece, gain_db, bitrate_kbps, None)
            try:
                running.append(stack.enter_context(ffmpeg(args, pass_fds=(source,))))
            finally:
                os.close(source)  # ffmpeg alone reads it now: if it dies, the feeder stops
        for proc, log in running:
            check(proc, log, dest, "encoding")
        infos = [piece_info(piece) for piece in pieces]
        if any(info is None for info in infos):
            raise OutputError(f"ffmpeg wrote no Info frame while encoding {dest}; is it ffmpeg 4 or newer?")
        join(pieces, dest, tmp, tag_room)
    return Layout(tuple(cuts), tuple(cast("list[PieceInfo]", infos)), samples)


def pause_cuts(raw_fd: int, samples: int, jobs: int) -> list[int]:
    """The first sample of each piece: 0, then for each further piece a frame boundary in the
    middle of a pause near where an even share would start; fewer pieces when pauses lack."""
    per_frame = FRAME_SAMPLES * SAMPLE_RATE // OUTPUT_RATE
    count = min(jobs, int(samples / SAMPLE_RATE // SPLIT_MIN_SECONDS))
    cuts = [0]
    margin = CUT_PAUSE_MS * SAMPLE_RATE // 2000
    reach = int(CUT_SEARCH_SECONDS * SAMPLE_RATE)
    for number in range(1, count):
        ideal = samples * number // count
        low, high = max(cuts[-1] + margin, ideal - reach), min(samples - margin, ideal + reach)
        if high - low < 2 * margin:
            continue
        window = np.frombuffer(os.pread(raw_fd, (high - low) * SAMPLE_WIDTH, low * SAMPLE_WIDTH), dtype="<i2")
        cut = _cut_in_silence(window, low, ideal, margin, per_frame)
        if cut is not None and cut - cuts[-1] >= SPLIT_MIN_SECONDS * SAMPLE_RATE / 2:
            cuts.append(cut)
    return cuts


def _cut_in_silence(window: np.ndarray, offset: int, ideal: int, margin: int, per_frame: int) -> int | None:
    """The frame boundary nearest `ideal` with `margin` zero samples on both sides in `window`
    (which starts at sample `offset`); None if there is none."""
    silent = np.concatenate(([False], window == 0, [False]))
    edges = np.flatnonzero(np.diff(silent.astype(np.int8)))
    starts, ends = edges[0::2] + offset, edges[1::2] + offset  # each zero run: [start, end)
    best = None
    for start, end in zip(starts.tolist(), ends.tolist()):
        first = -(-(start + margin) // per_frame) * per_frame  # boundaries with room each side
        last = (end - margin) // per_frame * per_frame
        if first > last:
            continue
        cut = min(max(ideal // per_frame * per_frame, first), last)
        if best is None or abs(cut - ideal) < abs(best - ideal):
            best = cut
    return best


def _feed_range(stack: ExitStack, raw_fd: int, start: int, end: int) -> int:
    """A pipe's read end that yields bytes [start, end) of `raw_fd`, copied by the kernel
    (sendfile) from a thread; the file's own offset is left alone."""
    read, write = os.pipe()

    def pump() -> None:
        at = start
        try:
            while at < end:
                sent = os.sendfile(write, raw_fd, at, min(end - at, 1 << 20))
                if sent == 0:
                    break
                at += sent
        except OSError:
            pass  # ffmpeg stopped reading: it failed or was killed, and says why itself
        finally:
            os.close(write)

    thread = threading.Thread(target=pump, name="listen-encode-feed", daemon=True)
    thread.start()
    stack.callback(thread.join)
    return read


@contextmanager
def _piece_path(dest: Path) -> Iterator[Path]:
    """A temporary file beside `dest` for one piece, marked for clean_leftovers, always removed."""
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}{TEMP_MARK}piece-", suffix=".mp3", dir=dest.parent)
    os.close(fd)
    try:
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


def encode_pieces(raw_fds: Sequence[int], dest: Path, tmps: Sequence[Path], gain_db: float, bitrate_kbps: int) -> None:
    """Encode each PCM file in `raw_fds` (read from its offset) into the piece `tmps[i]`,
    all in one ffmpeg: each has its own filters and encoder, so each piece is what `encode`
    would write, and a first build pays ffmpeg's start-up (~0.1 s) once, not per piece."""
    args: list[str] = []
    for fd in raw_fds:
        args += ["-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", "1", "-i", f"pipe:{fd}"]
    for number, tmp in enumerate(tmps):
        args += ["-map", f"{number}:a", *_encode_args(None, tmp, gain_db, bitrate_kbps, None)]
    with ffmpeg(args, pass_fds=tuple(raw_fds)) as (proc, log):
        check(proc, log, dest, "encoding")


def _encode_args(source: str | None, tmp: Path, gain_db: float, bitrate_kbps: int, tag_room: int | None) -> list[str]:
    args = ["-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", "1", "-i", source] if source else []
    args += ["-af", encode_filters(gain_db, OUTPUT_RATE)]
    args += ["-c:a", "libmp3lame", "-b:a", f"{bitrate_kbps}k", "-compression_level", str(LAME_QUALITY)]
    args += ["-ar", str(OUTPUT_RATE), "-ac", "1", "-map_metadata", "-1", "-write_xing", "1"]
    return args + _tag_args(tag_room) + ["-f", "mp3", "-y", str(tmp)]


def join(pieces: Sequence[Path], dest: Path, tmp: Path, tag_room: int) -> None:
    """Write `tmp` (an MP3 for `dest`): an empty ID3v2.3 tag of `tag_room` bytes, one Info
    frame, then the frames of `pieces` in order, copied as they are (nothing is decoded).

    The Info frame is the first piece's, with the totals of all of them written in as
    ffmpeg's muxer writes them: frame and byte counts, a seek table, the first piece's
    encoder delay and the last one's padding, the music length and CRC, and the tag CRC.
    """
    infos = [piece_info(piece) for piece in pieces]
    if not infos or any(info is None for info in infos):
        raise OutputError(f"Cannot join the chapters of {dest}: a cached chapter is not an MP3 piece.")
    found = cast("list[PieceInfo]", infos)
    first = found[0]
    frame = bytearray(first.header)
    at = first.tag_at
    audio = sum(info.audio_bytes for info in found)
    total = len(frame) + audio
    music_crc = 0
    for info in found:
        music_crc = crc16_combine(music_crc, info.music_crc, info.audio_bytes)
    struct.pack_into(">II", frame, at + 8, sum(info.frames for info in found), total)
    frame[at + 16 : at + 116] = bytes(min(255, (len(frame) + audio * k // 100) * 256 // total) for k in range(100))
    lame = at + _XING_SIZE
    frame[lame + 21 : lame + 24] = ((first.delay << 12) | found[-1].padding).to_bytes(3, "big")
    struct.pack_into(">IHH", frame, lame + 28, total, music_crc, 0)
    struct.pack_into(">H", frame, lame + 34, crc16(bytes(frame[:190])))  # as ffmpeg: over 190 bytes
    with open(tmp, "wb") as out:
        out.write(b"ID3\x03\x00\x00" + _syncsafe(tag_room) + bytes(tag_room))
        out.write(frame)
        for piece, info in zip(pieces, found):
            with open(piece, "rb") as source:
                source.seek(info.audio_at)
                shutil.copyfileobj(source, out, 1 << 20)


@dataclass(frozen=True)
class PieceInfo:
    """A piece as its Info frame describes it: frames after it, LAME's delay and end padding,
    where its audio starts and how long it is, the audio's CRC, and the Info frame itself."""

    frames: int
    delay: int
    padding: int
    header: bytes
    tag_at: int  # where "Info" sits in `header`
    audio_at: int
    audio_bytes: int
    music_crc: int

    @property
    def samples(self) -> int:
        """Samples (at OUTPUT_RATE) its frames decode to, delay and padding included."""
        return self.frames * FRAME_SAMPLES


def piece_info(path: Path) -> PieceInfo | None:
    """Read the Info frame at the start of a piece ffmpeg wrote; None if it is not one."""
    with open(path, "rb") as file:
        head = file.read(4096)
        size = os.fstat(file.fileno()).st_size
    start = 0
    if head[:3] == b"ID3" and len(head) >= 10:
        start = 10 + _unsyncsafe(head[6:10])
        head = head[start:]
    length = _frame_length(head[:4])
    if length is None or len(head) < length:
        return None
    at = 4 + (17 if head[3] >> 6 == 3 else 32)  # after the side info: mono, or not
    flags, frames, counted = struct.unpack(">III", head[at + 4 : at + 16])
    lame = at + _XING_SIZE
    if head[at : at + 4] not in (b"Info", b"Xing") or flags & 0x0F != 0x0F or lame + 36 > length:
        return None
    delay_padding = int.from_bytes(head[lame + 21 : lame + 24], "big")
    music_crc = struct.unpack(">H", head[lame + 32 : lame + 34])[0]
    audio_at = start + length
    return PieceInfo(
        frames, delay_padding >> 12, delay_padding & 0xFFF, bytes(head[:length]), at, audio_at, size - audio_at, music_crc
    )


_XING_SIZE = 120  # "Info", flags, frames, bytes, a 100-byte seek table, quality; then LAME's 36
_KBPS = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_RATES = (44100, 48000, 32000)


def _frame_length(header: bytes) -> int | None:
    """Bytes in the MPEG-1 Layer III frame that starts with `header`; None if it is not one."""
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xFE != 0xFA:
        return None
    bitrate, rate, padded = header[2] >> 4, (header[2] >> 2) & 3, (header[2] >> 1) & 1
    if not 0 < bitrate < 15 or rate == 3:
        return None
    return 144000 * _KBPS[bitrate] // _RATES[rate] + padded


def _syncsafe(value: int) -> bytes:
    return bytes((value >> shift) & 0x7F for shift in (21, 14, 7, 0))


def _unsyncsafe(data: bytes) -> int:
    value = 0
    for byte in data:
        value = (value << 7) | (byte & 0x7F)
    return value


# CRC-16/ARC (poly 0x8005 reflected, as ffmpeg's AV_CRC_16_ANSI_LE), which the LAME tag uses.
_CRC_TABLE = []
for _byte in range(256):
    _crc = _byte
    for _ in range(8):
        _crc = (_crc >> 1) ^ 0xA001 if _crc & 1 else _crc >> 1
    _CRC_TABLE.append(_crc)


def crc16(data: bytes, crc: int = 0) -> int:
    for byte in data:
        crc = _CRC_TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc


def crc16_combine(crc_a: int, crc_b: int, length_b: int) -> int:
    """crc16(a + b) from crc16(a), crc16(b) and len(b), without reading either.

    With a zero initial value the CRC is linear, so crc(a + b) = crc(a followed by len(b)
    zero bytes) ^ crc(b); feeding n zero bytes is a linear map on 16 bits, raised to the
    n-th power by squaring (as zlib's crc32_combine does).
    """
    step = [crc16(b"\x00", 1 << bit) for bit in range(16)]  # one zero byte, per basis bit
    while length_b:
        if length_b & 1:
            crc_a = _apply(step, crc_a)
        step = [_apply(step, column) for column in step]
        length_b >>= 1
    return crc_a ^ crc_b


def _apply(matrix: list[int], vector: int) -> int:
    result = 0
    for bit, column in enumerate(matrix):
        if vector >> bit & 1:
            result ^= column
    return result


def _tag_args(tag_room: int | None) -> list[str]:
    if tag_room is None:
        return ["-id3v2_version", "0"]
    return ["-write_id3v2", "1", "-id3v2_version", "3", "-metadata_header_padding", str(tag_room)]


def check_bitrate(bitrate_kbps: int) -> None:
    """Refuse a bitrate MPEG-1 Layer III cannot hold, before any work is done."""
    if bitrate_kbps not in BITRATES_KBPS:
        allowed = ", ".join(str(b) for b in BITRATES_KBPS)
        raise ValueError(f"an MP3 bitrate must be one of {allowed} kbps, not {bitrate_kbps}")


def frame_fill(samples: int) -> int:
    """Samples of silence (at SAMPLE_RATE) to append so the audio fills whole MP3 frames.

    An MP3 holds whole frames, so its frame-counted duration — what ffprobe and many players
    show — is the audio plus LAME's 576-sample encoder delay plus end padding, which LAME
    (lame_encode_flush) makes at least 576 samples and at most 1727. Audio that is a whole
    number of frames long gets exactly the minimum, so the shown duration is the true one
    plus a fixed 1152 samples (26 ms), where it would otherwise be up to 52 ms over. The
    silence is part of the narration: it is counted in the duration and the last chapter.
    """
    per_frame = FRAME_SAMPLES * SAMPLE_RATE // OUTPUT_RATE  # input samples per MP3 frame
    return -samples % per_frame
