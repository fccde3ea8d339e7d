"""The ledger as plain, frozen data.

Every entity keeps the `Source` of itself and the line and column of each
field it was read from, so any message about any value can point at the
exact file:line:column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from enum import Enum
from operator import attrgetter
from types import MappingProxyType
from typing import Mapping, NamedTuple, TypeVar

_C = TypeVar("_C")


class Source(NamedTuple):
    """Where a value was read: 1-based line and column, as editors count.

    A named tuple rather than a dataclass: the loader makes one per field
    (over half a million for a large ledger), and a tuple is built three times
    faster than a frozen dataclass. Immutable, hashable and ordered all the same.
    """

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"


NOWHERE = Source("<none>")


def frozen(cls: type[_C]) -> type[_C]:
    """A frozen, slotted dataclass that pickles as a call to its constructor.

    Unpickling calls `cls(*values)`, about twice as fast as the generated
    `__setstate__` that frozen slotted classes otherwise get (it looks the
    fields up again for every object): this is what makes the parse cache
    (see `cache`) worth having.
    """
    cls = dataclass(frozen=True, slots=True)(cls)
    names = [f.name for f in fields(cls)]
    values = attrgetter(*names) if len(names) > 1 else (lambda self: (getattr(self, names[0]),))
    cls.__reduce__ = lambda self: (cls, values(self))  # type: ignore[method-assign]
    return cls


class Status(str, Enum):
    TODO = "todo"
    DOING = "doing"
    DONE = "done"
    CLOSED = "closed"
    ONGOING = "ongoing"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        """Finished items can no longer be overdue."""
        return self in (Status.DONE, Status.CLOSED, Status.CANCELLED)


# Chinese status words found in real ledgers, mapped onto the canonical states.
STATUS_ALIASES: Mapping[str, Status] = MappingProxyType(
    {
        **{s.value: s for s in Status},
        "未启动": Status.TODO,
        "未整改": Status.TODO,
        "待整改": Status.TODO,
        "未开始": Status.TODO,
        "推进中": Status.DOING,
        "正在整改": Status.DOING,
        "整改中": Status.DOING,
        "进行中": Status.DOING,
        "正在推进": Status.DOING,
        "已完成": Status.DONE,
        "已整改": Status.DONE,
        "完成整改": Status.DONE,
        "已办结": Status.DONE,
        "已销号": Status.CLOSED,
        "长期坚持": Status.ONGOING,
        "持续整改": Status.ONGOING,
        "需要长期整改": Status.ONGOING,
        "已取消": Status.CANCELLED,
    }
)


@frozen
class Expr:
    """A deadline or window as the user wrote it: a date, a rule, or `ongoing`.

    Kept unevaluated: the schedule resolves it against a calendar and the
    plan's events, so new rule forms never change the model or its callers.
    """

    text: str
    source: Source = NOWHERE

    def __str__(self) -> str:
        return self.text


@frozen
class Entity:
    """Common ground of everything with an id: where it is, where each field is."""

    id: str
    source: Source
    # name -> (line, column) in this entity's file: plain pairs, not Sources,
    # because a large ledger has half a million of them.
    fields: Mapping[str, tuple[int, int]] = field(default_factory=dict, repr=False, compare=False)

    def at(self, name: str) -> Source:
        """The source of field `name`, or of the entity when the field is absent."""
        position = self.fields.get(name)
        return Source(self.source.file, *position) if position else self.source


@frozen
class Event:
    name: str
    date: dt.date | None  # None: has not happened yet
    source: Source
    names: tuple[str, ...] = ()  # other names deadlines may use: 收到评议意见, 评议意见


@frozen
class Milestone(Entity):
    title: str = ""
    due: Expr | None = None
    status: Status = Status.TODO
    done: dt.date | None = None
    evidence: tuple[str, ...] = ()
    leads: tuple[str, ...] = ()  # who must deliver it; none: the plan's owner
    support: tuple[str, ...] = ()

    @property
    def lead(self) -> str:
        return "、".join(self.leads)


@frozen
class Unit:
    """A unit in the repository's registry (rectify.yaml `units:`)."""

    name: str
    aliases: tuple[str, ...] = ()  # 简称 and other spellings
    leader: str = ""  # 分管领导
    contact: str = ""  # 联络员
    source: Source = NOWHERE


@frozen
class Phase(Entity):
    title: str = ""
    window: Expr | None = None


@frozen
class CalendarSpec:
    """Which holiday calendar a plan counts working days on, plus local overrides."""

    country: str = "CN"
    subdiv: str | None = None
    extra_holidays: tuple[dt.date, ...] = ()
    extra_workdays: tuple[dt.date, ...] = ()
    source: Source = NOWHERE


@frozen
class Plan(Entity):
    title: str = ""
    owner: str = ""
    calendar: CalendarSpec = CalendarSpec()
    events: tuple[Event, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    phases: tuple[Phase, ...] = ()
    responsibility: str = ""
    next_steps: str = ""
    issuer: str = ""

    def event(self, name: str) -> Event | None:
        return next((e for e in self.events if e.name == name), None)

    def event_dates(self) -> dict[str, dt.date | None]:
        """Every name a deadline may count from, in order: each event, then its other names."""
        dates: dict[str, dt.date | None] = {}
        for event in self.events:
            dates.setdefault(event.name, event.date)
        for event in self.events:
            for name in event.names:
                dates.setdefault(name, event.date)
        return dates


@frozen
class Issue(Entity):
    """A finding on the problem list (问题清单)."""

    plan: str = ""
    category: str = ""
    title: str = ""
    description: str = ""
    parent: str = ""  # a higher-level issue of the same plan (方面 → 问题 → 具体表现)


@frozen
class Progress:
    date: dt.date
    note: str
    source: Source


@frozen
class Extension:
    """An approved move of a task's deadline (延期)."""

    to: Expr
    approved_by: str
    date: dt.date | None
    reason: str
    source: Source


@frozen
class Reopening:
    date: dt.date | None
    reason: str
    by: str
    source: Source


@frozen
class Task(Entity):
    """One rectification measure on the task list (任务清单)."""

    plan: str = ""
    issue: str = ""
    title: str = ""
    leads: tuple[str, ...] = ()  # 牵头单位: one, or several jointly (联合牵头)
    support: tuple[str, ...] = ()
    owner: str = ""
    due: Expr | None = None
    status: Status = Status.TODO
    done: dt.date | None = None
    closed_by: str = ""
    closed: dt.date | None = None
    evidence: tuple[str, ...] = ()
    progress: tuple[Progress, ...] = ()
    extensions: tuple[Extension, ...] = ()
    reopened: tuple[Reopening, ...] = ()
    notes: str = ""

    @property
    def lead(self) -> str:
        """The lead unit(s) as one line of text, as ledgers print them."""
        return "、".join(self.leads)


@frozen
class Repository:
    """Everything loaded from one or more plan directories."""

    plans: tuple[Plan, ...] = ()
    issues: tuple[Issue, ...] = ()
    tasks: tuple[Task, ...] = ()
    files: tuple[str, ...] = ()

    def plan(self, plan_id: str) -> Plan | None:
        return next((p for p in self.plans if p.id == plan_id), None)

    def tasks_of(self, plan_id: str) -> tuple[Task, ...]:
        return tuple(t for t in self.tasks if t.plan == plan_id)

    def issues_of(self, plan_id: str) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.plan == plan_id)
