"""Play utterances aloud through the system's audio player, one at a time, controllably.

The reader's "Listen from here" needs narration that can pause, resume, stop and skip by
sentence or paragraph, and that says which utterance is being spoken so the text can follow
along. Each utterance is synthesised by an engine (the next one while the current one plays)
and written as a WAV to the stdin of paplay, aplay, ffplay or afplay (a temporary file for
afplay, which cannot read stdin). Pausing stops the player; resuming repeats the current
utterance from its start, which is also what a listener who was interrupted wants.
Nothing here knows about Textual: events go to a callback, on the player's own thread.

Silence is all a blind listener gets while the first sentence is synthesised, and a long
first sentence takes piper seconds. So an utterance that was not synthesised ahead (the
first after play, a seek or a resume) is spoken in pieces cut at clause boundaries
(`lead_pieces`): a short first piece starts the player, and each following piece, twice as
long at most, is synthesised while the one before it plays. Utterances after it are
synthesised whole while the one before them plays, as before.

A blind listener cannot see that nothing is playing, so a player is trusted only as far as
it proves itself: its exit status AND what it says on stderr are checked (ffplay exits 0
when it cannot open an audio device), a player that does not finish within twice the
audio's length plus a margin is stopped and reported, and the first time sound really
plays a "sounding" event says so.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
import threading
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from listen.errors import EngineError, ListenError

# Tried in this order; "{file}" means the player needs a file instead of stdin.
PLAYERS: tuple[tuple[str, ...], ...] = (
    ("paplay",),
    ("aplay", "-q", "-"),
    ("ffplay", "-nodisp", "-autoexit", "-loglevel", "error", "-i", "pipe:0"),
    ("afplay", "{file}"),
)


# Words a player prints on stderr when no sound came out, whatever its exit status.
_FAILURE_WORDS = re.compile(
    r"fail|error|cannot|can't|unable|refused|no such|not found|unknown pcm|no available|denied",
    re.IGNORECASE,
)
# A player gets this long beyond twice the audio's length before it is called stuck.
STUCK_MARGIN_S = 10.0
NO_SOUND_HINT = "check that a sound server (PulseAudio or PipeWire) or sound device works, or press m to make an MP3"

# The first piece of an utterance spoken without synthesis ahead holds at most this many
# words (about 3 s of speech: piper makes it in well under a second on two cores); each
# following piece may be twice as long as the one before, as it is made while that plays.
LEAD_WORDS = 10
MIN_PIECE_WORDS = 3  # a lone "However," is no faster to hear than the clause after it
# A clause ends at punctuation; lacking one, a phrase starts at one of these words.
_CLAUSE_END = re.compile(r"[,;:)\]\u2014\u2013]$|^[-\u2014\u2013]+$")
_PHRASE_WORDS = frozenset(
    "and but or nor so yet because although though while whereas when whenever where which who whom whose "
    "that if unless until since after before as than from with without into onto upon over under about "
    "of in on at by for to through during across against between".split()
)


@dataclass(frozen=True)
class PlayerEvent:
    """What the player is doing now.

    kind: playing, sounding (the first utterance played without a fault: sound is really
    coming out), paused, resumed, finished, stopped, error.
    """

    kind: str
    index: int = -1
    utterance: Any = None
    message: str = ""


def find_player() -> list[str]:
    """The first audio player on PATH, as a command line; a clear error if there is none."""
    for command in PLAYERS:
        if shutil.which(command[0]):
            return list(command)
    raise EngineError(
        "No audio player found: install pulseaudio-utils (paplay), alsa-utils (aplay) or ffmpeg (ffplay)."
    )


def to_wav(pcm: Any, sample_rate: int, silence_ms: int = 0) -> bytes:
    """16-bit mono WAV bytes of `pcm`, followed by `silence_ms` of silence (the pause after it)."""
    samples = np.asarray(pcm, dtype=np.int16)
    if silence_ms > 0:
        samples = np.concatenate([samples, np.zeros(sample_rate * silence_ms // 1000, dtype=np.int16)])
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(int(sample_rate))
        out.writeframes(samples.astype("<i2").tobytes())
    return buffer.getvalue()


def lead_pieces(text: str) -> list[str]:
    """`text` cut so the first piece can be heard soon: at most LEAD_WORDS words, each
    following piece at most twice the one before; cut after the last clause-ending
    punctuation within the limit, else before the last phrase word (and, which, from…),
    else at the limit. Short text stays whole. Joined with spaces, the pieces are `text`."""
    words = text.split()
    pieces: list[str] = []
    limit = LEAD_WORDS
    while len(words) > limit:
        cut = _cut(words, limit)
        pieces.append(" ".join(words[:cut]))
        words = words[cut:]
        limit = 2 * cut
    if words:
        pieces.append(" ".join(words))
    return pieces


def _cut(words: Sequence[str], limit: int) -> int:
    """How many of `words` the next piece takes (MIN_PIECE_WORDS to `limit`)."""
    after_clause = [n for n in range(MIN_PIECE_WORDS, limit + 1) if _CLAUSE_END.search(words[n - 1])]
    if after_clause:
        return after_clause[-1]
    before_phrase = [n for n in range(MIN_PIECE_WORDS, limit + 1) if words[n].lower() in _PHRASE_WORDS]
    return before_phrase[-1] if before_phrase else limit


class Player:
    """Speaks a list of utterances with one engine; every control is safe from any thread."""

    def __init__(
        self,
        engine: Any,
        *,
        on_event: Callable[[PlayerEvent], None],
        command: Sequence[str] | None = None,
    ) -> None:
        self.command = list(command) if command is not None else find_player()
        self.engine = engine
        self.on_event = on_event
        self.utterances: list[Any] = []
        self.index = 0
        self.state = "stopped"  # playing, paused, stopped, finished
        self._lock = threading.Condition()
        self._generation = 0  # bumped by every control that interrupts the current utterance
        self._process: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None
        self._cache: dict[tuple[int, int], bytes] = {}
        self._sounding = False

    # Controls ----------------------------------------------------------------------------

    def play(self, utterances: Sequence[Any], start: int = 0) -> None:
        self.stop()
        with self._lock:
            self.utterances = list(utterances)
            self.index = max(0, min(start, len(self.utterances)))
            self.state = "playing"
            self._cache.clear()
            self._sounding = False
        self._thread = threading.Thread(target=self._run, name="listen-player", daemon=True)
        self._thread.start()

    def pause(self) -> None:
        with self._lock:
            if self.state != "playing":
                return
            self.state = "paused"
            self._interrupt()
        self.on_event(PlayerEvent("paused", self.index, self._current()))

    def resume(self) -> None:
        with self._lock:
            if self.state != "paused":
                return
            self.state = "playing"
            self._lock.notify_all()
        self.on_event(PlayerEvent("resumed", self.index, self._current()))

    def toggle(self) -> None:
        self.pause() if self.state == "playing" else self.resume()

    def stop(self) -> None:
        with self._lock:
            was = self.state
            self.state = "stopped"
            self._interrupt()
            self._lock.notify_all()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        self._thread = None
        if was in ("playing", "paused"):
            self.on_event(PlayerEvent("stopped", self.index, self._current()))

    def skip(self, delta: int) -> None:
        """Move by `delta` utterances (sentences, as the script splits them)."""
        self.seek(self.index + delta)

    def skip_paragraph(self, delta: int) -> None:
        """Move to the start of the next (delta > 0) or previous paragraph."""
        self.seek(paragraph_target(self.utterances, self.index, delta))

    def seek(self, index: int) -> None:
        with self._lock:
            if not self.utterances or self.state in ("stopped", "finished"):
                return
            self.index = max(0, min(index, len(self.utterances) - 1))
            self._interrupt()
        if self.state == "paused":
            self.on_event(PlayerEvent("playing", self.index, self._current()))

    def set_engine(self, engine: Any) -> None:
        """Use another engine (another rate or voice) from the current utterance on."""
        with self._lock:
            self.engine = engine
            self._cache.clear()
            self._interrupt()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the end of playback; True if it ended (tests and the command line)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    # The playing thread -------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._lock:
                while self.state == "paused":
                    self._lock.wait()
                if self.state != "playing":
                    return
                if self.index >= len(self.utterances):
                    self.state = "finished"
                    break
                index, generation, engine = self.index, self._generation, self.engine
            self.on_event(PlayerEvent("playing", index, self.utterances[index]))
            try:
                finished = self._speak(index, engine, generation)
            except (ListenError, OSError) as error:
                with self._lock:
                    self.state = "stopped"
                self.on_event(PlayerEvent("error", index, self.utterances[index], str(error)))
                return
            with self._lock:
                if finished and generation == self._generation and self.state == "playing":
                    self.index = index + 1
        self.on_event(PlayerEvent("finished", len(self.utterances)))

    def _speak(self, index: int, engine: Any, generation: int) -> bool:
        """Play utterance `index`, whole if it was synthesised ahead, else in pieces; True if
        it played to the end."""
        cached = self._cache.pop((index, id(engine)), None)
        utterance = self.utterances[index]
        pieces = [utterance.text] if cached is not None else lead_pieces(utterance.text)
        audio = cached if cached is not None else self._wav(engine, pieces[0], index, last=len(pieces) == 1)
        for number in range(len(pieces)):
            following = number + 1
            ahead: list[bytes] = []

            def make_ahead() -> None:
                if following < len(pieces):
                    try:
                        ahead.append(self._wav(engine, pieces[following], index, last=following == len(pieces) - 1))
                    except ListenError:
                        pass  # tried again, and reported, when that piece's turn comes
                else:
                    self._prefetch(generation)

            if not self._play_one(audio, generation, make_ahead):
                return False
            if not self._sounding:
                self._sounding = True
                self.on_event(PlayerEvent("sounding", index, utterance))
            if following < len(pieces):
                audio = (
                    ahead[0]
                    if ahead
                    else self._wav(engine, pieces[following], index, last=following == len(pieces) - 1)
                )
        return True

    def _wav(self, engine: Any, text: str, index: int, *, last: bool) -> bytes:
        """One piece of utterance `index` as a WAV; the utterance's pause follows its last piece."""
        pause = getattr(self.utterances[index], "pause_ms", 0) if last else 0
        return to_wav(engine.synthesize(text), engine.sample_rate, pause)

    def _synthesize(self, index: int, engine: Any) -> bytes:
        return self._wav(engine, self.utterances[index].text, index, last=True)

    def _play_one(self, audio: bytes, generation: int, ahead: Callable[[], None]) -> bool:
        """Play one WAV, running `ahead` (synthesis of what comes next) while it plays; True if
        it played to the end, False if a control interrupted it."""
        temp_name = None
        command = self.command
        if "{file}" in command:
            fd, temp_name = tempfile.mkstemp(suffix=".wav", prefix="listen-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(audio)
            command = [temp_name if part == "{file}" else part for part in command]
        try:
            with self._lock:
                if generation != self._generation:
                    return False
                process = subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL if temp_name else subprocess.PIPE,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                )
                self._process = process
            errors: list[bytes] = []
            reader = threading.Thread(target=collect, args=(process, errors), daemon=True)
            reader.start()
            writer = None
            if process.stdin is not None:
                writer = threading.Thread(target=feed, args=(process, audio), daemon=True)
                writer.start()
            if generation == self._generation:
                ahead()
            limit = 2 * wav_seconds(audio) + STUCK_MARGIN_S
            try:
                code = process.wait(timeout=limit)
            except subprocess.TimeoutExpired:
                end(process)
                code = None
            if writer is not None:
                writer.join(timeout=2)
            reader.join(timeout=2)
            with self._lock:
                self._process = None
                if generation != self._generation:
                    return False
            name = os.path.basename(command[0])
            said = b"".join(errors).decode("utf-8", "replace")
            if code is None:
                raise EngineError(
                    f"No sound: the audio player {name} did not play within {limit:.0f} s; {NO_SOUND_HINT}."
                )
            if code != 0:
                raise EngineError(
                    f"No sound: the audio player {name} failed (exit status {code}{first_line(said)}); {NO_SOUND_HINT}."
                )
            if player_failed(name, said):
                raise EngineError(
                    f"No sound: the audio player {name} could not play{first_line(said)}; {NO_SOUND_HINT}."
                )
            return True
        finally:
            if temp_name:
                os.unlink(temp_name)

    def _prefetch(self, generation: int) -> None:
        """Synthesise the next utterance while this one plays, so there is no gap between them."""
        with self._lock:
            following, engine = self.index + 1, self.engine
        if following < len(self.utterances) and generation == self._generation:
            try:
                self._cache[(following, id(engine))] = self._synthesize(following, engine)
            except ListenError:
                pass  # reported when that utterance's turn comes and it fails again

    def _interrupt(self) -> None:
        """Stop the utterance playing now (call with the lock held)."""
        self._generation += 1
        if self._process is not None and self._process.poll() is None:
            threading.Thread(target=end, args=(self._process,), daemon=True).start()

    def _current(self) -> Any:
        return self.utterances[self.index] if 0 <= self.index < len(self.utterances) else None


