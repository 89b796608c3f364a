"""`listen serve` as a user runs it: one line to start, one line when Ctrl-C stops it."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import urllib.request

import pytest
from browser.library import make_library

from listen.cli import main

RUN_LISTEN = "import sys; from listen.cli import main; sys.exit(main(sys.argv[1:]))"


@pytest.mark.timeout(60)
def test_ctrl_c_stops_the_server_with_one_line_and_no_traceback(tmp_path):
    audio = make_library(tmp_path)
    assert main(["publish", str(audio), "--base-url", "https://example.org/audio/"]) == 0
    process = subprocess.Popen(
        [sys.executable, "-c", RUN_LISTEN, "serve", str(audio), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        started = process.stdout.readline()
        assert started.startswith(f"Serving {audio} at http://127.0.0.1:") and "Ctrl-C" in started
        url = started.split(" at ", 1)[1].split("/;", 1)[0] + "/feed.xml"
        assert process.stdout.readline().startswith(f"Podcast apps can subscribe at {url}; ")
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 0
    assert out == "" and err == "Stopped serving.\n"


def test_a_port_in_use_is_one_line(tmp_path, capsys):
    audio = make_library(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", str(audio), "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--port" in err


def test_a_missing_folder_is_one_line(tmp_path, capsys):
    assert main(["serve", str(tmp_path / "nowhere")]) == 2
    assert "is not a folder" in capsys.readouterr().err


@pytest.mark.timeout(60)
@pytest.mark.parametrize("published", [False, True], ids=["unpublished", "published"])
def test_serving_a_folder_without_a_feed_says_so_in_one_line(tmp_path, published):
    audio = make_library(tmp_path)
    if published:
        assert main(["publish", str(audio), "--base-url", "https://example.org/audio/"]) == 0
    process = subprocess.Popen(
        [sys.executable, "-c", RUN_LISTEN, "serve", str(audio), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline().startswith("Serving ")
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    finally:
        process.kill()
    notes = [line for line in err.splitlines() if "feed.xml" in line]
    if published:
        assert notes == []
    else:
        assert notes == [f"Note: {audio} has no feed.xml; run 'listen publish {audio}' for a page and a feed."]
