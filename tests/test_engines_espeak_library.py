"""espeak-ng in process (libespeak-ng through ctypes) against the espeak-ng program it replaces."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading

import numpy as np
import pytest

from listen.errors import EngineError
from listen.speech.engines import espeak, espeak_library

pytestmark = [
    pytest.mark.slow,  # the real espeak-ng library
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed"),
]

SENTENCE = "The river ran through the valley and past the old mill before it reached the sea."


@pytest.fixture(scope="module")
def library() -> espeak_library.EspeakLibrary:
    loaded = espeak_library.load()
    if loaded is None:
        pytest.skip(f"libespeak-ng did not load: {espeak_library.problem()}")
    return loaded


def open_both(monkeypatch: pytest.MonkeyPatch, **options) -> tuple[espeak.EspeakEngine, espeak.EspeakEngine]:
    """The same voice and speed opened in process and as the program."""
    inside = espeak.open_espeak(**options)
    with monkeypatch.context() as patch:
        patch.setenv(espeak.LIBRARY_VARIABLE, "off")
        program = espeak.open_espeak(**options)
    assert inside.in_process and not program.in_process
    return inside, program


def assert_speech(pcm: np.ndarray, sample_rate: int) -> None:
    assert pcm.ndim == 1 and pcm.dtype == np.int16
    assert pcm.size > sample_rate // 10
    assert np.abs(pcm.astype(np.int32)).max() > 1000


def test_engine_uses_the_library_when_it_loads(library: espeak_library.EspeakLibrary) -> None:
    engine = espeak.open_espeak(language="en")
    assert engine.in_process and engine.library is library
    assert library.sample_rate == engine.sample_rate == 22050


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", SENTENCE),
        ("en", "--help"),
        ("fr", "Le fleuve traversait la vallée avant d'atteindre la mer."),
        ("de-AT", "Über die Brücke."),
    ],
)
def test_library_and_program_give_the_same_kind_of_audio(
    library: espeak_library.EspeakLibrary, monkeypatch: pytest.MonkeyPatch, language: str, text: str
) -> None:
    inside, program = open_both(monkeypatch, language=language)
    assert inside.sample_rate == program.sample_rate
    ours, theirs = inside.synthesize(text), program.synthesize(text)
    assert_speech(ours, inside.sample_rate)
    assert_speech(theirs, program.sample_rate)
    assert abs(ours.size - theirs.size) <= 0.1 * theirs.size


def test_cache_keys_differ_only_by_the_path(
    library: espeak_library.EspeakLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    inside, program = open_both(monkeypatch, language="en", rate=1.25)
    assert inside.cache_key == program.cache_key + ":in-process"
    assert inside.cache_key == espeak.open_espeak(language="en", rate=1.25).cache_key


@pytest.mark.parametrize(
    "text",
    [
        "--help",
        "-v xx \"quoted\" 'text'",
        "<speak><prosody rate='x-slow'>slow</prosody></speak>",
        'He said "<b>hi</b>" & left <break time="5s"/> at once.',
        "[[h@'loU]] and [[w3:ld]]",
    ],
)
def test_markup_is_spoken_as_text(library: espeak_library.EspeakLibrary, text: str) -> None:
    engine = espeak.open_espeak(language="en")
    pcm = engine.synthesize(text)
    assert_speech(pcm, engine.sample_rate)
    # A 5 s SSML break or a phoneme string would change the length a lot; read as text it is just words.
    assert pcm.size < engine.sample_rate * 12


def test_ssml_is_not_obeyed(library: espeak_library.EspeakLibrary) -> None:
    engine = espeak.open_espeak(language="en")
    plain = engine.synthesize("one two three")
    tagged = engine.synthesize('one <break time="10s"/> two three')
    assert tagged.size < plain.size + engine.sample_rate * 3  # no 10 s pause: the tag is read or skipped


def test_embedded_commands_and_nul_are_not_obeyed(library: espeak_library.EspeakLibrary) -> None:
    engine = espeak.open_espeak(language="en")
    plain = engine.synthesize("Hello there, this is a long sentence to test the speed of speaking.")
    read = engine.synthesize("Hello 400S there, this is a long sentence to test the speed of speaking.")
    speeded = engine.synthesize("Hello \x01400S there, this is a long sentence to test the speed of speaking.")
    assert abs(speeded.size - read.size) <= 0.1 * read.size  # obeyed, "\x01 400S" would more than halve it
    cut = engine.synthesize("Hello there\0, this is a long sentence to test the speed of speaking.")
    assert abs(cut.size - plain.size) <= 0.1 * plain.size  # a NUL would end the text early


def end_zeros(pcm: np.ndarray) -> int:
    voiced = np.flatnonzero(pcm)
    return int(pcm.size - 1 - voiced[-1]) if voiced.size else pcm.size


@pytest.mark.parametrize("rate", [1.0, 2.0, 0.5])
def test_no_pause_is_added_at_the_end(
    library: espeak_library.EspeakLibrary, monkeypatch: pytest.MonkeyPatch, rate: float
) -> None:
    inside, program = open_both(monkeypatch, language="en", rate=rate)
    texts = [
        "Stop.",
        "One.",
        "A short sentence for the listener.",
        "Part 7: The Harbour",
        "Why not?",
        "One.",
        "Four.",
    ] * 3
    for text in texts:  # the library's state differs after each of these; the end never grows
        ours, theirs = inside.synthesize(text), program.synthesize(text)
        assert end_zeros(ours) <= end_zeros(theirs), text
        assert abs(ours.size - theirs.size) <= 0.1 * theirs.size, text


def test_end_silence_is_cut_to_at_most_the_kept_run() -> None:
    pcm = np.array([0, 0, 5, -3, 0, 7, 0, 0, 0, 0], dtype=np.int16)
    assert espeak.trim_end_silence(pcm, 2).tolist() == [0, 0, 5, -3, 0, 7, 0, 0]
    assert espeak.trim_end_silence(pcm, 10).tolist() == pcm.tolist()
    assert espeak.trim_end_silence(pcm[:5], 0).tolist() == [0, 0, 5, -3]
    assert espeak.trim_end_silence(np.zeros(9, dtype=np.int16), 3).size == 3


def test_voice_and_language_switch_between_calls(
    library: espeak_library.EspeakLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    english = espeak.open_espeak(language="en")
    spanish = espeak.open_espeak(language="es")
    female = espeak.open_espeak("en-us+f3")
    _, program_es = open_both(monkeypatch, language="es")
    text = "Cinco"
    runs = [
        english.synthesize(text),
        spanish.synthesize(text),
        english.synthesize(text),
        female.synthesize(text),
        spanish.synthesize(text),
    ]
    want_es = program_es.synthesize(text).size
    # English reads "Cinco" differently from Spanish; each call gets its own voice back.
    assert abs(runs[1].size - want_es) <= 0.05 * want_es and abs(runs[4].size - want_es) <= 0.05 * want_es
    assert abs(runs[0].size - runs[2].size) <= 0.05 * runs[0].size
    assert abs(runs[0].size - runs[1].size) > 0.1 * runs[1].size
    assert not np.array_equal(runs[0][: runs[3].size], runs[3][: runs[0].size])


def test_rate_changes_the_length_and_switches_back(library: espeak_library.EspeakLibrary) -> None:
    normal = espeak.open_espeak(language="en")
    fast = espeak.open_espeak(language="en", rate=2.0)
    slow = espeak.open_espeak(language="en", rate=0.5)
    sizes = [
        normal.synthesize(SENTENCE).size,
        fast.synthesize(SENTENCE).size,
        slow.synthesize(SENTENCE).size,
        normal.synthesize(SENTENCE).size,
    ]
    assert sizes[1] < sizes[0] * 0.7
    assert sizes[2] > sizes[0] * 1.5
    assert abs(sizes[3] - sizes[0]) <= 0.05 * sizes[0]


def test_blank_text_is_empty_audio(library: espeak_library.EspeakLibrary) -> None:
    engine = espeak.open_espeak(language="en")
    for text in ["", "   ", "\n\t", "\0", "\x01"]:
        pcm = engine.synthesize(text)
        assert pcm.size == 0 and pcm.dtype == np.int16


def test_threads_share_the_library_safely(library: espeak_library.EspeakLibrary) -> None:
    engines = [
        espeak.open_espeak(language="en"),
        espeak.open_espeak(language="es"),
        espeak.open_espeak(language="en", rate=2.0),
    ]
    alone = [engine.synthesize(SENTENCE).size for engine in engines]
    results: dict[tuple[int, int], int] = {}
    errors: list[BaseException] = []

    def speak(index: int) -> None:
        try:
            for round_ in range(4):
                results[(index, round_)] = engines[index].synthesize(SENTENCE).size
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=speak, args=(i,)) for i in range(len(engines))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    for (index, _), size in results.items():
        assert abs(size - alone[index]) <= 0.05 * alone[index]


def test_synthesize_many_runs_in_this_process(
    library: espeak_library.EspeakLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = espeak.open_espeak(language="en")
    monkeypatch.setattr(espeak.subprocess, "run", lambda *a, **k: pytest.fail("started a process"))
    pcms = list(engine.synthesize_many(["One.", "", "Two words here."]))
    assert [pcm.size > 0 for pcm in pcms] == [True, False, True]


def test_initialising_keeps_the_locale() -> None:
    # espeak_Initialize switches LC_CTYPE to C.UTF-8; a fresh process shows whether it is put back.
    script = (
        "import locale\n"
        "from listen.speech.engines import espeak_library\n"
        "locale.setlocale(locale.LC_CTYPE, 'C')\n"
        "assert espeak_library.load() is not None, espeak_library.problem()\n"
        "print(locale.setlocale(locale.LC_CTYPE))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    if "did not load" in done.stderr or "AssertionError" in done.stderr:
        pytest.skip(f"libespeak-ng did not load: {done.stderr.strip()[-200:]}")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "C"


def test_falls_back_to_the_program_when_the_library_cannot_load(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(espeak_library, "load", lambda: None)
    engine = espeak.open_espeak(language="en")
    assert not engine.in_process
    assert not engine.cache_key.endswith(":in-process")
    assert_speech(engine.synthesize(SENTENCE), engine.sample_rate)


def test_a_library_that_fails_to_load_or_initialise_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(espeak_library, "_loaded", None)
    monkeypatch.setattr(espeak_library, "_problem", None)

    def missing() -> None:
        raise OSError("libespeak-ng.so.1: cannot open shared object file")

    monkeypatch.setattr(espeak_library, "_open", missing)
    assert espeak_library.load() is None
    assert "cannot open" in (espeak_library.problem() or "")
    engine = espeak.open_espeak(language="en")
    assert not engine.in_process and engine.synthesize("Still spoken.").size > 0

    class Broken:
        """A library whose espeak_Initialize fails (no espeak-ng-data, say)."""

        def __getattr__(self, name: str):
            function = lambda *args: -1  # noqa: E731
            return function

    monkeypatch.setattr(espeak_library, "_problem", None)
    monkeypatch.setattr(espeak_library, "_declare", lambda lib: None)
    monkeypatch.setattr(espeak_library, "_open", lambda: Broken())
    assert espeak_library.load() is None
    assert "espeak_Initialize failed" in (espeak_library.problem() or "")


def test_library_can_be_switched_off(library: espeak_library.EspeakLibrary, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(espeak.LIBRARY_VARIABLE, "off")
    assert not espeak.open_espeak(language="en").in_process


def test_a_voice_the_library_cannot_select_falls_back(
    library: espeak_library.EspeakLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    espeak._library_speaks.cache_clear()
    monkeypatch.setattr(library, "synthesize", lambda *a: (_ for _ in ()).throw(EngineError("no voice")))
    try:
        assert not espeak.open_espeak(language="en").in_process
    finally:
        espeak._library_speaks.cache_clear()
