"""A narration encoded in pieces while it is synthesised (audio/overlap.py) sounds as one
encoded after the fact: the same loudness and true-peak ceiling (ebur128 on the decoded MP3),
chapter marks on their sounds, and every piece encoded again when the guessed gain was off."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from listen.audio import Tags, mp3, overlap, silence, verify, write_narration, writer
from listen.audio.loudness import TARGET_LUFS, TRUE_PEAK_DBTP
from listen.audio.verify import CorruptAudioError
from audio_support import ebur128

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")

# Our own lines, of the lengths and punctuation a news article has.
LINES = [
    "The night bus to the coast now stops at the old mill, which the council bought last spring.",
    "Fares rise by twenty pence in April; season tickets stay as they are until June.",
    "Drivers say the new route adds nine minutes, though few passengers have complained.",
    "A petition for a later last bus gathered 1,400 names in a week.",
]


def speech(text: str, scale: float = 1.0) -> np.ndarray:
    wav = subprocess.run(["espeak-ng", "--stdout", text], capture_output=True, check=True).stdout
    data = wav.index(b"data") + 8
    pcm = np.frombuffer(wav[data : data + (len(wav) - data) // 2 * 2], dtype=np.int16)
    return np.round(pcm * scale).astype(np.int16)


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[overlap.OverlappedEncode]:
    """Short pieces (2 s), and every OverlappedEncode the writer makes, to look at afterwards."""
    monkeypatch.setattr(overlap, "PIECE_SECONDS", 2.0)
    made: list[overlap.OverlappedEncode] = []

    class Seen(overlap.OverlappedEncode):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(writer, "OverlappedEncode", Seen)
    return made


def chapters(scales: list[float]) -> list[tuple[str, list[np.ndarray]]]:
    return [(f"Part {n + 1}", [speech(LINES[n % len(LINES)], scale), silence(700)]) for n, scale in enumerate(scales)]


@needs_espeak
def test_pieces_encoded_during_synthesis_are_as_loud_and_peak_as_one_encode_after_it(
    tmp_path: Path, seen: list[overlap.OverlappedEncode], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(overlap, "PIECE_SECONDS", 10.0)  # a guess from 10 s of speech, not half a sentence
    parts = chapters([1.0] * 12)
    early = write_narration(iter(parts), tmp_path / "early.mp3", Tags(title="Early"), encode_jobs=2)
    assert len(seen) == 1 and seen[0].gain_db is not None and len(seen[0]._cuts) >= 3, "pieces were started early"
    assert not seen[0].reencoded, "one voice at one level: the guess holds"
    monkeypatch.setattr(overlap, "PIECE_SECONDS", 1e9)  # now the old way: the whole spool after synthesis
    after = write_narration(iter(parts), tmp_path / "after.mp3", Tags(title="After"), encode_jobs=1)
    assert seen[1].gain_db is None
    (loud_early, peak_early), (loud_after, peak_after) = ebur128(early.path), ebur128(after.path)
    assert abs(loud_early - TARGET_LUFS) <= 1 and peak_early <= TRUE_PEAK_DBTP
    assert abs(loud_early - loud_after) <= 0.3 and abs(peak_early - peak_after) <= 0.5
    assert [m.title for m in early.chapters] == [m.title for m in after.chapters]
    decoded = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(early.path), "-f", "s16le", "-"], capture_output=True, check=True
    ).stdout
    assert len(decoded) / 2 / 44100 == pytest.approx(early.duration_s, abs=1e-6)
    for mark_early, mark_after in zip(early.chapters, after.chapters):  # joins add 26 ms each, in pauses
        assert 0 <= mark_early.start_ms - mark_after.start_ms <= 26.2 * len(seen[0]._cuts)


@needs_espeak
def test_a_narration_that_gets_louder_after_the_guess_is_encoded_again_at_the_right_gain(
    tmp_path: Path, seen: list[overlap.OverlappedEncode]
) -> None:
    # the first parts whispered (-20 dB), the rest at full voice: the guess is far too loud
    result = write_narration(
        iter(chapters([0.1, 0.1, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0])),
        tmp_path / "story.mp3",
        Tags(title="Louder"),
        encode_jobs=2,
    )
    assert seen[0].reencoded
    integrated, peak = ebur128(result.path)
    assert abs(integrated - TARGET_LUFS) <= 1 and peak <= TRUE_PEAK_DBTP


def _damaging(monkeypatch: pytest.MonkeyPatch, damage) -> None:
    """Make the second piece encoded early come out damaged by `damage(path)`."""
    encoded = []
    original = overlap.encode_range

    def encode_then_damage(*args):
        info = original(*args)
        encoded.append(args[4])
        if len(encoded) == 2:
            damage(args[4])
        return info

    monkeypatch.setattr(overlap, "encode_range", encode_then_damage)


def _scribble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 3000] = np.random.default_rng(7).integers(0, 256, 3000, dtype=np.uint8).tobytes()
    path.write_bytes(bytes(data))


def _cut_short(path: Path) -> None:
    with open(path, "r+b") as file:
        file.truncate(path.stat().st_size * 2 // 3)


@needs_espeak
def test_pieces_are_checked_as_they_are_encoded_not_decoded_again_whole(
    tmp_path: Path, seen: list[overlap.OverlappedEncode], monkeypatch: pytest.MonkeyPatch
) -> None:
    def whole_decode(*args):
        raise AssertionError("the joined file was decoded again")

    monkeypatch.setattr(writer, "verify_mp3", whole_decode)
    monkeypatch.setattr(overlap, "PIECE_SECONDS", 10.0)  # a guess that holds: see the first test
    # headings long enough that the ID3 tag's chapter frames outgrow 4 kB, as a long article's do
    parts = [
        (f"{title}: the harbour, the mill and the last bus home " * 6, blocks) for title, blocks in chapters([1.0] * 10)
    ]
    result = write_narration(iter(parts), tmp_path / "checked.mp3", Tags(title="Checked"), encode_jobs=2)
    assert result.path.read_bytes()[:3] == b"ID3" and 10 + 4096 < result.path.read_bytes().index(b"Info")
    assert not seen[0].reencoded and seen[0].checked_frames is not None and len(seen[0].pieces) >= 3
    decoded = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(result.path), "-f", "s16le", "-"], capture_output=True, check=True
    )
    assert decoded.stderr == b"" and len(decoded.stdout) / 2 / 44100 == pytest.approx(result.duration_s, abs=1e-6)


@needs_espeak
@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (_scribble, r"is damaged \(frame \d+ of a piece has a damaged header\)"),
        # Cut inside a frame, the walk ends inside it; cut between frames, it counts fewer
        # frames than the Info frame. Either stops the narration.
        (_cut_short, r"is damaged \(a piece (ends inside frame \d+|holds \d+ frames where its Info frame counts)"),
    ],
    ids=["scribbled", "truncated"],
)
def test_a_damaged_piece_stops_the_narration_and_nothing_is_published(
    tmp_path: Path, seen: list[overlap.OverlappedEncode], monkeypatch: pytest.MonkeyPatch, damage, says: str
) -> None:
    monkeypatch.setattr(overlap, "PIECE_SECONDS", 10.0)
    _damaging(monkeypatch, damage)
    with pytest.raises(CorruptAudioError, match=f"{says}.*nothing was published"):
        write_narration(iter(chapters([1.0] * 8)), tmp_path / "story.mp3", Tags(title="Damaged"), encode_jobs=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@needs_espeak
def test_a_joined_file_that_differs_from_its_checked_pieces_is_refused(
    tmp_path: Path, seen: list[overlap.OverlappedEncode], monkeypatch: pytest.MonkeyPatch
) -> None:
    original = overlap.join

    def join_then_scribble(pieces, dest, tmp, tag_room):
        original(pieces, dest, tmp, tag_room)
        with open(tmp, "r+b") as file:  # one byte flipped deep in the audio, as a bad disk might
            file.seek(tmp.stat().st_size - 5000)
            byte = file.read(1)
            file.seek(-1, 1)
            file.write(bytes([byte[0] ^ 0x10]))

    monkeypatch.setattr(overlap, "join", join_then_scribble)
    monkeypatch.setattr(overlap, "PIECE_SECONDS", 10.0)
    with pytest.raises(CorruptAudioError, match="differs from the audio that was encoded"):
        write_narration(iter(chapters([1.0] * 8)), tmp_path / "story.mp3", Tags(title="Flipped"), encode_jobs=2)
    assert list(tmp_path.iterdir()) == []


def _frame_starts(data: bytes) -> list[int]:
    starts, at = [], 0
    while at < len(data):
        starts.append(at)
        at += 208 + (data[at + 2] >> 1 & 1)  # 64 kbps at 44.1 kHz
    return starts


@needs_espeak
def test_the_frame_walk_finds_what_a_decoder_would_refuse(tmp_path: Path) -> None:
    """PieceCheck walks a piece's frames instead of decoding them (verify.frame_problem):
    damaged headers, a cut, and side information no decoder accepts are each named."""
    raw = tmp_path / "speech.pcm"
    raw.write_bytes(np.concatenate([speech(line) for line in LINES]).tobytes())
    piece = tmp_path / "piece.mp3"
    with open(raw, "rb") as source:
        info = mp3.encode_range(source.fileno(), 0, raw.stat().st_size, piece, piece, 2.0, 64, None)
    data = piece.read_bytes()[info.audio_at :]
    starts = _frame_starts(data)
    assert len(starts) == info.frames and verify.frame_problem(data, info) is None

    def changed(frame: int, offset: int, value: int) -> bytes:
        damaged = bytearray(data)
        damaged[starts[frame] + offset] = value
        return bytes(damaged)

    middle = len(starts) // 2
    cases = [
        (changed(middle, 1, 0xF3), f"frame {middle + 1} of a piece has a damaged header"),  # MPEG-2, not 1
        (data[: starts[middle] + 100], f"a piece ends inside frame {middle + 1}"),
        (data[: starts[middle]], f"a piece holds {middle} frames where its Info frame counts {info.frames}"),
        (changed(0, 4, 0x80), "frame 1 of a piece reaches outside its bit reservoir"),  # main data before the piece
        (changed(middle, 7, data[starts[middle] + 7] | 0x3F), "impossible side information (big_values)"),
    ]
    for damaged, says in cases:
        assert says in (verify.frame_problem(damaged, info) or ""), says
