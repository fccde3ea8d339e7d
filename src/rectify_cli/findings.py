"""What `check` reports of a ledger on a day: its problems and its overdue items, each
file's part kept for the day beside the index (see `dayparts`)."""

from __future__ import annotations

import datetime as dt
import pickle
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Collection, Iterable, NamedTuple

from . import dayparts, problems as problem_list
from .index import plain_load
from .indexed import as_columns, columns_shaped, well_typed
from .values import Source
from .problems import Problem, Severity

if TYPE_CHECKING:  # a run that judges nothing (every part kept) imports no judge
    from .loader import Ledger
    from .schedule import ItemState, Schedule
    from .workspace import Workspace


class Overdue(NamedTuple):
    """An overdue task or milestone, as `check` reports it."""

    file: str  # where the deadline that counts is written
    line: int
    column: int
    id: str
    plan: str
    title: str
    leads: str  # its lead units as written
    unit: str  # who answers for it (see `ItemState.units`)
    due: dt.date
    days: int  # calendar days past the deadline

    @property
    def source(self) -> Source:
        return Source(self.file, self.line, self.column)


def overdue_of(state: ItemState) -> Overdue:
    source = state.due_source
    return Overdue(source.file, source.line, source.column, state.id, state.facts.plan, state.title,
                   "、".join(state.facts.leads), state.unit, state.due_date, state.days_overdue)  # type: ignore[arg-type]


class Part(NamedTuple):
    """What the judge found in one file on a day."""

    tasks: int  # items judged (a template of a series counts as the items it stands for)
    milestones: tuple[Overdue, ...]
    overdue: tuple[Overdue, ...]  # its tasks
    problems: tuple[Problem, ...]  # the judge's (a deadline's), in the order it found them


@dataclass(frozen=True, slots=True)
class Findings:
    """What `check` reports: every problem (the files', and their deadlines'), in file order;
    the overdue items, milestones first, in ledger order (reported only when the files are valid)."""

    ledger: Ledger
    as_of: dt.date
    problems: tuple[Problem, ...]
    overdue: tuple[Overdue, ...]
    tasks: int

    @property
    def invalid(self) -> bool:
        return problem_list.invalid(self.problems)

    def count(self, severity: Severity) -> int:
        return problem_list.count(self.problems, severity)

    def summary(self) -> dict[str, int]:
        plans, issues = self.ledger.columns.sizes()[:2]
        return {
            "files": len(self.ledger.files),
            "plans": plans,
            "issues": issues,
            "tasks": self.tasks,
            "errors": self.count(Severity.ERROR),
            "violations": self.count(Severity.VIOLATION),
            "warnings": self.count(Severity.WARNING),
            "overdue": len(self.overdue) if not self.invalid else 0,
        }


def findings_of(ws: Workspace) -> Findings:
    """What `check` reports of a judged workspace."""
    return assembled(ws.ledger, ws.schedule.as_of, _parts(ws.schedule, None))


def check(ledger: Ledger, as_of: dt.date) -> Findings:
    """What `check` reports of the ledger on `as_of`, judging only the files whose part
    is not kept for the day (see `dayparts`)."""
    _, (parts,) = dayparts.judged(ledger, as_of, (KIND,))
    return assembled(ledger, as_of, parts)


def _parts(schedule: Schedule, files: Collection[str] | None) -> dict[str, Part]:
    """Each file's part of what the judge found: of `files`, and of any other file a
    problem it found names (a plan's, judged again with every plan); or of every file."""
    tasks: dict[str, int] = {}
    for state in schedule.tasks:
        tasks[state.facts.file] = tasks.get(state.facts.file, 0) + 1
    milestones: dict[str, list[Overdue]] = {}
    overdue: dict[str, list[Overdue]] = {}
    for states, into in ((schedule.milestones, milestones), (schedule.tasks, overdue)):
        for state in states:
            if state.overdue:
                into.setdefault(state.facts.file, []).append(overdue_of(state))
    found, strays = problems_by_file(schedule, files)
    names = files if files is not None else {*tasks, *milestones, *found}
    return {name: Part(tasks.get(name, 0), tuple(milestones.get(name, ())), tuple(overdue.get(name, ())),
                       tuple(found.get(name, ())))
            for name in chain(names, strays)}


