"""What `status --format json` shows of a ledger on a day: each task's verdict and JSON
record, each issue's record and each plan's, kept per file for the day beside the index
(see `dayparts`), so that a run judges and encodes only the files changed since (and a run
on an unchanged ledger does not import the judge).

A task's record (`render.records.item_record`) is kept encoded (`Tally.record`) and goes
into the document as it is (see `cli.common.out_json`); selecting, ordering and counting read
its verdict (`overview.Tally`), the same functions that read a judged `ItemState`. A run
without the index makes the same parts from one judging and uses them at once, so the
document is put together one way.
"""

from __future__ import annotations

import datetime as dt
import pickle
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Collection, NamedTuple

import orjson

from . import dayparts, findings, problems as problem_list, schema
from .index import plain_load
from .indexed import as_columns, columns_shaped, well_typed
from .values import STATUS_VALUES, Status
from .overview import Tally, tally_of
from .problems import Problem
from .units import Registry

if TYPE_CHECKING:
    from .loader import Ledger
    from .schedule import Schedule
    from .workspace import Workspace


class IssueTally(NamedTuple):
    """An issue as `status` shows it: what grouping reads (see `overview.IssueLike`), and its
    JSON record without its state (which follows its tasks'), encoded."""

    plan: str
    id: str
    category: str
    title: str
    record: bytes


class PlanTally(NamedTuple):
    """A plan as `status` shows it on a day: its id and title (for grouping), and its JSON
    record (its current phases and its milestones, judged), encoded."""

    id: str
    title: str
    record: bytes


