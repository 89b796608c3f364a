"""`listen serve` under slow clients: 1,100 connections that trickle a request head and
never finish it, the server at `ulimit -n 1024`, on 127.0.0.1 only; then 9 probes from an
ordinary client. Prints each probe's answer and time, and the server's thread count.

    PYTHONPATH=src .venv/bin/python bench/bench_serve_slow_clients.py [SERVER_MODULE.py]

With SERVER_MODULE.py (e.g. an older publish/server.py saved from git) that one is run.
"""

from __future__ import annotations

import http.client
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from browser.library import make_library  # noqa: E402

from listen.publish.publisher import publish  # noqa: E402

SERVE = """
import importlib.util, sys
from pathlib import Path
if len(sys.argv) > 2:
    spec = importlib.util.spec_from_file_location("server", sys.argv[2])
    module = importlib.util.module_from_spec(spec); sys.modules["server"] = module; spec.loader.exec_module(module)
else:
    import listen.publish.server as module
server = module.make_server(Path(sys.argv[1]), "127.0.0.1", 0)
print(server.server_address[1], flush=True)
server.serve_forever(poll_interval=0.2)
"""
SLOW, PROBES = 1100, 9


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    audio = make_library(folder)
    publish(audio, "http://127.0.0.1/")
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    server = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(audio), *sys.argv[1:2]], stdout=subprocess.PIPE, text=True,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (1024, hard)),
    )  # fmt: skip
    slow: list[socket.socket] = []
    try:
        port = int(server.stdout.readline())
        for _ in range(SLOW):
            sock = socket.socket()
            sock.setblocking(False)
            sock.connect_ex(("127.0.0.1", port))
            slow.append(sock)
        time.sleep(1.0)
        for sock in slow:
            try:
                sock.send(b"GET /index.html HTTP/1.1\r\nHost: x\r\n")
            except OSError:
                pass
        served, worst = 0, 0.0
        for n in range(PROBES):
            for sock in slow[:100]:
                try:
                    sock.send(b"X-Trickle: 1\r\n")
                except OSError:
                    pass
            began = time.perf_counter()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", "/index.html")
                response = connection.getresponse()
                status = response.status
                response.read()
            except OSError as error:
                status = f"failed ({error.__class__.__name__})"
            seconds = time.perf_counter() - began
            served += status == 200
            worst = max(worst, seconds)
            print(f"probe {n + 1}: {status} in {seconds:.3f} s", flush=True)
            time.sleep(0.5)
        threads = next(
            int(line.split()[1]) for line in Path(f"/proc/{server.pid}/status").read_text().splitlines()
            if line.startswith("Threads:")
        )  # fmt: skip
        print(
            f"{served}/{PROBES} probes answered, slowest {worst:.3f} s; server alive: {server.poll() is None}; threads: {threads}"
        )
    finally:
        for sock in slow:
            sock.close()
        server.kill()
        server.wait()


if __name__ == "__main__":
    main()
