"""espeak-ng in this process: libespeak-ng's C API through ctypes, no program started per utterance.

Starting `espeak-ng` costs ~13 ms, most of a ~25 ms sentence; the library, loaded once,
speaks the same sentence in ~6 ms. It is used the way the `espeak-ng --stdout -z -b 1`
command uses it: synchronous output into a callback, UTF-8 text, no end-of-sentence pause.

Two things the program does that we do not:

* no `espeakPHONEMES` flag, so "[[...]]" in an article is read as text, not as phonemes;
  and never `espeakSSML`, so "<" is text. The caller also removes NUL and SOH (which starts
  an espeak embedded command such as "\\x01" "400S") before the text gets here.
* the library keeps its synthesiser state (pitch flutter, gain control) from one utterance
  to the next, so the samples differ slightly from a fresh process's (a few samples of
  length, the same words and timing). That is why the engine's cache key names the path.

The library has ONE voice, rate and callback per process: every call goes through one lock
and re-selects the voice and rate when they differ from the last call's.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import locale
import threading
from pathlib import Path

import numpy as np

from listen.errors import EngineError

# Where Debian and Ubuntu put it when find_library cannot tell (no ldconfig cache, no gcc).
LIBRARY_PATHS = (
    "libespeak-ng.so.1",
    "/usr/lib/x86_64-linux-gnu/libespeak-ng.so.1",
    "/usr/lib/aarch64-linux-gnu/libespeak-ng.so.1",
    "/usr/lib/libespeak-ng.so.1",
)

# speak_lib.h
AUDIO_OUTPUT_SYNCHRONOUS = 2
INITIALIZE_DONT_EXIT = 0x8000  # report a missing data folder instead of calling exit()
POS_CHARACTER = 1
CHARS_UTF8 = 1  # no espeakSSML (0x10), no espeakPHONEMES (0x100), no espeakENDPAUSE (0x1000)
RATE = 1  # espeakRATE
EE_OK = 0

SYNTH_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p)


class VoiceSpec(ctypes.Structure):
    """espeak_VOICE, for espeak_SetVoiceByProperties."""

    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_char_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


class EspeakLibrary:
    """libespeak-ng initialised for synchronous output; `synthesize` is safe from any thread."""

    def __init__(self, lib: ctypes.CDLL) -> None:
        self._lib = lib
        _declare(lib)
        # espeak_Initialize sets LC_CTYPE to C.UTF-8 for the whole process; put ours back so
        # the TUI and anything else in the process keep the locale they started with.
        saved = locale.setlocale(locale.LC_CTYPE)
        try:
            rate = lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, None, INITIALIZE_DONT_EXIT)
        finally:
            locale.setlocale(locale.LC_CTYPE, saved)
        if rate <= 0:
            raise OSError(f"espeak_Initialize failed ({rate}); is espeak-ng-data installed?")
        self.sample_rate: int = rate
        info = lib.espeak_Info(None)
        self.version: str = info.decode("utf-8", "replace").split()[0] if info else "unknown"
        self._lock = threading.Lock()
        self._voice: str | None = None
        self._wpm: int | None = None
        self._audio = bytearray()
        self._failure: BaseException | None = None
        self._callback = SYNTH_CALLBACK(self._collect)  # kept: the library holds only the C pointer
        lib.espeak_SetSynthCallback(self._callback)

    def synthesize(self, text: str, voice: str, wpm: int) -> np.ndarray:
        """Int16 samples at `sample_rate` for `text` in `voice` at `wpm` words a minute."""
        data = text.encode("utf-8", "replace") + b"\0"
        with self._lock:
            self._select(voice, wpm)
            self._audio, self._failure = bytearray(), None
            status = self._lib.espeak_Synth(data, len(data), 0, POS_CHARACTER, 0, CHARS_UTF8, None, None)
            audio, failure, self._audio, self._failure = self._audio, self._failure, bytearray(), None
        if failure is not None:
            raise EngineError(
                f"libespeak-ng's audio could not be collected ({type(failure).__name__}: {failure})"
            ) from failure
        if status != EE_OK:
            raise EngineError(
                f"libespeak-ng failed to speak a text (error {status}); set LISTEN_ESPEAK_LIBRARY=off to use the espeak-ng program"
            )
        return np.frombuffer(audio[: len(audio) // 2 * 2], dtype="<i2").astype(np.int16)

    def _select(self, voice: str, wpm: int) -> None:
        """Make `voice` and `wpm` current, the way the espeak-ng program picks its -v and -s."""
        if voice != self._voice:
            self._voice = None
            if self._lib.espeak_SetVoiceByName(voice.encode("utf-8")) != EE_OK:
                # A language code such as "fr-fr" is not a voice name; the program retries so.
                spec = VoiceSpec(languages=voice.encode("utf-8"))
                if self._lib.espeak_SetVoiceByProperties(ctypes.byref(spec)) != EE_OK:
                    raise EngineError(f"espeak-ng has no voice '{voice}'; run 'espeak-ng --voices' to list them")
            self._voice = voice
            self._wpm = None  # set the speed again after every voice change, as the program does
        if wpm != self._wpm:
            if self._lib.espeak_SetParameter(RATE, wpm, 0) != EE_OK:
                raise EngineError(f"espeak-ng refused the speed {wpm} words a minute")
            self._wpm = wpm

    def _collect(self, wav: int | None, count: int, events: int | None) -> int:
        # Called from inside espeak_Synth, on the caller's thread, with the lock held. An
        # exception cannot cross the C frames, so a failure aborts the utterance (return 1).
        try:
            if wav and count > 0:
                self._audio += ctypes.string_at(wav, count * 2)
        except BaseException as error:  # noqa: BLE001 - handed to the caller by synthesize
            self._failure = error
            return 1
        return 0


_loaded: EspeakLibrary | None = None
_problem: str | None = None
_load_lock = threading.Lock()


def load() -> EspeakLibrary | None:
    """The process's one initialised library, or None when it is missing or does not start."""
    global _loaded, _problem
    with _load_lock:
        if _loaded is None and _problem is None:
            try:
                _loaded = EspeakLibrary(_open())
            except (OSError, AttributeError) as error:  # not found, not loadable, or too old
                _problem = str(error) or type(error).__name__
        return _loaded


