"""How fast the reader feels, as ratios to Textual's own bare App start-up on this machine.

Measures, in one run (headless, 100×30, median of several runs each):
  - first screen: `create_app` on a folder until the library list is shown and announced;
  - open: Enter on a 100,000-word Markdown article until the reader is shown (load + layout),
    the key delivered as a terminal delivers it and one Pilot settle, like the bare start-up;
    the same through Pilot.press (which settles three times) is printed beside it;
  - filter: one keystroke of filter-as-you-type over 10,000 articles, driven through Pilot:
    the CPU time the app spends on it (key, filter, status line, repaint), the filter alone,
    and the wall time per key next to the same keys on a bare App (Pilot's own waits).
  - screen-reader keys: `listen read --screen-reader` in a real pseudo-terminal (100×30), arrow
    keys in the library, the reader, help and settings: the bytes written after each key and
    the frame time (key sent to the frame's last byte received, so Textual's work on the key
    and the write, as a screen reader's terminal gets it; tdsr reads the cursor's row 20 ms
    after an arrow key).
Goals: first screen ≤ 2×, open ≤ 3×, a keystroke's filter ≤ 50 ms; screen-reader arrow keys
≤ 1 KB and ≤ 10 ms median.

    .venv/bin/python bench/bench_tui.py          # everything
    .venv/bin/python bench/bench_tui.py sr       # the screen-reader keys only
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

from textual._wait import SLEEP_GRANULARITY  # noqa: E402
from textual import events  # noqa: E402
from textual.app import App  # noqa: E402

from listen.state import Store  # noqa: E402
from listen.tui.app import create_app  # noqa: E402
from listen.tui.services import Services  # noqa: E402

SIZE = (100, 30)
RUNS = 5
WORDS = (
    "harbour lantern willow paper ferry tide morning council library window evening river "
    "garden market bread night shift quiet street table workshop winter supper hall bridge "
    "station platform ticket kettle orchard meadow chapel tower lane quay sea wall"
).split()


@dataclass(frozen=True)
class Row:
    """Stands in for listen.articles.library.ArticleSummary in the 10,000-article library."""

    path: Path
    title: str
    words: int
    language: str
    modified: float
    standfirst: str = ""


async def bare_start() -> float:
    start = time.perf_counter()
    async with App().run_test(size=SIZE) as pilot:
        await pilot.pause()
        return time.perf_counter() - start


async def first_screen(folder: Path, state: Path) -> float:
    start = time.perf_counter()
    app = create_app(folder, store=Store(state), services=Services(audio_dir=folder / "audio"), keymap={})
    async with app.run_test(size=SIZE) as pilot:
        while not app.status_text.startswith("Library,"):
            await asyncio.sleep(0.001)
        await pilot.pause()
        return time.perf_counter() - start


def announced(app: App, prefix: str) -> asyncio.Event:
    """An event set when the app announces a message starting with `prefix`.

    Waiting on it, rather than polling the status line every millisecond, keeps the bench
    from waking the event loop a thousand times a second while the article loads in its
    thread, taking the GIL from it each time.
    """
    event = asyncio.Event()
    say = app.announce

    def announce(message: str) -> None:
        say(message)
        if message.startswith(prefix):
            event.set()

    app.announce = announce  # type: ignore[method-assign]
    return event


async def open_big(folder: Path, state: Path, *, through_pilot: bool) -> tuple[float, float]:
    """Wall time from Enter to the reader shown and settled, and the CPU time (all threads) in it.

    Enter arrives either as a terminal delivers it (the driver's key event, then wait until the
    reader is shown and one Pilot pause, the same single settle the bare start-up gets) or
    through `Pilot.press`, which also waits for the process to go idle twice before returning.
    """
    app = create_app(folder, store=Store(state), services=Services(audio_dir=folder / "audio"), keymap={})
    async with app.run_test(size=SIZE) as pilot:
        while not app.status_text.startswith("Library,"):
            await asyncio.sleep(0.001)
        await pilot.pause()
        opened = announced(app, "Opened:")
        start, cpu = time.perf_counter(), time.process_time()
        if through_pilot:
            await pilot.press("enter")
        else:
            app._driver.send_message(events.Key("enter", "\r"))
        await opened.wait()
        await pilot.pause()
        return time.perf_counter() - start, time.process_time() - cpu


async def filter_keystrokes(rows: list[Row], state: Path) -> tuple[list[float], list[float], list[float]]:
    """Per keystroke: wall time through Pilot, CPU time the app spent, and the filter alone."""
    services = replace(Services(audio_dir=state.parent / "audio"), scan=lambda folder: rows)
    app = create_app(state.parent, store=Store(state), services=services, keymap={})
    end_to_end: list[float] = []
    work: list[float] = []
    filter_only: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        while not app.status_text.startswith("Library,"):
            await asyncio.sleep(0.001)
        articles = app.screen.query_one("ArticleList")
        for query in ("harbour lantern", "quiet street", "winter"):
            for index, key in enumerate(query.replace(" ", "·")):
                start, cpu = time.perf_counter(), time.process_time()
                await pilot.press("space" if key == "·" else key)
                end_to_end.append(time.perf_counter() - start)
                work.append(time.process_time() - cpu)
                text = query[: index + 1]
                start = time.perf_counter()
                articles.query_text = text[:-1]
                articles.filter(text)
                filter_only.append(time.perf_counter() - start)
            await pilot.press("escape")
            await pilot.pause()
    return end_to_end, work, filter_only


async def bare_keystrokes() -> tuple[list[float], list[float]]:
    """The same Pilot key presses on a bare App: the harness's own floor (it waits for idle)."""
    wall: list[float] = []
    work: list[float] = []
    async with App().run_test(size=SIZE) as pilot:
        for key in "harbourlantern":
            start, cpu = time.perf_counter(), time.process_time()
            await pilot.press(key)
            wall.append(time.perf_counter() - start)
            work.append(time.process_time() - cpu)
    return wall, work


