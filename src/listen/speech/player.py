"""Play utterances aloud through the system's audio player, one at a time, controllably.

The reader's "Listen from here" needs narration that can pause, resume, stop and skip by
sentence or paragraph, and that says which utterance is being spoken so the text can follow
along. Each utterance is synthesised by an engine (the next one while the current one plays)
and written as a WAV to the stdin of paplay, aplay, ffplay or afplay (a temporary file for
afplay, which cannot read stdin). Pausing stops the player; resuming repeats the current
utterance from its start, which is also what a listener who was interrupted wants.
Nothing here knows about Textual: events go to a callback, on the player's own thread.

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
                audio = self._audio(index, engine)
                finished = self._play_one(audio, generation)
            except (ListenError, OSError) as error:
                with self._lock:
                    self.state = "stopped"
                self.on_event(PlayerEvent("error", index, self.utterances[index], str(error)))
                return
            if finished and not self._sounding:
                self._sounding = True
                self.on_event(PlayerEvent("sounding", index, self.utterances[index]))
            with self._lock:
                if finished and generation == self._generation and self.state == "playing":
                    self.index = index + 1
        self.on_event(PlayerEvent("finished", len(self.utterances)))

    def _audio(self, index: int, engine: Any) -> bytes:
        cached = self._cache.pop((index, id(engine)), None)
        return cached if cached is not None else self._synthesize(index, engine)

    def _synthesize(self, index: int, engine: Any) -> bytes:
        utterance = self.utterances[index]
        pcm = engine.synthesize(utterance.text)
        return to_wav(pcm, engine.sample_rate, getattr(utterance, "pause_ms", 0))

    def _play_one(self, audio: bytes, generation: int) -> bool:
        """Play one WAV; True if it played to the end, False if a control interrupted it."""
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
            self._prefetch(generation)
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
                raise EngineError(f"No sound: the audio player {name} did not play within {limit:.0f} s; {NO_SOUND_HINT}.")
            if code != 0:
                raise EngineError(f"No sound: the audio player {name} failed (exit status {code}{first_line(said)}); {NO_SOUND_HINT}.")
            if player_failed(name, said):
                raise EngineError(f"No sound: the audio player {name} could not play{first_line(said)}; {NO_SOUND_HINT}.")
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
