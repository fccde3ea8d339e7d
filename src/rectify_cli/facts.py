"""What judging reads of a task or milestone, as one row of plain values.

The judge (`schedule`) runs on these rows, never on the model: a row is a
tuple of strings and integers that the repository index (`index`) can keep
per file, so a warm run judges 50,000 tasks without building a million
objects, and the full model of an item is built only when a command shows
or edits it. `facts_of` is the one way a row is made, from the model, whether
the file was just read or the row was kept from an earlier run.

A row holds the item as its file says it. Two things change an item as of a
day, and for those the one place that decides them runs on the model
(`rows_on`: `recurrence`, then `as_of`): a template of a series (`each:`),
and anything dated after the day (`later`). The rows it gives may be kept for
that day (`index.Beside`, "day").
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Collection, Iterable, NamedTuple, Protocol

from . import schema
from .shown import Shown, shown_of
from .values import Source

if TYPE_CHECKING:
    from .model import Extension, Issue, Milestone, Plan, Repository, Task
    from .index import Beside


class Facts(NamedTuple):
    file: str
    kind: str  # "task" | "milestone"
    position: int  # where the columns that made it keep its model (see `Columns.item`)
    plan: str
    id: str
    title: str
    status: str  # a `Status` value
    due: str  # the deadline as written; "" when none
    due_at: tuple[int, int]  # where the rule text is (its problems point there)
    due_field: tuple[int, int]  # where the `due` field is, else the item (overdue lines point there)
    extension: str  # the counting extension's deadline as written (the last approved one); "" when none
    extension_at: tuple[int, int]
    done: int  # ordinal of the day it was finished; 0 when not
    long_term: bool  # 长期: judged by its progress notes, never overdue
    leads: tuple[str, ...]
    support: tuple[str, ...]
    later: int  # ordinal of the last day anything in it is dated; 0 when nothing is
    template: bool  # stands for the items of a series (`each:`)
    each: str  # for an item made for one occurrence: its series, with `occurrence`
    occurrence: int  # ordinal of that occurrence; 0 for any other item

    @property
    def due_source(self) -> Source:
        return Source(self.file, *self.due_field)


def counting_extension(item: Task | Milestone) -> Extension | None:
    """The extension whose deadline counts: the last approved one."""
    approved = [e for e in getattr(item, "extensions", ()) if e.approved_by and e.to.text]
    return approved[-1] if approved else None


def facts_of(item: Task | Milestone, position: int, plan: str) -> Facts:
    """The row of one task (its `plan`) or milestone (of plan `plan`). Made for every item
    of a ledger read afresh: what most items lack (extensions, a series) costs nothing."""
    if _made_from is None:
        _bind()
    task, last_dated = _made_from  # type: ignore[misc]
    due = item.due
    is_task = type(item) is task
    extension = counting_extension(item) if is_task and item.extensions else None  # type: ignore[union-attr]
    occurrence = item.occurrence
    return _new_facts(Facts, (
        item.source.file,
        "task" if is_task else "milestone",
        position,
        plan,
        item.id,
        item.title,
        item.status._value_,
        due.text if due is not None else "",
        due.source[1:] if due is not None else (0, 0),
        item.position("due"),
        extension.to.text if extension is not None else "",
        extension.to.source[1:] if extension is not None else (0, 0),
        item.done.toordinal() if item.done is not None else 0,
        is_task and item.term in schema.LONG_TERM,  # type: ignore[union-attr]
        item.leads,
        item.support,
        last_dated(item),
        bool(item.each) and occurrence is None,
        item.each if occurrence is not None else "",
        occurrence.toordinal() if occurrence is not None else 0,
    ))


_new_facts = tuple.__new__  # a row from its values in field order, without the named tuple's own constructor

_made_from: tuple | None = None  # (Task, as_of.last_dated): bound when rows are first made from a model


def _bind() -> None:
    """The model and the as-of rules, imported when a row is first made from a model: a warm
    run reads kept rows and makes none (see `values`)."""
    global _made_from
    from .as_of import last_dated
    from .model import Task

    _made_from = (Task, last_dated)


def rows_on(item: Task, plan: Plan | None, day: dt.date, position: int, plan_id: str) -> list[tuple[Facts, Task]]:
    """What a written task (at `position`, of plan `plan_id`, written as `plan`) stands for
    on `day`, as rows with their items: the one place (`recurrence`, `as_of`) decides."""
    from .as_of import on
    from .recurrence import items_for

    return [(facts_of(viewed, position, plan_id), viewed)
            for viewed in (on(made, day) for made in items_for(item, plan, day))]


def viewed_item(item: Task, plan: Plan | None, day: dt.date, facts: Facts) -> Task:
    """The item of one of `rows_on`'s rows, made again from the written task."""
    return next(viewed for row, viewed in rows_on(item, plan, day, facts.position, facts.plan)
                if row.occurrence == facts.occurrence)


