"""Everything besides the text and the voice that changes the audio, and its fingerprint.

Kept apart from the narrator (speech/narrator.py) and the speech rules (speech/normalize.py)
so that deciding whether anything changed, as an unchanged `listen build` does for every
article, costs neither numpy nor the rule tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from listen.speech.lexicon import Lexicon
from listen.speech.script import Pauses, ScriptOptions

# Part of every audio cache key: bump when a rule in speech/normalize.py changes what is said,
# so builds redo their audio.
SPEECH_RULES_VERSION = 4


@dataclass(frozen=True)
class Settings:
    """Everything besides the text that changes the audio; part of every cache key."""

    pauses: Pauses = Pauses()
    bitrate_kbps: int = 64
    lexicon: Lexicon = Lexicon()
    script: ScriptOptions = ScriptOptions()
    audio_format: str = "mp3"  # or "m4b" (an audiobook: AAC with MP4 chapters)
    cover: Path | None = None  # an image for the M4B's cover
    encode_jobs: int | None = (
        None  # threads encoding one narration; None: audio.default_encode_jobs (not in the fingerprint: the sound is the same)
    )

    @property
    def fingerprint(self) -> str:
        audiobook = f"|{self.audio_format} cover {self.cover}" if self.audio_format != "mp3" else ""
        return (
            f"{self.pauses}|{self.bitrate_kbps}|{self.lexicon.fingerprint}"
            f"|{self.script.fingerprint}|rules {SPEECH_RULES_VERSION}{audiobook}"
        )
