"""How much write_narration costs over a bare MP3 encode, and whether its memory stays flat.

Prints, from one run:
- wall time of write_narration on ~30 min of espeak-ng speech against a bare ffmpeg encode
  of the same PCM (ffmpeg's defaults, and the same output settings), and the `speak`-like
  ratio (espeak-ng + write_narration) / (espeak-ng -w + one encode) that the CLI budget is;
- peak RSS of a subprocess writing a long synthetic narration (the Python process, its
  largest ffmpeg child, and both together, sampled every 0.25 s), beside the audio length.

Usage: .venv/bin/python bench/bench_audio.py [--minutes 30] [--hours 0.5 3]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from listen.audio import SAMPLE_RATE, Tags, write_narration
from listen.audio.mp3 import LAME_QUALITY, OUTPUT_RATE

WORDS_PER_MINUTE_ESPEAK = 175


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0, help="length of the espeak-ng speech")
    parser.add_argument("--hours", type=float, nargs="*", default=[0.5, 3.0], help="synthetic narrations for RSS")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-audio-") as folder:
        speed(Path(folder), args.minutes)
        for hours in args.hours:
            memory(Path(folder), hours)


def speed(folder: Path, minutes: float) -> None:
    text = folder / "article.txt"
    text.write_text(article(round(minutes * WORDS_PER_MINUTE_ESPEAK)), encoding="utf-8")
    wav = folder / "speech.wav"
    espeak_s = timed(["espeak-ng", "-f", str(text), "-w", str(wav)])
    pcm = read_wav(wav)
    raw = folder / "speech.raw"
    pcm.tofile(raw)
    audio_s = pcm.size / SAMPLE_RATE
    pcm_in = ["ffmpeg", "-v", "error", "-y", "-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", "1", "-i", str(raw)]
    default_s = timed([*pcm_in, "-c:a", "libmp3lame", "-b:a", "64k", str(folder / "bare-default.mp3")])
    same = ["-c:a", "libmp3lame", "-b:a", "64k", "-compression_level", str(LAME_QUALITY), "-ar", str(OUTPUT_RATE)]
    same_s = timed([*pcm_in, *same, str(folder / "bare-same.mp3")])

    start = time.perf_counter()
    write_narration(chapters(pcm), folder / "narration.mp3", Tags(title="Bench"))
    write_s = time.perf_counter() - start

    print(f"speech: {audio_s / 60:.1f} min from espeak-ng in {espeak_s:.2f} s ({audio_s / espeak_s:.0f}x real time)")
    print(f"bare ffmpeg encode, ffmpeg defaults (22.05 kHz, LAME's default q): {default_s:.2f} s")
    print(f"bare ffmpeg encode, same output (44.1 kHz, LAME q{LAME_QUALITY}):     {same_s:.2f} s")
    print(f"write_narration (meter + gain + limiter + encode + tags + sidecars): {write_s:.2f} s")
    print(f"ratio write_narration / bare encode (defaults):    {write_s / default_s:.2f}")
    print(f"ratio write_narration / bare encode (same output): {write_s / same_s:.2f}")
    speak_like = (espeak_s + write_s) / (espeak_s + default_s)
    print(f"ratio (espeak-ng + write_narration) / (espeak-ng -w + default encode): {speak_like:.2f}")


def memory(folder: Path, hours: float) -> None:
    dest = folder / f"long-{hours:g}h.mp3"
    out = subprocess.run(
        [sys.executable, "-c", LONG_WRITER, str(dest), str(hours)], capture_output=True, text=True, check=True
    ).stdout.split()
    python_mb, child_mb, tree_mb, wall_s, audio_s, size = (float(x) for x in out)
    print(
        f"{audio_s / 3600:.2f} h of narration ({size / 1e6:.0f} MB MP3) in {wall_s:.0f} s: peak RSS "
        f"{python_mb:.0f} MB Python, {child_mb:.0f} MB largest ffmpeg, {tree_mb:.0f} MB Python + ffmpeg together"
    )


LONG_WRITER = """
import os, sys, threading, time
from pathlib import Path
import numpy as np
from listen.audio import SAMPLE_RATE, Tags, silence, write_narration

def rss_mb(pid, field="VmRSS"):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0

def children(pid):
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found

peak = {"tree": 0.0, "child": 0.0}
done = threading.Event()
def sample():
    me = os.getpid()
    while not done.wait(0.25):
        kids = [rss_mb(k) for k in children(me)]
        peak["child"] = max([peak["child"], *kids])
        peak["tree"] = max(peak["tree"], rss_mb(me) + sum(kids))
threading.Thread(target=sample, daemon=True).start()

dest, hours = Path(sys.argv[1]), float(sys.argv[2])
rng = np.random.default_rng(1)
t = np.arange(4 * SAMPLE_RATE) / SAMPLE_RATE
def utterance():
    # a 4 s 'sentence': a gliding tone under noise, syllable-like amplitude, full scale as piper gives
    freq = rng.uniform(100, 220)
    voice = np.sin(2 * np.pi * freq * t * (1 + 0.1 * np.sin(t))) * (0.5 + 0.5 * np.sin(2 * np.pi * 4 * t)) ** 2
    noise = rng.normal(0, 0.05, t.size)
    return (np.clip(voice + noise, -1, 1) * 32767).astype(np.int16)

per_chapter = 45  # ~3.5 minutes
chapters_total = int(hours * 3600 / (per_chapter * 4.5)) + 1
def chapter():
    for _ in range(per_chapter):
        yield utterance()
        yield silence(500)

start = time.perf_counter()
result = write_narration(((f"Chapter {i + 1}", chapter()) for i in range(chapters_total)), dest, Tags(title="Long"))
wall = time.perf_counter() - start
done.set()
# VmHWM is this process image's own peak (ru_maxrss would include the parent's, kept across exec)
print(rss_mb(os.getpid(), "VmHWM"), peak["child"], peak["tree"], wall, result.duration_s, result.bytes)
"""


def chapters(pcm: np.ndarray):
    """The speech as the narrator would hand it over: ~3 min chapters of ~4 s utterances."""
    chapter = 3 * 60 * SAMPLE_RATE
    utterance = 4 * SAMPLE_RATE
    for number, first in enumerate(range(0, pcm.size, chapter), start=1):
        part = pcm[first : first + chapter]
        yield f"Part {number}", (part[i : i + utterance] for i in range(0, part.size, utterance))


def article(words: int) -> str:
    """Plausible English sentences of our own, varied enough that espeak-ng sounds like news."""
    rng = random.Random(3)
    subjects = ["The harbour council", "A small library", "The night ferry", "Our neighbour", "The new school"]
    verbs = ["discussed", "remembered", "repaired", "measured", "welcomed", "described", "postponed"]
    objects = ["the price of bread", "twelve years of weather", "the road to the coast", "a song nobody wrote down"]
    tails = ["before anyone noticed.", "while the rain kept falling.", "in nineteen eighty four.", "step by step."]
    sentences, count = [], 0
    while count < words:
        sentence = f"{rng.choice(subjects)} {rng.choice(verbs)} {rng.choice(objects)} {rng.choice(tails)}"
        sentences.append(sentence)
        count += len(sentence.split())
    return "\n\n".join(" ".join(sentences[i : i + 6]) for i in range(0, len(sentences), 6))


def read_wav(path: Path) -> np.ndarray:
    data = path.read_bytes()
    start = data.index(b"data") + 8
    return np.frombuffer(data[start : start + (len(data) - start) // 2 * 2], dtype=np.int16)


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
