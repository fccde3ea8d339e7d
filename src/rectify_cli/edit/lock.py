"""One edit at a time per repository, the way git takes `index.lock`.

An edit reads the ledger, judges the change, writes and (with --commit)
commits; without a lock, two edits could both read the same bytes and the
second rename would silently drop the first one's change. The lock is a file
created with O_CREAT|O_EXCL and held from before the first read to after the
commit:

- in a git work tree, `<git dir>/rectify.lock` (never in the work tree, so it
  can neither be committed nor show up in `git status`);
- elsewhere, `.rectify.lock` in the ledger's root (hidden: `check` skips it).

It records who holds it (pid, host, start time, command). A second edit waits
up to `RECTIFY_LOCK_TIMEOUT` seconds (default 5) and is then refused, naming
the holder. A lock whose pid is no longer alive on this host is taken over,
under an flock on the dead lock file so that two takers cannot both win.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import socket
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from ..problems import ProblemError
from ..tree import WorkTree, display_path

try:  # POSIX; elsewhere a stale lock is only taken over when nobody races for it
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = "rectify.lock"
TIMEOUT_ENV = "RECTIFY_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 5.0
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def timeout() -> float:
    """Seconds to wait for a lock (ours or git's) before refusing."""
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 3600:
        raise ProblemError("edit.bad_lock_timeout", var=TIMEOUT_ENV, value=raw)
    return value


def pause(attempt: int) -> None:
    """A short, jittered wait: many waiters must not poll in step."""
    time.sleep(random.uniform(0.005, min(0.1, 0.01 * 2 ** min(attempt, 4))))


def lock_path(root: Path) -> Path:
    """Where the lock of the repository holding `root` lives (see the module text)."""
    root = root.resolve()
    for candidate in (root, *root.parents):
        dot_git = candidate / ".git"
        if dot_git.is_dir():
            return dot_git / LOCK_NAME
        if dot_git.is_file():  # a linked worktree or a submodule: "gitdir: <path>"
            try:
                first = dot_git.read_text(encoding="utf-8", errors="replace").splitlines()[0]
            except (OSError, IndexError):
                break
            if first.startswith("gitdir:"):
                git_dir = (candidate / first[len("gitdir:"):].strip()).resolve()
                if git_dir.is_dir():
                    return git_dir / LOCK_NAME
            break
    return root / ".rectify.lock"


@dataclass(frozen=True, slots=True)
class Holder:
    pid: int
    host: str
    since: str
    command: str

    def stale(self) -> bool:
        """Dead on this host. Another host's process cannot be checked: never stale."""
        if self.host != socket.gethostname() or self.pid <= 0:
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except (OSError, OverflowError):  # alive, someone else's (EPERM), or cannot tell
            return False
        return False


def _describe_self() -> str:
    command = " ".join(["rectify", *sys.argv[1:]]) if sys.argv else "rectify"
    command = " ".join(command.split())  # one line, whatever was typed
    return (f"pid: {os.getpid()}\nhost: {socket.gethostname()}\n"
            f"since: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}\ncommand: {command[:200]}\n")


def _parse(text: str) -> Holder | None:
    fields = {}
    for line in text.splitlines():
        key, sep, value = line.partition(": ")
        if sep:
            fields[key.strip()] = value.strip()
    try:
        return Holder(int(fields["pid"]), fields.get("host", "?"), fields.get("since", "?"), fields.get("command", "?"))
    except (KeyError, ValueError):
        return None


def read_holder(path: Path) -> Holder | None:
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return None
    try:
        return _parse(os.read(fd, 4096).decode("utf-8", errors="replace"))
    finally:
        os.close(fd)


def _take_over(path: Path) -> bool:
    """Remove a lock left by a dead process. The check and the unlink happen under an
    flock on that very file, and only if the name still points at it: whoever took
    it over first has already replaced it, and the second taker sees that."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return True  # gone already: try to create it again
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return False  # someone else is taking it over right now
        mine = os.fstat(fd)
        try:
            now = os.stat(path, follow_symlinks=False)
        except FileNotFoundError:
            return True
        if (now.st_dev, now.st_ino) != (mine.st_dev, mine.st_ino):
            return True  # replaced meanwhile: look again
        holder = _parse(os.read(fd, 4096).decode("utf-8", errors="replace"))
        if holder is None or not holder.stale():
            return False
        os.unlink(path)
        return True
    finally:
        os.close(fd)


class RepositoryLock:
    """A held lock; `release` removes the file only if it is still ours."""

    def __init__(self, path: Path, ident: tuple[int, int]) -> None:
        self.path = path
        self._ident = ident

    def release(self) -> None:
        try:
            now = os.stat(self.path, follow_symlinks=False)
            if (now.st_dev, now.st_ino) == self._ident:
                os.unlink(self.path)
        except OSError:
            pass


def acquire(root: Path, wait: float | None = None) -> RepositoryLock:
    """Take the repository's lock, waiting up to `wait` seconds (default: `timeout()`)."""
    path = lock_path(root)
    wait = timeout() if wait is None else wait
    deadline = time.monotonic() + wait
    attempt = 0
    while True:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o644)
        except FileExistsError:
            holder = read_holder(path)
            if holder is not None and holder.stale() and _take_over(path):
                continue
            if time.monotonic() >= deadline:
                raise _busy(path, holder, wait) from None
            pause(attempt)
            attempt += 1
            continue
        except OSError as exc:
            raise ProblemError("edit.lock_failed", lock=display_path(path), reason=exc.strerror or str(exc)) from None
        try:
            os.write(fd, _describe_self().encode("utf-8"))
            stat = os.fstat(fd)
        finally:
            os.close(fd)
        return RepositoryLock(path, (stat.st_dev, stat.st_ino))


def _busy(path: Path, holder: Holder | None, wait: float) -> ProblemError:
    shown = display_path(path)
    if holder is None:
        return ProblemError("edit.locked_unknown", lock=shown, seconds=f"{wait:g}")
    return ProblemError("edit.locked", lock=shown, pid=holder.pid, host=holder.host, since=holder.since,
                        command=holder.command, seconds=f"{wait:g}")


def roots_of(paths: Sequence[Path]) -> list[Path]:
    """The repositories an edit of `paths` may touch, as the loader finds them."""
    from ..loader import DEFAULT_PLANS

    roots = WorkTree.of(list(paths) or [DEFAULT_PLANS]).roots
    return sorted({lock_path(r): r for r in roots}.values(), key=lambda r: str(lock_path(r)))


@contextmanager
def holding(paths: Sequence[Path]) -> Iterator[None]:
    """Hold the lock of every repository `paths` belong to (in one order: no deadlock)."""
    held: list[RepositoryLock] = []
    try:
        for root in roots_of(paths):
            held.append(acquire(root))
        yield
    finally:
        for lock in reversed(held):
            lock.release()
