"""espeak-ng, the always-there offline engine: robotic, but fast (~700x real time) and 100+ languages.

Where libespeak-ng can be loaded, utterances are spoken in this process through its C API
(espeak_library.py): starting a program costs ~13 ms of a ~25 ms sentence, the library call
~6 ms. Otherwise (no library, it does not start, or LISTEN_ESPEAK_LIBRARY=off) each utterance
is one espeak-ng process and `synthesize_many` keeps `workers` of them in flight. The text
always goes in on stdin, never on the command line, so a sentence that starts with "-" or
holds quotes is spoken, not parsed as options; neither path ever asks for SSML.

The library carries its synthesiser state from one utterance to the next, so its samples
differ slightly from a fresh process's: the cache key ends in ":in-process" on that path.
That state also lengthens the run of silence at the end of some utterances (by up to ~60 ms);
we cut that run to what `espeak-ng -z` ends the same voice and speed with, so the library
never adds a pause the program would not.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from listen.errors import EngineError
from listen.speech.engines import espeak_library
from listen.speech.engines.base import Availability, Engine, check_rate, normalise_language, silence
from listen.speech.engines.espeak_library import EspeakLibrary

PROGRAM = "espeak-ng"
INSTALL_HINT = "espeak-ng is not installed; install it with: sudo apt-get install espeak-ng"
NORMAL_WPM = 175  # espeak-ng's own default speed; rate 1.0 keeps it.
LIBRARY_VARIABLE = "LISTEN_ESPEAK_LIBRARY"  # "off" (or 0/no/false): always run the espeak-ng program

# NUL would end the text early (both paths hand espeak a C string); SOH starts an espeak
# embedded command ("\x01" "400S" changes the speed). Neither is ever meant to be spoken.
_NOT_TEXT = str.maketrans({"\0": " ", "\x01": " "})

# A bare language with several dialects gets the one most listeners expect, not the first
# alphabetically (plain "fr" would otherwise be Belgian French).
_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-([a-z]{2}|\d{3}))?")

PREFERRED_VOICES = {"en": "en-us", "fr": "fr-fr", "zh": "cmn", "no": "nb", "vi": "vi", "hy": "hy"}


def open_espeak(voice: str | None = None, *, language: str = "en", rate: float = 1.0, workers: int = 2) -> EspeakEngine:
    """An espeak-ng engine for `voice` (an espeak voice such as "en-gb" or "en-us+f3") or for `language`."""
    ready = availability()
    if not ready.ok:
        raise EngineError(ready.reason)
    rate = check_rate(rate)
    chosen = _check_voice(voice) if voice else voice_for(language)
    sample_rate = _probe_sample_rate(chosen)
    wpm = round(NORMAL_WPM * rate)
    library = _library_for(chosen, sample_rate)
    end_silence = _program_end_silence(chosen, wpm) if library is not None else 0
    if library is None:
        cache_key = f"espeak/{version()}:{chosen}:{sample_rate}Hz:{wpm}wpm"
    else:
        cache_key = f"espeak/{library.version}:{chosen}:{sample_rate}Hz:{wpm}wpm:in-process"
    return EspeakEngine(
        voice=chosen,
        sample_rate=sample_rate,
        cache_key=cache_key,
        wpm=wpm,
        workers=max(1, workers),
        library=library,
        end_silence=end_silence,
    )


def availability() -> Availability:
    """Ready when the espeak-ng program is on PATH."""
    if shutil.which(PROGRAM) is None:
        return Availability(False, INSTALL_HINT)
    return Availability(True, f"ready (espeak-ng {version()})")


def voice_for(language: str) -> str:
    """The espeak-ng voice for a language tag ("en" → "en-us", "pt-BR" → "pt-br", "es" → "es")."""
    codes = set(languages())
    tag = normalise_language(language)
    while tag:
        if tag in PREFERRED_VOICES and PREFERRED_VOICES[tag] in codes:
            return PREFERRED_VOICES[tag]
        if tag in codes:
            return tag
        dialects = sorted(code for code in codes if code.startswith(tag + "-"))
        if dialects:
            return dialects[0]
        tag = tag.rpartition("-")[0]
    raise EngineError(
        f"espeak-ng has no voice for language '{language}'; run 'listen engines' to see the languages it knows"
    )


@lru_cache(maxsize=1)
def languages() -> tuple[str, ...]:
    """The language codes espeak-ng lists in `--voices`, sorted and without repeats."""
    return tuple(sorted({row[0] for row in voice_rows()}))


@dataclass(frozen=True)
class EspeakEngine(Engine):
    """One espeak-ng voice at one speed: through the loaded library, or one process per utterance."""

    voice: str
    sample_rate: int
    cache_key: str
    wpm: int
    workers: int = 2
    name: str = "espeak"
    library: EspeakLibrary | None = field(default=None, repr=False, compare=False)
    end_silence: int = field(default=0, repr=False, compare=False)  # in process: most zero samples kept at the end

    @property
    def in_process(self) -> bool:
        return self.library is not None

    def synthesize(self, text: str) -> np.ndarray:
        text = text.translate(_NOT_TEXT)
        if not text.strip():
            return silence(self.sample_rate)
        if self.library is not None:
            return trim_end_silence(self.library.synthesize(text, self.voice, self.wpm), self.end_silence)
        rate, pcm = _run(self._command(), text)
        if rate != self.sample_rate:
            raise EngineError(
                f"espeak-ng voice '{self.voice}' changed its sample rate mid-run ({rate} Hz); reinstall espeak-ng"
            )
        return pcm

    def synthesize_many(self, texts: Iterable[str]) -> Iterator[np.ndarray]:
        """Like mapping `synthesize`, with `workers` processes in flight; results keep their order.

        In process, one after another: the library speaks one text at a time anyway, and a
        batch build already runs one process per core."""
        if self.library is not None:
            for text in texts:
                yield self.synthesize(text)
            return
        pool = ThreadPoolExecutor(self.workers, thread_name_prefix="espeak")
        pending: deque[Future[np.ndarray]] = deque()
        try:
            for text in texts:
                pending.append(pool.submit(self.synthesize, text))
                if len(pending) >= self.workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _command(self) -> list[str]:
        # -z: no trailing sentence pause; the script decides pauses, as it does for piper.
        # -b 1: stdin is UTF-8. No -m, so "<" in an article is text, not SSML.
        return [PROGRAM, "--stdin", "--stdout", "-z", "-b", "1", "-v", self.voice, "-s", str(self.wpm)]


def _library_for(voice: str, sample_rate: int) -> EspeakLibrary | None:
    """The in-process library for `voice`, or None to run the program: switched off, not
    installed, not starting, or unable to speak this voice at the program's sample rate."""
    if os.environ.get(LIBRARY_VARIABLE, "").strip().lower() in ("off", "0", "no", "false"):
        return None
    library = espeak_library.load()
    if library is None or library.sample_rate != sample_rate or not _library_speaks(library, voice):
        return None
    return library


