"""Writing a file so that nobody ever sees half of it, and nobody's change is lost.

Every file rectify writes (an edited ledger file, a report, an export) goes
to a temporary file in the same directory (same file system, so the rename is
atomic), keeps the mode of the file it replaces, is synced, and then replaces
the target in one step. An edit may also insist that the target still holds
the bytes it was computed from, or that it does not exist yet. Nothing is ever
written anywhere but next to the target.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

ANY = object()  # `expected`: overwrite whatever is there


class ChangedOnDisk(Exception):
    """The target no longer holds what the write was computed from."""


def current_bytes(path: Path) -> bytes | None:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        return None


def write_atomic(path: Path, data: bytes | str, expected: object = ANY, durable: bool = True) -> None:
    """Replace `path` with `data` (text is written as UTF-8).

    `expected` is ANY (overwrite), the exact bytes the file must still hold,
    or None (the file must not exist: an exclusive link, so two creators
    cannot both win). A symlink is written through to its target. `durable`
    False skips the syncs, for files that check their own integrity (a cache
    entry) and are written by the thousand. Raises ChangedOnDisk, or OSError
    for the caller to report.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    real = Path(os.path.realpath(path))
    if real.is_dir():
        raise IsADirectoryError(21, "is a directory", str(path))
    if expected is not ANY and current_bytes(real) != expected:
        raise ChangedOnDisk(str(path))
    if expected is None:
        real.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(real)
    fd, tmp = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if expected is None:
            _create(tmp, real, path)
        else:
            if expected is not ANY and current_bytes(real) != expected:  # last look before the rename
                raise ChangedOnDisk(str(path))
            os.replace(tmp, real)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    if durable:
        _sync_dir(real.parent)


def _create(tmp: str, real: Path, shown: Path) -> None:
    try:
        os.link(tmp, real)
    except FileExistsError:
        raise ChangedOnDisk(str(shown)) from None
    except OSError:  # no hard links here (some network or FAT file systems)
        if os.path.lexists(real):
            raise ChangedOnDisk(str(shown)) from None
        os.replace(tmp, real)
    else:
        os.unlink(tmp)


def _mode_for(path: Path) -> int:
    """The mode of the file being replaced, else the usual 0666 & ~umask
    (not the 0600 a temporary file is created with)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _sync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)
