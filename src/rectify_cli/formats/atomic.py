"""Writing an output file so that readers never see half of it.

A report or ledger is often written over the previous one that a colleague
has open or a sync tool is watching: the bytes go to a temporary file in the
same directory (same file system, so the rename is atomic) and replace the
target in one step. Nothing is ever written anywhere but next to the target.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write `data` (text is UTF-8 encoded as given) to `path` atomically.

    The new file keeps the mode of the file it replaces, else the usual
    0666 & ~umask, instead of the 0600 a temporary file is created with.
    Raises OSError (the caller reports it as a usage problem).
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise IsADirectoryError(21, "is a directory", str(path))
    mode = _mode_for(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
