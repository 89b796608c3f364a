"""The MP3 itself, read back with ffprobe and mutagen: chapters in order, tags, duration."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
from mutagen.id3 import ID3, CTOCFlags
from mutagen.mp3 import MP3

from listen.audio import SAMPLE_RATE, AudioResult, ChapterMark, Tags, mp3, silence, write_narration
from listen.errors import OutputError

TAGS = Tags(
    title="Über “quotes” & <tags>",
    artist="Ada Writer",
    album="The Daily Listen",
    language="en",
    date="2024-05-01",
    comment="A standfirst, with a comma.",
)


def tone(seconds: float, freq: float = 440.0, level: float = 0.25) -> np.ndarray:
    t = np.arange(round(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return (np.sin(2 * np.pi * freq * t) * level * 32767).astype(np.int16)


def ffprobe(path: Path) -> dict:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json"]
        + ["-show_chapters", "-show_format", "-show_streams", str(path)],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return json.loads(out)


def narrate(tmp_path: Path, chapters: list[tuple[str, list[np.ndarray]]], tags: Tags = TAGS, **kw) -> AudioResult:
    return write_narration(((t, iter(blocks)) for t, blocks in chapters), tmp_path / "story.mp3", tags, **kw)


# Titles of very different lengths, and more than ten of them: mutagen's own frame order
# (by size, then 'chp10' < 'chp2') would scramble these.
TITLES = ['Opening «première» "quoted"', "B", "A much longer third chapter title, with commas", "Ü"]
TITLES += [f"Chapter {n}" + "!" * (14 - n) for n in range(4, 14)]


@pytest.fixture(scope="module")
def fourteen(tmp_path_factory: pytest.TempPathFactory) -> AudioResult:
    folder = tmp_path_factory.mktemp("fourteen")
    chapters = [(title, [tone(0.2, 300 + 20 * i), silence(107)]) for i, title in enumerate(TITLES)]
    return narrate(folder, chapters)


def test_ffprobe_lists_every_chapter_in_order_with_its_title(fourteen: AudioResult) -> None:
    chapters = ffprobe(fourteen.path)["chapters"]
    assert [c["tags"]["title"] for c in chapters] == TITLES
    starts = [c["start"] for c in chapters]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert [(c["start"], c["end"]) for c in chapters] == [(m.start_ms, m.end_ms) for m in fourteen.chapters]


def test_chapter_marks_follow_sample_counts(fourteen: AudioResult) -> None:
    each = tone(0.2).size + silence(107).size  # 6769 samples = 306.98 ms
    assert [m.start_ms for m in fourteen.chapters] == [i * each * 1000 // SAMPLE_RATE for i in range(14)]
    assert all(a.end_ms == b.start_ms for a, b in zip(fourteen.chapters, fourteen.chapters[1:]))


def test_every_tag_reads_back_with_mutagen(fourteen: AudioResult) -> None:
    tag = ID3(fourteen.path)
    assert tag.version == (2, 3, 0)
    assert tag["TIT2"].text == [TAGS.title]
    assert tag["TPE1"].text == [TAGS.artist]
    assert tag["TALB"].text == [TAGS.album]
    assert tag["TLAN"].text == ["eng"]
    assert str(tag["TDRC"].text[0]) == "2024-05-01"
    comment = tag.getall("COMM")[0]
    assert (comment.lang, comment.desc, comment.text) == ("eng", "", [TAGS.comment])


def test_chapter_frames_follow_the_id3_chapter_addendum(fourteen: AudioResult) -> None:
    tag = ID3(fourteen.path)
    toc = tag["CTOC:toc"]
    assert toc.flags == CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED
    assert toc.child_element_ids == [f"chp{i}" for i in range(14)]
    assert toc.sub_frames["TIT2"].text == [TAGS.title]
    for i, mark in enumerate(fourteen.chapters):
        chap = tag[f"CHAP:chp{i}"]
        assert (chap.start_time, chap.end_time) == (mark.start_ms, mark.end_ms)
        assert (chap.start_offset, chap.end_offset) == (0xFFFFFFFF, 0xFFFFFFFF)
        assert chap.sub_frames["TIT2"].text == [TITLES[i]]


def test_duration_matches_the_sample_count(fourteen: AudioResult) -> None:
    info = ffprobe(fourteen.path)
    assert abs(float(info["format"]["duration"]) - fourteen.duration_s) < 0.05
    assert abs(MP3(fourteen.path).info.length - fourteen.duration_s) < 0.05
    assert fourteen.chapters[-1].end_ms == pytest.approx(fourteen.duration_s * 1000, abs=1)


def test_decoded_audio_has_exactly_the_samples_written(fourteen: AudioResult) -> None:
    pcm = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(fourteen.path), "-f", "s16le", "-ar", str(SAMPLE_RATE), "-"],
        capture_output=True,
        check=True,
    ).stdout
    assert abs(len(pcm) // 2 - round(fourteen.duration_s * SAMPLE_RATE)) <= 2


def test_stream_is_mono_44100_hz_cbr_64k_with_an_info_header(fourteen: AudioResult) -> None:
    stream = ffprobe(fourteen.path)["streams"][0]
    assert (stream["codec_name"], stream["channels"], stream["sample_rate"]) == ("mp3", 1, "44100")
    assert stream["bit_rate"] == "64000"
    first_frame = fourteen.path.read_bytes()[ID3(fourteen.path).size :][:200]
    assert first_frame.startswith(b"\xff\xfb") and b"Info" in first_frame


def test_result_describes_the_files_written(fourteen: AudioResult) -> None:
    folder = fourteen.path.parent
    assert fourteen.bytes == fourteen.path.stat().st_size
    assert fourteen.sidecars == (folder / "story.chapters.json", folder / "story.vtt")
    assert sorted(p.name for p in folder.iterdir()) == ["story.chapters.json", "story.mp3", "story.vtt"]


def test_empty_tags_are_left_out(tmp_path: Path) -> None:
    result = narrate(tmp_path, [("Only", [tone(0.3)])], Tags(title="Just a title"))
    tag = ID3(result.path)
    assert sorted(k[:4] for k in tag.keys()) == ["CHAP", "CTOC", "TIT2"]


@pytest.mark.parametrize(("language", "code"), [("fr-FR", "fra"), ("deu", "deu"), ("xx", None)])
def test_language_becomes_three_letters_or_is_left_out(tmp_path: Path, language: str, code: str | None) -> None:
    result = narrate(tmp_path, [("Only", [tone(0.3)])], Tags(title="T", language=language, comment="c"))
    tag = ID3(result.path)
    assert (tag["TLAN"].text if "TLAN" in tag else None) == ([code] if code else None)
    assert tag.getall("COMM")[0].lang == (code or "XXX")


def test_more_chapters_than_one_table_of_contents_holds(tmp_path: Path) -> None:
    result = narrate(tmp_path, [(f"Part {i}", [tone(0.02)]) for i in range(300)])
    chapters = ffprobe(result.path)["chapters"]
    assert [c["tags"]["title"] for c in chapters] == [f"Part {i}" for i in range(300)]
    tag = ID3(result.path)
    assert tag["CTOC:toc"].child_element_ids == ["toc0", "toc1"]
    assert tag["CTOC:toc1"].child_element_ids == [f"chp{i}" for i in range(255, 300)]


def test_progress_reports_seconds_of_audio_written(tmp_path: Path) -> None:
    seen: list[float] = []
    result = narrate(tmp_path, [("A", [tone(0.5), tone(0.5)]), ("B", [tone(1.0)])], progress=seen.append)
    assert seen == pytest.approx([0.5, 1.0, 2.0], abs=1e-3)
    assert result.duration_s == pytest.approx(2.0, abs=0.03)


def test_chapters_without_audio_are_left_out(tmp_path: Path) -> None:
    result = narrate(tmp_path, [("Empty", []), ("Real", [tone(0.4)]), ("Also empty", [])])
    assert [m.title for m in result.chapters] == ["Real"]


def test_no_audio_at_all_is_a_clear_error_and_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="no audio"):
        narrate(tmp_path, [("Empty", []), ("Also empty", [np.zeros(0, dtype=np.int16)])])
    assert list(tmp_path.iterdir()) == []


def test_missing_ffmpeg_is_reported_before_any_synthesis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("listen.audio.ffmpeg.shutil.which", lambda name: None)
    pulled: list[str] = []

    def chapters():
        pulled.append("pulled")
        yield "A", iter([tone(0.1)])

    with pytest.raises(OutputError, match=r"ffmpeg is not installed; install it with: sudo apt-get install ffmpeg"):
        write_narration(chapters(), tmp_path / "story.mp3", TAGS)
    assert pulled == [] and list(tmp_path.iterdir()) == []


def test_an_impossible_bitrate_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="bitrate"):
        narrate(tmp_path, [("A", [tone(0.1)])], bitrate_kbps=65)


def test_other_bitrates_are_honoured(tmp_path: Path) -> None:
    result = narrate(tmp_path, [("A", [tone(1.0)])], bitrate_kbps=96)
    assert ffprobe(result.path)["streams"][0]["bit_rate"] == "96000"


def test_marks_are_chapter_marks(fourteen: AudioResult) -> None:
    assert all(isinstance(m, ChapterMark) for m in fourteen.chapters)


def test_a_long_narration_encoded_in_pieces_keeps_its_chapters_on_their_sounds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Three pieces, so two joins each add 26 ms of near-silence inside a pause; every chapter
    # mark must still point at its own tone's first sound, and the duration at the real end.
    monkeypatch.setattr(mp3, "SPLIT_MIN_SECONDS", 3.0)
    chapters = [(f"Part {n}", [tone(1.3, 300 + 60 * n), silence(600)]) for n in range(7)]
    result = narrate(tmp_path, chapters, encode_jobs=3)
    pcm = np.frombuffer(
        subprocess.run(
            ["ffmpeg", "-v", "error", "-i", str(result.path), "-f", "s16le", "-ac", "1", "-"],
            capture_output=True,
            check=True,
        ).stdout,
        dtype="<i2",
    )
    assert pcm.size / 44100 == pytest.approx(result.duration_s, abs=1e-6)
    assert result.duration_s > 7 * 1.9 + 0.05  # the two joins are there: a whole encode is 13.3 s
    loud = np.flatnonzero(np.abs(pcm) > 3000)
    onsets = [loud[0], *loud[1:][np.diff(loud) > 44100 * 0.4]]
    assert len(onsets) == 7
    for mark, onset in zip(result.chapters, onsets):
        assert 0 <= onset / 44.1 - mark.start_ms <= 3  # a mark floors; the tone ramps up within ~1 ms
