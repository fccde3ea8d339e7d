"""Writing a ledger file only if nobody changed it since the edit read it."""

from __future__ import annotations

from pathlib import Path

from ..atomic import ChangedOnDisk, current_bytes, write_atomic
from ..load import display_path
from ..problems import ProblemError

__all__ = ["current_bytes", "write"]


def write(path: Path, data: bytes, expected: bytes | None) -> None:
    """Replace `path` with `data` if it still holds `expected` (None: must not exist)."""
    try:
        write_atomic(path, data, expected)
    except ChangedOnDisk:
        raise ProblemError("edit.changed_on_disk", file=display_path(path)) from None
