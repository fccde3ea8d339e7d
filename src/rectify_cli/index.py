"""The repository index: what each plan file of a work tree held, told by its stat data.

Like git's index. Without it, every run reads and hashes every plan file to
find its parse in the cache (`cache`): 19 MB and 0.16 s for 50,000 tasks, and
then builds the whole model. With it, a file whose stat data (device, inode,
size, mtime, ctime) is what the index recorded is not read at all: the index
names its parse, and the file's rows (what the judge reads of each task, see
`facts`, and what the checks across files read, see `indexed`) are kept beside
it, so a warm run judges the ledger without building the model. The rows are a
file of their own (`Beside`, "rows": 17 MB at 50,000 tasks, the index itself
about a hundredth of that), read only by a run that judges or shows items.
The index also keeps the last validation of the whole ledger, and each file's
own checks, with what they were made from (`remember`).

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
by a digest bound to its name, replaced by a rename. It is read back by an
unpickler that can build no class at all (only strings, numbers, tuples, lists,
dicts and bytes), and every entry must have the expected shape; a damaged,
foreign or stale index is ignored and rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import re
import stat
import time
from pathlib import Path
from typing import Callable, Iterable, Mapping

from . import store
from .cache import ParseCache, Parsed

_MAGIC = b"rectify-index "
FORMAT = 9
# Older than the index by more than this, a file's timestamps are past any file
# system's granularity (FAT's is 2 s): its stat data then tells its content.
RACY_NS = 3_000_000_000

# The rows beside the index: those made since the rest were last written (a few files' after
# an edit), and the rest, as git splits its index (see `RepositoryIndex._save_rows`).
ROWS = ("rows-new", "rows")

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


class _PlainUnpickler(pickle.Unpickler):
    """Builds strings, numbers, tuples, lists, dicts and bytes: no class, no call."""

    def find_class(self, module: str, name: str) -> object:
        raise pickle.UnpicklingError(f"{module}.{name}: the index holds no objects")


class RepositoryIndex:
    """One work tree's index: display name -> [stat data, parse address, seal key, how many
    of each kind the file holds, a digest of its ids and references]; each file's rows are
    kept beside it (`rows_of`), read only by a run that needs them."""

    def __init__(self, cache: ParseCache, path: Path, entries: dict[str, tuple],
                 validation: tuple | None, written_ns: int, by_file: dict[str, tuple] | None = None,
                 across_clean: str | None = None) -> None:
        self.cache = cache
        self.path = path
        self.entries = entries
        self.validation = validation  # (key, body, look-ups) of the last validation (`remember`)
        self.by_file = by_file or {}  # display name -> (key, body, look-ups) of its own checks
        self.across_clean = across_clean  # what the checks across files last found nothing in (`found_across`)
        self.written_ns = written_ns  # the index file's mtime: the file system's clock
        self.changed = False
        self.made: dict[str, bytes] = {}  # rows made in this run, written beside the index by `save`
        self._released = False  # written, and the rows made let go of (`release_rows`)
        self._rows: dict[str, Beside] = {}  # the rows kept beside the index (`ROWS`), each read when first asked for

    @classmethod
    def open(cls, cache: ParseCache, identity: Iterable[str]) -> "RepositoryIndex":
        """The index of this tree (named by `identity`), empty when there is none to trust."""
        name = hashlib.blake2b("\0".join((str(FORMAT), *identity)).encode("utf-8", "surrogatepass"),
                               digest_size=16).hexdigest()
        path = cache.directory / f"index-{name}"
        found = store.read_private_stat(path)
        if found is not None:
            data, info = found
            document = _unsealed(path, data)
            if type(document) is tuple and len(document) == 4 and type(document[0]) is dict and type(document[2]) is dict:
                entries = {k: v for k, v in document[0].items() if type(k) is str and _well_formed(v)}
                validation = document[1] if _well_formed_validation(document[1]) else None
                by_file = {k: v for k, v in document[2].items() if type(k) is str and _well_formed_validation(v)}
                across_clean = document[3] if type(document[3]) is str else None
                return cls(cache, path, entries, validation, info.st_mtime_ns, by_file, across_clean)
        return cls(cache, path, {}, None, 0)

    def bound(self, files: Mapping[str, Path], stat: Callable[[Path], StatKey | None]) -> "BoundIndex":
        return BoundIndex(self, files, stat)

    def clean(self, display: str, key: StatKey | None) -> tuple | None:
        """The entry of a file whose stat data the index vouches for; None means read it."""
        entry = self.entries.get(display)
        if entry is None or key is None or entry[:5] != key or self.racy(key):
            return None
        return entry

    def parse_of(self, entry: tuple) -> Parsed | None:
        return self.cache.get_at(entry[5], bytes.fromhex(entry[6]))

    def racy(self, key: StatKey) -> bool:
        """Changed too close to when the index was written for its stat data to tell."""
        return max(key[3], key[4]) >= self.written_ns - RACY_NS

    def saw(self, display: str, key: StatKey | None, text: str, rows: bytes) -> str:
        """A file was read (its stat data `key` taken before): record where its parse is
        kept, and its rows (`indexed.file_rows`: plain data as bytes). Returns the parse's address."""
        address, seal_key = self.cache.address(display, text)
        if key is None:
            return address
        head = plain_load(rows)  # rows this process made: (counts, Facts, Listed, Shown, identities)
        entry = (*key, address, seal_key.hex(), head[0], head[4])  # type: ignore[index]
        old = self.entries.get(display)
        if old is None or old[:7] != entry[:7] or (self.racy(key) and _settled(key)):
            # a racy entry is written again once its file has settled, so that the
            # index written now is late enough to vouch for it next time
            self.entries[display] = entry
            self.made[display] = rows
            self.changed = True
        return address

    def rows_of(self, display: str) -> bytes | None:
        """The rows kept for a file: made in this run, else kept beside the index for the
        parse its entry names (see `Beside`); None when there are none."""
        made = self.made.get(display)
        if made is not None:
            return made
        entry = self.entries.get(display)
        if entry is None:
            return None
        for kind in ROWS:  # those made since the rest were written, first
            rows = self._beside(kind)
            # once the index is written, each value is read once, by the ledger's columns
            found = rows.take(display, entry[5]) if self._released else rows.get(display, entry[5])
            if found is not None:
                return found
        return None

    def _beside(self, kind: str) -> Beside:
        found = self._rows.get(kind)
        if found is None:
            found = self._rows[kind] = Beside.beside(self, kind)
        return found

    def forget(self, displays: Iterable[str]) -> None:
        """These files' rows are not beside the index (its file removed or damaged, two runs
        at once): forget their entries, so that the next run reads them and keeps their rows."""
        for display in displays:
            if self.entries.pop(display, None) is not None:
                self.changed = True
        self.save()

    def recalled(self, key: str, file: str | None = None) -> tuple[bytes, tuple] | None:
        """What `remember` kept under `key` (for the ledger, or for one `file`): (body, look-ups)."""
        kept = self.validation if file is None else self.by_file.get(file)
        if kept is not None and kept[0] == key:
            return kept[1], kept[2]
        return None

    def remember(self, key: str, body: bytes, look_ups: tuple, file: str | None = None) -> None:
        """Keep one validation of the ledger (or of one `file`'s own entities), named by a
        digest of what it read, with the look-ups it made of the tree (evidence files)
        to be made again before it is used."""
        kept = self.validation if file is None else self.by_file.get(file)
        if kept is None or kept[0] != key or kept[2] != look_ups:
            if file is None:
                self.validation = (key, body, look_ups)
            else:
                self.by_file[file] = (key, body, look_ups)
            self.changed = True

    def found_across(self, clean: str | None) -> None:
        """What the checks across files were just run on, when they found nothing (a digest of
        the ledger's ids and references, see `incremental`); None when they found something."""
        if clean != self.across_clean:
            self.across_clean, self.changed = clean, True

    def save(self, seen: Iterable[str] = ()) -> None:
        """Write the index again when anything in it changed; files gone from disk leave it."""
        if not self.changed:
            return
        seen = set(seen)
        kept = {name: entry for name, entry in self.entries.items() if name in seen or os.path.exists(name)}
        by_file = {name: found for name, found in self.by_file.items() if name in kept}
        if self.made:  # the rows beside it first: an index never names rows that are not there
            self._save_rows(kept)
        _write_sealed(self.path, (kept, self.validation, by_file, self.across_clean))
        self.entries, self.changed = kept, False

    def _save_rows(self, kept: dict[str, tuple]) -> None:
        """The rows made in this run, beside those made since the rest were written: an edit
        writes a few files' rows, not all 17 MB of them (50,000 tasks). When those outgrow an
        eighth of the rest, or are all there is, they join the rest in one file again."""
        recent = self._beside(ROWS[0])
        for name, body in self.made.items():
            if name in kept:
                recent.put(name, kept[name][5], body)
        try:
            rest_size = os.stat(self.path.with_name(f"{self.path.name}-{ROWS[1]}")).st_size
        except OSError:
            rest_size = 0
        if recent.size() * 8 < rest_size:
            recent.save(kept, keep=lambda name: False)
            return
        rest = self._beside(ROWS[1])
        for name, (key, body) in recent.kept.items():
            rest.put(name, key, body)
        recent.kept = {}
        rest.save(kept, keep=lambda name: False)
        recent.save(kept, keep=lambda name: False)  # written empty

    def release_rows(self) -> None:
        """Once the index is written, let go of the rows made in this run (the ledger's
        columns took those they need), and of each kept one once read (`rows_of`)."""
        self.made, self._released = {}, True


