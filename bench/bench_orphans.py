"""Orphans after killing `listen build`: kill -9 (or SIGTERM) its main process N times at
varied moments and count the processes of its session still alive 5 s later (goal 0).

    PYTHONPATH=src .venv/bin/python bench/bench_orphans.py [KILLS] [--term]
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from test_batch_processes import session_members, start_build  # noqa: E402


def main() -> None:
    kills = int(next((a for a in sys.argv[1:] if a.isdigit()), "10"))
    signum = signal.SIGTERM if "--term" in sys.argv else signal.SIGKILL
    orphans = 0
    for n in range(kills):
        with tempfile.TemporaryDirectory() as folder:
            process, _ = start_build(Path(folder), count=6)
            time.sleep(0.5 + (n % 5) * 1.5)  # from start-up to mid-article
            os.kill(process.pid, signum)
            process.wait()
            time.sleep(5)
            left = session_members(process.pid)
            orphans += len(left)
            for pid in left:
                os.kill(pid, signal.SIGKILL)
            print(f"kill {n + 1}: {len(left)} left", flush=True)
    print(f"{signal.Signals(signum).name} x{kills}: {orphans} orphans")


if __name__ == "__main__":
    main()