@lru_cache(maxsize=32)
def _library_speaks(library: EspeakLibrary, voice: str) -> bool:
    """Whether the library can select `voice` and say something with it (the program could)."""
    try:
        return library.synthesize("a", voice, NORMAL_WPM).size > 0
    except EngineError:
        return False


def trim_end_silence(pcm: np.ndarray, keep: int) -> np.ndarray:
    """`pcm` with its final run of exact-zero samples cut to at most `keep`."""
    voiced = np.flatnonzero(pcm)
    if voiced.size == 0:
        return pcm[:keep]
    end = min(pcm.size, int(voiced[-1]) + 1 + keep)
    return pcm[:end]


@lru_cache(maxsize=32)
def _program_end_silence(voice: str, wpm: int) -> int:
    """How many zero samples `espeak-ng -z` ends an utterance with in this voice at this speed.

    Measured once, on a fresh process speaking one word. A sentence with a full stop ends the
    same; one without (a heading) ends up to ~10 ms longer in the program, so the library's
    copy of it may end that much sooner, never later."""
    _, pcm = _run([PROGRAM, "--stdin", "--stdout", "-z", "-v", voice, "-s", str(wpm)], "a")
    voiced = np.flatnonzero(pcm)
    return int(pcm.size - 1 - voiced[-1]) if voiced.size else 0


def _run(command: list[str], text: str) -> tuple[int, np.ndarray]:
    """Run espeak-ng once with `text` on stdin; return (sample rate, PCM)."""
    try:
        done = subprocess.run(command, input=text.encode("utf-8"), capture_output=True, check=False)
    except FileNotFoundError as error:
        raise EngineError(INSTALL_HINT) from error
    problem = done.stderr.decode("utf-8", "replace").strip().splitlines()
    if done.returncode != 0:
        detail = problem[0] if problem else f"exit status {done.returncode}"
        raise EngineError(f"espeak-ng failed: {detail}; check the voice with 'espeak-ng --voices'")
    return parse_wav(done.stdout)


