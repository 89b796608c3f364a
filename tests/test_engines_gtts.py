"""gTTS engine against a fake of Google's endpoint (the `responses` library): never the network.

The fake answers the way Google's batchexecute endpoint does: a line holding
`jQ1olc","[\\"<base64 MP3>\\"]`, where the MP3 is a tone this test encodes with ffmpeg.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import requests
import responses

from fake_google import ENDPOINT, FakeTime, google_body
from fake_google import tone_mp3 as make_tone
from listen.errors import EngineError, NetworkError
from listen.speech.engines import gtts as engine_module
from listen.speech.engines.backoff import Backoff

pytest.importorskip("gtts")
pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is needed to make and decode MP3s")

TONE_SECONDS = 1.0


@pytest.fixture(scope="module")
def tone_mp3(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return make_tone(tmp_path_factory.mktemp("mp3"), TONE_SECONDS)


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def backoff(fake_time: FakeTime) -> Backoff:
    return Backoff(attempts=4, base=1.0, cap=8.0, sleep=fake_time.sleep, clock=fake_time.clock, jitter=lambda: 0.5)


@pytest.fixture
def engine(backoff: Backoff) -> engine_module.GttsEngine:
    return engine_module.open_gtts(language="en", timeout=3.0, backoff=backoff)


@responses.activate
def test_success_decodes_to_pcm_of_the_right_length(engine: engine_module.GttsEngine, tone_mp3: bytes) -> None:
    responses.add(responses.POST, ENDPOINT, body=google_body(tone_mp3))
    pcm = engine.synthesize("Hello there.")
    assert pcm.dtype == np.int16 and pcm.ndim == 1
    assert engine.sample_rate == 24000
    assert abs(pcm.size - TONE_SECONDS * 24000) < 0.05 * 24000
    assert np.abs(pcm).max() > 2000  # lavfi sine is 1/8 of full scale


@responses.activate
def test_every_request_carries_a_timeout(engine: engine_module.GttsEngine, tone_mp3: bytes) -> None:
    responses.add(responses.POST, ENDPOINT, body=google_body(tone_mp3))
    engine.synthesize("Hello there.")
    assert responses.calls[0].request.req_kwargs["timeout"] == 3.0


@responses.activate
def test_faster_rate_shortens_audio_without_another_request(backoff: Backoff, tone_mp3: bytes) -> None:
    responses.add(responses.POST, ENDPOINT, body=google_body(tone_mp3))
    pcm = engine_module.open_gtts(language="en", rate=1.25, backoff=backoff).synthesize("Hello there.")
    assert len(responses.calls) == 1
    assert abs(pcm.size - TONE_SECONDS * 24000 / 1.25) < 0.05 * 24000


@responses.activate
def test_429_with_retry_after_waits_that_long_then_succeeds(engine, tone_mp3, fake_time) -> None:
    responses.add(responses.POST, ENDPOINT, status=429, headers={"Retry-After": "7"})
    responses.add(responses.POST, ENDPOINT, body=google_body(tone_mp3))
    pcm = engine.synthesize("Hello there.")
    assert pcm.size > 0
    assert len(responses.calls) == 2
    assert fake_time.sleeps == [7.0]


@responses.activate
def test_5xx_storm_ends_with_a_clear_error_after_the_allowed_attempts(engine, fake_time) -> None:
    responses.add(responses.POST, ENDPOINT, status=503)
    with pytest.raises(NetworkError, match=r"kept failing \(503\) after 4 attempts.*--engine piper or espeak"):
        engine.synthesize("Hello there.")
    assert len(responses.calls) == 4
    # Exponential with equal jitter (0.5): 0.75, 1.5, 3.0 seconds between the four tries.
    assert fake_time.sleeps == pytest.approx([0.75, 1.5, 3.0])


@responses.activate
def test_retry_after_longer_than_we_accept_gives_up_at_once(engine, fake_time) -> None:
    responses.add(responses.POST, ENDPOINT, status=429, headers={"Retry-After": "3600"})
    with pytest.raises(NetworkError, match="asked us to wait 60 minutes"):
        engine.synthesize("Hello there.")
    assert len(responses.calls) == 1 and fake_time.sleeps == []


@responses.activate
def test_refusal_that_retrying_cannot_fix_is_reported_at_once(engine) -> None:
    responses.add(responses.POST, ENDPOINT, status=403)
    with pytest.raises(NetworkError, match=r"refused the request \(403"):
        engine.synthesize("Hello there.")
    assert len(responses.calls) == 1


@responses.activate
def test_timeout_is_a_clear_error(engine) -> None:
    responses.add(responses.POST, ENDPOINT, body=requests.exceptions.ReadTimeout("read timed out"))
    with pytest.raises(NetworkError, match="did not answer within 3 s"):
        engine.synthesize("Hello there.")


@responses.activate
@pytest.mark.parametrize(
    "failure",
    [requests.exceptions.ConnectionError("Name or service not known"), None],
    ids=["connection-error", "no-route"],
)
def test_no_network_says_exactly_the_offline_line(engine, failure) -> None:
    if failure is not None:
        responses.add(responses.POST, ENDPOINT, body=failure)
    with pytest.raises(NetworkError) as raised:
        engine.synthesize("Hello there.")
    assert str(raised.value) == "gTTS needs internet access; use --engine piper or espeak offline"


@responses.activate
def test_answer_without_audio_is_a_clear_error(engine) -> None:
    responses.add(responses.POST, ENDPOINT, body=")]}'\n\n[]\n")
    with pytest.raises(NetworkError, match="without audio"):
        engine.synthesize("Hello there.")


@responses.activate
def test_backoff_is_shared_so_one_engine_waits_for_another(backoff, tone_mp3, fake_time) -> None:
    first = engine_module.open_gtts(language="en", backoff=backoff)
    second = engine_module.open_gtts(language="es", backoff=backoff)
    responses.add(responses.POST, ENDPOINT, status=429, headers={"Retry-After": "5"})
    responses.add(responses.POST, ENDPOINT, body=google_body(tone_mp3))
    first.synthesize("Hello.")
    backoff.push_back(10)
    second.synthesize("Hola.")
    assert fake_time.sleeps == [5.0, 10.0]


@pytest.mark.parametrize("text", ["", "   "])
def test_blank_text_is_empty_audio_without_a_request(engine, text) -> None:
    with responses.RequestsMock() as mocked:  # any request would fail this test
        assert engine.synthesize(text).size == 0
        assert len(mocked.calls) == 0


@pytest.mark.parametrize(("language", "code"), [("en", "en"), ("es-ES", "es"), ("zh-tw", "zh-TW"), ("pt_BR", "pt")])
def test_language_maps_to_gtts_spelling(language: str, code: str) -> None:
    assert engine_module.language_for(language) == code


def test_unknown_language_is_a_clear_error() -> None:
    with pytest.raises(EngineError, match="gTTS has no voice for language 'xx'"):
        engine_module.open_gtts(language="xx")


def test_cache_key_differs_by_language_and_rate(backoff: Backoff) -> None:
    keys = {
        engine_module.open_gtts(language=lang, rate=rate, backoff=backoff).cache_key
        for lang in ("en", "es")
        for rate in (1.0, 1.5)
    }
    assert len(keys) == 4 and all(key.startswith("gtts/") for key in keys)


def test_get_engine_gtts_is_opt_in_and_takes_a_run_wide_backoff(backoff: Backoff) -> None:
    from listen.speech.engines import get_engine, shared_backoff

    assert get_engine("gtts", language="es", backoff=backoff).backoff is backoff
    assert get_engine("gtts").backoff is shared_backoff