def problems_by_file(schedule: Schedule, files: Collection[str] | None) -> tuple[dict[str, list[Problem]], set[str]]:
    """The judge's problems by the file each names; and, judging `files`, the other files
    some name (a plan's, judged again with every plan), whose parts are made with theirs."""
    found: dict[str, list[Problem]] = {}
    for problem in schedule.problems:
        found.setdefault(problem.source.file, []).append(problem)
    return found, ({name for name in found if name not in files} if files is not None else set())


def in_order(ledger: Ledger, parts: dict) -> list:
    """The parts in ledger order (a part of a file not in the ledger last)."""
    order = [*(name for name in ledger.files if name in parts), *(name for name in parts if name not in ledger.files)]
    return [parts[name] for name in order]


def all_problems(ledger: Ledger, judged: Iterable[Problem]) -> tuple[Problem, ...]:
    """The files' problems and the judge's, in file order."""
    return tuple(sorted((*ledger.problems, *judged), key=lambda p: (p.source.file, p.source.line, p.source.column)))


def assembled(ledger: Ledger, as_of: dt.date, parts: dict[str, Part]) -> Findings:
    chosen = in_order(ledger, parts)
    overdue = (*chain.from_iterable(part.milestones for part in chosen),
               *chain.from_iterable(part.overdue for part in chosen))
    return Findings(ledger, as_of, all_problems(ledger, chain.from_iterable(part.problems for part in chosen)),
                    overdue, sum(part.tasks for part in chosen))


class _FindingsKind:
    name, let_go = "findings", False

    def made(self, schedule: Schedule, files: Collection[str] | None) -> dict[str, Part]:
        return _parts(schedule, files)

    def written(self, part: Part) -> bytes:
        return _written(part)

    def read(self, bodies: dict[str, bytes]) -> dict[str, Part]:
        """The parts that hold what a part holds, their types checked in one pass (see `indexed.well_typed`)."""
        loaded = {}
        for name, body in bodies.items():
            kept = plain_load(body)
            if (type(kept) is tuple and len(kept) == 4 and type(kept[0]) is int and kept[0] >= 0
                    and type(kept[1]) is int and type(kept[3]) is bytes and type(kept[2]) is tuple and kept[2]
                    and type(kept[2][0]) is tuple and columns_shaped(kept[2], len(_Written._fields), len(kept[2][0]))
                    and 0 <= kept[1] <= len(kept[2][0]) and set(kept[2][0]) <= {name}):
                loaded[name] = kept
        typed = well_typed(_Written, {name: kept[2] for name, kept in loaded.items()})
        found = {}
        for name in typed:
            part = _read(*loaded[name])
            if part is not None:
                found[name] = part
        return found


KIND = _FindingsKind()


class _Written(NamedTuple):
    """An `Overdue` as kept: its due day by ordinal."""

    file: str
    line: int
    column: int
    id: str
    plan: str
    title: str
    leads: str
    unit: str
    due: int
    days: int


def _written(part: Part) -> bytes:
    rows = [(*entry[:8], entry.due.toordinal(), entry.days) for entry in (*part.milestones, *part.overdue)]
    columns = as_columns(rows, len(_Written._fields))
    problems = problem_list.dumps(list(part.problems)) if part.problems else b""
    return pickle.dumps((part.tasks, len(part.milestones), columns, problems), protocol=pickle.HIGHEST_PROTOCOL)


def _read(tasks: int, milestones: int, columns: tuple, problems: bytes) -> Part | None:
    """A part back from what `_written` wrote (its shape and types checked); None when a
    value is not what it stands for (it is only a cache)."""
    found = problem_list.loads(problems) if problems else []
    try:
        entries = list(map(Overdue._make, zip(*columns[:8], map(dt.date.fromordinal, columns[8]), columns[9])))
    except (ValueError, OverflowError):  # no day
        return None
    if found is None:
        return None
    return Part(tasks, tuple(entries[:milestones]), tuple(entries[milestones:]), tuple(found))
