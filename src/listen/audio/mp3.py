"""Encoding spooled PCM to MP3 with LAME in this process (lame.py): CBR mono at 44.1 kHz.

Why 44.1 kHz and not the engines' 22.05 kHz: 44.1 kHz is MPEG-1 Layer III, which every
player and podcast host decodes (22.05 kHz is the MPEG-2 "low sampling frequency" extension
that some hardware players and feed validators reject), and it is what Apple Podcasts asks
for. The 2:1 ratio to SAMPLE_RATE keeps the resampling exact in time. Why LAME quality 7,
measured on 5 min of espeak-ng speech through the whole chain (gain, soxr, limiter, LAME;
CPU s, and segmental SNR of the decoded MP3 against the limited 44.1 kHz input):
quality 3: 3.31 s, 21.0 dB; 5: 3.10 s, 21.6 dB; 7: 1.43 s, 23.5 dB; 9: 1.26 s, 23.5 dB.
7 is twice as fast as 5 and no worse by SNR; 9 is 12% faster still but turns LAME's
psychoacoustic model off, which SNR does not hear and a listener may, so 7.

`encode_range` writes the Xing/LAME "Info" frame as ffmpeg's muxer wrote it (`info_frame`,
`finish_info`): its encoder delay and padding let decoders return exactly the samples we put
in. It also leaves room for the ID3 tag id3.py writes afterwards, so tagging rewrites a few
kilobytes in place instead of the whole file.

Chapter by chapter (chapter_cache.py), each chapter is encoded on its own into a "piece": an
MP3 without ID3 tag whose first frame is its Info frame. `join` copies the pieces' frames into
one file behind one new Info frame: a file copy, nothing decoded or re-encoded. Each piece
starts with an empty bit reservoir, so its frames decode the same wherever they sit. The
joined Info frame carries the first piece's encoder delay and the last one's padding, so the
delay and padding of the pieces in between stay in the stream, as 1152 samples (26 ms) of
near-silence at each join, inside the chapter pause; `piece_info` reads each piece's frame
count, delay and padding, from which cached_writer.py computes exact chapter times. ffmpeg's
concat demuxer with `-c copy` writes the same frames and header fields (the tests compare
them) but takes 0.33 s for 27 minutes of audio, where the copy takes 0.01 s.

A long narration written in one go (`listen speak`) is encoded the same way, by `encode_split`:
LAME runs on one core (about 210x real time at 44.1 kHz, quality 7, with the gain, soxr and
limiter), and with espeak-ng (about 700x real time) the encode, not the voice,
is what a listener waits for. So the spooled PCM is cut at a frame boundary in the middle of
a pause (digital silence the script put between sentences) into as many pieces as there are
encode jobs, each piece is encoded from its byte range of the spool on a thread of its own
(LAME and soxr release the GIL), all at once, and the pieces are joined. overlap.py starts
such pieces while the narration is still being synthesised. Each piece gets the same gain and the same
limiter, so loudness and true peak are those of one encode; each join adds 26 ms of
near-silence inside that pause, and `Layout` maps sample positions (chapter starts) across it.
"""

from __future__ import annotations

import os
import shutil
import struct
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np

from listen.atomic import TEMP_MARK
from listen.audio.lame import ENCODER_DELAY, LAME_QUALITY, OUTPUT_RATE, Mp3Encoder
from listen.audio.pcm import SAMPLE_RATE, SAMPLE_WIDTH
from listen.errors import OutputError

__all__ = ["LAME_QUALITY", "OUTPUT_RATE"]  # kept here too: the chapter cache's recipe names them

FRAME_SAMPLES = 1152  # an MPEG-1 Layer III frame at OUTPUT_RATE
BITRATES_KBPS = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
# Shorter than this per piece, a second encode thread costs more (a join, its set-up) than
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
    start = os.lseek(raw_fd, 0, os.SEEK_CUR)
    encode_range(raw_fd, start, os.fstat(raw_fd).st_size, dest, tmp, gain_db, bitrate_kbps, tag_room)


ENCODE_CHUNK = (
    1 << 16
)  # bytes of PCM read at a time (1.5 s): the chain's float arrays stay small (at 1 MB the writer peaked at 211 MB, at 64 kB 77 MB)


def encode_range(
    raw_fd: int, start: int, end: int, dest: Path, tmp: Path, gain_db: float, bitrate_kbps: int, tag_room: int | None
) -> PieceInfo:
    """Encode bytes [start, end) of the PCM file `raw_fd` into `tmp` (lame.py), behind an
    Info frame written as ffmpeg wrote it; the file's own offset is left alone."""
    try:
        return _encode_range(raw_fd, start, end, tmp, gain_db, bitrate_kbps, tag_room)
    except RuntimeError as exc:  # lameenc's only error
        raise OutputError(f"LAME failed while encoding {dest}: {exc}") from exc


