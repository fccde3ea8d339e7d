"""Writing a file so that nobody ever sees half of it, and nobody's change is lost.

Every file rectify writes (an edited ledger file, a report, an export) goes
to a temporary file in the same directory (same file system, so the rename is
atomic), keeps the mode of the file it replaces, is synced, and then replaces
the target in one step. An edit may also insist that the target still holds
the bytes it was computed from, or that it does not exist yet. A command that
writes several files writes them all or none (`write_all`). Nothing is ever
written anywhere but next to the target.

A temporary is named `.NAME.rectify-tmp-PID-RANDOM.tmp`: hidden, so `check`
never reads it as a plan file, and carrying its writer's pid, so that a run
killed before its rename (SIGKILL, power loss) leaves something the next
durable write of the same target recognises and removes (`sweep_stale`).
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, NamedTuple, Sequence

ANY = object()  # `expected`: overwrite whatever is there
TMP_MARK = ".rectify-tmp-"


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
    write_all([(path, data, expected)], durable)


def write_all(writes: Sequence[tuple[Path, bytes | str, object]], durable: bool = True) -> None:
    """Replace several files, as `write_atomic` does one, all or none.

    Every check and every temporary file comes first, then the renames; if a
    rename fails, the files already replaced get their old bytes back (a new
    one is removed). So a refused or failed write leaves every file as it was.
    """
    staged: list[_Staged] = []
    try:
        undoable = len(writes) > 1  # one file is never half replaced: nothing to put back
        for path, data, expected in writes:
            staged.append(_stage(Path(path), data, expected, durable, undoable))
        done: list[_Staged] = []
        try:
            for item in staged:
                _put_in_place(item)
                done.append(item)
        except BaseException:
            for item in reversed(done):
                _undo(item)
            raise
    finally:
        for item in staged:
            if os.path.exists(item.tmp):
                os.unlink(item.tmp)
    if durable:
        for directory in dict.fromkeys(item.real.parent for item in staged):
            _sync_dir(directory)


class _Staged(NamedTuple):
    shown: Path
    real: Path
    tmp: str
    expected: object
    before: bytes | None  # what the target held when staged (None: absent, or not kept)


@contextmanager
def _naming(target: Path) -> Iterator[None]:
    """An OSError says which file it is about: the target, not a temporary name."""
    try:
        yield
    except OSError as exc:
        if exc.filename == str(target):
            raise
        raise OSError(exc.errno, exc.strerror or str(exc), str(target)) from exc


def _stage(path: Path, data: bytes | str, expected: object, durable: bool, undoable: bool) -> _Staged:
    with _naming(path):
        return _write_temporary(path, data, expected, durable, undoable)


def _write_temporary(path: Path, data: bytes | str, expected: object, durable: bool, undoable: bool) -> _Staged:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    real = Path(os.path.realpath(path))
    if real.is_dir():
        raise IsADirectoryError(21, "is a directory", str(path))
    before = current_bytes(real) if expected is not ANY or undoable else None
    if expected is not ANY and before != expected:
        raise ChangedOnDisk(str(path))
    if expected is None:
        real.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(real)
    if durable:  # not for the cache: thousands of entries in one directory, each checked by digest
        sweep_stale(real)
    fd, tmp = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}{TMP_MARK}{os.getpid()}-", suffix=".tmp")
    staged = _Staged(path, real, tmp, expected, before)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        os.unlink(tmp)
        raise
    return staged


def sweep_stale(target: Path) -> list[str]:
    """Remove the temporaries of `target` whose writer is dead on this host (a run
    killed between writing and renaming); the names removed. A live writer's,
    and anything that is not a regular file, are left alone."""
    prefix = f".{target.name}{TMP_MARK}"
    removed: list[str] = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(prefix) or not entry.name.endswith(".tmp"):
            continue
        pid, sep, _ = entry.name[len(prefix):].partition("-")
        if not sep or not pid.isdigit() or _alive(int(pid)):
            continue
        try:
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(entry.name)
        except OSError:  # gone already, or not ours to remove: harmless either way
            pass
    return removed


def _alive(pid: int) -> bool:
    if pid <= 0 or pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):  # someone else's process (EPERM): alive; no pid at all: not ours
        return True
    return True


def _put_in_place(item: _Staged) -> None:
    with _naming(item.shown):
        if item.expected is None:
            _create(item.tmp, item.real, item.shown)
        else:
            if item.expected is not ANY and current_bytes(item.real) != item.expected:  # last look before the rename
                raise ChangedOnDisk(str(item.shown))
            os.replace(item.tmp, item.real)


def _undo(item: _Staged) -> None:
    """Best effort: the failure that made us undo is the one to report."""
    try:
        if item.before is None:
            os.unlink(item.real)
        else:
            write_atomic(item.real, item.before, ANY)
    except OSError:
        pass


def _create(tmp: str, real: Path, shown: Path) -> None:
    try:
        os.link(tmp, real)
    except FileExistsError:
        raise ChangedOnDisk(str(shown)) from None
    except OSError:  # no hard links here (some network or FAT file systems)
        if os.path.lexists(real):
            raise ChangedOnDisk(str(shown)) from None
        os.replace(tmp, real)


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