class Part(NamedTuple):
    """What `status` shows of one file's plans, tasks and issues on a day, and the problems
    the judge found there (an invalid ledger is not shown)."""

    tasks: tuple[Tally, ...]
    issues: tuple[IssueTally, ...]
    plans: tuple[PlanTally, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class Standing:
    """A ledger as `status` shows it on a day: its plans, tasks and issues, in ledger order."""

    ledger: Ledger
    problems: tuple[Problem, ...]  # the files' and the judge's, in file order
    as_of: dt.date
    registry: Registry  # its units (see `overview.matches_unit`)
    plans: tuple[PlanTally, ...]
    tasks: tuple[Tally, ...]
    issues: tuple[IssueTally, ...]

    @property
    def invalid(self) -> bool:
        return problem_list.invalid(self.problems)


def standing(ledger: Ledger, as_of: dt.date) -> Standing:
    """The ledger on `as_of`, judging only the files whose part is not kept for the day
    (a run that judges none imports no judge)."""
    _, (parts,) = dayparts.judged(ledger, as_of, (KIND,))
    return _assembled(ledger, as_of, ledger.config.registry, parts)


def standing_of(ws: Workspace) -> Standing:
    """A judged workspace (e.g. as committed at a revision) as `status` shows it."""
    schedule = ws.schedule
    return _assembled(ws.ledger, schedule.as_of, schedule.registry, KIND.made(schedule, None))


def issue_record(issue: IssueTally, status: Status) -> bytes:
    """The issue's JSON record, encoded: its state (the last field) added to the kept encoding."""
    return issue.record[:-1] + b',"status":' + orjson.dumps(status.value) + b"}"


def _assembled(ledger: Ledger, as_of: dt.date, registry: Registry, parts: dict[str, Part]) -> Standing:
    chosen = findings.in_order(ledger, parts)
    problems = findings.all_problems(ledger, chain.from_iterable(part.problems for part in chosen))
    return Standing(ledger, problems, as_of, registry,
                    *(tuple(chain.from_iterable(part[n] for part in chosen)) for n in (2, 0, 1)))


def _parts(schedule: Schedule, files: Collection[str] | None) -> dict[str, Part]:
    """Each file's part: of `files` (each of them), or of every file with a plan, a task or an issue."""
    from .render.records import item_record, plan_record

    tasks: dict[str, list[Tally]] = {}
    for state in schedule.tasks:
        tasks.setdefault(state.facts.file, []).append(tally_of(state, _encoded(item_record(state))))
    issues: dict[str, list[IssueTally]] = {}
    for issue in (schedule.issues() if files is None else schedule.issues_in(files)):
        record = _encoded({"plan": issue.plan, "id": issue.id, **schema.summary("issue", issue)})
        issues.setdefault(issue.source.file, []).append(
            IssueTally(issue.plan, issue.id, issue.category, issue.title, record))
    plans: dict[str, list[PlanTally]] = {}
    for plan in schedule.plans:
        if files is None or plan.source.file in files:
            plans.setdefault(plan.source.file, []).append(PlanTally(plan.id, plan.title, _encoded(plan_record(plan, schedule))))
    found, strays = findings.problems_by_file(schedule, files)
    names = files if files is not None else {*tasks, *issues, *plans, *found}
    return {name: Part(tuple(tasks.get(name, ())), tuple(issues.get(name, ())), tuple(plans.get(name, ())),
                       tuple(found.get(name, ())))
            for name in chain(names, strays)}


def _encoded(record: dict) -> bytes:
    """The record as JSON, in bytes of its own size: the bytes `orjson.dumps` returns keep
    the page it wrote into (4 KB), 200 MB for 50,000 records kept a while."""
    return memoryview(orjson.dumps(record)).tobytes()


_STATE, _DUE = Tally._fields.index("status"), Tally._fields.index("due_date")


def _written_tasks(tasks: tuple[Tally, ...]) -> tuple:
    """A file's tallies as columns of plain values: a status as its word, a day as its ordinal (0: none)."""
    columns = list(as_columns(tasks, len(Tally._fields)))
    columns[_STATE] = tuple(status.value for status in columns[_STATE])
    columns[_DUE] = tuple(day.toordinal() if day else 0 for day in columns[_DUE])
    return tuple(columns)


def _read_tasks(columns: tuple) -> tuple | None:
    """`_written_tasks` undone; None when a word is no status or a number no day."""
    try:
        read = list(columns)
        read[_STATE] = tuple(map(STATUS_VALUES.get, columns[_STATE]))
        read[_DUE] = tuple(map(_day, columns[_DUE]))
    except (TypeError, ValueError, OverflowError):
        return None
    return tuple(read)


def _day(ordinal: int) -> dt.date | None:
    return dt.date.fromordinal(ordinal) if ordinal else None


class _StatusKind:
    name, let_go = "status", True  # 40 MB at 50,000 tasks

    def made(self, schedule: Schedule, files: Collection[str] | None) -> dict[str, Part]:
        return _parts(schedule, files)

    def written(self, part: Part) -> bytes:
        return pickle.dumps((_written_tasks(part.tasks), as_columns(part.issues, len(IssueTally._fields)),
                             as_columns(part.plans, len(PlanTally._fields)),
                             problem_list.dumps(list(part.problems)) if part.problems else b""),
                            protocol=pickle.HIGHEST_PROTOCOL)

    def read(self, bodies: dict[str, bytes]) -> dict[str, Part]:
        """The parts that hold what a part holds, their types checked in one pass (see `indexed.well_typed`)."""
        records = (Tally, IssueTally, PlanTally)
        loaded = {}
        for name in list(bodies):
            kept = plain_load(bodies.pop(name))
            if (type(kept) is tuple and len(kept) == len(records) + 1 and type(kept[-1]) is bytes
                    and all(type(c) is tuple and c and type(c[0]) is tuple for c in kept[:-1])
                    and all(columns_shaped(c, len(record._fields), len(c[0])) for c, record in zip(kept, records))):
                tasks = _read_tasks(kept[0])
                problems = problem_list.loads(kept[-1]) if kept[-1] else []
                if tasks is not None and problems is not None:
                    loaded[name] = (tasks, *kept[1:-1], tuple(problems))
        typed = [well_typed(record, {name: kept[n] for name, kept in loaded.items()}) for n, record in enumerate(records)]
        return {name: Part(*(tuple(map(record._make, zip(*kept[n]))) for n, record in enumerate(records)), kept[-1])
                for name, kept in loaded.items()
                if all(name in found for found in typed) and all(map(_an_object, kept[1][4]))}


def _an_object(record: bytes) -> bool:
    """What `issue_record` adds a field to: an encoded object."""
    return record[:1] == b"{" and record[-1:] == b"}" and len(record) > 2


KIND = _StatusKind()
