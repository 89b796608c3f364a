"""Shared helpers for the reader's tests: an isolated app, fakes for speech, and settling.

User directories are already isolated per test by conftest.py.

The fakes stand in for the speech package so the keys of "Listen from here" and "Make MP3"
can be driven without sound cards or engines.
"""

from __future__ import annotations

import asyncio
import functools
import os
import re
import shlex
import shutil
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from listen.speech.player import PlayerEvent
from listen.state import Store
from listen.tui.app import ListenApp, create_app
from listen.tui.services import Services

FIXTURES = Path(__file__).parent / "fixtures" / "tui"
REPO = Path(__file__).resolve().parent.parent
LANTERN = FIXTURES / "lantern-makers.md"


def pilot_test(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test on its own event loop (the project has no pytest-asyncio). It drives
    the whole app, so it is marked `app` and left out of the fast lane (make test-fast)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return pytest.mark.app(run)


@dataclass(frozen=True)
class FakeUtterance:
    text: str
    display: str
    section: int
    paragraph: int
    pause_ms: int = 0


class FakeScript:
    """One utterance per sentence-ish piece: heading first, then each paragraph split at '. '."""

    def __init__(self, article: Any) -> None:
        self.utterances = []
        for number, section in enumerate(article.sections):
            self.utterances.append(FakeUtterance(section.heading, section.heading, number, -1))
            for index, paragraph in enumerate(section.paragraphs):
                for sentence in paragraph.split(". "):
                    self.utterances.append(FakeUtterance(sentence, sentence, number, index))

    def utterances_from(self, section: int, paragraph: int) -> list[FakeUtterance]:
        return [u for u in self.utterances if (u.section, u.paragraph) >= (section, paragraph)]


class FakeEngine:
    sample_rate = 8000

    def __init__(self, rate: float = 1.0) -> None:
        self.rate = rate
        self.spoken: list[str] = []

    def synthesize(self, text: str) -> np.ndarray:
        self.spoken.append(text)
        return np.zeros(80, dtype=np.int16)


class FakePlayer:
    """Records every control; `emit` plays the part of the player's thread."""

    def __init__(self, engine: Any, on_event: Any) -> None:
        self.engine = engine
        self.on_event = on_event
        self.calls: list[tuple[str, Any]] = []
        self.utterances: list[Any] = []
        self.state = "stopped"
        self.started = threading.Event()

    def play(self, utterances: list[Any], start: int = 0) -> None:
        self.utterances = list(utterances)
        self.state = "playing"
        self.calls.append(("play", len(utterances)))
        self.started.set()

    def toggle(self) -> None:
        self.state = "paused" if self.state == "playing" else "playing"
        self.calls.append(("toggle", self.state))
        self.on_event(PlayerEvent("paused" if self.state == "paused" else "resumed"))

    def stop(self) -> None:
        self.state = "stopped"
        self.calls.append(("stop", None))

    def skip(self, delta: int) -> None:
        self.calls.append(("skip", delta))

    def skip_paragraph(self, delta: int) -> None:
        self.calls.append(("skip_paragraph", delta))

    def set_engine(self, engine: Any) -> None:
        self.calls.append(("set_engine", engine.rate))

    def emit(self, kind: str, index: int = 0) -> None:
        utterance = self.utterances[index] if self.utterances else None
        self.on_event(PlayerEvent(kind, index, utterance))


class FakeSpeech:
    """Services for narration that record what the reader asked of them."""

    def __init__(self) -> None:
        self.players: list[FakePlayer] = []
        self.made: list[Path] = []
        self.recorded: list[Any] = []  # what Make MP3 asked the manifest to record

    def services(self, audio_dir: Path) -> Services:
        return replace(
            Services(audio_dir=audio_dir),
            build_script=lambda article, request: FakeScript(article),
            get_engine=lambda request, language: FakeEngine(request.rate),
            player=self.player,
            narrate=self.narrate,
            record=lambda article, result, request, engine, folder: self.recorded.append(result),
        )

    def player(self, engine: Any, on_event: Any) -> FakePlayer:
        player = FakePlayer(engine, on_event)
        self.players.append(player)
        return player

    def narrate(self, article: Any, dest: Path, engine: Any, request: Any, progress: Any) -> Path:
        for done in range(1, 5):
            progress(done, 4)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(b"ID3")
        self.made.append(dest)
        return dest


def held_back(services: Services, seam: str) -> tuple[Services, Any]:
    """`services` with one seam ("load", "scan") that waits until the returned event is set:
    an open or a scan that takes as long as a test needs it to."""
    release = threading.Event()
    real = getattr(services, seam)

    def slow(*args: Any) -> Any:
        release.wait(10)
        return real(*args)

    return replace(services, **{seam: slow}), release


def make_app(
    tmp_path: Path,
    path: Path | str = FIXTURES,
    *,
    store: Store | None = None,
    services: Services | None = None,
    keymap: dict[str, str] | None = None,
) -> ListenApp:
    return create_app(
        path,
        store=store if store is not None else Store(tmp_path / "state.sqlite3"),
        services=services or Services(audio_dir=tmp_path / "audio"),
        keymap=keymap if keymap is not None else {},
    )


async def settle(pilot: Any) -> None:
    """Wait for workers (scan, load, narration set-up) and the messages they send."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def open_article(pilot: Any, path: Path = LANTERN) -> None:
    """From the library, select `path` and press Enter."""
    await settle(pilot)
    articles = pilot.app.screen.query_one("ArticleList")
    assert articles.select_path(path), f"{path} is not in the library"
    await pilot.press("enter")
    await settle(pilot)


async def wait_for(predicate: Any, pilot: Any, timeout: float = 5.0) -> None:
    """Poll until `predicate()` holds (for the player's own thread), failing after `timeout`."""
    for _ in range(int(timeout / 0.02)):
        if predicate():
            return
        await asyncio.sleep(0.02)
        await pilot.pause()
    raise AssertionError("condition not reached in time")


# A real terminal ------------------------------------------------------------------------

LISTEN = REPO / ".venv" / "bin" / "listen"
BOX_AND_BLOCK = re.compile("[\u2500-\u259f\u2800-\u28ff]")  # box drawing, blocks, braille


class Terminal:
    """One tmux server of our own (its own socket), so nothing else's sessions are touched.

    Every wait polls with a bounded timeout; `kill` always ends the server.
    """

    def __init__(self, cwd: Path, env: dict[str, str], size: tuple[int, int] = (100, 30)) -> None:
        self.socket = f"listen-test-{uuid.uuid4().hex[:8]}"
        self.cwd = cwd
        self.env = env
        self.size = size

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check)

    def start(self, command: str) -> None:
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items())
        # COLUMNS/LINES (set by some test runners) would override the real terminal size.
        # TEXTUAL_ANIMATIONS (set for Pilot tests) would hide what a user really gets.
        command = f"env -u COLUMNS -u LINES -u TEXTUAL_ANIMATIONS {exports} {command}"
        width, height = self.size
        self.tmux("new-session", "-d", "-x", str(width), "-y", str(height), "-c", str(self.cwd), command)

    def screen(self, *, colours: bool = False) -> str:
        result = self.tmux("capture-pane", "-p", *(["-e"] if colours else []), check=False)
        return result.stdout if result.returncode == 0 else ""

    def lines(self) -> list[str]:
        return self.screen().split("\n")

    def cursor(self) -> tuple[int, int, bool]:
        """(x, y, visible) as tmux sees the cursor."""
        out = self.tmux("display", "-p", "#{cursor_x} #{cursor_y} #{cursor_flag}", check=False).stdout.split()
        return (int(out[0]), int(out[1]), out[2] == "1") if len(out) == 3 else (-1, -1, False)

    def running(self) -> bool:
        return self.tmux("has-session", check=False).returncode == 0

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", *keys)

    def record(self, path: Path) -> None:
        """Append every byte the program writes to `path` from now on."""
        self.tmux("pipe-pane", "-o", f"cat >> {shlex.quote(str(path))}")

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def wait_for_big(self, message: str, level: int = 2, timeout: float = 20) -> None:
        """Wait for the status line to say `message` in big letters (large text draws it so)."""
        from listen.tui.big_text import big_lines
        from listen.tui.widgets.status_line import big_status_lines

        width, height = self.size
        rows = [row.rstrip() for row in big_lines(message, width - 2, level, most=big_status_lines(height))[:-1]]

        def shown() -> bool:
            screen = [line[1:].rstrip() for line in self.lines()]
            return any(screen[y : y + len(rows)] == rows for y in range(len(screen)))

        self.wait_until(shown, f"{message!r} in big letters", timeout)

    def wait_until(self, predicate: Callable[[], bool], what: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.05)
        raise AssertionError(f"{what} never happened; cursor {self.cursor()}, screen:\n{self.screen()}")

    def wait_for_exit(self, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running():
                return
            time.sleep(0.05)
        raise AssertionError(f"listen did not quit; the screen was:\n{self.screen()}")

    def kill(self) -> None:
        self.tmux("kill-server", check=False)


def terminal_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Isolated user directories and a known terminal type for a program run under tmux."""
    return {
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "TERM": "xterm-256color",
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        **extra,
    }


def articles_folder(tmp_path: Path) -> Path:
    """A working folder with ./articles holding the fixtures; returns the working folder."""
    articles = tmp_path / "work" / "articles"
    articles.mkdir(parents=True)
    for source in FIXTURES.iterdir():
        shutil.copy(source, articles / source.name)
    return tmp_path / "work"


# Contrast (WCAG 2.x relative luminance) ---------------------------------------------------


def luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    """WCAG contrast ratio, 1 to 21."""
    a, b = sorted((luminance(first), luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def screen_text(app: Any) -> list[str]:
    """The characters of the app's screen, one string per row, as Pilot sees them."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def cell_colours(app: Any, x: int, y: int) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """(foreground, background) that a person sees at a cell, reverse video applied."""
    style = app.screen.get_style_at(x, y)
    fg = style.color.get_truecolor() if style.color else None
    bg = style.bgcolor.get_truecolor() if style.bgcolor else None
    assert fg is not None and bg is not None, f"cell {x},{y} leaves a colour to the terminal: {style}"
    pair = (tuple(fg), tuple(bg))
    return (pair[1], pair[0]) if style.reverse else pair  # type: ignore[return-value]


def low_contrast_cells(app: Any, minimum: float) -> list[str]:
    """Every non-blank cell whose text and background are below `minimum`, described."""
    found = []
    for y, row in enumerate(screen_text(app)):
        for x, character in enumerate(row):
            if character.isspace():
                continue
            fg, bg = cell_colours(app, x, y)
            ratio = contrast(fg, bg)
            if ratio < minimum:
                found.append(f"{character!r} at {x},{y}: {ratio:.2f} ({fg} on {bg}) in {row.strip()[:40]!r}")
    return found


SGR = re.compile(r"\x1b\[([0-9;]*)m")
BASIC = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229)]


