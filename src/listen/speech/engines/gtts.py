"""gTTS, the online engine: Google's voices, used only when asked for by name.

It sends the text to Google, so `auto` never picks it. Every request has a timeout (gTTS's
default waits forever), the MP3 stays in memory (gTTS's `save()` leaves a 0-byte file when
offline), and "slow down" answers (429, 5xx) are retried with a shared `Backoff`.
"""

from __future__ import annotations

import importlib.util
import io
import shutil
import subprocess
import warnings
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import requests

from listen.errors import EngineError, NetworkError
from listen.speech.engines.backoff import Backoff, retry_after_seconds, shared_backoff
from listen.speech.engines.base import Availability, Engine, check_rate, normalise_language, silence

OFFLINE = "gTTS needs internet access; use --engine piper or espeak offline"
SAMPLE_RATE = 24000  # Google's MP3s are 24 kHz mono; anything else is resampled to this.
DEFAULT_TIMEOUT = 15.0  # seconds to connect and between received bytes
TLD = "com"
RETRYABLE = frozenset({429, 500, 502, 503, 504})


def open_gtts(
    voice: str | None = None,
    *,
    language: str = "en",
    rate: float = 1.0,
    timeout: float = DEFAULT_TIMEOUT,
    backoff: Backoff | None = None,
) -> GttsEngine:
    """A gTTS engine for a Google language code (`voice`, e.g. "es", "zh-TW") or for `language`."""
    ready = availability()
    if not ready.ok:
        raise EngineError(ready.reason)
    rate = check_rate(rate)
    if timeout <= 0:
        raise EngineError("gTTS needs a positive timeout in seconds")
    code = language_for(voice or language)
    return GttsEngine(
        voice=code,
        sample_rate=SAMPLE_RATE,
        cache_key=f"gtts/1:{code}:{TLD}:{SAMPLE_RATE}Hz:tempo={rate:.4f}",
        tempo=rate,
        timeout=timeout,
        backoff=backoff or shared_backoff,
    )


def availability() -> Availability:
    """Ready when gTTS and ffmpeg (to decode its MP3s) are installed; the network is not checked."""
    if importlib.util.find_spec("gtts") is None:
        return Availability(False, "gTTS is not installed; install it with: pip install gTTS")
    if shutil.which("ffmpeg") is None:
        return Availability(False, "gTTS needs ffmpeg to decode audio; install it with: sudo apt-get install ffmpeg")
    return Availability(True, "ready; sends the text to Google, so it is used only with --engine gtts")


def language_for(language: str) -> str:
    """gTTS's own spelling of a language tag ("pt-BR" → "pt", "zh-tw" → "zh-TW")."""
    codes = {normalise_language(code): code for code in languages()}
    tag = normalise_language(language)
    while tag:
        if tag in codes:
            return codes[tag]
        tag = tag.rpartition("-")[0]
    raise EngineError(
        f"gTTS has no voice for language '{language}'; run 'listen engines' to see the languages it knows"
    )


@lru_cache(maxsize=1)
def languages() -> tuple[str, ...]:
    """Languages gTTS knows; a table shipped inside gTTS, so no network is needed."""
    from gtts.lang import tts_langs

    return tuple(sorted(tts_langs()))