def _encode_range(
    raw_fd: int, start: int, end: int, tmp: Path, gain_db: float, bitrate_kbps: int, tag_room: int | None
) -> PieceInfo:
    encoder = Mp3Encoder(gain_db, bitrate_kbps)
    with open(tmp, "w+b") as out:
        if tag_room is not None:
            out.write(b"ID3\x03\x00\x00" + _syncsafe(tag_room) + bytes(tag_room))
        info_at = out.tell()
        frame = info_frame(bitrate_kbps)
        out.write(frame)
        at = start
        while at < end:
            data = os.pread(raw_fd, min(ENCODE_CHUNK, end - at), at)
            if not data:
                break
            at += len(data)
            out.write(encoder.encode(data))
        out.write(encoder.flush())
        audio_bytes = out.tell() - info_at - len(frame)
        frames = round(audio_bytes * OUTPUT_RATE / (144000 * bitrate_kbps))  # CBR: LAME pads frames to the exact rate
        padding = frames * FRAME_SAMPLES - ENCODER_DELAY - encoder.samples
        if not 0 <= padding < 2 * FRAME_SAMPLES:
            raise OutputError(f"LAME wrote {frames} frames for {encoder.samples} samples while encoding {tmp.name}")
        out.flush()
        music_crc = _file_crc16(out.fileno(), info_at + len(frame), audio_bytes)
        finished = finish_info(frame, 4 + 17, frames, audio_bytes, music_crc, ENCODER_DELAY, padding)
        out.seek(info_at)
        out.write(finished)
    return PieceInfo(frames, ENCODER_DELAY, padding, finished, 4 + 17, info_at + len(frame), audio_bytes, music_crc)


def info_frame(bitrate_kbps: int) -> bytes:
    """An empty Info frame (Xing header, then a LAME tag) for CBR mono at OUTPUT_RATE, laid
    out as ffmpeg's muxer lays it out; `finish_info` writes its counts in."""
    length = 144000 * bitrate_kbps // OUTPUT_RATE
    header = bytes((0xFF, 0xFB, _KBPS.index(bitrate_kbps) << 4, 0xC0))  # MPEG-1 L3, no CRC; mono
    xing = b"Info" + struct.pack(">I", 0x0F) + bytes(_XING_SIZE - 8)
    lame = b"LAME3.100" + bytes(36 - 9)
    body = header + bytes(17) + xing + lame
    return body + bytes(length - len(body))


