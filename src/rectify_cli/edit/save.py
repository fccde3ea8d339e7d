"""Saving ledger files only if nobody changed them since the edit read them, all or none
(the edit-level face of `atomic.write_all`: its refusals as messages)."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from ..atomic import ChangedOnDisk, current_bytes, write_all
from ..loader import display_path
from ..problems import ProblemError

__all__ = ["current_bytes", "write"]


def write(changes: Sequence[tuple[Path, bytes, bytes | None]]) -> None:
    """Replace each path with its data if it still holds the expected bytes
    (None: must not exist yet); all of them or, if one is refused or fails, none."""
    try:
        write_all(changes)
    except ChangedOnDisk as exc:
        raise ProblemError("edit.changed_on_disk", file=display_path(Path(str(exc)))) from None
    except OSError as exc:  # disk full, permissions: every file is as it was
        where = display_path(Path(exc.filename)) if exc.filename else "?"
        raise ProblemError("edit.write_failed", file=where, reason=exc.strerror or str(exc)) from None
