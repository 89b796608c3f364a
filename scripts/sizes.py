"""The largest modules and functions under src/, in lines: the figures issue 15 reports.

    .venv/bin/python scripts/sizes.py [FOLDER] [-n N]

A module's size is its line count; a function's (methods and nested functions included) runs
from its `def` line to its last line (ast's end_lineno), decorators left out.
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="src", type=Path)
    parser.add_argument("-n", type=int, default=5, help="how many of each to show (5)")
    args = parser.parse_args()
    modules: list[tuple[int, str]] = []
    functions: list[tuple[int, str]] = []
    for path in sorted(args.folder.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        modules.append((len(text.splitlines()), str(path)))
        for node in ast.walk(ast.parse(text, str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                functions.append((lines, f"{path}:{node.lineno} {node.name}"))
    for heading, rows in (("largest modules", modules), ("largest functions", functions)):
        print(f"{heading} (lines):")
        for lines, where in sorted(rows, reverse=True)[: args.n]:
            print(f"  {lines:5d}  {where}")


if __name__ == "__main__":
    main()