def xterm_256(n: int) -> tuple[int, int, int]:
    if n < 8:
        return BASIC[n]
    if n < 16:
        return (127, 127, 127) if n == 8 else tuple(min(255, c + 50) for c in BASIC[n - 8])  # type: ignore[return-value]
    if n < 232:
        n -= 16
        steps = (0, 95, 135, 175, 215, 255)
        return steps[n // 36], steps[(n // 6) % 6], steps[n % 6]
    grey = 8 + 10 * (n - 232)
    return grey, grey, grey


def terminal_cells(capture: str) -> list[tuple[int, int, str, Any, Any, bool]]:
    """(x, y, character, foreground, background, dim) of every cell in `tmux capture-pane -p -e`.

    Colours are RGB tuples, or None where the program left them to the terminal; reverse
    video is applied. tmux carries the colour state from one row to the next.
    """
    fg: Any = None
    bg: Any = None
    reverse = dim = False
    cells = []
    for y, row in enumerate(capture.split("\n")):
        x = 0
        position = 0
        for found in [*SGR.finditer(row), None]:
            end = found.start() if found else len(row)
            for character in row[position:end]:
                shown = (bg, fg) if reverse else (fg, bg)
                cells.append((x, y, character, shown[0], shown[1], dim))
                x += 1
            if found is None:
                break
            position = found.end()
            codes = [int(c) if c else 0 for c in found.group(1).split(";")]
            i = 0
            while i < len(codes):
                code = codes[i]
                if code == 0:
                    fg = bg = None
                    reverse = dim = False
                elif code == 2:
                    dim = True
                elif code == 22:
                    dim = False
                elif code == 7:
                    reverse = True
                elif code == 27:
                    reverse = False
                elif code in (38, 48) and i + 1 < len(codes):
                    if codes[i + 1] == 2:
                        colour: Any = tuple(codes[i + 2 : i + 5])
                        i += 4
                    else:
                        colour = xterm_256(codes[i + 2])
                        i += 2
                    if code == 38:
                        fg = colour
                    else:
                        bg = colour
                elif code == 39:
                    fg = None
                elif code == 49:
                    bg = None
                elif 30 <= code <= 37 or 90 <= code <= 97:
                    fg = xterm_256(code - 30 if code < 90 else code - 90 + 8)
                elif 40 <= code <= 47 or 100 <= code <= 107:
                    bg = xterm_256(code - 40 if code < 100 else code - 100 + 8)
                i += 1
    return cells
