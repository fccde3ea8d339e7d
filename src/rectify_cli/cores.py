"""Work on every core: forked workers that inherit what they work on.

Composing YAML and judging tasks are CPU-bound Python, so threads cannot help. A worker
forked from this process has in memory everything it works on (nothing is sent to it) and
sends back plain values. Workers are used only on Linux (fork without exec is unsafe on
macOS, absent on Windows) and never from a process running other threads. They die with
their parent: the kernel kills each one when the parent goes (`PR_SET_PDEATHSIG`), and a
SIGTERM to the parent ends them first, so `kill` never leaves one asleep on its pipe.
Users: `parse_pool` (a large ledger's first read) and `dayparts` (judging many files).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:  # imported when workers are started: a warm run starts none (15 ms)
    from concurrent.futures import ProcessPoolExecutor


def usable() -> int:
    """How many workers may run at once here; 1: work in this process."""
    # Forking a process that runs other threads can copy a lock some thread
    # holds (a library embedding rectify, say): work in process then.
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return 1
    try:
        return min(len(os.sched_getaffinity(0)), 8)
    except OSError:  # pragma: no cover
        return 1


@contextmanager
def forked(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of `workers` processes forked from this one when the first job is submitted
    (so each sees this process as it is then), ended with it."""
    sys.stdout.flush()  # a forked worker flushes its copy of these buffers when it ends
    sys.stderr.flush()
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("fork"), initializer=_die_with, initargs=(os.getpid(),)
    ) as pool, _ended_by_sigterm(pool):
        yield pool


def _die_with(parent: int) -> None:
    """In a worker, first thing: the kernel kills it when its parent ends, however it ends."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - no prctl: the SIGTERM handler still ends us
        pass
    if os.getppid() != parent:  # the parent ended before the line above took effect
        os._exit(1)


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


@contextmanager
def _ended_by_sigterm(pool: ProcessPoolExecutor) -> Iterator[None]:
    """While workers run, a SIGTERM to this process ends them, then this process as before."""
    before = signal.getsignal(signal.SIGTERM)
    if threading.current_thread() is not threading.main_thread() or before is signal.SIG_IGN:  # pragma: no cover
        yield  # handlers are set from the main thread only; an ignored SIGTERM ends nothing
        return

    def ended(signum: int, frame: object) -> None:
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.kill()
        signal.signal(signal.SIGTERM, before if before is not None else signal.SIG_DFL)
        if callable(before):
            before(signum, frame)
        else:
            os.kill(os.getpid(), signum)

    signal.signal(signal.SIGTERM, ended)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)
