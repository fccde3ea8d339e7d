"""Standard output that never loses a byte silently.

Python's own `sys.stdout` drops short writes when it is unbuffered
(`PYTHONUNBUFFERED=1`, common in containers and CI: the text layer ignores
how many bytes the raw `write` took), and its failures are plain `OSError`s
that look like a bug. The stream installed here writes through a buffered
writer (which retries short writes until every byte is out or the system
says why not) over a raw file that turns each failure into `OutputError`, so
`main` can say "output could not be written" and exit 2, and no code that
handles a failing *file* can mistake it for its own.
"""

from __future__ import annotations

import errno
import io
import os
import select
import sys

BUFFER_SIZE = 1 << 16


class OutputError(Exception):
    """Standard output refused bytes: disk full, file size limit, closed pipe."""

    def __init__(self, cause: OSError) -> None:
        super().__init__(cause.strerror or str(cause))
        self.errno = cause.errno
        self.strerror = cause.strerror or str(cause)


class _CheckedRaw(io.RawIOBase):
    """File descriptor 1, whose failures are `OutputError`s."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, data) -> int:  # type: ignore[override]
        while True:
            try:
                return os.write(self._fd, data)
            except BlockingIOError:  # a non-blocking stdout a parent handed us: wait, never drop
                select.select([], [self._fd], [])
            except OSError as exc:
                raise OutputError(exc) from None


def install() -> None:
    """Make `sys.stdout` a checked stream with the same encoding and line buffering.

    Left alone when it is not the process's own descriptor 1 (a test runner's
    capture, an embedding application)."""
    stream = sys.stdout
    if stream is None or stream is not sys.__stdout__:
        return
    try:
        if stream.fileno() != 1:
            return
        stream.flush()
    except (OSError, ValueError, AttributeError):
        return
    unbuffered = isinstance(getattr(stream, "buffer", None), io.RawIOBase)  # PYTHONUNBUFFERED / -u
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(_CheckedRaw(1), BUFFER_SIZE),
        encoding=stream.encoding,
        errors=stream.errors,
        line_buffering=stream.line_buffering or unbuffered,
    )


def discard() -> None:
    """After a failure: what is still buffered goes nowhere, so exiting cannot fail again."""
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives until exit


def reason_key(error: OutputError) -> str | None:
    """The catalogue key explaining a failure in words, or None to show the system's."""
    return {errno.ENOSPC: "cli.output_disk_full", errno.EFBIG: "cli.output_too_big"}.get(error.errno or 0)


def is_closed_pipe(error: BaseException) -> bool:
    """The reader went away (`rectify status | head`): nothing is lost that anyone wanted."""
    return getattr(error, "errno", None) == errno.EPIPE
