"""A ledger read through the repository index, building the model only when asked.

When the index (`index`) vouches for every plan file by its stat data, a run
needs none of them read: each file's rows (`facts`) are in the index, the
plans come from their files' parses, and the last validation of the whole
ledger is used again when it was made from exactly these files, these
settings, and the same answers about evidence files. Anything else (a file
changed, a setting changed, an evidence file added) and the ledger is read
and validated as always. The full model of a file is built when an item of it
is shown (`IndexColumns.item`), or the whole of it when a command asks for
the repository.
"""

from __future__ import annotations

import hashlib
import typing
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Callable, Iterable, Sequence

from . import problems as problem_list, typecheck
from .cache import Parsed
from .config import Config
from .facts import Facts, facts_of
from .index import BoundIndex
from .model import Repository, Task
from .problems import Problem


_FIELDS = len(Facts._fields)


def file_rows(parsed: Parsed) -> tuple:
    """What the index keeps of one file: how many of each kind it holds, and its tasks'
    rows as columns (one tuple of plain values per field of `Facts`)."""
    rows = [facts_of(task, n, task.plan) for n, task in enumerate(parsed[2])]
    return (tuple(map(len, parsed)), tuple(zip(*rows)) if rows else ((),) * _FIELDS)


class IndexColumns:
    """A ledger's rows as the index kept them; each file's model built when first needed."""

    def __init__(self, names: Sequence[str], counts: dict[str, tuple[int, ...]], rows: dict[str, list[Facts]],
                 parse: Callable[[str], Parsed] | None, repository: Repository | None = None) -> None:
        self.names = tuple(names)
        self.counts = counts
        self.rows = rows
        self._parse = parse
        self._parses: dict[str, Parsed] = {}
        self._repository = repository
        self._first: dict[str, int] = {}  # where each file's tasks start in the repository's
        if repository is not None:
            start = 0
            for name in self.names:
                self._first[name], start = start, start + counts[name][2]
            self.plans = repository.plans
        else:
            self.plans = tuple(plan for name in self.names if counts[name][0] for plan in self.parsed(name)[0])

    @classmethod
    def of(cls, entries: dict[str, tuple], parse: Callable[[str], Parsed] | None,
           repository: Repository | None = None) -> "IndexColumns | None":
        """The columns of these index entries; None when any entry's are not what `file_rows` makes."""
        counts: dict[str, tuple[int, ...]] = {}
        kept_columns: dict[str, tuple] = {}
        for name, entry in entries.items():
            kept = entry[7]
            if not (type(kept) is tuple and len(kept) == 2 and type(kept[0]) is tuple and len(kept[0]) == 5
                    and all(type(n) is int for n in kept[0]) and type(kept[1]) is tuple and len(kept[1]) == _FIELDS
                    and all(type(c) is tuple and len(c) == kept[0][2] for c in kept[1])
                    and set(kept[1][0]) <= {name}):
                return None
            counts[name], kept_columns[name] = kept[0], kept[1]
        hints = _hints()
        for n, hint in enumerate(hints):  # each field of every file at once: a few C-level passes
            if not typecheck.values_typed(hint, chain.from_iterable(c[n] for c in kept_columns.values())):
                return None
        rows = {name: list(map(Facts._make, zip(*columns))) for name, columns in kept_columns.items()}
        return cls(list(entries), counts, rows, parse, repository)

    def parsed(self, name: str) -> Parsed:
        found = self._parses.get(name)
        if found is None:
            found = self._parses[name] = self._parse(name)
        return found

    def task_rows(self) -> Iterable[Facts]:
        return chain.from_iterable(self.rows[name] for name in self.names)

    def item(self, facts: Facts) -> Task:
        if self._repository is not None and self._first:
            return self._repository.tasks[self._first[facts.file] + facts.position]
        return self.parsed(facts.file)[2][facts.position]

    def sizes(self) -> tuple[int, ...]:
        return tuple(map(sum, zip(*self.counts.values()))) if self.counts else (0,) * 5

    @property
    def repository(self) -> Repository:
        if self._repository is None:
            parts: tuple[list, ...] = ([], [], [], [], [])
            for name in self.names:
                for part, found in zip(parts, self.parsed(name)):
                    part.extend(found)
            plans, issues, tasks, suggestions, outcomes = (tuple(part) for part in parts)
            self._repository = Repository(plans, issues, tasks, self.names, suggestions, outcomes)
        return self._repository


@lru_cache(maxsize=1)
def _hints() -> tuple:
    hints = typing.get_type_hints(Facts)
    return tuple(hints[name] for name in Facts._fields)


class _Recorded:
    """A tree that notes each look-up validation makes of it (is this evidence file there?)."""

    def __init__(self, tree) -> None:
        self._tree = tree
        self.look_ups: list[tuple[str, str, str, str | None]] = []

    def look_up(self, file: Path, entry: str) -> tuple[str, str | None]:
        found = self._tree.look_up(file, entry)
        self.look_ups.append((str(file), entry, *found))
        return found

    def __getattr__(self, name: str):
        return getattr(self._tree, name)


def _key(addresses: dict[str, str], config: Config) -> str:
    digest = hashlib.blake2b(digest_size=20)
    digest.update(repr(config).encode("utf-8", "surrogatepass"))
    for name, address in addresses.items():
        digest.update(b"\0" + name.encode("utf-8", "surrogatepass") + b"\0" + address.encode())
    return digest.hexdigest()


def validated(repo: Repository, tree, config: Config, index: BoundIndex | None,
              validate: Callable[..., list[Problem]]) -> list[Problem]:
    """`validate` of the ledger, kept in the index when every file has a parse it names."""
    if index is None or set(index.addresses) != set(repo.files):
        return validate(repo, tree, config)
    recorded = _Recorded(tree)
    found = validate(repo, recorded, config)
    try:
        body = problem_list.dumps(found)
    except Exception:  # a message parameter that cannot be kept: validate every time
        return found
    index.index.remember(_key(index.addresses, config), body, tuple(recorded.look_ups))
    return found


def read_columns(index: BoundIndex | None, repo: Repository) -> IndexColumns | None:
    """The columns of a ledger just read, from the index: only the files read now had
    their rows made (the rest were kept); None when a file has no entry (it had problems)."""
    if index is None or not repo.files:
        return None
    entries = {}
    for name in repo.files:
        entry = index.index.entries.get(name)
        if entry is None or entry[5] != index.addresses.get(name):
            return None
        entries[name] = entry
    columns = IndexColumns.of(entries, None, repo)
    if columns is not None and sum(c[2] for c in columns.counts.values()) != len(repo.tasks):
        return None
    return columns


def warm(index: BoundIndex, names: Sequence[str], config: Config, tree,
         parse: Callable[[str], Parsed]) -> tuple[IndexColumns, list[Problem]] | None:
    """The ledger from the index alone, when it vouches for every file and keeps a validation
    made from them; else None (read it)."""
    entries = index.clean()
    if entries is None or not entries:
        return None
    addresses = {name: entries[name][5] for name in names}
    kept = index.index.recalled(_key(addresses, config))
    if kept is None:
        return None
    body, look_ups = kept
    for row in look_ups:
        if not (type(row) is tuple and len(row) == 4 and all(type(v) is str for v in row[:3])
                and tree.look_up(Path(row[0]), row[1]) == (row[2], row[3])):
            return None
    found = problem_list.loads(body)
    columns = IndexColumns.of(entries, parse) if found is not None else None
    if columns is None:
        return None
    index.addresses.update(addresses)
    return columns, found
