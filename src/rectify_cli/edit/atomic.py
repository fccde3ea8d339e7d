"""Writing a ledger file so that a reader never sees half of it and nobody's
concurrent change is lost.

The new bytes go to a temporary file in the same directory (same file
system, so the rename is atomic), keep the old file's mode, and replace it
with `os.replace` only if the file still holds exactly the bytes the edit was
computed from; otherwise the edit is refused and the temporary file removed.
A symlinked ledger file is written through to its target. A created file
must not exist yet (an exclusive hard link, so two creators cannot both win).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..load import display_path
from ..problems import ProblemError


def current_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write(path: Path, data: bytes, expected: bytes | None) -> None:
    """Replace `path` with `data` if it still holds `expected` (None: must not exist)."""
    real = Path(os.path.realpath(path))
    if current_bytes(real) != expected:
        raise ProblemError("edit.changed_on_disk", file=display_path(path))
    if expected is None:
        real.parent.mkdir(parents=True, exist_ok=True)
        mode = _umask_mode()
    else:
        mode = real.stat().st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if expected is None:
            try:
                os.link(tmp, real)
            except FileExistsError:
                raise ProblemError("edit.changed_on_disk", file=display_path(path)) from None
            except OSError:  # no hard links here (some network or FAT file systems)
                if os.path.lexists(real):
                    raise ProblemError("edit.changed_on_disk", file=display_path(path)) from None
                os.replace(tmp, real)
            else:
                os.unlink(tmp)
        else:
            if current_bytes(real) != expected:  # last look, as close to the rename as we can
                raise ProblemError("edit.changed_on_disk", file=display_path(path))
            os.replace(tmp, real)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    _sync_dir(real.parent)


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