def problem() -> str | None:
    """Why `load()` gave None (after it did), for diagnostics."""
    return _problem


def _open() -> ctypes.CDLL:
    found = ctypes.util.find_library("espeak-ng")
    candidates = ([found] if found else []) + [p for p in LIBRARY_PATHS if p != found]
    errors = []
    for name in candidates:
        if name.startswith("/") and not Path(name).exists():
            continue
        try:
            return ctypes.CDLL(name)
        except OSError as error:
            errors.append(str(error))
    raise OSError("libespeak-ng.so.1 not found" + (f" ({errors[0]})" if errors else ""))


def _declare(lib: ctypes.CDLL) -> None:
    """Argument and result types, so ctypes neither truncates pointers nor guesses ints."""
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_Info.argtypes = [ctypes.c_void_p]
    lib.espeak_Info.restype = ctypes.c_char_p
    lib.espeak_SetSynthCallback.argtypes = [SYNTH_CALLBACK]
    lib.espeak_SetSynthCallback.restype = None
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetVoiceByName.restype = ctypes.c_int
    lib.espeak_SetVoiceByProperties.argtypes = [ctypes.POINTER(VoiceSpec)]
    lib.espeak_SetVoiceByProperties.restype = ctypes.c_int
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_SetParameter.restype = ctypes.c_int
    lib.espeak_Synth.argtypes = [
        ctypes.c_char_p,  # text
        ctypes.c_size_t,  # size, including the terminating NUL
        ctypes.c_uint,  # position
        ctypes.c_int,  # position type
        ctypes.c_uint,  # end position (0: none)
        ctypes.c_uint,  # flags
        ctypes.c_void_p,  # unique identifier out (unused)
        ctypes.c_void_p,  # user data
    ]
    lib.espeak_Synth.restype = ctypes.c_int
