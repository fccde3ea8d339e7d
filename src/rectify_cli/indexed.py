"""A work tree's ledger as the repository index keeps it, building the model only where needed.

The index (`index`) keeps, for each plan file, its stat data, where its parse
is, and its rows: what the judge reads of each task (`facts`), what the checks
across files read of each issue, task and list entry (`listed.Listed`), what
a task's record shows (`shown`), and a digest of the ids and references the
checks across files judge. `IndexColumns` is a ledger made of those rows
(see `incremental` for how a run reads it). The full model of a file is built
when an item of it is shown (`IndexColumns.item`), when its own checks run,
or all of it when a command asks for the repository.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
import typing
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING, Callable, Collection, Iterable, Sequence

from . import cache as parse_cache, typecheck
from .cache import Parsed
from .facts import Facts, Given, ItemSource, facts_of, rows_on, viewed_item
from .index import Beside, RepositoryIndex, plain_load
from .shown import Shown, shown_of
from .listed import Listed, Listing, listed

if TYPE_CHECKING:  # a warm run builds no entity, and does not import the model (see `values`)
    from .model import Issue, Plan, Repository, Task

_FIELDS = len(Facts._fields)
_SHOWN_FIELDS = len(Shown._fields)
_LISTED_FIELDS = len(Listed._fields)
_LISTED_KINDS = 4  # issues, tasks, suggestions, outcomes: the parts of a parse after its plans


def file_rows(parsed: Parsed) -> bytes:
    """What the index keeps of one file, as bytes (so that the index is written again
    without encoding the rows of every file): how many of each kind it holds; as bytes
    of their own, read only by a run that needs them, its tasks' rows (`Facts`, as
    columns: one tuple of plain values per field; only by a run that judges the file),
    the rows the checks across files read (`Listed`, per kind: only when the ledger is
    validated again) and its tasks' `Shown` rows (only by a command that shows every
    task); last, a digest of what the checks across files find problems in (`_identities`)."""
    listed_parts = tuple(as_columns([listed(entity) for entity in part], _LISTED_FIELDS) for part in parsed[1:])
    return pickle.dumps((
        tuple(map(len, parsed)),
        _pickled(as_columns(_made_rows(parsed), _FIELDS)),
        _pickled(listed_parts),
        _pickled(as_columns(list(map(shown_of, parsed[2])), _SHOWN_FIELDS)),
        _identities(listed_parts),
    ), protocol=pickle.HIGHEST_PROTOCOL)


def _parts_of(body: bytes) -> list[bytes] | None:
    """What `file_rows` made (counts, Facts, Listed, Shown, identities), read back; None for anything else."""
    found = plain_load(body)
    if not (type(found) is tuple and len(found) == 5 and all(type(part) is bytes for part in found[1:4])):
        return None
    return list(found)


def _made_rows(parsed: Parsed) -> list[Facts]:
    return [facts_of(task, n, task.plan) for n, task in enumerate(parsed[2])]


# The fields of `Listed` that the checks across files judge; the others (file, line,
# column, positions) only say where a problem they find is written.
_JUDGED = tuple(Listed._fields.index(name) for name in ("plan", "id", "issue", "parent", "tasks"))


def _identities(listed_parts: tuple) -> str:
    """A digest of the ids and references of a file's entities, in order, without where
    they are written: whether the checks across files find anything depends on these alone."""
    return digest(repr(tuple(tuple(columns[n] for n in _JUDGED) for columns in listed_parts)))


def _pickled(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def as_columns(rows: Sequence, fields: int) -> tuple:
    """Rows of `fields` values as columns: one tuple per field (what `columns_shaped` checks)."""
    return tuple(zip(*rows)) if rows else ((),) * fields


class IndexColumns:
    """A ledger's rows as the index kept them; each file's model built when first needed."""

    def __init__(self, names: Sequence[str], heads: dict[str, tuple],
                 parse: Callable[[str], Parsed], fresh: dict[str, Parsed],
                 index: RepositoryIndex | None = None, addresses: dict[str, str] | None = None,
                 made_here: frozenset[str] = frozenset(), bodies: dict[str, bytes] | None = None,
                 made: dict[str, bytes] | None = None) -> None:
        self.names = tuple(names)
        self.counts = {name: heads[name][0] for name in self.names}  # plans, issues, tasks, suggestions, outcomes
        self.identities = {name: heads[name][1] for name in self.names}  # see `_identities`
        self._index, self._addresses = index, addresses or {}
        self._beside: dict[str, Beside] = {}  # what is kept beside the index, by kind (see `kept`)
        # (file, day) -> the rows kept for the day by position (each with its place among them), or made in this run
        self._on_day: dict[tuple[str, int], dict[int, list[tuple[Facts, int]]] | None] = {}
        self._day_shown: dict[tuple[str, int], bytes | list[Shown] | None] = {}  # what they show: read when asked
        self._made: dict[tuple[str, int], list[tuple[Facts, Shown]]] = {}
        self._days_read: set[tuple[str, int]] = set()  # (file, day) whose kept rows were read (`_read_day`)
        # each file's kept rows as `file_rows` made them: Facts, Listed, Shown as bytes, read when needed
        self._kept: dict[str, list[bytes] | None] = {name: _parts_of(body) for name, body in (made or {}).items()}
        self._lost: list[str] = []  # files whose rows were not beside the index (see `_kept_part`)
        self._listing_done = False  # the checks across files are done: their rows need not be held
        self._shown: dict[str, list[Shown] | None] = {}
        self._rows: dict[str, list[Facts]] = {}
        self._parse = parse
        self._parses: dict[str, Parsed] = dict(fresh)
        self._bodies = dict(bodies or {})  # parses a worker made, still encoded
        self._made_here = made_here  # files whose rows this run made: no types to check (see `of`)
        self._repository: Repository | None = None
        self._plans: tuple[Plan, ...] | None = None

    @property
    def plans(self) -> tuple[Plan, ...]:
        """Every plan, from its file's model, read when first asked for: a run that judges
        nothing (every part kept, see `dayparts`) reads no model and imports none."""
        if self._plans is None:
            self._plans = tuple(plan for name in self.names if self.counts[name][0] for plan in self.parsed(name)[0])
        return self._plans

    @classmethod
    def of(cls, entries: dict[str, tuple], parse: Callable[[str], Parsed], fresh: dict[str, Parsed],
           index: RepositoryIndex | None = None, made_here: Iterable[str] = (),
           bodies: dict[str, bytes] | None = None) -> "IndexColumns | None":
        """The columns of these index entries (how many of each kind a file holds and its ids'
        digest are in the entry; its rows beside the index, read when first needed: `_kept_part`).
        `made_here`: the files whose rows this run made (here, or in a worker forked from here, see
        `parse_pool`): what `file_rows` made needs no check; rows read back from beside the index do.
        `bodies`: parses a worker made, still encoded (decoded when first needed)."""
        made_here = frozenset(made_here)
        made = {name: index.made[name] for name in made_here if name in index.made} if index is not None else {}
        return cls(list(entries), {name: entry[7:9] for name, entry in entries.items()}, parse, fresh, index,
                   {name: entry[5] for name, entry in entries.items()}, made_here, bodies, made)

    def _kept_part(self, name: str, part: int) -> bytes:
        """One part of a file's kept rows (see `file_rows`; 1: Facts, 2: Listed, 3: Shown), given
        once; b"" when there are none to trust, and the caller makes them from the file's model.
        Rows missing beside the index make the index forget the file (`_forget_lost`), so that
        the next run reads it and keeps them again."""
        if name not in self._kept:
            body = self._index.rows_of(name) if self._index is not None else None
            found = _parts_of(body) if body is not None else None
            if found is not None and (found[0] != self.counts[name] or found[4] != self.identities[name]):
                found = None  # rows of another parse than the entry's
            if found is None:
                self._lost.append(name)
            elif self._listing_done:
                found[2] = b""  # what the checks across files read: they are done (`validated`)
            self._kept[name] = found
        found = self._kept[name]
        if found is None:
            return b""
        body, found[part] = found[part], b""  # each part is read once: the rows made of it are kept
        return body

    def _forget_lost(self) -> None:
        if self._lost and self._index is not None:
            self._index.forget(self._lost)
        self._lost = []

    def validated(self) -> None:
        """The rows the checks across files read are no longer needed: let them go."""
        self._listing_done = True
        for found in self._kept.values():
            if found is not None:
                found[2] = b""

    def parsed(self, name: str) -> Parsed:
        found = self._parses.get(name)
        if found is None:
            body = self._bodies.pop(name, None)
            found = parse_cache.decode(body, typed=True) if body is not None else None  # this process's own worker's
            if found is None:
                found = self._parse(name)
            self._parses[name] = found
        return found

    def task_rows(self, files: Collection[str] | None = None) -> Iterable[Facts]:
        chosen = self.names if files is None else [name for name in self.names if name in files]
        return chain.from_iterable(map(self._rows_of(chosen).__getitem__, chosen))

    def _rows_of(self, names: Sequence[str]) -> dict[str, list[Facts]]:
        """These files' rows (`Facts`), read when first needed, their types checked in one pass;
        a file whose kept rows are not what `Facts` holds has them made again from its model."""
        waiting = [name for name in names if name not in self._rows]
        for name, rows in self._kept_rows(Facts, 1, waiting).items():
            self._rows[name] = rows if rows is not None else _made_rows(self.parsed(name))
        return self._rows

    def _kept_rows(self, record: type, part: int, names: Sequence[str]) -> dict[str, list | None]:
        """These files' rows of `record` (`Facts` or `Shown`), from the `part` of their kept rows
        (columns, as bytes), their types checked in one pass; None for a file whose rows are not
        what `record` holds (a file's `Facts` name that file). Rows this run made are not checked."""
        fields = len(record._fields)  # type: ignore[attr-defined]
        loaded = {name: plain_load(self._kept_part(name, part)) for name in names}
        self._forget_lost()
        shaped = {name: columns for name, columns in loaded.items()
                  if columns_shaped(columns, fields, self.counts[name][2])
                  and (record is not Facts or set(columns[0]) <= {name})}  # type: ignore[index]
        typed = well_typed(record, {name: columns for name, columns in shaped.items() if name not in self._made_here})
        return {name: list(map(record._make, zip(*shaped[name])))  # type: ignore[attr-defined]
                if name in shaped and (name in typed or name in self._made_here) else None for name in names}

    def item(self, facts: Facts) -> Task:
        return self.parsed(facts.file)[2][facts.position]

    def shown(self, facts: Facts) -> Shown:
        """The row as kept; made from the model when the kept one is not what `Shown` holds."""
        name = facts.file
        rows = self._shown[name] if name in self._shown else self._kept_shown(name)
        return rows[facts.position] if rows is not None else shown_of(self.item(facts))

    def _kept_shown(self, name: str) -> list[Shown] | None:
        """The first file's rows alone (a command that shows one task reads one file's); after
        it, every other file's at once, their types checked in one pass."""
        names = [n for n in self.names if n not in self._shown] if self._shown else [name]
        self._shown.update(self._kept_rows(Shown, 3, names))
        return self._shown[name]

    def rows_on(self, facts: Facts, plan: Plan | None, day: dt.date) -> list[tuple[Facts, ItemSource]]:
        """As `facts.rows_on`; for an unchanged file on the day they were kept for, the
        rows as kept (see `index.Beside`), their items made again only when shown."""
        at = (facts.file, day.toordinal())
        kept = self._on_day[at] if at in self._on_day else self._kept_on(at)
        found = kept.get(facts.position) if kept is not None else None
        if found is not None:
            return [(row, _OnDay(self, plan, day, at, place)) for row, place in found]
        made = rows_on(self.item(facts), plan, day, facts.position, facts.plan)
        self._made.setdefault(at, []).extend((row, shown_of(viewed)) for row, viewed in made)
        return [(row, Given(viewed)) for row, viewed in made]

    def _kept_on(self, at: tuple[str, int]) -> dict[int, list[tuple[Facts, int]]] | None:
        if at not in self._days_read:
            self._read_day(at[1])
        return self._on_day.setdefault(at, None)

    def _read_day(self, day: int) -> None:
        """The rows kept for `day` (see `index.Beside`) of every file being judged (whose rows
        were read), their types checked in one pass (a check per file cost more than the rows
        it checked); a file with none has None."""
        names = [name for name in self._rows if (name, day) not in self._days_read]
        self._days_read.update((name, day) for name in names)
        views = self.kept("day")
        if views is None:
            return
        kept: dict[str, tuple] = {}
        for name in names:
            if name in self._addresses and name in views:
                body = views.get(name, self._day_key(name, day))
                value = plain_load(body) if body is not None else None
                if (type(value) is tuple and len(value) == 2 and type(value[0]) is tuple and value[0]
                        and type(value[0][0]) is tuple and columns_shaped(value[0], _FIELDS, len(value[0][0]))
                        and set(value[0][0]) <= {name} and type(value[1]) is bytes):
                    kept[name] = value
        for name in well_typed(Facts, {name: value[0] for name, value in kept.items()}):
            facts, shown = kept[name]
            found: dict[int, list[tuple[Facts, int]]] = {}
            for place, row in enumerate(map(Facts._make, zip(*facts))):
                found.setdefault(row.position, []).append((row, place))
            self._on_day[(name, day)] = found
            self._day_shown[(name, day)] = shown

    def day_shown(self, at: tuple[str, int], place: int) -> Shown | None:
        """What the row kept at `place` for (file, day) shows; None when what was kept is not
        what `Shown` holds (the row's item is made and shown instead)."""
        if type(self._day_shown.get(at)) is bytes:
            self._read_day_shown(at[1])
        kept = self._day_shown.get(at)
        return kept[place] if kept is not None else None  # type: ignore[index]

    def _read_day_shown(self, day: int) -> None:
        """What every file's rows kept for `day` show, their types checked in one pass."""
        waiting = [at for at, kept in self._day_shown.items() if at[1] == day and type(kept) is bytes]
        loaded = {at: plain_load(self._day_shown[at]) for at in waiting}  # type: ignore[arg-type]
        shaped = {at: columns for at, columns in loaded.items()
                  if columns_shaped(columns, _SHOWN_FIELDS, len(self._on_day_rows(at)))}
        typed = well_typed(Shown, shaped)
        for at in waiting:
            self._day_shown[at] = list(map(Shown._make, zip(*shaped[at]))) if at in typed else None  # type: ignore[call-overload]

    def _on_day_rows(self, at: tuple[str, int]) -> list[tuple[Facts, int]]:
        return list(chain.from_iterable((self._on_day.get(at) or {}).values()))

    def _day_key(self, file: str, day: int) -> str:
        """What a file's rows on a day are made from: its parse, the day, and, for a template,
        its plan's series (any plan's events: a plan file changes rarely)."""
        series = any(row.template for row in self._rows_of((file,))[file])
        return digest(self._addresses[file], str(day), repr([(p.id, p.events) for p in self.plans]) if series else "")

    def kept(self, kind: str) -> Beside | None:
        """What is kept of `kind` beside the index, per file or plan, across runs (see
        `index.Beside`): a day's rows ("day"), rule answers ("rules", see `schedule`),
        what `check` found and `status` shows ("findings", "status": see `dayparts`). None without an index."""
        found = self._beside.get(kind)
        if found is None and self._index is not None:
            found = self._beside[kind] = Beside.beside(self._index, kind)
        return found

    def rule_answers(self) -> Beside | None:
        return self.kept("rules")

    def address(self, name: str) -> str | None:
        """The address of the file's parse: it names the file and its text."""
        return self._addresses.get(name)

    def holds_plans(self, name: str) -> bool:
        return bool(self.counts[name][0])

    def judged(self) -> None:
        if "rules" in self._beside:
            self._beside["rules"].save((), keep=lambda plan: True)  # one entry per plan id: a few, and small
        views = self.kept("day") if self._made else None
        if views is None:
            return
        for (file, day), made in self._made.items():
            at = (file, day)
            kept_rows = [(row, self.day_shown(at, place)) for row, place in sorted(self._on_day_rows(at), key=lambda p: p[1])]
            if file in self._addresses and all(shown is not None for _, shown in kept_rows):
                pairs = [*kept_rows, *made]
                kept = (as_columns([row for row, _ in pairs], _FIELDS),
                        _pickled(as_columns([shown for _, shown in pairs], _SHOWN_FIELDS)))
                views.put(file, self._day_key(file, day), pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
        self._made = {}
        views.save(self.names)

    @property
    def issues(self) -> tuple[Issue, ...]:
        if self._repository is not None:
            return self._repository.issues
        return self.issues_in(self.names)

    def issues_in(self, files: Collection[str]) -> tuple[Issue, ...]:
        files = set(files)
        if self._repository is not None:
            return tuple(issue for issue in self._repository.issues if issue.source.file in files)
        return tuple(issue for name in self.names if name in files and self.counts[name][1]
                     for issue in self.parsed(name)[1])

    def sizes(self) -> tuple[int, ...]:
        return tuple(map(sum, zip(*self.counts.values()))) if self.counts else (0,) * 5

    def tasks_in(self, name: str) -> int:
        return self.counts[name][2] if name in self.counts else 0

    def listing(self) -> Listing | None:
        """The ledger as the checks across files read it; None when a kept value is not what `Listed` holds."""
        kept = {name: plain_load(self._kept_part(name, 2)) for name in self.names}
        self._forget_lost()
        if not all(type(columns) is tuple and len(columns) == _LISTED_KINDS
                   and all(columns_shaped(part, _LISTED_FIELDS, n) and set(part[0]) <= {name}
                           for part, n in zip(columns, self.counts[name][1:]))
                   for name, columns in kept.items()):
            return None
        read_back = [name for name in self.names if name not in self._made_here]
        if not all(_typed(Listed, (kept[name][kind] for name in read_back)) for kind in range(_LISTED_KINDS)):
            return None
        parts = ([Listed._make(row) for name in self.names for row in zip(*kept[name][kind])]
                 for kind in range(_LISTED_KINDS))
        return Listing(self.plans, *map(tuple, parts))

    @property
    def repository(self) -> Repository:
        if self._repository is None:
            parts: tuple[list, ...] = ([], [], [], [], [])
            for name in self.names:
                for part, found in zip(parts, self.parsed(name)):
                    part.extend(found)
            plans, issues, tasks, suggestions, outcomes = (tuple(part) for part in parts)
            from .model import Repository

            self._repository = Repository(plans, issues, tasks, self.names, suggestions, outcomes)
        return self._repository


class _OnDay:
    """A row kept for a day (see `IndexColumns.rows_on`): what it shows as kept (read when
    first asked for), and its item made again from its file's model when a command shows that."""

    __slots__ = ("columns", "plan", "day", "at", "place")

    def __init__(self, columns: IndexColumns, plan: Plan | None, day: dt.date, at: tuple[str, int], place: int) -> None:
        self.columns, self.plan, self.day, self.at, self.place = columns, plan, day, at, place

    def item(self, facts: Facts) -> Task:
        return viewed_item(self.columns.item(facts), self.plan, self.day, facts)

    def shown(self, facts: Facts) -> Shown:
        kept = self.columns.day_shown(self.at, self.place)
        return kept if kept is not None else shown_of(self.item(facts))


def well_typed(record: type, parts: dict) -> set:
    """The keys of `parts` whose rows (as columns) hold what `record` declares: all of them in
    one check (its fixed cost is most of a check of one file's rows), each alone only when
    that one finds something wrong."""
    if not parts:
        return set()
    if _typed(record, parts.values()):
        return set(parts)
    return {key for key, columns in parts.items() if _typed(record, [columns])}


def _typed(record: type, files: Iterable[tuple]) -> bool:
    """Each field of these files' rows (as columns) holds what `record` declares: a few C-level passes."""
    files = list(files)
    return all(typecheck.values_typed(hint, chain.from_iterable(columns[n] for columns in files))
               for n, hint in enumerate(_hints(record)))


@lru_cache(maxsize=None)
def _hints(record: type) -> tuple:
    hints = typing.get_type_hints(record)
    return tuple(hints[name] for name in record._fields)  # type: ignore[attr-defined]


def columns_shaped(columns: object, fields: int, rows: int) -> bool:
    """`fields` tuples of `rows` values each."""
    return type(columns) is tuple and len(columns) == fields and all(type(c) is tuple and len(c) == rows for c in columns)


def digest(*parts: str) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()
