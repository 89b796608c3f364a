"""listen build with real processes: kill -9 mid-run and resume; a Dask LocalCluster."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from listen.batch.run import BuildOptions, build
from listen.batch.worker import EngineSpec
from test_batch import Quiet  # the reporter that says nothing

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng"),
]
LISTEN = str(Path(sys.executable).parent / "listen")


def write_library(folder: Path, count: int, paragraphs: int = 12) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        body = "\n\n".join(
            f"Part {p} of report {n}: the harbour crew checked the ropes, the lamps and the radio before dusk."
            for p in range(paragraphs)
        )
        (folder / f"report-{n}.txt").write_text(f"Harbour Report {n}\n\n{body}\n", encoding="utf-8")


def manifest(out: Path) -> dict[str, dict]:
    try:
        return {e["slug"]: e for e in json.loads((out / "manifest.json").read_text())["articles"]}
    except FileNotFoundError:
        return {}


def test_kill_9_mid_run_then_rerun_keeps_finished_work_and_leaves_nothing_partial(tmp_path: Path) -> None:
    library, out = tmp_path / "lib", tmp_path / "audio"
    write_library(library, 8)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    command = [LISTEN, "build", str(library), "-d", str(out), "--engine", "espeak", "--jobs", "1"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while len(manifest(out)) < 2 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    finished = manifest(out)
    assert 2 <= len(finished) < 8, "the run should have been killed part-way"
    kept = {slug: (out / entry["mp3"]).stat().st_mtime_ns for slug, entry in finished.items()}
    for mp3 in out.glob("*.mp3"):  # every file with a final name is a complete MP3
        probe = subprocess.run(
            ["ffprobe", "-v", "error", "-show_entries", "format=duration", str(mp3)], capture_output=True, text=True
        )
        assert probe.returncode == 0 and "duration=" in probe.stdout, mp3

    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    done = manifest(out)
    assert len(done) == 8
    for slug, mtime in kept.items():  # finished articles were not redone
        assert (out / done[slug]["mp3"]).stat().st_mtime_ns == mtime
    assert [p.name for p in out.iterdir() if ".listen-tmp-" in p.name] == []
    assert f"{len(kept)} unchanged" in rerun.stdout


def test_dask_local_cluster_builds_with_the_same_manifest_and_files(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    library, out = tmp_path / "lib", tmp_path / "audio"
    write_library(library, 3, paragraphs=2)
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None, host="127.0.0.1"
    ) as cluster:
        options = BuildOptions(out_dir=out, spec=EngineSpec("espeak"), scheduler=cluster.scheduler_address)
        report = build([library], options, Quiet())
        again = build([library], options, Quiet())
    assert report.exit_code == 0 and len(report.narrated) == 3
    entries = manifest(out)
    assert set(entries) == {"report-0", "report-1", "report-2"}
    for entry in entries.values():
        mp3 = out / entry["mp3"]
        assert mp3.stat().st_size == entry["bytes"]
        assert (out / entry["chapters_json"]).exists() and (out / entry["vtt"]).exists()
    assert again.narrated == [] and len(again.unchanged) == 3


def test_two_worker_processes_narrate_every_article_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    library, out = tmp_path / "lib", tmp_path / "audio"
    write_library(library, 4, paragraphs=3)
    options = BuildOptions(out_dir=out, spec=EngineSpec("espeak"), jobs=2)
    report = build([library], options, Quiet())
    assert report.exit_code == 0 and sorted(report.narrated) == sorted(str(p.resolve()) for p in library.glob("*.txt"))
    entries = manifest(out)
    assert set(entries) == {f"report-{n}" for n in range(4)}
    for entry in entries.values():
        assert (out / entry["mp3"]).stat().st_size == entry["bytes"] and len(entry["chapters"]) >= 1
    assert [p.name for p in out.iterdir() if ".listen-tmp-" in p.name] == []
    again = build([library], options, Quiet())
    assert again.narrated == [] and len(again.unchanged) == 4


def test_worker_processes_start_during_planning_only_when_they_will_be_used(tmp_path: Path) -> None:
    from listen.batch.executors import Workers

    def started(jobs: int, count: int, engine: str = "espeak") -> bool:
        with Workers(BuildOptions(out_dir=tmp_path, spec=EngineSpec(engine), jobs=jobs)) as workers:
            workers.expect(count)
            return workers._pool is not None

    assert not started(2, 1)  # one article (or a re-run with nothing to load) is narrated here
    assert not started(1, 5)
    assert not started(2, 5, "gtts")  # threads, not processes
    assert started(2, 5)


def test_dask_with_no_workers_gives_up_with_one_reason_per_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd
) -> None:
    distributed = pytest.importorskip("distributed")
    from listen.batch import cluster

    monkeypatch.setattr(cluster, "NO_WORKERS_LIMIT_S", 3.0)
    library, out = tmp_path / "lib", tmp_path / "audio"
    write_library(library, 2, paragraphs=2)
    with distributed.LocalCluster(
        n_workers=1, processes=True, threads_per_worker=1, dashboard_address=None, host="127.0.0.1"
    ) as cluster:
        with distributed.Client(cluster.scheduler_address) as client:
            client.retire_workers()  # the cluster's only worker leaves before the build
        options = BuildOptions(out_dir=out, spec=EngineSpec("espeak"), scheduler=cluster.scheduler_address)
        report = build([library], options, Quiet())
    assert report.exit_code == 1 and len(report.failed) == 2
    assert all("no Dask worker for 3 s" in item.reason for item in report.failed)


def test_a_dask_worker_lost_mid_build_is_said_and_its_articles_done_by_the_others(tmp_path: Path, capfd) -> None:
    distributed = pytest.importorskip("distributed")
    import threading

    library, out = tmp_path / "lib", tmp_path / "audio"
    write_library(library, 4, paragraphs=10)
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None, host="127.0.0.1"
    ) as cluster:
        options = BuildOptions(out_dir=out, spec=EngineSpec("espeak"), scheduler=cluster.scheduler_address)
        result: list = []
        builder = threading.Thread(target=lambda: result.append(build([library], options, Quiet())))
        builder.start()
        deadline = time.monotonic() + 60
        with distributed.Client(cluster.scheduler_address) as client:
            while time.monotonic() < deadline and not any(client.processing().values()):
                time.sleep(0.1)
            busy = next(address for address, tasks in client.processing().items() if tasks)
            pid = client.run(os.getpid, workers=[busy])[busy]
        os.kill(pid, signal.SIGKILL)  # a worker dies holding an article
        builder.join(timeout=300)
    (report,) = result
    assert report.exit_code == 0 and len(report.narrated) == 4
    assert "lost 1 Dask worker; their articles go to the workers left." in capfd.readouterr().err


def test_a_missing_folder_among_the_inputs_stops_the_build_before_it_starts(tmp_path: Path) -> None:
    library = tmp_path / "articles"
    library.mkdir()
    (library / "tide.txt").write_text("Tide tables\n\nThe tide turns twice a day.\n", encoding="utf-8")
    out = tmp_path / "audio"
    done = subprocess.run(
        [LISTEN, "build", str(library), str(tmp_path / "more-articles"), "-d", str(out), "--engine", "espeak"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"listen: {tmp_path / 'more-articles'}: no such file or folder; check the path."
    ]
    assert not out.exists() or not any(out.glob("*.mp3"))
