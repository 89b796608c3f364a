"""What the library, the reader and help look like at 80×24 and 120×40.

Snapshots live in tests/snapshots/; after a deliberate change of look, run
``pytest tests/test_tui_snapshots.py --snapshot-update`` and look at the new SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_textual_snapshot

from listen.state import Store
from listen.tui.app import create_app
from listen.tui.services import Services
from tui_support import LANTERN, REPO, open_article, settle

SNAPSHOTS = Path(__file__).parent / "snapshots"
SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def snapshots_in_tests_snapshots(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the SVGs in tests/snapshots/<module>/ rather than syrupy's __snapshots__."""

    def dirname(cls, *, test_location) -> str:
        return str(SNAPSHOTS / test_location.basename)

    monkeypatch.setattr(pytest_textual_snapshot.SVGImageExtension, "dirname", classmethod(dirname))


def app_on_fixtures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The same path text on every machine, so the library's title line is stable."""
    monkeypatch.chdir(REPO)
    return create_app(
        "tests/fixtures/tui",
        store=Store(tmp_path / "state.sqlite3"),
        services=Services(audio_dir=tmp_path / "audio"),
        keymap={},
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_library_snapshot(snap_compare, size, tmp_path, monkeypatch) -> None:
    app = app_on_fixtures(tmp_path, monkeypatch)
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_reader_snapshot(snap_compare, size, tmp_path, monkeypatch) -> None:
    app = app_on_fixtures(tmp_path, monkeypatch)

    async def on_second_section(pilot) -> None:
        await open_article(pilot, Path("tests/fixtures/tui") / LANTERN.name)
        await pilot.press("h", "j")

    assert snap_compare(app, terminal_size=size, run_before=on_second_section)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help_snapshot(snap_compare, size, tmp_path, monkeypatch) -> None:
    app = app_on_fixtures(tmp_path, monkeypatch)

    async def reader_help(pilot) -> None:
        await open_article(pilot, Path("tests/fixtures/tui") / LANTERN.name)
        await pilot.press("f1")

    assert snap_compare(app, terminal_size=size, run_before=reader_help)