def finish_info(
    template: bytes, at: int, frames: int, audio_bytes: int, music_crc: int, delay: int, padding: int
) -> bytes:
    """`template` (an Info frame whose "Info" sits at `at`) with the totals of the audio that
    follows it written in as ffmpeg's muxer writes them: frame and byte counts, a seek
    table, encoder delay and padding, the music length and CRC, and the tag CRC."""
    frame = bytearray(template)
    total = len(frame) + audio_bytes
    struct.pack_into(">II", frame, at + 8, frames, total)
    frame[at + 16 : at + 116] = bytes(
        min(255, (len(frame) + audio_bytes * k // 100) * 256 // total) for k in range(100)
    )
    lame = at + _XING_SIZE
    frame[lame + 21 : lame + 24] = ((delay << 12) | padding).to_bytes(3, "big")
    struct.pack_into(">IHH", frame, lame + 28, total, music_crc, 0)
    struct.pack_into(">H", frame, lame + 34, crc16(bytes(frame[:190])))  # as ffmpeg: over 190 bytes
    return bytes(frame)


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
    `tmp`, as `encode` does, but on up to `jobs` threads at once on pieces cut in pauses.

    Falls back to one `encode` when the narration is short, `jobs` is 1, or no pause is found."""
    cuts = pause_cuts(raw_fd, samples, jobs)
    if len(cuts) == 1:
        os.lseek(raw_fd, 0, os.SEEK_SET)
        encode(raw_fd, dest, tmp, gain_db, bitrate_kbps, tag_room)
        return Layout((0,), None, samples)
    ends = [*cuts[1:], samples]
    with ExitStack() as stack:
        pieces = [stack.enter_context(piece_path(dest)) for _ in cuts]
        ranges = zip(cuts, ends, pieces)
        with ThreadPoolExecutor(max_workers=len(cuts), thread_name_prefix="listen-encode") as pool:
            infos = list(
                pool.map(
                    lambda r: encode_range(
                        raw_fd, r[0] * SAMPLE_WIDTH, r[1] * SAMPLE_WIDTH, dest, r[2], gain_db, bitrate_kbps, None
                    ),
                    ranges,
                )
            )
        join(pieces, dest, tmp, tag_room)
    return Layout(tuple(cuts), tuple(infos), samples)


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
        cut = cut_in_silence(window, low, ideal, margin, per_frame)
        if cut is not None and cut - cuts[-1] >= SPLIT_MIN_SECONDS * SAMPLE_RATE / 2:
            cuts.append(cut)
    return cuts


def cut_in_silence(window: np.ndarray, offset: int, ideal: int, margin: int, per_frame: int) -> int | None:
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


@contextmanager
def piece_path(dest: Path) -> Iterator[Path]:
    """A temporary file beside `dest` for one piece, marked for clean_leftovers, always removed."""
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}{TEMP_MARK}piece-", suffix=".mp3", dir=dest.parent)
    os.close(fd)
    try:
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


def encode_pieces(raw_fds: Sequence[int], dest: Path, tmps: Sequence[Path], gain_db: float, bitrate_kbps: int) -> None:
    """Encode each PCM file in `raw_fds` (read from its offset) into the piece `tmps[i]`."""
    for fd, tmp in zip(raw_fds, tmps):
        encode(fd, dest, tmp, gain_db, bitrate_kbps, None)


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
    audio = sum(info.audio_bytes for info in found)
    music_crc = 0
    for info in found:
        music_crc = crc16_combine(music_crc, info.music_crc, info.audio_bytes)
    frames = sum(info.frames for info in found)
    frame = finish_info(first.header, first.tag_at, frames, audio, music_crc, first.delay, found[-1].padding)
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
    """Read the Info frame at the start of a piece (as encode_range or ffmpeg writes it); None if it is not one."""
    with open(path, "rb") as file:
        head = file.read(4096)
        size = os.fstat(file.fileno()).st_size
        start = 0
        if head[:3] == b"ID3" and len(head) >= 10:  # a tagged MP3: its tag may be longer than 4 kB
            start = 10 + _unsyncsafe(head[6:10])
            file.seek(start)
            head = file.read(4096)
    length = frame_length(head[:4])
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
        frames,
        delay_padding >> 12,
        delay_padding & 0xFFF,
        bytes(head[:length]),
        at,
        audio_at,
        size - audio_at,
        music_crc,
    )


_XING_SIZE = 120  # "Info", flags, frames, bytes, a 100-byte seek table, quality; then LAME's 36
_KBPS = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_RATES = (44100, 48000, 32000)


def frame_length(header: bytes) -> int | None:
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


def _file_crc16(fd: int, start: int, length: int) -> int:
    """crc16 of `length` bytes of the file `fd` from `start`, read a few MB at a time."""
    crc = 0
    for at in range(start, start + length, 1 << 22):
        part = os.pread(fd, min(1 << 22, start + length - at), at)
        crc = crc16_combine(crc, crc16_lanes(part), len(part))
    return crc


def crc16_lanes(data: bytes, lanes: int = 4096) -> int:
    """crc16(data), computed on `lanes` equal slices at once with numpy, then folded: a
    byte-at-a-time loop in Python takes seconds for the MP3 of a long narration."""
    size = len(data) // lanes
    if size < 16:
        return crc16(data)
    table = np.array(_CRC_TABLE, dtype=np.uint32)
    columns = np.frombuffer(data, dtype=np.uint8, count=size * lanes).reshape(lanes, size).T.astype(np.uint32)
    crcs = np.zeros(lanes, dtype=np.uint32)
    for column in columns:
        crcs = table[(crcs ^ column) & 0xFF] ^ (crcs >> 8)
    shift = _shift_table(size)
    crc = 0
    for lane in crcs.tolist():
        crc = int(shift[crc]) ^ lane
    return crc16(data[size * lanes :], crc)


def _shift_table(length: int) -> np.ndarray:
    """For every 16-bit CRC c, the CRC after `length` more zero bytes (a linear map)."""
    images = [crc16_combine(1 << bit, 0, length) for bit in range(16)]
    values = np.arange(1 << 16, dtype=np.uint32)
    table = np.zeros(1 << 16, dtype=np.uint32)
    for bit, image in enumerate(images):
        table ^= np.where((values >> bit) & 1, image, 0).astype(np.uint32)
    return table


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
