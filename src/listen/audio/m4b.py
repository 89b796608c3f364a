"""Audiobook output: spooled PCM → one M4B (AAC-LC mono in MP4) with chapters, tags and a cover.

Audiobook apps (Apple Books, BookPlayer, Smart AudioBook Player, Voice) expect an .m4b: AAC
in an MP4 container whose chapters are MP4 chapters, not ID3 frames. The loudness pass is
the MP3 path's (loudness.py: −19 LUFS, true peak under −1.5 dBTP); the encoder, its sample
rate and the limiter's ceiling differ, and the true peak is checked on the result.

One ffmpeg encode does the audio, the chapters and the tags: the PCM comes in on one input
and an FFMETADATA1 file (global title/artist/album/genre… and one [CHAPTER] per chapter, in
the same milliseconds as the MP3's CHAP frames and the sidecars) on a second, taken with
-map_metadata and -map_chapters. ffmpeg's mp4 muxer writes the chapters both as a QuickTime chapter track
(what Apple's players read) and as a Nero `chpl` atom (what most others read). The cover, when
given, is added afterwards with mutagen as a `covr` atom: that is where every player looks,
and it spares a video stream in the file. The caller (writer.py) writes to a temporary
name and renames it into place, as for the MP3.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from mutagen.mp4 import MP4, MP4Cover

from listen.atomic import TEMP_MARK
from listen.audio.chapters import ChapterMark
from listen.audio.ffmpeg import check, ffmpeg
from listen.audio.id3 import Tags
from listen.audio.loudness import TRUE_PEAK_DBTP, encode_filters
from listen.audio.pcm import SAMPLE_RATE
from listen.errors import OutputError

M4B_SUFFIX = ".m4b"
GENRE = "Audiobook"
# The engines speak at 22.05 kHz, so the AAC keeps that rate: nothing above 11 kHz is lost, the
# bits go to the speech band, and (unlike MP3, see mp3.py) every AAC decoder plays 22.05 kHz.
# It also overshoots less: at 44.1 kHz ffmpeg's AAC encoder went 3.4 dB over a −3.5 dBFS limiter
# on a 7 min espeak article (−0.1 dBTP); at 22.05 kHz, 1.0 dB (−2.5 dBTP, −19.2 LUFS, one pass).
AAC_RATE = SAMPLE_RATE
# Overshoot varies with the material, so the result's true peak is measured, and while it is
# above TRUE_PEAK_DBTP − PEAK_MARGIN_DB the encode is redone with the ceiling lowered by the
# excess (MAX_PASSES bounds it): the file is never louder at its peaks than the MP3 promises.
AAC_LIMIT_DBFS = -3.5
PEAK_MARGIN_DB = 0.3
MAX_PASSES = 4
_PEAK = re.compile(r"True peak:\s*Peak:\s*(-?[\d.]+|-inf)\s*dBFS")
_COVER_FORMATS = {b"\xff\xd8\xff": MP4Cover.FORMAT_JPEG, b"\x89PNG\r\n\x1a\n": MP4Cover.FORMAT_PNG}


def encode_m4b(
    raw_fd: int,
    dest: Path,
    tmp: Path,
    gain_db: float,
    bitrate_kbps: int,
    tags: Tags,
    marks: tuple[ChapterMark, ...],
    cover: Path | None = None,
) -> None:
    """Encode the int16 PCM readable from `raw_fd` (from its offset to the end) into the M4B `tmp`.

    `gain_db` is the MP3 path's gain (Loudness.gain_db), LAME's 0.44 dB level loss included:
    measured, the AAC file comes out at the same −19.2 LUFS with it and 0.3 dB quieter without.
    """
    image = _cover_image(cover) if cover is not None else None
    start = os.lseek(raw_fd, 0, os.SEEK_CUR)
    ceiling = TRUE_PEAK_DBTP - PEAK_MARGIN_DB
    limit = AAC_LIMIT_DBFS
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=tmp.parent, prefix=f".{dest.name}{TEMP_MARK}meta-", suffix=".txt"
    ) as meta:
        meta.write(ffmetadata(tags, marks))
        meta.flush()
        for _ in range(MAX_PASSES):
            os.lseek(raw_fd, start, os.SEEK_SET)
            args = [
                "-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", "1", "-i", f"pipe:{raw_fd}",
                "-f", "ffmetadata", "-i", meta.name,
                "-map", "0:a", "-map_metadata", "1", "-map_chapters", "1",
                "-af", encode_filters(gain_db, AAC_RATE, limit),
                "-c:a", "aac", "-profile:a", "aac_low", "-b:a", f"{bitrate_kbps}k", "-ar", str(AAC_RATE), "-ac", "1",
                "-movflags", "+faststart", "-brand", "M4B ", "-f", "mp4", "-y", str(tmp),
            ]  # fmt: skip
            with ffmpeg(args, pass_fds=(raw_fd,)) as (proc, log):
                check(proc, log, dest, "encoding")
            peak = true_peak(tmp, dest)
            if peak <= ceiling:
                break
            limit -= peak - ceiling  # the overshoot scales with the level going in
        else:
            raise OutputError(
                f"Cannot keep the true peak of {dest} under {TRUE_PEAK_DBTP} dBTP (still {peak:.1f}); "
                "try another --bitrate."
            )
    if image is not None:
        _add_cover(tmp, dest, image)


def true_peak(path: Path, dest: Path) -> float:
    """The true peak of an encoded file in dBTP, by ffmpeg's ebur128 (4x oversampled)."""
    args = ["-i", str(path), "-map", "0:a", "-af", "ebur128=peak=true", "-f", "null", "-"]
    with ffmpeg(args, loglevel="info") as (proc, log):
        text = check(proc, log, dest, "measuring")
    found = _PEAK.findall(text)
    if not found:
        raise OutputError(f"ffmpeg did not report the true peak of {dest}; is it ffmpeg 4 or newer?")
    return float("-inf") if found[-1] == "-inf" else float(found[-1])


