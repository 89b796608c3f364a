"""espeak-ng engine: real espeak-ng where installed, plus its WAV parsing and voice choice."""

from __future__ import annotations

import shutil
import struct
import subprocess

import numpy as np
import pytest

from listen.errors import EngineError
from listen.speech.engines import espeak

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")


def wav_header(rate: int, channels: int = 1, bits: int = 16, bogus_size: int = 0x7FFFF000) -> bytes:
    """A WAV header the way espeak-ng writes it to a pipe: sizes it cannot know yet."""
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * channels * bits // 8, channels * bits // 8, bits)
    return (
        b"RIFF"
        + struct.pack("<I", bogus_size + 36)
        + b"WAVE"
        + b"fmt "
        + struct.pack("<I", 16)
        + fmt
        + b"data"
        + struct.pack("<I", bogus_size)
    )


def test_wav_with_bogus_sizes_yields_every_byte_after_the_data_header() -> None:
    samples = np.array([0, 1000, -1000, 32767, -32768], dtype="<i2")
    rate, pcm = espeak.parse_wav(wav_header(22050) + samples.tobytes())
    assert rate == 22050
    assert pcm.dtype == np.int16
    assert pcm.tolist() == samples.tolist()


def test_wav_with_a_trailing_half_sample_drops_it() -> None:
    _, pcm = espeak.parse_wav(wav_header(16000) + np.array([5, 6], dtype="<i2").tobytes() + b"\x01")
    assert pcm.tolist() == [5, 6]


def test_no_output_is_empty_audio() -> None:
    _, pcm = espeak.parse_wav(b"")
    assert pcm.size == 0 and pcm.dtype == np.int16


@pytest.mark.parametrize(
    "data",
    [b"not a wav file at all", wav_header(22050, channels=2) + b"\0\0\0\0", wav_header(22050, bits=8) + b"\0"],
    ids=["not-riff", "stereo", "8-bit"],
)
def test_unexpected_wav_is_a_clear_engine_error(data: bytes) -> None:
    with pytest.raises(EngineError, match="espeak-ng"):
        espeak.parse_wav(data)


def test_missing_program_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(espeak.shutil, "which", lambda name: None)
    assert espeak.availability() == espeak.Availability(
        False, "espeak-ng is not installed; install it with: sudo apt-get install espeak-ng"
    )
    with pytest.raises(EngineError, match="sudo apt-get install espeak-ng"):
        espeak.open_espeak()


@needs_espeak
@pytest.mark.slow  # a real engine
@pytest.mark.parametrize(
    ("language", "voice"),
    [
        ("en", "en-us"),
        ("EN_gb", "en-gb"),
        ("es", "es"),
        ("pt-BR", "pt-br"),
        ("fr", "fr-fr"),
        ("de-AT", "de"),
        ("zh", "cmn"),
    ],
)
def test_language_picks_the_expected_voice(language: str, voice: str) -> None:
    assert espeak.voice_for(language) == voice


@needs_espeak
@pytest.mark.slow  # a real engine
def test_unknown_language_is_a_clear_error() -> None:
    with pytest.raises(EngineError, match="no voice for language 'xx-nowhere'"):
        espeak.voice_for("xx-nowhere")


@needs_espeak
@pytest.mark.slow  # a real engine
def test_unknown_voice_is_a_clear_error() -> None:
    with pytest.raises(EngineError, match="no voice 'no-such-voice'"):
        espeak.open_espeak("no-such-voice")


@needs_espeak
@pytest.mark.slow  # a real engine
def test_voices_list_has_many_languages() -> None:
    assert len(espeak.languages()) > 50
    assert {"en-us", "es", "fr-fr"} <= set(espeak.languages())