class Beside:
    """Values kept per name in a file of their own beside the index, each under a key naming
    what it was made from, so that a value is used only while that is unchanged. Sealed and
    read as the index is (`plain_load`); each value is bytes, read by whoever asks for it.
    The kinds (`kind`): each file's rows ("rows" and "rows-new", see `ROWS` and
    `indexed.file_rows`, under its parse's address; written with the index, just before it),
    the rows of a file's items as they stood on one day ("day", see `facts.rows_on`, per
    file), the answers of a plan's deadline rules ("rules", see `schedule`, per plan), what
    `check` found in a file on one day ("findings", see `findings`, per file), and what
    `status --format json` shows of it ("status", see `standing`). Those four are written
    after judging, and the index before them."""

    def __init__(self, path: Path, kept: dict[str, tuple[str, bytes]]) -> None:
        self.path, self.kept, self.changed = path, kept, False

    @classmethod
    def beside(cls, index: RepositoryIndex, kind: str) -> "Beside":
        return cls.read(index.path.with_name(f"{index.path.name}-{kind}"))

    @classmethod
    def read(cls, path: Path) -> "Beside":
        """The values in the file (none if it is missing, damaged or foreign)."""
        document = _unsealed(path, store.read_private(path))
        kept = {
            name: value for name, value in document.items()
            if type(name) is str and type(value) is tuple and len(value) == 2
            and type(value[0]) is str and type(value[1]) is bytes
        } if type(document) is dict else {}
        return cls(path, kept)

    def __contains__(self, name: str) -> bool:
        return name in self.kept

    def get(self, name: str, key: str) -> bytes | None:
        found = self.kept.get(name)
        return found[1] if found is not None and found[0] == key else None

    def take(self, name: str, key: str) -> bytes | None:
        """`get`, the value let go of: for a value read once (put it again to keep it)."""
        found = self.kept.pop(name, None)
        return found[1] if found is not None and found[0] == key else None

    def put(self, name: str, key: str, body: bytes) -> None:
        self.kept[name] = (key, body)
        self.changed = True

    def size(self) -> int:
        return sum(len(body) for _, body in self.kept.values())

    def save(self, wanted: Iterable[str], keep: Callable[[str], bool] = os.path.exists) -> None:
        """Write the values again when any changed; of the names not `wanted` now, those
        `keep` says still matter stay (as in the index: a run over some of the plans keeps
        the others' values; a file gone from disk leaves)."""
        if not self.changed:
            return
        wanted = set(wanted)
        _write_sealed(self.path, {name: found for name, found in self.kept.items() if name in wanted or keep(name)})
        self.changed = False


