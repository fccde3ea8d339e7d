"""The one place that turns off Python's cyclic garbage collector.

A command builds one ledger, acyclic, that lives until the process exits:
the cyclic collector would only rescan a growing model (half the time of a
load at 50,000 tasks). `main` runs every command inside it; the loader and
history use it too when called as a library, and leave the collector as
they found it.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


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