def feed(process: subprocess.Popen[bytes], audio: bytes) -> None:
    """Write the WAV to the player; a player stopped mid-way just closes the pipe."""
    assert process.stdin is not None
    try:
        process.stdin.write(audio)
        process.stdin.close()
    except (BrokenPipeError, OSError):
        pass


def collect(process: subprocess.Popen[bytes], into: list[bytes]) -> None:
    """Keep the first 4 KB of what the player says on stderr (the cause, if it fails)."""
    assert process.stderr is not None
    size = 0
    for chunk in iter(lambda: process.stderr.read(1024), b""):  # type: ignore[union-attr]
        if size < 4096:
            into.append(chunk)
            size += len(chunk)


def end(process: subprocess.Popen[bytes]) -> None:
    """Stop a player for good: terminate, then kill one that ignores it."""
    try:
        process.terminate()
        process.wait(timeout=1)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    except OSError:
        pass


def player_failed(name: str, stderr: str) -> bool:
    """Whether a player that exited 0 really played: ffplay at -loglevel error prints only
    faults; other players' warnings are faults only when they say so."""
    text = stderr.strip()
    if not text:
        return False
    return name == "ffplay" or bool(_FAILURE_WORDS.search(text))


def first_line(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    failing = [line for line in lines if _FAILURE_WORDS.search(line)] or lines
    return f": {failing[0][:120]}" if failing else ""


def wav_seconds(audio: bytes) -> float:
    try:
        with wave.open(io.BytesIO(audio)) as wav:
            return wav.getnframes() / float(wav.getframerate())
    except (wave.Error, EOFError, ZeroDivisionError):
        return 0.0


def paragraph_target(utterances: Sequence[Any], index: int, delta: int) -> int:
    """The first utterance of the paragraph `delta` paragraphs away from utterance `index`."""
    if not utterances:
        return 0
    index = max(0, min(index, len(utterances) - 1))

    def key(i: int) -> tuple[int, int]:
        return (utterances[i].section, utterances[i].paragraph)

    start = index
    while start > 0 and key(start - 1) == key(index):
        start -= 1
    step = 1 if delta > 0 else -1
    for _ in range(abs(delta)):
        if step > 0:
            following = start
            while following < len(utterances) and key(following) == key(start):
                following += 1
            if following >= len(utterances):
                return len(utterances) - 1
            start = following
        else:
            if start == 0:
                return 0
            previous = start - 1
            while previous > 0 and key(previous - 1) == key(start - 1):
                previous -= 1
            start = previous
    return start
