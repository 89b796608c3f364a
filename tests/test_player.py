"""The narration player: plays utterances through a player program, and obeys its controls.

A fake engine makes silence; a fake `aplay` on PATH records each WAV it is given and can
be told to take its time, so pause, skip and stop can be seen to interrupt it.
"""

from __future__ import annotations

import io
import os
import stat
import threading
import time
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from listen.errors import EngineError
from listen.speech.player import PLAYERS, Player, PlayerEvent, find_player, lead_pieces, paragraph_target, to_wav

FAKE_APLAY = """#!{python}
import os, sys, time
data = sys.stdin.buffer.read()
folder = os.environ["FAKE_PLAYER_DIR"]
count = len(os.listdir(folder))
with open(os.path.join(folder, f"{{count:04d}}.wav"), "wb") as out:
    out.write(data)
time.sleep(float(os.environ.get("FAKE_PLAYER_SECONDS", "0")))
"""


@dataclass(frozen=True)
class U:
    text: str
    section: int
    paragraph: int
    pause_ms: int = 0


class SilentEngine:
    sample_rate = 8000

    def __init__(self) -> None:
        self.spoken: list[str] = []

    def synthesize(self, text: str) -> np.ndarray:
        self.spoken.append(text)
        return np.zeros(8, dtype=np.int16)


@pytest.fixture
def fake_aplay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir, played = tmp_path / "bin", tmp_path / "played"
    bin_dir.mkdir()
    played.mkdir()
    script = bin_dir / "aplay"
    script.write_text(FAKE_APLAY.format(python=os.environ.get("PYTHON", __import__("sys").executable)))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("FAKE_PLAYER_DIR", str(played))
    return played


UTTERANCES = [U("Title.", 0, -1), U("One.", 0, 0), U("Two.", 0, 0), U("Three.", 0, 1), U("Four.", 1, 0)]


class Recorder:
    def __init__(self) -> None:
        self.events: list[PlayerEvent] = []
        self.lock = threading.Lock()

    def __call__(self, event: PlayerEvent) -> None:
        with self.lock:
            self.events.append(event)

    def kinds(self) -> list[str]:
        return [e.kind for e in self.events]

    def wait_for(self, predicate, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.01)
        raise AssertionError(f"not reached; events: {self.kinds()}")


def test_find_player_takes_the_first_on_path(fake_aplay: Path) -> None:
    assert find_player() == ["aplay", "-q", "-"]


def test_no_player_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(EngineError, match="No audio player found"):
        find_player()
    assert [p[0] for p in PLAYERS] == ["paplay", "aplay", "ffplay", "afplay"]


def test_every_utterance_is_played_in_order_as_a_wav(fake_aplay: Path) -> None:
    engine, events = SilentEngine(), Recorder()
    player = Player(engine, on_event=events)
    player.play(UTTERANCES[1:], start=0)
    assert player.wait(10)
    assert engine.spoken == ["One.", "Two.", "Three.", "Four."]
    assert [e.index for e in events.events if e.kind == "playing"] == [0, 1, 2, 3]
    assert events.kinds()[-1] == "finished"
    wavs = sorted(fake_aplay.iterdir())
    assert len(wavs) == 4
    with wave.open(io.BytesIO(wavs[0].read_bytes())) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 8000)


