"""A private directory in the user's cache: files only this user can have written,
each sealed by a digest bound to what it was made from.

Used by the parse cache (`cache`) and for small JSON documents other modules
keep between runs (`official_days`). Entries live in the user's cache
directory, never in the repository, where anyone could commit one. The
directory is created 0700 and used only while it is this user's and nobody
else can write to it; entries are opened without following symbolic links,
and only regular files of this user are read (a FIFO planted at an entry's
name is never waited on); each is replaced by a rename, never written through
a link. Settings: RECTIFY_CACHE_DIR moves the directory; RECTIFY_NO_CACHE=1
turns it off.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
from importlib.util import find_spec
from pathlib import Path
from typing import IO, Callable

_JSON_MAGIC = b"rectify-kept-json "
_DIGEST = 32


def root() -> Path | None:
    """The cache directory these settings ask for, or None when caching is off."""
    if os.environ.get("RECTIFY_NO_CACHE"):
        return None
    base = os.environ.get("RECTIFY_CACHE_DIR")
    if not base:
        from platformdirs import user_cache_dir

        base = user_cache_dir("rectify", appauthor=False)
    return Path(base)


def usable_root() -> Path | None:
    """`root()`, unless it exists and is not this user's alone (then the cache is off)."""
    base = root()
    if base is None or (os.path.lexists(base) and not trusted_dir(base)):
        return None
    return base


def seal(magic: bytes, key: bytes, body: bytes) -> bytes:
    """`body` behind a digest of itself and of what it was made from (`key`), in hex
    on the first line (a kept JSON document stays a text file)."""
    return magic + _digest(key, body) + b"\n" + body


def unseal(magic: bytes, key: bytes, data: bytes | None) -> bytes | None:
    """The body `seal` put in, or None when the data is damaged or was made from something else."""
    at = sealed_at(magic, key, data)
    return data[at:] if at is not None else None  # type: ignore[index]


def sealed_at(magic: bytes, key: bytes, data: bytes | None) -> int | None:
    """Where in `data` the body `seal` put in starts (`unseal` without copying it), or None."""
    size = len(magic) + 2 * _DIGEST + 1
    if data is None:
        return None
    return size if data[:size] == magic + _digest(key, memoryview(data)[size:]) + b"\n" else None


def _digest(key: bytes, body: bytes | memoryview) -> bytes:
    digest = _digesting(key)
    digest.update(body)
    return digest.hexdigest().encode("ascii")


def _digesting(key: bytes):
    """SHA-256 of the key (its length first) and then of the body: with the SHA extensions
    most processors have, twice BLAKE2b's speed (a warm run checks 50 MB of kept parts)."""
    return hashlib.sha256(len(key).to_bytes(4, "big") + key)


def private_dir(path: Path) -> bool:
    """Create `path` (0700, and its parent too when it is new) if need be; True if it is
    this user's and nobody else can write to it. Found so once, it is not asked again in
    this process: a first run stores a thousand parses in 256 such directories, and only
    this user could change one meanwhile."""
    if path in _private:
        return True
    try:
        path.parent.mkdir(0o700, parents=True, exist_ok=True)
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return False
    trusted = trusted_dir(path)
    if trusted:
        _private.add(path)
    return trusted


_private: set[Path] = set()  # directories `private_dir` found this user's alone


def trusted_dir(path: Path) -> bool:
    """This user's directory, writable by nobody else: what is in it was put there by this user."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid() and not info.st_mode & 0o022


def read_private(path: Path) -> bytes | None:
    """The bytes of a regular file of this user's, never through a symbolic link, never
    waiting on a FIFO; None for anything else."""
    found = read_private_stat(path)
    return found[0] if found is not None else None


def read_private_stat(path: Path) -> tuple[bytes, os.stat_result] | None:
    """`read_private`, with the stat data of the file that was read (the repository
    index needs its mtime: the file system's clock when it was written)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022:
            return None
        with io.FileIO(fd, "r", closefd=False) as handle:
            return handle.readall(), info
    except OSError:
        return None
    finally:
        os.close(fd)


def write_private(path: Path, data: bytes) -> None:
    """Replace `path` by a new file (0600) with a rename: a link at that name is replaced, never followed."""
    _replace_private(path, lambda handle: handle.write(data))


def write_private_sealed(path: Path, magic: bytes, key: bytes, write: Callable[[IO[bytes]], object]) -> None:
    """`write_private` of what `seal` makes of the bytes `write` writes, without holding
    them: they go to the file as they come, through the digest, which is put in front last."""
    def sealed(handle: IO[bytes]) -> None:
        handle.write(magic + b"0" * (2 * _DIGEST) + b"\n")
        digest = _digesting(key)
        write(_Digesting(handle, digest))
        handle.seek(len(magic))
        handle.write(digest.hexdigest().encode("ascii"))

    _replace_private(path, sealed)


class _Digesting:
    """A file that each write goes through a digest to."""

    def __init__(self, handle: IO[bytes], digest) -> None:
        self.handle, self.digest = handle, digest

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.handle.write(data)


def _replace_private(path: Path, write: Callable[[IO[bytes]], object]) -> None:
    import tempfile  # only when something is written: a warm run writes nothing

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def read_json(name: str) -> object | None:
    """A small JSON document kept in the cache directory, or None."""
    base = usable_root()
    if base is None:
        return None
    body = unseal(_JSON_MAGIC, name.encode("utf-8"), read_private(base / name))
    if body is None:
        return None
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None


def write_json(name: str, document: object) -> None:
    """Keep a small JSON document in the cache directory, if it can be written."""
    base = usable_root()
    if base is None:
        return
    body = json.dumps(document, ensure_ascii=False).encode("utf-8")
    try:
        if private_dir(base):
            write_private(base / name, seal(_JSON_MAGIC, name.encode("utf-8"), body))
    except OSError:
        pass


def installed_copy(package: str, files: tuple[str, ...] = ("__init__.py",)) -> str | None:
    """Names an installed package by its files' stat data (path, inode, size, mtime), without
    importing it: installing any release, or the same one again, changes the name. Asking
    importlib.metadata for the release would cost 26 ms a command. None when not installed as files."""
    spec = find_spec(package)
    if spec is None or not spec.origin:
        return None
    folder = os.path.dirname(spec.origin)
    seen = []
    for name in files:
        try:
            info = os.stat(os.path.join(folder, name))
        except OSError:
            continue
        seen.append(f"{name}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}")
    if not seen:
        return None
    return hashlib.blake2b(f"{spec.origin}|{'|'.join(seen)}".encode(), digest_size=8).hexdigest()


def package_stamp(folder: Path) -> str | None:
    """Names the code of a package installed as files by its modules' stat data, as git's
    index does (0.6 ms; reading them would cost 20 ms): any install or edit of a module
    changes it, and every module counts, not a list that goes stale when one is split.
    None when the package is not installed as files (a zip)."""
    digest = hashlib.blake2b(digest_size=12)
    try:
        for where, subfolders, names in os.walk(folder):
            subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
            for name in sorted(n for n in names if n.endswith(".py")):
                info = os.stat(os.path.join(where, name))
                digest.update(f"{os.path.relpath(where, folder)}/{name} {info.st_size} {info.st_mtime_ns}\0".encode())
    except OSError:
        return None
    return digest.hexdigest()