def ffmetadata(tags: Tags, marks: tuple[ChapterMark, ...]) -> str:
    """An FFMETADATA1 document: the tags, then one [CHAPTER] per mark, in milliseconds."""
    lines = [";FFMETADATA1"]
    fields = {
        "title": tags.title,
        "artist": tags.artist,
        "album_artist": tags.artist,
        "album": tags.album or tags.title,  # audiobook apps group by album: one article, one book
        "genre": GENRE,
        "date": tags.date,
        "comment": tags.comment,
        "language": tags.language,
    }
    lines += [f"{key}={_escape(value)}" for key, value in fields.items() if value]
    for mark in marks:
        lines += [
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={mark.start_ms}",
            f"END={mark.end_ms}",
            f"title={_escape(mark.title)}",
        ]
    return "\n".join(lines) + "\n"


def check_cover(cover: Path) -> Path:
    """Refuse, before any synthesis, a cover that is missing or not a JPEG or PNG."""
    _cover_image(cover)
    return cover


def _cover_image(cover: Path) -> MP4Cover:
    try:
        data = Path(cover).read_bytes()
    except OSError as error:
        raise OutputError(f"Cannot read the cover {cover}: {error.strerror or error}; check the path.") from error
    for magic, kind in _COVER_FORMATS.items():
        if data.startswith(magic):
            return MP4Cover(data, imageformat=kind)
    raise OutputError(f"The cover {cover} is neither a JPEG nor a PNG image; convert it to one of those.")


def _add_cover(tmp: Path, dest: Path, image: MP4Cover) -> None:
    try:
        audio = MP4(tmp)
        audio["covr"] = [image]
        audio.save()
    except Exception as error:  # mutagen raises its own types and OSError alike
        raise OutputError(f"Cannot add the cover to {dest}: {error}") from error


def _escape(value: str) -> str:
    """FFMETADATA1 escaping: '=', ';', '#', '\\' and newlines take a backslash."""
    return "".join("\\" + char if char in "=;#\\" else char for char in value.replace("\n", " "))
