"""A cache of parsed plan files: a large ledger read back at unpickling speed.

Composing and reading YAML is most of the cost of every command on a large
ledger (50,000 tasks: about 3 s), while unpickling the same model takes about
0.6 s. An entry is addressed by a digest of everything that decides the
parse: the file's text, the name it is shown under, and the source of the
modules that read it, PyYAML's and Python's versions. So an entry is never
stale: a changed file, or a changed reader, simply has another address.

Safety. Entries live in the user's cache directory, never in the repository,
where anyone could commit one. The directory is created 0700 and used only
while it is this user's and nobody else can write to it; entries are opened
without following symbolic links, and only regular files of this user are
read (a FIFO planted at an entry's name is never waited on). Each entry
carries a digest of its payload bound to the text and name it was made from,
so an entry copied under another file's name fails it, and is replaced by a
rename, never written through a link. It is read back by an unpickler that
can build only the model's classes and `datetime.date`, and each field must
hold the type the model declares, so nothing in an entry can run code or
reach the rest of the program as a value of the wrong type. A damaged,
truncated or forged entry is ignored and the file parsed again. Only files
that read without a problem are stored, so every message about a bad file
comes from the one parsing path.

The same directory keeps small JSON documents for other modules (see
`official_days`), with the same checks and a digest bound to their name. Settings: RECTIFY_CACHE_DIR moves the cache;
RECTIFY_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import pickle
import shutil
import stat
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from . import model, typecheck
from .model import Issue, Plan, Task

_MAGIC = b"rectify-parse-cache "
_JSON_MAGIC = b"rectify-kept-json "
_DIGEST = 32
# The modules whose code decides what a file parses to.
_READING_CODE = ("cache", "model", "reader", "schema", "yamlsafe", "loader", "tree", "config")
_MODEL_CLASSES = frozenset(
    ("Source", "Expr", "Event", "Milestone", "Phase", "CalendarSpec", "Plan", "Issue",
     "Progress", "Extension", "Reopening", "Task", "Status")
)

Parsed = tuple[list[Plan], list[Issue], list[Task]]


class _ModelUnpickler(pickle.Unpickler):
    """Builds the model's own classes and dates, and nothing else."""

    def find_class(self, module: str, name: str) -> object:
        if module == model.__name__ and name in _MODEL_CLASSES:
            return getattr(model, name)
        if module == "datetime" and name == "date":
            return dt.date
        raise pickle.UnpicklingError(f"{module}.{name} is not part of the model")


@dataclass(frozen=True)
class ParseCache:
    directory: Path  # one generation of the reading code: <cache>/<code digest>

    def _entry(self, display: str, text: str) -> tuple[Path, bytes]:
        """Where the parse of this text under this name lives, and the key its digest is bound to."""
        key = hashlib.blake2b(digest_size=20)
        key.update(display.encode("utf-8", "surrogatepass") + b"\0")
        key.update(text.encode("utf-8", "surrogatepass"))
        name = key.hexdigest()
        return self.directory / name[:2] / name, key.digest()

    def get(self, display: str, text: str) -> Parsed | None:
        """The stored parse of this text under this name, or None."""
        entry, key = self._entry(display, text)
        body = unseal(_MAGIC, key, read_private(entry))
        return decode(body) if body is not None else None

    def put(self, display: str, text: str, parsed: Parsed) -> None:
        """Store a parse; a cache that cannot be written is simply not used."""
        self.put_encoded(display, text, encode(parsed))

    def put_encoded(self, display: str, text: str, body: bytes) -> None:
        """Store a parse already encoded (by a worker process, see `parse_pool`)."""
        entry, key = self._entry(display, text)
        try:
            if not self.directory.is_dir():  # a new generation of the reading code
                prune(self)
            if private_dir(self.directory) and private_dir(entry.parent):
                write_private(entry, seal(_MAGIC, key, body))
        except OSError:
            pass


def seal(magic: bytes, key: bytes, body: bytes) -> bytes:
    """`body` behind a digest of itself and of what it was made from (`key`), in hex
    on the first line (a kept JSON document stays a text file)."""
    return magic + _digest(key, body) + b"\n" + body


