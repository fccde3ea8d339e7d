"""The ledger as plain, frozen data.

Every entity keeps the `Source` of itself and the line and column of each
field it was read from, so any message about any value can point at the
exact file:line:column. The values below the entities (`Source`, `Status`,
`Expr`, the settings) are `values`', and named here too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import field
from typing import Mapping, NamedTuple

from .values import (  # noqa: F401 (the model's own names, re-exported)
    NOWHERE, STATUS_ALIASES, STATUS_VALUES, CalendarSpec, Expr, Source, SourceSpec, Status, SupervisionSettings,
    Unit, due_soon, frozen,
)

_REF = re.compile(r"(?:([^\s:/\\]+)[:/])?([^\s:/\\]+)")


class ItemRef(NamedTuple):
    """How a command names an item: its id, or its plan and id as `PLAN:ID` or
    `PLAN/ID`. Ids never hold `:` or `/`, so both forms mean the same in every
    command (the editing verbs, `new task --issue`, `history`)."""

    plan: str | None
    id: str

    @classmethod
    def parse(cls, text: str) -> "ItemRef | None":
        """None when `text` is not an id, PLAN:ID or PLAN/ID."""
        match = _REF.fullmatch(text.strip())
        return cls(match[1], match[2]) if match else None

    def __str__(self) -> str:
        return f"{self.plan}:{self.id}" if self.plan else self.id


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
        return Source(self.source.file, *self.position(name))

    def position(self, name: str) -> tuple[int, int]:
        """`at(name)` as (line, column): what a row of plain values keeps (see `facts`)."""
        return self.fields.get(name) or self.source[1:]


@frozen
class Event:
    name: str
    date: dt.date | None  # None: has not happened yet
    source: Source
    names: tuple[str, ...] = ()  # other names deadlines may use: 收到评议意见, 评议意见
    # a series (每季度的活动日): the dates it falls on, or every N months from `date` until `until`
    every: str = ""  # month | quarter | half-year | year (每月, 每季度, 每半年, 每年)
    dates: tuple[dt.date, ...] = ()
    until: dt.date | None = None

    @property
    def series(self) -> bool:
        return bool(self.every or self.dates)


@frozen
class Run:
    """One occurrence of a recurring item (`each:`): what was done for that day."""

    on: dt.date | None = None  # the occurrence of the series it belongs to
    status: Status | None = None  # None: not said (done when `done` is given, else todo)
    done: dt.date | None = None
    evidence: tuple[str, ...] = ()
    notes: str = ""
    source: Source = NOWHERE


@frozen
class Milestone(Entity):
    title: str = ""
    due: Expr | None = None
    status: Status = Status.TODO
    done: dt.date | None = None
    evidence: tuple[str, ...] = ()
    leads: tuple[str, ...] = ()  # who must deliver it; none: the plan's owner
    support: tuple[str, ...] = ()
    each: str = ""  # a series event: one such milestone for every occurrence
    runs: tuple[Run, ...] = ()  # what was done for each occurrence
    occurrence: dt.date | None = None  # set on the item made for one occurrence (see recurrence)

    @property
    def lead(self) -> str:
        return "、".join(self.leads)


@frozen
class Phase(Entity):
    title: str = ""
    window: Expr | None = None


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
    require_evidence: str = ""  # from which state on work needs evidence (see validate)
    closing_requires: tuple[str, ...] = ()  # roles whose approval a 销号 needs
    review_after: Expr | None = None  # default 回头看 rule of its tasks
    progress_every: str = ""  # reporting cadence, e.g. "1 month"

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
    finding: str = ""  # 具体表现: how the problem shows
    target: str = ""  # 整改目标: what rectifying it must achieve
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
    """A move back from finished work; it keeps the finish it undid (`done`,
    `closed`, `closed_by`), so the ledger of an earlier day can still be told."""

    date: dt.date | None
    reason: str
    by: str
    source: Source
    done: dt.date | None = None
    closed: dt.date | None = None
    closed_by: str = ""


@frozen
class Review:
    """One reviewer's decision on a 销号 application (approve / reject)."""

    date: dt.date | None
    by: str
    result: str  # approve | reject
    reason: str
    source: Source


@frozen
class Duban:
    """One 督办单: who pressed whom, how hard (蓝/黄/红/约谈), and the unit's reply."""

    date: dt.date | None
    level: str
    by: str
    note: str
    reply_by: Expr | None
    reply: str
    replied: dt.date | None
    source: Source


@frozen
class Lookback:
    """One 回头看 of a closed task: 巩固 (held) or 反弹 (rebounded)."""

    date: dt.date | None
    result: str
    by: str
    note: str
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
    term: str = ""  # 立行立改 | 集中 | 长期 (see schema.TERMS); 长期 is never overdue
    status: Status = Status.TODO
    done: dt.date | None = None
    closed_by: str = ""
    closed: dt.date | None = None
    evidence: tuple[str, ...] = ()
    progress: tuple[Progress, ...] = ()
    extensions: tuple[Extension, ...] = ()
    reopened: tuple[Reopening, ...] = ()
    notes: str = ""
    reviews: tuple[Review, ...] = ()
    duban: tuple[Duban, ...] = ()
    lookbacks: tuple[Lookback, ...] = ()
    review_after: Expr | None = None  # 回头看: e.g. "6 months after closed"; else the plan's
    each: str = ""  # a series event: one such task for every occurrence (see recurrence)
    runs: tuple[Run, ...] = ()  # what was done for each occurrence
    occurrence: dt.date | None = None  # set on the task made for one occurrence

    @property
    def lead(self) -> str:
        """The lead unit(s) as one line of text, as ledgers print them."""
        return "、".join(self.leads)


@frozen
class Suggestion(Entity):
    """An entry of the 建议清单: a suggestion received (from deputies, firms, the
    public) and how the unit handling it answered."""

    plan: str = ""
    title: str = ""
    by: str = ""  # who made it
    issue: str = ""  # the issue it bears on, if any
    leads: tuple[str, ...] = ()  # 承办单位
    support: tuple[str, ...] = ()
    due: Expr | None = None
    status: Status = Status.TODO
    reply: str = ""  # 答复
    replied: dt.date | None = None
    notes: str = ""


@frozen
class Outcome(Entity):
    """An entry of the 成果清单 / 制度清单: a rule issued or a result achieved,
    with its document number and date, and the tasks it closes."""

    plan: str = ""
    title: str = ""
    category: str = ""  # 制度 / 成果 / … as the ledger sorts them
    number: str = ""  # 文号, e.g. 清人大办〔2025〕12号
    date: dt.date | None = None
    issuer: str = ""
    tasks: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    notes: str = ""


@frozen
class Repository:
    """Everything loaded from one or more plan directories."""

    plans: tuple[Plan, ...] = ()
    issues: tuple[Issue, ...] = ()
    tasks: tuple[Task, ...] = ()
    files: tuple[str, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()  # 建议清单
    outcomes: tuple[Outcome, ...] = ()  # 成果清单 / 制度清单

    def plan(self, plan_id: str) -> Plan | None:
        return next((p for p in self.plans if p.id == plan_id), None)

    def tasks_of(self, plan_id: str) -> tuple[Task, ...]:
        return tuple(t for t in self.tasks if t.plan == plan_id)

    def issues_of(self, plan_id: str) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.plan == plan_id)
