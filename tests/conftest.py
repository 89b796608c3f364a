"""Shared test set-up: every test gets its own data, config and cache dirs (no user state touched)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

# Modules whose tests mostly do heavy work, by the kind of work, so `make test-fast` can leave
# them out (pytest -m "not (slow or app or encoder or subprocess or server)") and stay under a
# minute; `make test` runs them all. Chosen from `pytest --durations` (issue 15 part 5): a module
# lands here when its tests take seconds each, not milliseconds. A new heavy module belongs here too.
HEAVY_MODULES = {
    "app": (
        "test_a11y_contrast",
        "test_a11y_screen_reader",
        "test_a11y_small_screen",
        "test_tui_key_docs",
        "test_tui_keys_everywhere",
        "test_tui_library",
        "test_tui_listen",
        "test_tui_open_link",
        "test_tui_reader",
        "test_tui_refresh",
        "test_tui_snapshots",
        "test_tui_text_sizing",
        "test_tui_voices",
    ),
    "encoder": (
        "test_audio_atomic",
        "test_audio_chapter_cache",
        "test_audio_loudness",
        "test_audio_m4b",
        "test_audio_mp3",
        "test_audio_overlap",
        "test_batch",
        "test_batch_integrity",
        "test_batch_lock",
        "test_build_idle",
        "test_manifest_faults",
        "test_manifest_writer",
        "test_narration_seam",
        "test_publish_timed_transcripts",
        "test_speak",
    ),
    "subprocess": (
        "test_cli_articles",
        "test_cli_docs",
        "test_serve_cli",
        "test_sources_stdin",
        "test_speech_show_script",
        "test_tui_layering",
    ),
    "server": (
        "test_batch_gtts",
        "test_serve_feed",
        "test_serve_hardening",
        "test_serve_http",
        "test_sources_feeds",
        "test_sources_fetch",
        "test_sources_refresh",
        "test_voices_add",
    ),
}
MARKER_OF_MODULE = {module: marker for marker, modules in HEAVY_MODULES.items() for module in modules}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        marker = MARKER_OF_MODULE.get(item.path.stem)
        if marker:
            item.add_marker(marker)


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    return home


@pytest.fixture
def write(tmp_path: Path):
    """write('name.txt', text or bytes) -> path, in a fresh folder."""

    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding=encoding)
        return path

    return _write
