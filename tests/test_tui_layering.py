"""Textual stays in the TUI: the domain and the other commands never import it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "listen"
ALLOWED = {SRC / "cli" / "read.py"}


def imports_textual(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "textual" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "textual":
            return True
    return False


def test_no_module_outside_the_tui_imports_textual() -> None:
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "tui" not in path.relative_to(SRC).parts and path not in ALLOWED and imports_textual(path)
    ]
    assert offenders == []


def test_the_command_line_loads_textual_only_when_the_reader_runs() -> None:
    """`listen list` or `listen build` must not pay for Textual's import."""
    code = (
        "import sys; from listen.cli import build_parser; import listen.state, listen.speech.player; "
        "build_parser(); print('textual' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