def unseal(magic: bytes, key: bytes, data: bytes | None) -> bytes | None:
    """The body `seal` put in, or None when the data is damaged or was made from something else."""
    size = len(magic) + 2 * _DIGEST + 1
    if data is None:
        return None
    body = data[size:]
    return body if data[:size] == magic + _digest(key, body) + b"\n" else None


def _digest(key: bytes, body: bytes) -> bytes:
    digest = hashlib.blake2b(key, digest_size=_DIGEST)
    digest.update(body)
    return digest.hexdigest().encode("ascii")


def private_dir(path: Path) -> bool:
    """Create `path` (0700, and its parent too when it is new) if need be; True if it is
    this user's and nobody else can write to it."""
    try:
        path.parent.mkdir(0o700, parents=True, exist_ok=True)
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return False
    return trusted_dir(path)


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
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022:
            return None
        with io.FileIO(fd, "r", closefd=False) as handle:
            return handle.readall()
    except OSError:
        return None
    finally:
        os.close(fd)


def write_private(path: Path, data: bytes) -> None:
    """Replace `path` by a new file (0600) with a rename: a link at that name is replaced, never followed."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def encode(parsed: Parsed) -> bytes:
    return pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL)


def decode(body: bytes, typed: bool = False) -> Parsed | None:
    """A parse back from its bytes, building nothing but the model; None if it is not one.
    `typed`: the bytes come from this process's own worker (`parse_pool`), which encoded
    a parse it made, so its fields need no check (a file's are: anyone with this
    account's rights could have sealed one)."""
    try:
        parsed = _ModelUnpickler(io.BytesIO(body)).load()
        return parsed if _well_formed(parsed, typed) else None
    except Exception:  # a forged entry may fail in any way: it is only a cache
        return None


def _well_formed(parsed: object, typed: bool = False) -> bool:
    """Three lists of plans, issues and tasks whose every field holds the declared type."""
    if not (type(parsed) is tuple and len(parsed) == 3 and all(type(part) is list for part in parsed)):
        return False
    if typed:
        return all(set(map(type, part)) <= {kind} for kind, part in zip((Plan, Issue, Task), parsed))
    return all(typecheck.well_typed(kind, part) for kind, part in zip((Plan, Issue, Task), parsed))


def root() -> Path | None:
    """The cache directory these settings ask for, or None when caching is off."""
    if os.environ.get("RECTIFY_NO_CACHE"):
        return None
    base = os.environ.get("RECTIFY_CACHE_DIR")
    if not base:
        from platformdirs import user_cache_dir

        base = user_cache_dir("rectify", appauthor=False)
    return Path(base)


def _usable_root() -> Path | None:
    """`root()`, unless it exists and is not this user's alone (then the cache is off)."""
    base = root()
    if base is None or (os.path.lexists(base) and not trusted_dir(base)):
        return None
    return base


def configured() -> ParseCache | None:
    """The parse cache these settings ask for, or None when it is off or unusable."""
    base = _usable_root()
    generation = _code_digest() if base is not None else None
    if base is None or generation is None:
        return None
    return ParseCache(base / generation)


def read_json(name: str) -> object | None:
    """A small JSON document kept in the cache directory, or None."""
    base = _usable_root()
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
    base = _usable_root()
    if base is None:
        return
    body = json.dumps(document, ensure_ascii=False).encode("utf-8")
    try:
        if private_dir(base):
            write_private(base / name, seal(_JSON_MAGIC, name.encode("utf-8"), body))
    except OSError:
        pass


@lru_cache(maxsize=1)
def _code_digest() -> str | None:
    """Read once per process: an edit opens the workspace twice, history many times."""
    digest = hashlib.blake2b(digest_size=12)
    digest.update(f"{sys.version_info[:2]} {yaml.__version__} {pickle.HIGHEST_PROTOCOL}".encode())
    here = Path(__file__).parent
    try:
        for name in _READING_CODE:
            digest.update((here / f"{name}.py").read_bytes())
    except OSError:  # not installed as files (a zip): no safe way to tell versions apart
        return None
    return "parse-" + digest.hexdigest()


def prune(cache: ParseCache) -> None:
    """Remove the entries of other generations of the reading code."""
    try:
        siblings = list(cache.directory.parent.iterdir())
    except OSError:
        return
    for path in siblings:
        if path.name.startswith("parse-") and path != cache.directory:
            shutil.rmtree(path, ignore_errors=True)