@pytest.fixture(scope="module", params=["in-process", "subprocess"])
def engine(request: pytest.FixtureRequest) -> espeak.EspeakEngine:
    """Both paths: the library where it loads, and the espeak-ng program (the fallback)."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    with pytest.MonkeyPatch.context() as patch:
        if request.param == "subprocess":
            patch.setenv(espeak.LIBRARY_VARIABLE, "off")
        opened = espeak.open_espeak(language="en")
    if request.param == "in-process" and not opened.in_process:
        pytest.skip(f"libespeak-ng did not load: {espeak.espeak_library.problem()}")
    return opened


@pytest.fixture(scope="module")
def program_engine() -> espeak.EspeakEngine:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(espeak.LIBRARY_VARIABLE, "off")
        return espeak.open_espeak(language="en")


@pytest.mark.parametrize("text", ["--help", "-v xx \"quoted\" 'text'", "-s 1 -w /tmp/x.wav", "$(echo hi); `ls`"])
def test_text_that_looks_like_options_is_spoken_not_parsed(engine: espeak.EspeakEngine, text: str) -> None:
    pcm = engine.synthesize(text)
    assert pcm.dtype == np.int16
    assert pcm.size > engine.sample_rate // 10
    assert np.abs(pcm).max() > 1000


def test_text_goes_in_on_stdin_never_in_the_command(
    program_engine: espeak.EspeakEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = []
    real_run = subprocess.run

    def spy(command, **kwargs):
        seen.append((command, kwargs.get("input")))
        return real_run(command, **kwargs)

    monkeypatch.setattr(espeak.subprocess, "run", spy)
    program_engine.synthesize("--version")
    [(command, given)] = seen
    assert "--version" not in command and "--stdin" in command
    assert given == b"--version"


def test_speech_is_mono_int16_at_the_declared_rate(engine: espeak.EspeakEngine) -> None:
    pcm = engine.synthesize("A short sentence for the listener.")
    assert engine.sample_rate == 22050
    assert pcm.ndim == 1 and pcm.dtype == np.int16
    assert 0.8 < pcm.size / engine.sample_rate < 5


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_blank_text_is_empty_audio_without_a_process(
    engine: espeak.EspeakEngine, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(espeak.subprocess, "run", lambda *a, **k: pytest.fail("spawned a process for blank text"))
    assert engine.synthesize(text).size == 0


def test_faster_rate_gives_shorter_audio() -> None:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    text = "The river ran through the valley and past the old mill before it reached the sea."
    normal = espeak.open_espeak(language="en").synthesize(text)
    fast = espeak.open_espeak(language="en", rate=2.0).synthesize(text)
    assert fast.size < normal.size * 0.7


def test_cache_key_names_engine_version_voice_and_speed(
    engine: espeak.EspeakEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not engine.in_process:
        monkeypatch.setenv(espeak.LIBRARY_VARIABLE, "off")
    faster = espeak.open_espeak(language="en", rate=1.25)
    assert engine.cache_key.startswith("espeak/") and "en-us" in engine.cache_key
    assert engine.cache_key != faster.cache_key
    assert engine.cache_key == espeak.open_espeak(language="en").cache_key


def test_synthesize_many_keeps_order_and_matches_one_by_one(engine: espeak.EspeakEngine) -> None:
    texts = ["One.", "", "Two words here.", "A rather longer third sentence to speak.", "Four."]
    together = list(engine.synthesize_many(texts))
    alone = [engine.synthesize(text) for text in texts]
    if engine.in_process:
        # The library's pitch flutter runs on from one utterance to the next: lengths differ a little.
        assert [pcm.size == 0 for pcm in together] == [pcm.size == 0 for pcm in alone]
        assert all(abs(a.size - b.size) <= 0.05 * b.size for a, b in zip(together, alone)), [
            (a.size, b.size) for a, b in zip(together, alone)
        ]
    else:
        assert [pcm.size for pcm in together] == [pcm.size for pcm in alone]
        assert all(np.array_equal(a, b) for a, b in zip(together, alone))


def test_synthesize_many_can_stop_early(engine: espeak.EspeakEngine) -> None:
    stream = engine.synthesize_many(f"Sentence {n}." for n in range(50))
    first = next(stream)
    stream.close()
    assert first.size > 0


@needs_espeak
@pytest.mark.slow  # a real engine
@pytest.mark.parametrize(
    ("asked", "voice"),
    [("fr", "fr-fr"), ("fr+f3", "fr-fr+f3"), ("French_(France)", "roa/fr"), ("es-419", "es-419"), ("de", "de")],
)
def test_a_language_or_a_listed_voice_name_opens_the_voice_espeak_speaks_it_with(asked: str, voice: str) -> None:
    engine = espeak.open_espeak(asked)
    assert engine.voice == voice
    assert engine.synthesize("Un, deux.").size > 0