@dataclass(frozen=True)
class GttsEngine(Engine):
    """One Google language at one speed; each utterance is one or more HTTPS requests."""

    voice: str
    sample_rate: int
    cache_key: str
    tempo: float
    timeout: float
    backoff: Backoff = field(repr=False, compare=False)
    name: str = "gtts"

    def synthesize(self, text: str) -> np.ndarray:
        if not text.strip():
            return silence(self.sample_rate)
        mp3 = self._fetch(text)
        if mp3 is None:
            return silence(self.sample_rate)
        pcm = decode_mp3(mp3, self.sample_rate)
        return pcm if self.tempo == 1.0 else change_tempo(pcm, self.sample_rate, self.tempo)

    def _fetch(self, text: str) -> bytes | None:
        """The MP3 for `text`, retrying 429 and 5xx answers; None when gTTS finds nothing to speak."""
        from gtts import gTTS, gTTSError

        status = 0
        for attempt in range(self.backoff.attempts):
            self.backoff.wait()
            buffer = io.BytesIO()
            try:
                speech = gTTS(text, lang=self.voice, tld=TLD, lang_check=False, timeout=self.timeout)
                speech.write_to_fp(buffer)
            except AssertionError:  # gTTS asserts when only punctuation is left after its clean-up
                return None
            except gTTSError as error:
                response = error.rsp
                if response is None:
                    raise self._unreachable(error.__context__) from error
                status = response.status_code
                if status not in RETRYABLE:
                    raise NetworkError(
                        f"Google's speech service refused the request ({status} {response.reason}); "
                        "try again later or use --engine piper or espeak"
                    ) from error
                asked = retry_after_seconds(response.headers.get("Retry-After"))
                if asked is not None and asked > self.backoff.longest_retry_after:
                    raise NetworkError(
                        f"Google's speech service asked us to wait {asked / 60:.0f} minutes ({status}); "
                        "try again later or use --engine piper or espeak"
                    ) from error
                if attempt + 1 < self.backoff.attempts:
                    self.backoff.push_back(self.backoff.delay(attempt, asked))
                continue
            except requests.RequestException as error:  # raised while reading the body, outside gTTS's guard
                raise self._unreachable(error) from error
            if not buffer.getvalue():
                raise NetworkError(
                    "Google's speech service answered without audio; try again later or use --engine piper or espeak"
                )
            return buffer.getvalue()
        raise NetworkError(
            f"Google's speech service kept failing ({status}) after {self.backoff.attempts} attempts; "
            "try again later or use --engine piper or espeak"
        )

    def _unreachable(self, cause: BaseException | None) -> NetworkError:
        """A timeout says so; anything else at the connection level means we are offline."""
        if isinstance(cause, requests.Timeout):
            return NetworkError(
                f"Google's speech service did not answer within {self.timeout:g} s; try again later or use --engine piper or espeak"
            )
        return NetworkError(OFFLINE)


def decode_mp3(data: bytes, sample_rate: int) -> np.ndarray:
    """MP3 bytes → mono int16 PCM at `sample_rate`, in memory, with pydub and ffmpeg."""
    with warnings.catch_warnings():  # pydub imports audioop, deprecated since Python 3.11
        warnings.simplefilter("ignore", DeprecationWarning)
        from pydub import AudioSegment
        from pydub.exceptions import CouldntDecodeError

    try:
        # codec= makes pydub skip its ffprobe call: one ffmpeg process per utterance.
        segment = AudioSegment.from_file(io.BytesIO(data), format="mp3", codec="mp3")
    except CouldntDecodeError as error:
        raise EngineError(
            "gTTS returned audio that ffmpeg could not decode; try again or use --engine piper or espeak"
        ) from error
    except FileNotFoundError as error:
        raise EngineError("gTTS needs ffmpeg to decode audio; install it with: sudo apt-get install ffmpeg") from error
    segment = segment.set_channels(1).set_sample_width(2).set_frame_rate(sample_rate)
    return np.frombuffer(segment.raw_data, dtype="<i2").astype(np.int16)


def change_tempo(pcm: np.ndarray, sample_rate: int, tempo: float) -> np.ndarray:
    """Speed speech up or down without changing its pitch (ffmpeg's atempo); Google has no speed knob."""
    command = [
        "ffmpeg", "-hide_banner", "-loglevel", "error",
        "-f", "s16le", "-ar", str(sample_rate), "-ac", "1", "-i", "pipe:0",
        "-af", f"atempo={tempo:.4f}", "-f", "s16le", "-ar", str(sample_rate), "-ac", "1", "pipe:1",
    ]  # fmt: skip
    try:
        done = subprocess.run(command, input=pcm.astype("<i2").tobytes(), capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        raise EngineError("ffmpeg could not change the speech rate for gTTS; check ffmpeg, or use rate 1.0") from error
    return np.frombuffer(done.stdout, dtype="<i2").astype(np.int16)