def parse_wav(data: bytes) -> tuple[int, np.ndarray]:
    """Sample rate and int16 samples of espeak-ng's `--stdout` WAV.

    espeak-ng writes the header before it knows the length, so the RIFF and data sizes are
    placeholders (0x7ffff0xx); we trust the format chunk and take every byte after the
    data chunk header. No output at all (nothing speakable) is empty audio.
    """
    if not data:
        return 0, silence(0)
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise EngineError("espeak-ng did not return WAV audio; reinstall espeak-ng")
    rate = 0
    position = 12
    while position + 8 <= len(data):
        chunk, size = data[position : position + 4], struct.unpack_from("<I", data, position + 4)[0]
        if chunk == b"fmt ":
            encoding, channels, rate, _, _, bits = struct.unpack_from("<HHIIHH", data, position + 8)
            if (encoding, channels, bits) != (1, 1, 16):
                raise EngineError(
                    f"espeak-ng returned unexpected audio ({channels} channels, {bits} bit); reinstall espeak-ng"
                )
        elif chunk == b"data":
            body = data[position + 8 :]
            if not rate:
                raise EngineError("espeak-ng returned audio without a format; reinstall espeak-ng")
            return rate, np.frombuffer(body[: len(body) // 2 * 2], dtype="<i2").astype(np.int16)
        position += 8 + size + (size & 1)
    raise EngineError("espeak-ng returned a WAV header without audio; reinstall espeak-ng")


def _check_voice(voice: str) -> str:
    """Accept a language code, voice name or voice file from `--voices`, with an optional +variant,
    or a language espeak-ng lists only by dialect: "fr" is spoken by fr-fr, "fr+f2" by fr-fr+f2."""
    base, plus, variant = voice.partition("+")
    for language, name, file in voice_rows():
        if base.lower() in (language, file.lower()):
            return voice
        if base.lower() == name.lower():  # listed with "_" for spaces, which -v does not take
            return file + plus + variant
    if looks_like_language(base):
        try:
            return voice_for(base) + plus + variant
        except EngineError:
            pass
    raise EngineError(f"espeak-ng has no voice '{voice}'; run 'listen voices' to list them")


def looks_like_language(tag: str) -> bool:
    """Whether a --voice is a language ("fr", "pt-BR", "es-419") rather than a mistyped voice
    name: only those fall back to the language's voice, so "no-such-voice" is not Norwegian."""
    return _LANGUAGE_TAG.fullmatch(normalise_language(tag)) is not None


@lru_cache(maxsize=8)
def _probe_sample_rate(voice: str) -> int:
    """Speak one letter once per voice: proves the voice works and learns its rate up front."""
    rate, _ = _run([PROGRAM, "--stdin", "--stdout", "-z", "-v", voice], "a")
    if not rate:
        raise EngineError(f"espeak-ng voice '{voice}' produced no audio; try another voice")
    return rate


@lru_cache(maxsize=1)
def voice_rows() -> tuple[tuple[str, str, str], ...]:
    """(language, voice name, file) for each row of `espeak-ng --voices`."""
    try:
        done = subprocess.run([PROGRAM, "--voices"], capture_output=True, check=True)
    except FileNotFoundError as error:
        raise EngineError(INSTALL_HINT) from error
    except subprocess.CalledProcessError as error:
        raise EngineError("espeak-ng could not list its voices; reinstall espeak-ng") from error
    rows = []
    for line in done.stdout.decode("utf-8", "replace").splitlines()[1:]:
        fields = line.split()
        if len(fields) >= 5:
            rows.append((fields[1].lower(), fields[3], fields[4]))
    return tuple(rows)


@lru_cache(maxsize=1)
def version() -> str:
    """espeak-ng's version; part of the cache key because its pronunciation changes between releases."""
    try:
        done = subprocess.run([PROGRAM, "--version"], capture_output=True, check=False)
    except FileNotFoundError:
        return "unknown"
    words = done.stdout.decode("utf-8", "replace").split()
    return next((word for word in words if word[:1].isdigit()), "unknown")
