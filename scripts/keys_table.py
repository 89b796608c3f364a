"""Write the README's key table from src/listen/tui/bindings.py, so the README never drifts.

Run after changing any key: .venv/bin/python scripts/keys_table.py
(tests/test_tui_key_docs.py fails when the README's table is stale). The table sits between
the two marker comments in README.md; everything outside them is left as it is.
"""

from __future__ import annotations

import sys
from pathlib import Path

from listen.tui.bindings import key_table

README = Path(__file__).resolve().parent.parent / "README.md"
START = "<!-- keys: generated from src/listen/tui/bindings.py by scripts/keys_table.py -->\n"
END = "<!-- /keys -->\n"


def render(readme: str) -> str:
    """`readme` with the text between the markers replaced by the current table."""
    before, found, rest = readme.partition(START)
    _, found_end, after = rest.partition(END)
    if not (found and found_end):
        raise SystemExit(f"README.md has no key table markers: add {START.strip()} and {END.strip()}")
    return f"{before}{START}{key_table()}{END}{after}"


if __name__ == "__main__":
    text = README.read_text(encoding="utf-8")
    if "--check" in sys.argv:
        sys.exit(0 if render(text) == text else 1)
    README.write_text(render(text), encoding="utf-8")
    print(f"wrote the key table in {README}")
