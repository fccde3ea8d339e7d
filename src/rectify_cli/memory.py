"""The one place that turns off Python's cyclic garbage collector.

A command builds one ledger, acyclic, that lives until the process exits:
the cyclic collector would only rescan a growing model (half the time of a
load at 50,000 tasks). `main` turns it off for the rest of the process
(`off_until_exit`); the loader and history turn it off while they work when
called as a library, and leave the collector as they found it.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


def off_until_exit() -> None:
    """For a process that ends once its one command is done (`cli.main`). Never turned on
    again: every object made while the collector was off is still in its youngest
    generation, so the first collection after turning it on (at the first allocation
    that follows) walks the whole ledger, 0.3 s at 50,000 tasks, just before the exit."""
    gc.disable()


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Loading and judging a ledger only allocate, never make cycles worth
    collecting; the cyclic collector rescanning a growing model took half the
    time at 50,000 tasks."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