def test_pause_resume_skip_and_stop(fake_aplay: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_PLAYER_SECONDS", "30")
    events = Recorder()
    player = Player(SilentEngine(), on_event=events)
    player.play(UTTERANCES)
    events.wait_for(lambda: player._process is not None)
    player.pause()
    assert player.state == "paused"
    player.skip_paragraph(1)
    assert player.index == 1
    player.skip(2)
    assert player.index == 3
    player.resume()
    events.wait_for(lambda: [e.index for e in events.events if e.kind == "playing"][-1:] == [3])
    player.stop()
    assert player.wait(5)
    kinds = events.kinds()
    assert "paused" in kinds and "resumed" in kinds and kinds[-1] == "stopped"


def test_paragraph_skips_go_to_paragraph_starts() -> None:
    assert paragraph_target(UTTERANCES, 2, 1) == 3
    assert paragraph_target(UTTERANCES, 2, -1) == 0
    assert paragraph_target(UTTERANCES, 3, -1) == 1
    assert paragraph_target(UTTERANCES, 4, 1) == 4
    assert paragraph_target(UTTERANCES, 0, 2) == 3


def test_wav_carries_the_pause_after_an_utterance_as_silence() -> None:
    data = to_wav(np.ones(10, dtype=np.int16), 1000, silence_ms=20)
    with wave.open(io.BytesIO(data)) as wav:
        assert wav.getnframes() == 30


def test_a_failing_engine_stops_with_an_error_event(fake_aplay: Path) -> None:
    class Broken(SilentEngine):
        def synthesize(self, text: str) -> np.ndarray:
            raise EngineError("espeak-ng crashed on this text")

    events = Recorder()
    player = Player(Broken(), on_event=events)
    player.play(UTTERANCES)
    assert player.wait(5)
    assert events.events[-1].kind == "error"
    assert events.events[-1].message == "espeak-ng crashed on this text"


def test_a_failing_player_program_is_reported_not_retried(fake_aplay: Path, tmp_path: Path) -> None:
    script = tmp_path / "bin" / "aplay"
    script.write_text("#!/bin/sh\n/bin/cat > /dev/null\nexit 3\n")
    events = Recorder()
    player = Player(SilentEngine(), on_event=events)
    player.play(UTTERANCES)
    assert player.wait(5)
    assert events.events[-1].kind == "error"
    assert "aplay failed (exit status 3)" in events.events[-1].message
    assert "sounding" not in events.kinds()


def _player_script(path: Path, body: str) -> None:
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def test_a_player_that_exits_0_but_says_it_failed_is_an_error_not_silence(fake_aplay: Path, tmp_path: Path) -> None:
    # ffplay does exactly this when there is no audio device.
    _player_script(
        tmp_path / "bin" / "aplay",
        "/bin/cat > /dev/null\necho 'ALSA lib pcm.c: Unknown PCM default' >&2\necho 'audio open failed' >&2\nexit 0",
    )
    events = Recorder()
    player = Player(SilentEngine(), on_event=events)
    player.play(UTTERANCES)
    assert player.wait(5)
    assert events.kinds()[-1] == "error"
    message = events.events[-1].message
    assert message.startswith("No sound: the audio player aplay could not play: ALSA lib pcm.c: Unknown PCM default")
    assert "press m to make an MP3" in message
    assert "sounding" not in events.kinds()


def test_ffplay_saying_anything_at_loglevel_error_is_a_failure(fake_aplay: Path, tmp_path: Path) -> None:
    ffplay = tmp_path / "bin" / "ffplay"
    _player_script(
        ffplay, "/bin/cat > /dev/null\necho 'Failed to open file pipe:0 or configure filtergraph' >&2\nexit 0"
    )
    events = Recorder()
    player = Player(SilentEngine(), on_event=events, command=[str(ffplay)])
    player.play(UTTERANCES)
    assert player.wait(5)
    assert events.kinds()[-1] == "error"
    assert "ffplay could not play" in events.events[-1].message


def test_a_player_that_never_plays_is_stopped_and_reported(
    fake_aplay: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("listen.speech.player.STUCK_MARGIN_S", 0.5)
    _player_script(tmp_path / "bin" / "aplay", "exec /bin/sleep 60")
    events = Recorder()
    player = Player(SilentEngine(), on_event=events)
    player.play(UTTERANCES)
    assert player.wait(10)
    assert events.kinds()[-1] == "error"
    assert "did not play within" in events.events[-1].message


def test_sound_is_announced_once_when_the_first_utterance_really_played(fake_aplay: Path) -> None:
    events = Recorder()
    player = Player(SilentEngine(), on_event=events)
    player.play(UTTERANCES)
    assert player.wait(10)
    assert events.kinds().count("sounding") == 1
    assert events.kinds().index("sounding") < events.kinds().index("finished")


def test_no_player_process_outlives_stop(fake_aplay: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_PLAYER_SECONDS", "30")
    events = Recorder()
    player = Player(SilentEngine(), on_event=events)
    player.play(UTTERANCES)
    events.wait_for(lambda: player._process is not None)
    process = player._process
    player.stop()
    assert player.wait(5)
    assert process is not None and process.wait(timeout=5) is not None
    assert events.kinds()[-1] == "stopped"


class LengthEngine(SilentEngine):
    """One sample per word, so a WAV's frame count says which words it holds."""

    def synthesize(self, text: str) -> np.ndarray:
        self.spoken.append(text)
        return np.ones(len(text.split()), dtype=np.int16)


# Sixty-odd words of our own: a long lead-in with its clauses set off by commas.
LONG_FIRST = (
    "On the morning the bridge reopened, after two winters of scaffolding and a summer of arguments "
    "about the colour of the railings, the baker from the far bank walked across with a tray of buns, "
    "the schoolchildren followed in a noisy line, and an old man who had refused to take the detour "
    "even once stood in the middle and simply looked at the river for a while."
)


def test_a_long_first_sentence_starts_the_player_on_its_first_clause(fake_aplay: Path) -> None:
    engine, events = LengthEngine(), Recorder()
    player = Player(engine, on_event=events)
    player.play([U(LONG_FIRST, 0, 0, pause_ms=0), U("The river was high that week.", 0, 0)])
    assert player.wait(10)
    assert engine.spoken[0] == "On the morning the bridge reopened,"
    wavs = [wave.open(io.BytesIO(path.read_bytes())) for path in sorted(fake_aplay.iterdir())]
    assert wavs[0].getnframes() == len("On the morning the bridge reopened,".split())
    # every word of the sentence is played once, in order, then the next sentence whole
    assert " ".join(engine.spoken[:-1]) == LONG_FIRST
    assert sum(w.getnframes() for w in wavs[:-1]) == len(LONG_FIRST.split())
    assert engine.spoken[-1] == "The river was high that week."
    assert [e.index for e in events.events if e.kind == "playing"] == [0, 1]
    assert events.kinds().count("sounding") == 1


def test_the_pause_after_a_pieced_sentence_follows_its_last_piece_only(fake_aplay: Path) -> None:
    engine = LengthEngine()
    player = Player(engine, on_event=Recorder())
    player.play([U(LONG_FIRST, 0, 0, pause_ms=500)])
    assert player.wait(10)
    frames = [wave.open(io.BytesIO(path.read_bytes())).getnframes() for path in sorted(fake_aplay.iterdir())]
    pieces = [len(text.split()) for text in engine.spoken]
    assert frames[:-1] == pieces[:-1]
    assert frames[-1] == pieces[-1] + 8000 * 500 // 1000


def test_a_sentence_synthesised_ahead_is_played_whole(fake_aplay: Path) -> None:
    engine = LengthEngine()
    player = Player(engine, on_event=Recorder())
    player.play([U("Short opening words.", 0, 0), U(LONG_FIRST, 0, 1)])
    assert player.wait(10)
    assert engine.spoken == ["Short opening words.", LONG_FIRST]


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("Short sentences stay whole.", ["Short sentences stay whole."]),
        (
            "Exactly ten words here, and not one more than that.",
            ["Exactly ten words here, and not one more than that."],
        ),
        # the last clause end within ten words, not the first
        (
            "Rain, wind and fog, all in one afternoon, kept the boats tied up until the evening tide came in.",
            ["Rain, wind and fog, all in one afternoon,", "kept the boats tied up until the evening tide came in."],
        ),
        # a lone opener is too short to be a piece of its own
        (
            "However, the museum stayed open through the holiday weekend for visitors from the city.",
            ["However, the museum stayed open through the holiday weekend", "for visitors from the city."],
        ),
        # no punctuation: cut before a word that starts a phrase
        (
            "The committee finally agreed on a plan that nobody had proposed at the start of the meeting.",
            ["The committee finally agreed on a plan", "that nobody had proposed at the start of the meeting."],
        ),
        # neither: cut at the limit
        (
            "Twelve silly yellow geese honked loudly near eleven sleepy brown cows grazing quietly.",
            ["Twelve silly yellow geese honked loudly near eleven sleepy brown", "cows grazing quietly."],
        ),
        # a dash between spaces ends a clause; each piece is at most twice the one before
        (
            "The lighthouse keeper — who had kept the lamp lit for thirty years — retired last spring.",
            ["The lighthouse keeper —", "who had kept the lamp lit", "for thirty years — retired last spring."],
        ),
    ],
)
def test_lead_pieces_cut_at_clause_boundaries(text: str, pieces: list[str]) -> None:
    assert lead_pieces(text) == pieces
    assert " ".join(lead_pieces(text)) == " ".join(text.split())
