"""A clean venv made with the pip bundled with Python 3.11 (not upgraded) installs listen, and
the installed `listen` opens an HTML article (issue 14).

That pip (23.x) drops the "lxml[html_clean]" extra, so an install that leaned on the extra
crashed on every HTML page (trafilatura → justext → lxml.html.clean). The README's Dask recipe
tells workers to run exactly this install.

Tests never touch the network, so the install runs from a folder of wheels made once with that
same pip: ``python3.11 -m venv /tmp/dl && /tmp/dl/bin/pip download -d WHEELHOUSE . 'setuptools>=77'
wheel``, then ``LISTEN_WHEELHOUSE=WHEELHOUSE pytest -m slow tests/test_install_clean_venv.py``.
Without a wheelhouse the test is skipped, and says why.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
WHEELHOUSE = os.environ.get("LISTEN_WHEELHOUSE", "")
PYTHON = shutil.which("python3.11")
ARTICLE = REPO / "tests" / "fixtures" / "fidelity" / "html-feature-pullquotes.html"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(PYTHON is None, reason="needs python3.11 (its bundled pip is the one under test)"),
    pytest.mark.skipif(
        not WHEELHOUSE or not Path(WHEELHOUSE).is_dir(),
        reason="set LISTEN_WHEELHOUSE to a folder of wheels (see the docstring)",
    ),
]


def run(*command: str | Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(c) for c in command], capture_output=True, text=True, timeout=1200, check=False, **kwargs
    )  # type: ignore[call-overload]


@pytest.mark.timeout(1800)  # a venv and some 60 wheels installed: minutes on a loaded machine
def test_the_bundled_pip_installs_listen_and_it_opens_an_html_article(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    assert PYTHON is not None
    made = run(PYTHON, "-m", "venv", venv)
    assert made.returncode == 0, made.stderr
    pip = venv / "bin" / "pip"
    version = run(pip, "--version").stdout
    assert version.startswith("pip 2"), version  # the bundled one, never upgraded here
    source = tmp_path / "listen"  # a copy, so the build leaves nothing in the working tree
    shutil.copytree(
        REPO, source, ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.egg-info", "build", "audio")
    )
    env = {**os.environ, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": WHEELHOUSE, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    installed = run(pip, "install", source, env=env)
    assert installed.returncode == 0, installed.stderr[-3000:]
    expected = json.loads(
        ARTICLE.with_name(ARTICLE.name.replace(".html", ".expected.json")).read_text(encoding="utf-8")
    )
    home = {
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "LANG": "C.UTF-8",
    }
    shown = run(venv / "bin" / "listen", "show", ARTICLE, env=home, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "Traceback" not in shown.stderr
    assert expected["title"] in shown.stdout
    cleaned = run(venv / "bin" / "python", "-c", "import lxml.html.clean", env=home)
    assert cleaned.returncode == 0, cleaned.stderr