class Columns(Protocol):
    """A ledger as the judge reads it: its plans, a row per task in ledger order,
    and each task's full model when a command asks for it."""

    plans: tuple[Plan, ...]

    def task_rows(self, files: Collection[str] | None = None) -> Iterable[Facts]:
        """A row per task, in ledger order: of every file, or of these `files` only."""

    def item(self, facts: Facts) -> Task: ...

    def shown(self, facts: Facts) -> Shown: ...

    def rows_on(self, facts: Facts, plan: Plan | None, day: dt.date) -> Iterable[tuple[Facts, "ItemSource"]]:
        """What the task of a row (dated after `day`, or a template) stands for on `day`
        (see `rows_on`), each row with what builds its item."""

    def rule_answers(self) -> "Beside | None":
        """Where each plan's rule answers are kept across runs (see `schedule`); None: nowhere."""

    def kept(self, kind: str) -> "Beside | None":
        """What is kept of `kind` across runs, per file or plan (see `indexed`); None: nowhere."""

    def address(self, name: str) -> str | None:
        """What names a file's text (see `cache.ParseCache.address`); None: not known."""

    def holds_plans(self, name: str) -> bool:
        """The file holds a plan."""

    def judged(self) -> None:
        """Judging is over: keep what it made worth keeping."""

    def sizes(self) -> tuple[int, ...]:
        """How many plans, issues, tasks, suggestions and outcomes the files hold."""

    def tasks_in(self, name: str) -> int:
        """How many tasks the file holds (a template of a series counts once)."""

    @property
    def issues(self) -> tuple[Issue, ...]:
        """The ledger's issues, built without its tasks where the files allow."""

    def issues_in(self, files: Collection[str]) -> tuple[Issue, ...]:
        """The issues these files hold, in ledger order (the others' files are not read)."""

    @property
    def repository(self) -> Repository: ...


class ItemSource(Protocol):
    """What builds the item of a row, and what its record shows (see `shown`)."""

    def item(self, facts: Facts) -> Task | Milestone: ...

    def shown(self, facts: Facts) -> Shown: ...


class Given:
    """The item a row was made from, at hand (a milestone, or an item as it stood on a day)."""

    __slots__ = ("given",)

    def __init__(self, given: Task | Milestone) -> None:
        self.given = given

    def item(self, facts: Facts) -> Task | Milestone:
        return self.given

    def shown(self, facts: Facts) -> Shown:
        return shown_of(self.given)


class ModelColumns:
    """The rows of a ledger whose model is already built (read from files just now,
    from a revision, or given by a caller)."""

    def __init__(self, repository: Repository) -> None:
        self.repository = repository
        self.plans = repository.plans
        self._tasks_in: Counter[str] | None = None

    def task_rows(self, files: Collection[str] | None = None) -> Iterable[Facts]:
        return (facts_of(task, n, task.plan) for n, task in enumerate(self.repository.tasks)
                if files is None or task.source.file in files)

    def item(self, facts: Facts) -> Task:
        return self.repository.tasks[facts.position]

    def shown(self, facts: Facts) -> Shown:
        return shown_of(self.item(facts))

    def rows_on(self, facts: Facts, plan: Plan | None, day: dt.date) -> Iterable[tuple[Facts, "ItemSource"]]:
        return [(row, Given(viewed)) for row, viewed in rows_on(self.item(facts), plan, day, facts.position, facts.plan)]

    def rule_answers(self) -> None:
        return None

    def kept(self, kind: str) -> None:
        return None

    def address(self, name: str) -> None:
        return None

    def holds_plans(self, name: str) -> bool:
        return any(plan.source.file == name for plan in self.plans)

    def judged(self) -> None:
        pass

    @property
    def issues(self) -> tuple[Issue, ...]:
        return self.repository.issues

    def issues_in(self, files: Collection[str]) -> tuple[Issue, ...]:
        files = set(files)
        return tuple(issue for issue in self.repository.issues if issue.source.file in files)

    def sizes(self) -> tuple[int, ...]:
        repo = self.repository
        return tuple(map(len, (repo.plans, repo.issues, repo.tasks, repo.suggestions, repo.outcomes)))

    def tasks_in(self, name: str) -> int:
        if self._tasks_in is None:
            self._tasks_in = Counter(task.source.file for task in self.repository.tasks)
        return self._tasks_in[name]
