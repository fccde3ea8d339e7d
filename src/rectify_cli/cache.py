"""A cache of parsed plan files: a large ledger read back at unpickling speed.

Composing and reading YAML is most of the cost of every command on a large
ledger (50,000 tasks: about 3 s), while unpickling the same model takes about
0.6 s. An entry is addressed by a digest of everything that decides the
parse: the file's text, the name it is shown under, and the source of the
modules that read it, PyYAML's and Python's versions. So an entry is never
stale: a changed file, or a changed reader, simply has another address.

Safety. Entries live in the user's cache directory, never in the repository,
where anyone could commit one. Each carries a digest of its payload and is
replaced atomically; it is read back by an unpickler that can build only the
model's classes and `datetime.date`, so nothing in an entry can run code. A
damaged, truncated or forged entry is ignored and the file parsed again. Only
files that read without a problem are stored, so every message about a bad
file comes from the one parsing path.

The same directory keeps small JSON documents for other modules (see
`official_days`). Settings: RECTIFY_CACHE_DIR moves the cache;
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
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from . import model
from .atomic import write_atomic
from .model import Issue, Plan, Task

_MAGIC = b"rectify-parse-cache\n"
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

    def _entry(self, display: str, text: str) -> Path:
        key = hashlib.blake2b(digest_size=20)
        key.update(display.encode("utf-8", "surrogatepass") + b"\0")
        key.update(text.encode("utf-8", "surrogatepass"))
        name = key.hexdigest()
        return self.directory / name[:2] / name

    def get(self, display: str, text: str) -> Parsed | None:
        """The stored parse of this text under this name, or None."""
        try:
            data = self._entry(display, text).read_bytes()
        except OSError:
            return None
        head, body = data[: len(_MAGIC) + _DIGEST], data[len(_MAGIC) + _DIGEST :]
        if head != _MAGIC + hashlib.blake2b(body, digest_size=_DIGEST).digest():
            return None
        return decode(body)

    def put(self, display: str, text: str, parsed: Parsed) -> None:
        """Store a parse; a cache that cannot be written is simply not used."""
        self.put_encoded(display, text, encode(parsed))

    def put_encoded(self, display: str, text: str, body: bytes) -> None:
        """Store a parse already encoded (by a worker process, see `parse_pool`)."""
        data = _MAGIC + hashlib.blake2b(body, digest_size=_DIGEST).digest() + body
        entry = self._entry(display, text)
        try:
            if not self.directory.is_dir():  # a new generation of the reading code
                prune(self)
            entry.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(entry, data, durable=False)  # a torn entry fails its digest
        except OSError:
            pass


def encode(parsed: Parsed) -> bytes:
    return pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL)


def decode(body: bytes) -> Parsed | None:
    """A parse back from its bytes, building nothing but the model; None if it is not one."""
    try:
        parsed = _ModelUnpickler(io.BytesIO(body)).load()
    except Exception:  # a forged entry may fail in any way: it is only a cache
        return None
    return parsed if _well_formed(parsed) else None


def _well_formed(parsed: object) -> bool:
    return (
        type(parsed) is tuple and len(parsed) == 3
        and all(type(part) is list for part in parsed)
        and all(type(x) is Plan for x in parsed[0])
        and all(type(x) is Issue for x in parsed[1])
        and all(type(x) is Task for x in parsed[2])
    )


def root() -> Path | None:
    """The cache directory these settings ask for, or None when caching is off."""
    if os.environ.get("RECTIFY_NO_CACHE"):
        return None
    base = os.environ.get("RECTIFY_CACHE_DIR")
    if not base:
        from platformdirs import user_cache_dir

        base = user_cache_dir("rectify", appauthor=False)
    return Path(base)


def configured() -> ParseCache | None:
    """The parse cache these settings ask for, or None when it is off or unusable."""
    base = root()
    generation = _code_digest() if base is not None else None
    if base is None or generation is None:
        return None
    return ParseCache(base / generation)


def read_json(name: str) -> object | None:
    """A small JSON document kept in the cache directory, or None."""
    base = root()
    if base is None:
        return None
    try:
        return json.loads((base / name).read_bytes())
    except (OSError, ValueError, RecursionError):
        return None


def write_json(name: str, document: object) -> None:
    """Keep a small JSON document in the cache directory, if it can be written."""
    base = root()
    if base is None:
        return
    try:
        base.mkdir(parents=True, exist_ok=True)
        write_atomic(base / name, json.dumps(document, ensure_ascii=False), durable=False)
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
