"""The repository index: which parse each plan file of a work tree has, told by its stat data.

Like git's index. Without it, every run reads and hashes every plan file to
find its parse in the cache (`cache`): 19 MB and 0.16 s for 50,000 tasks.
With it, a file whose stat data (device, inode, size, mtime, ctime) is what the
index recorded is not read at all: the index names its parse.

Stat data alone is not proof. A file rewritten with the same size within the
file system's timestamp granularity keeps its mtime, and on some file systems
its ctime. So, as git does ("racy git"), an entry is trusted by stat only when
the file's mtime and ctime are older, by more than any granularity
(`RACY_NS`), than the index file's own mtime, both read off the same file
system clock; a file changed more recently than that is read and hashed
again, and found changed or not by its content. The stat data is taken before
the file is read, so a change during the read shows as other stat data next time.

The index lives in the parse cache's directory of this generation of the code
(one per work tree and working directory, as display names depend on both),
and has its safety: a private directory, a file only this user wrote, sealed
by a digest bound to its name, replaced by a rename. Its body is JSON, so
reading it can build nothing but strings, numbers and lists; an entry of any
other shape, a damaged or foreign index, is ignored and rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Callable, Iterable, Mapping

from . import store
from .cache import ParseCache, Parsed

_MAGIC = b"rectify-index "
FORMAT = 1
# Older than the index by more than this, a file's timestamps are past any file
# system's granularity (FAT's is 2 s): its stat data then tells its content.
RACY_NS = 3_000_000_000

StatKey = tuple[int, int, int, int, int]  # st_dev, st_ino, st_size, st_mtime_ns, st_ctime_ns


def stat_key(path: Path | str) -> StatKey | None:
    """What the index compares a file by; None when it cannot be had or is no regular file."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


class RepositoryIndex:
    """One work tree's index: display name -> (stat data, parse address) as last read."""

    def __init__(self, cache: ParseCache, path: Path, entries: dict[str, list], written_ns: int) -> None:
        self.cache = cache
        self.path = path
        self.entries = entries
        self.written_ns = written_ns  # the index file's mtime: the file system's clock
        self.changed: dict[str, list | None] = {}

    @classmethod
    def open(cls, cache: ParseCache, identity: Iterable[str]) -> "RepositoryIndex":
        """The index of this tree (named by `identity`), empty when there is none to trust."""
        name = hashlib.blake2b("\0".join((str(FORMAT), *identity)).encode("utf-8", "surrogatepass"),
                               digest_size=16).hexdigest()
        path = cache.directory / f"index-{name}"
        found = store.read_private_stat(path)
        entries: dict[str, list] = {}
        written_ns = 0
        if found is not None:
            data, info = found
            body = store.unseal(_MAGIC, path.name.encode(), data)
            document = _json(body) if body is not None else None
            if type(document) is dict:
                entries = {k: v for k, v in document.items() if type(k) is str and _well_formed(v)}
                written_ns = info.st_mtime_ns
        return cls(cache, path, entries, written_ns)

    def bound(self, files: Mapping[str, Path], stat: Callable[[Path], StatKey | None]) -> "BoundIndex":
        return BoundIndex(self, files, stat)

    def parsed(self, display: str, key: StatKey | None) -> Parsed | None:
        """The cached parse of a file whose stat data the index vouches for; None means read it."""
        entry = self.entries.get(display)
        if entry is None or key is None or tuple(entry[:5]) != key or self.racy(key):
            return None
        return self.cache.get_at(entry[5], bytes.fromhex(entry[6]))

    def racy(self, key: StatKey) -> bool:
        """Changed too close to when the index was written for its stat data to tell."""
        return max(key[3], key[4]) >= self.written_ns - RACY_NS

    def saw(self, display: str, key: StatKey | None, text: str) -> None:
        """A file was read (its stat data `key` taken before): record where its parse is kept."""
        if key is None:
            return
        address, seal_key = self.cache.address(display, text)
        entry = [*key, address, seal_key.hex()]
        if self.entries.get(display) != entry or self.racy(key):
            self.changed[display] = entry

    def save(self) -> None:
        """Write the index again when anything in it changed; files gone from disk leave it."""
        if not self.changed:
            return
        entries = {**self.entries, **self.changed}
        kept = {name: entry for name, entry in entries.items() if name in self.changed or os.path.exists(name)}
        body = json.dumps(kept, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            if store.private_dir(self.cache.directory):
                store.write_private(self.path, store.seal(_MAGIC, self.path.name.encode(), body))
        except OSError:
            pass
        self.entries, self.changed = kept, {}


class BoundIndex:
    """The index over one load's files: each file's stat data is taken when the loader
    first asks for it, before the file is read, and recorded with its parse afterwards."""

    def __init__(self, index: RepositoryIndex, files: Mapping[str, Path],
                 stat: Callable[[Path], StatKey | None]) -> None:
        self.index, self.files, self.stat = index, files, stat
        self.keys: dict[str, StatKey | None] = {}

    def parsed(self, display: str) -> Parsed | None:
        key = self.keys[display] = self.stat(self.files[display])
        return self.index.parsed(display, key)

    def saw(self, display: str, text: str) -> None:
        self.index.saw(display, self.keys.get(display), text)


def _json(body: bytes) -> object:
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None


def _well_formed(entry: object) -> bool:
    """[dev, ino, size, mtime_ns, ctime_ns, address, seal key]: five integers and two hex strings."""
    return (
        type(entry) is list and len(entry) == 7
        and all(type(v) is int for v in entry[:5])
        and all(type(v) is str and _hex(v) for v in entry[5:])
    )


def _hex(value: str) -> bool:
    return 0 < len(value) <= 128 and all(c in "0123456789abcdef" for c in value)
