"""Dask is an extra (listen[cluster]): without it, --scheduler is one clear line, not a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from listen.cli import main


def test_scheduler_without_distributed_says_to_install_the_cluster_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` now raises ImportError
    library, out = tmp_path / "lib", tmp_path / "audio"
    library.mkdir()
    (library / "tides.txt").write_text(
        "Tide Tables for the Week\n\nLow water comes twenty minutes later each day, so the ferry leaves later too.\n",
        encoding="utf-8",
    )
    code = main(["build", str(library), "--dir", str(out), "--engine", "espeak", "--scheduler", "tcp://127.0.0.1:9"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code != 0
    assert len(err) == 1 and "listen[cluster]" in err[0] and "distributed" in err[0], err
    assert not list(out.rglob("*.mp3"))
