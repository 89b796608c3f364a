"""`man listen` and tab completion come from the command's own parser, so they never drift."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LISTEN = shutil.which("listen", path=str(Path(sys.executable).parent)) or "listen"


def test_the_committed_man_page_matches_the_parser() -> None:
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "manpage.py"), "--check"], check=False)
    assert result.returncode == 0, "man/listen.1 is stale: run .venv/bin/python scripts/manpage.py"


def test_the_man_page_lists_every_command_and_renders(tmp_path: Path) -> None:
    page = (REPO / "man" / "listen.1").read_text()
    from listen.cli import COMMANDS

    for command in COMMANDS:
        assert f"'listen {command}'" in page
    if shutil.which("man"):
        shown = subprocess.run(
            ["man", "-l", str(REPO / "man" / "listen.1")],
            capture_output=True,
            text=True,
            env={**os.environ, "MANPAGER": "cat", "COLUMNS": "80"},
            check=True,
        ).stdout
        assert "narrate" in shown and "listen speak" in shown


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts_are_printed_for_each_shell(shell: str) -> None:
    result = subprocess.run([LISTEN, "completion", shell], capture_output=True, text=True, check=True)
    assert "listen" in result.stdout and len(result.stdout) > 200


@pytest.mark.parametrize(
    ("line", "expected"),
    [("listen sp", {"speak"}), ("listen speak --eng", {"--engine"}), ("listen comp", {"completion"})],
)
def test_completion_answers_from_the_real_parser(tmp_path: Path, line: str, expected: set[str]) -> None:
    out = tmp_path / "completions"
    env = {
        **os.environ,
        "_ARGCOMPLETE": "1",
        "COMP_LINE": line,
        "COMP_POINT": str(len(line)),
        "_ARGCOMPLETE_STDOUT_FILENAME": str(out),
    }
    subprocess.run([LISTEN], env=env, check=True, cwd=tmp_path, timeout=60)
    words = set(out.read_text().replace("\x0b", " ").split())
    assert expected <= words


def test_an_unknown_shell_is_one_line_and_exit_2() -> None:
    result = subprocess.run([LISTEN, "completion", "powershell"], capture_output=True, text=True)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_every_module_trafilatura_needs_for_pages_is_declared_by_name() -> None:
    # The pip bundled with Python 3.11 drops "lxml[html_clean]"; then every HTML page crashes.
    import tomllib

    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {d.split(">")[0].split("=")[0].split("<")[0].split("[")[0].strip().lower() for d in declared}
    assert "lxml_html_clean" in names
    assert "argcomplete" in names
    import lxml.html.clean  # noqa: F401  (what justext imports)