class BoundIndex:
    """The index over one load's files: each file's stat data is taken when the loader
    first asks for it, before the file is read, and recorded with its parse afterwards."""

    def __init__(self, index: RepositoryIndex, files: Mapping[str, Path],
                 stat: Callable[[Path], StatKey | None]) -> None:
        self.index, self.files, self.stat = index, files, stat
        self.keys: dict[str, StatKey | None] = {}

    def key(self, display: str) -> StatKey | None:
        key = self.keys.get(display)
        if key is None:
            key = self.keys[display] = self.stat(self.files[display])
        return key

    def parsed(self, display: str) -> Parsed | None:
        entry = self.index.clean(display, self.key(display))
        return self.index.parse_of(entry) if entry is not None else None

    def saw(self, display: str, text: str, rows: object) -> str:
        """Record a file just read (see `RepositoryIndex.saw`); the address of its parse."""
        return self.index.saw(display, self.keys.get(display), text, rows)


def _unsealed(path: Path, data: bytes | None) -> object:
    """The plain data of a sealed file of this module's (see `plain_load`); None if there is none to trust."""
    at = store.sealed_at(_MAGIC, path.name.encode(), data)
    return plain_load(data, at) if at is not None else None  # type: ignore[arg-type]


def _write_sealed(path: Path, document: object) -> None:
    """Seal plain data under the file's name and replace the file; a cache that cannot be written is not used."""
    try:
        if store.private_dir(path.parent):  # pickled into the file as it goes: 50 MB of parts are not copied twice
            store.write_private_sealed(path, _MAGIC, path.name.encode(),
                                       lambda out: pickle.dump(document, out, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass


def _settled(key: StatKey) -> bool:
    return max(key[3], key[4]) < time.time_ns() - RACY_NS


def plain_load(body: bytes, at: int = 0) -> object:
    """Strings, numbers, tuples, lists, dicts and bytes back from pickled bytes (from `at`
    on: a large body is not copied); None for anything else (nothing else can be built:
    the unpickler refuses every class)."""
    try:
        stream = io.BytesIO(body)
        stream.seek(at)
        return _PlainUnpickler(stream).load()
    except Exception:  # a forged index may fail in any way: it is only a cache
        return None


def _well_formed(entry: object) -> bool:
    """(dev, ino, size, mtime_ns, ctime_ns, address, seal key, counts, identities): five
    integers, two hex strings, how many plans, issues, tasks, suggestions and outcomes the
    file holds, and a digest (a hex string) of its ids and references (see `indexed`)."""
    return (
        type(entry) is tuple and len(entry) == 9
        and all(type(v) is int for v in entry[:5])
        and all(type(v) is str and _hex(v) for v in entry[5:7])
        and type(entry[7]) is tuple and len(entry[7]) == 5 and all(type(n) is int and n >= 0 for n in entry[7])
        and type(entry[8]) is str and _hex(entry[8])
    )


def _well_formed_validation(value: object) -> bool:
    return (
        type(value) is tuple and len(value) == 3 and type(value[0]) is str and type(value[1]) is bytes
        and type(value[2]) is tuple
    )


def _hex(value: str) -> bool:
    return _HEX.fullmatch(value) is not None


_HEX = re.compile(r"[0-9a-f]{1,128}")