def timed_load(path: Path) -> float:
    """The domain's share of opening: listen.articles.load_article alone."""
    from listen.articles import load_article

    start = time.perf_counter()
    load_article(path)
    return time.perf_counter() - start


def write_big_article(path: Path, words: int = 100_000) -> None:
    rng = random.Random(7)
    lines = ["# A Very Long Article for the Bench", ""]
    written = 0
    section = 0
    while written < words:
        section += 1
        lines += [f"## Part {section}", ""]
        for _ in range(40):
            size = rng.randint(60, 140)
            sentence = " ".join(rng.choice(WORDS) for _ in range(size))
            lines += [sentence.capitalize() + ".", ""]
            written += size
            if written >= words:
                break
    path.write_text("\n".join(lines), encoding="utf-8")


def library_rows(count: int = 10_000) -> list[Row]:
    rng = random.Random(11)
    return [
        Row(
            path=Path(f"/library/article-{n:05d}.md"),
            title=" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9))).capitalize(),
            words=rng.randint(200, 5000),
            language="en",
            modified=1_700_000_000 + n,
            standfirst=" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))),
        )
        for n in range(count)
    ]


# (keys, how many times): arrow keys through every screen of screen-reader mode. Enter, ?,
# Ctrl+P and Ctrl+G only move between screens; their frames are not counted.
SR_WALK: list[tuple[bytes, int, bool]] = [
    (b"\x1b[B", 3, True),  # library: Down
    (b"\x1b[A", 2, True),  # Up
    (b"\r", 1, False),  # open the article
    (b"\x1b[B", 8, True),  # reader: Down, block by block
    (b"\x1b[A", 3, True),  # Up
    (b"?", 1, False),  # help
    (b"\x1b[B", 4, True),
    (b"\x07", 1, False),  # Ctrl+G: back to the reader
    (b"\x10", 1, False),  # Ctrl+P: settings
    (b"\x1b[B", 3, True),
    (b"\x1b[C", 2, True),  # Right: change a setting in place
    (b"\x07", 1, False),
]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` so far (Linux /proc), which machine load does not
    stretch the way it stretches wall time."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def screen_reader_keys(folder: Path, home: Path) -> tuple[list[int], list[float], list[float]]:
    """Bytes, seconds and CPU seconds per arrow-key frame of `listen read --screen-reader` in a
    real pty."""
    import fcntl
    import pty
    import select
    import struct
    import termios

    listen = Path(sys.executable).with_name("listen")
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }
    env.pop("TEXTUAL_ANIMATIONS", None)
    pid, fd = pty.fork()
    if pid == 0:  # the child: the reader, on the pty
        os.chdir(folder.parent)
        os.execve(str(listen), [str(listen), "read", "--screen-reader", folder.name], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))

    def drain(quiet: float, limit: float) -> tuple[bytes, float]:
        """Read until `quiet` seconds pass with nothing new; return the bytes and the last byte's time."""
        data, last, end = b"", time.perf_counter(), time.perf_counter() + limit
        while time.perf_counter() < end:
            ready, _, _ = select.select([fd], [], [], quiet)
            if not ready:
                break
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            data, last = data + chunk, time.perf_counter()
        return data, last

    sizes: list[int] = []
    times: list[float] = []
    cpu: list[float] = []
    try:
        seen = b""
        deadline = time.perf_counter() + 30
        while b"Library, " not in seen and time.perf_counter() < deadline:
            seen += drain(0.5, 2)[0]
        drain(0.5, 5)
        for key, count, arrow in SR_WALK:
            for _ in range(count):
                used = cpu_seconds(pid)
                sent = time.perf_counter()
                os.write(fd, key)
                data, last = drain(0.3 if arrow else 1.0, 10)
                if arrow and data:
                    sizes.append(len(data))
                    times.append(last - sent)
                    cpu.append(cpu_seconds(pid) - used)
    finally:
        os.write(fd, b"\x11")  # Ctrl+Q
        drain(0.5, 3)
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        os.close(fd)
    return sizes, times, cpu


def report_screen_reader_keys(sizes: list[int], times: list[float], cpu: list[float]) -> None:
    print(
        f"  screen-reader arrow keys ({len(sizes)})    {statistics.median(sizes):7.0f} B   "
        f"(largest {max(sizes)} B)   goal ≤ 1 KB"
    )
    print(
        f"      frame time, key to last byte   {median_ms(times):7.1f} ms  "
        f"(worst {max(times) * 1000:.1f} ms)   goal ≤ 10 ms median"
    )
    print(
        f"      CPU per key (the whole process) {median_ms(cpu):6.1f} ms  (clock ticks of "
        f"{1000 / os.sysconf('SC_CLK_TCK'):.0f} ms; wall time above grows with the machine's load, this does not)"
    )


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def main() -> int:
    samples = Path(__file__).resolve().parent.parent / "articles"
    if sys.argv[1:] == ["sr"]:
        with tempfile.TemporaryDirectory() as tmp:
            print("listen TUI bench: screen-reader mode in a pseudo-terminal, 100×30")
            report_screen_reader_keys(*screen_reader_keys(samples, Path(tmp)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            os.environ[name] = str(root / name.lower())
        samples = Path(__file__).resolve().parent.parent / "articles"
        big = root / "big"
        big.mkdir()
        write_big_article(big / "long.md")

        bare = [asyncio.run(bare_start()) for _ in range(RUNS)]
        asyncio.run(first_screen(samples, root / "warm.sqlite3"))  # warm the library index
        first = [asyncio.run(first_screen(samples, root / "s.sqlite3")) for _ in range(RUNS)]
        opened_runs = [asyncio.run(open_big(big, root / "o.sqlite3", through_pilot=False)) for _ in range(RUNS)]
        opened = [wall for wall, _ in opened_runs]
        opened_cpu = [cpu for _, cpu in opened_runs]
        pressed = [asyncio.run(open_big(big, root / "p.sqlite3", through_pilot=True))[0] for _ in range(RUNS)]
        loading = [timed_load(big / "long.md") for _ in range(RUNS)]
        keys, keys_cpu, filtering = asyncio.run(filter_keystrokes(library_rows(), root / "f.sqlite3"))
        bare_keys, bare_keys_cpu = asyncio.run(bare_keystrokes())
        sr_keys = screen_reader_keys(samples, root / "sr")

    base = median_ms(bare)
    print(f"listen TUI bench (Textual bare App start-up: {base:.0f} ms, median of {RUNS})")
    print(
        f"  first screen (library shown)       {median_ms(first):7.0f} ms  {median_ms(first) / base:5.2f}× bare   goal ≤ 2×"
    )
    print(
        f"  open a 100,000-word article        {median_ms(opened):7.0f} ms  {median_ms(opened) / base:5.2f}× bare   goal ≤ 3×"
    )
    tui_share = median_ms(opened) - median_ms(loading)
    print(
        f"      of which load_article {median_ms(loading):.0f} ms ({median_ms(loading) / base:.2f}× bare), "
        f"the reader's own share {tui_share:.0f} ms ({tui_share / base:.2f}× bare)"
    )
    print(
        f"      CPU (all threads) {median_ms(opened_cpu):.0f} ms: the rest of the wall time is Pilot's one settle "
        f"(≥ {SLEEP_GRANULARITY * 1000:.0f} ms idle) and other processes on the machine"
    )
    print(
        f"      through Pilot.press: {median_ms(pressed):.0f} ms ({median_ms(pressed) / base:.2f}× bare); press waits "
        f"for idle twice more (≥ 2 × {SLEEP_GRANULARITY * 1000:.0f} ms), which the bare start-up is not charged"
    )
    print(
        f"  filter keystroke, 10,000 articles  {median_ms(keys_cpu):7.1f} ms CPU  "
        f"(filter alone {median_ms(filtering):.2f} ms; worst {max(keys_cpu) * 1000:.1f} ms)   goal ≤ 50 ms"
    )
    print(
        f"      through Pilot: {median_ms(keys):.0f} ms wall per key vs {median_ms(bare_keys):.0f} ms on a bare App "
        f"(Pilot waits for idle and a frame; CPU on a bare App {median_ms(bare_keys_cpu):.1f} ms)"
    )
    report_screen_reader_keys(*sr_keys)
    return 0


if __name__ == "__main__":
    sys.exit(main())
