"""Die with the build: a worker, or the fork server it comes from, must never outlive it.

The local pool's workers are forked from multiprocessing's fork server, whose parent is the
build. Killed (kill -9, an OOM kill, a crashed terminal), the build cannot end them, and a
worker went on for minutes writing articles no manifest would ever name. Linux can send a
signal when a process's parent dies (prctl PR_SET_PDEATHSIG): the fork server asks for it
when this module is preloaded into it (first, before the heavy imports, so a build killed
while it starts still takes it along), and each worker asks again right after it is forked
(not later: a worker forked from a process with threads can hang before it runs any of
ours), so the chain build → fork server → workers → their ffmpeg falls together.
Elsewhere: nothing.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

BUILD_PID = "LISTEN_BUILD_PID"  # set by the build before it starts the fork server
_PR_SET_PDEATHSIG = 1


def _load_prctl():  # noqa: ANN202 - a ctypes function
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_prctl = _load_prctl()


def die_with_parent(parent: int | None = None) -> None:
    """Ask Linux to SIGKILL this process when its parent (pid `parent`, if known) dies."""
    parent = os.getppid() if parent is None else parent
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request: follow it now
        os._exit(1)


def _in_fork_server() -> bool:
    """Whether this module is being preloaded by multiprocessing's fork server process."""
    return sys.argv[:1] == ["-c"] and "multiprocessing.forkserver" in sys.modules


def _follow_fork_server() -> None:
    """In a worker, right after the fork server forked it: before anything can hang in it
    (a child forked from a process with threads can block on a lock forever). Only there:
    the hook is inherited, and the worker's own children (ffmpeg) have their own parent."""
    global _SERVER
    if _SERVER is not None:
        server, _SERVER = _SERVER, None
        die_with_parent(server)


if _in_fork_server():
    die_with_parent(int(os.environ.get(BUILD_PID) or os.getppid()))
    _SERVER: int | None = os.getpid()
    os.register_at_fork(after_in_child=_follow_fork_server)
