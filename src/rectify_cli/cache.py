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

The directory and its sealed files are `store`'s, which also keeps small JSON
documents for other modules. The repository index (`index`) names the entry
of a work tree's file by its stat data, so a warm run need not read the file. Settings: RECTIFY_CACHE_DIR moves the cache;
RECTIFY_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import pickle
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import store, typecheck

if TYPE_CHECKING:  # a run that decodes no entry (a warm one) does not import the model (see `values`)
    from .model import Issue, Outcome, Plan, Suggestion, Task

_MAGIC = b"rectify-parse-cache "
# The layout of an entry (a pickled `Parsed`): raise it when that layout changes.
# Any change to the package's code also gives new addresses (see `_code_digest`).
FORMAT = 3
if TYPE_CHECKING:
    Parsed = tuple[list[Plan], list[Issue], list[Task], list[Suggestion], list[Outcome]]
else:
    Parsed = tuple  # the model's lists, as above


@lru_cache(maxsize=1)
def _model_classes() -> dict[tuple[str, str], type]:
    """Every class the model and its values define: the only classes an entry may build."""
    from . import model, values

    return {(module.__name__, name): value for module in (model, values) for name, value in vars(module).items()
            if isinstance(value, type) and value.__module__ == module.__name__}


@lru_cache(maxsize=1)
def _parts() -> tuple[type, ...]:
    """What each list of a parse holds."""
    from .model import Issue, Outcome, Plan, Suggestion, Task

    return (Plan, Issue, Task, Suggestion, Outcome)


def empty() -> Parsed:
    return ([], [], [], [], [])


class _ModelUnpickler(pickle.Unpickler):
    """Builds the model's own classes and dates, and nothing else."""

    def find_class(self, module: str, name: str) -> object:
        found = _model_classes().get((module, name))
        if found is not None:
            return found
        if module == "datetime" and name == "date":
            return dt.date
        raise pickle.UnpicklingError(f"{module}.{name} is not part of the model")


@dataclass(frozen=True)
class ParseCache:
    directory: Path  # one generation of the reading code: <cache>/<code digest>

    def address(self, display: str, text: str) -> tuple[str, bytes]:
        """The name of the entry for this text under this name, and the key its digest is bound to."""
        key = hashlib.blake2b(digest_size=20)
        key.update(display.encode("utf-8", "surrogatepass") + b"\0")
        key.update(text.encode("utf-8", "surrogatepass"))
        return key.hexdigest(), key.digest()

    def _entry(self, display: str, text: str) -> tuple[Path, bytes]:
        """Where the parse of this text under this name lives, and the key its digest is bound to."""
        name, key = self.address(display, text)
        return self.directory / name[:2] / name, key

    def get(self, display: str, text: str) -> Parsed | None:
        """The stored parse of this text under this name, or None."""
        return self.get_at(*self.address(display, text))

    def get_at(self, name: str, key: bytes) -> Parsed | None:
        """The stored parse at an address `address` gave (kept by the repository index), or None."""
        body = store.unseal(_MAGIC, key, store.read_private(self.directory / name[:2] / name))
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
            if store.private_dir(self.directory) and store.private_dir(entry.parent):
                store.write_private(entry, store.seal(_MAGIC, key, body))
        except OSError:
            pass


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
    """Lists of plans, issues, tasks, suggestions and outcomes whose every field holds the declared type."""
    kinds = _parts()
    if not (type(parsed) is tuple and len(parsed) == len(kinds) and all(type(part) is list for part in parsed)):
        return False
    if typed:
        return all(set(map(type, part)) <= {kind} for kind, part in zip(kinds, parsed))
    return all(typecheck.well_typed(kind, part) for kind, part in zip(kinds, parsed))


def configured() -> ParseCache | None:
    """The parse cache these settings ask for, or None when it is off or unusable."""
    base = store.usable_root()
    generation = _code_digest() if base is not None else None
    if base is None or generation is None:
        return None
    return ParseCache(base / generation)


@lru_cache(maxsize=1)
def _code_digest() -> str | None:
    """Read once per process: an edit opens the workspace twice, history many times."""
    digest = hashlib.blake2b(digest_size=12)
    reader = store.installed_copy("yaml")  # the YAML reader's copy, named without importing it
    if reader is None:
        return None
    code = store.package_stamp(Path(__file__).parent)
    if code is None:  # not installed as files (a zip): no safe way to tell versions apart
        return None
    digest.update(f"{FORMAT} {sys.version_info[:2]} {reader} {pickle.HIGHEST_PROTOCOL} {code}".encode())
    return "parse-" + digest.hexdigest()


def prune(cache: ParseCache) -> None:
    """Remove the entries of other generations of the reading code."""
    import shutil  # once per new generation: not on the path of every run

    try:
        siblings = list(cache.directory.parent.iterdir())
    except OSError:
        return
    for path in siblings:
        if path.name.startswith("parse-") and path != cache.directory:
            shutil.rmtree(path, ignore_errors=True)
