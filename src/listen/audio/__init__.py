"""Narration audio: chapters of PCM in, one loudness-normalised, chaptered MP3 out.

The narrator hands over an iterator of (chapter title, int16 blocks at SAMPLE_RATE) and never
sees files; this package streams it to NAME.mp3 (ID3v2.3 tags, CHAP/CTOC chapters) with
NAME.chapters.json and NAME.vtt beside it, all three or none.
"""

from listen.audio.chapters import ChapterMark
from listen.audio.id3 import Tags
from listen.audio.writer import AudioResult, write_narration
from listen.audio.pcm import SAMPLE_RATE, silence, to_rate

__all__ = ["SAMPLE_RATE", "AudioResult", "ChapterMark", "Tags", "silence", "to_rate", "write_narration"]
