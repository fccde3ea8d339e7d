"""Where do we stand: filtering, grouping and counting evaluated items.

`status`, `agenda`, reports and exports all count the same way, from here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from itertools import filterfalse
from operator import attrgetter
from typing import TYPE_CHECKING, Callable, Collection, Iterable, Iterator, NamedTuple, Protocol, Sequence

from .values import Status, due_soon
from .units import Registry

if TYPE_CHECKING:  # what is kept for `status` is counted without importing the judge
    from .schedule import ItemState, Schedule

GROUPINGS = ("plan", "category", "issue", "unit")
PSEUDO_STATUSES = ("overdue", "due-soon", "lookback-due", "missing-progress", "escalate")
# `--by` and `--status` take the words a Chinese user would type, like the files do.
GROUPING_ALIASES = {
    **{g: g for g in GROUPINGS},
    "计划": "plan", "整改计划": "plan", "方案": "plan",
    "类别": "category", "问题类别": "category", "类型": "category", "分类": "category", "方面": "category",
    "问题": "issue",
    "单位": "unit", "牵头单位": "unit", "责任单位": "unit", "部门": "unit",
}
PSEUDO_ALIASES = {
    "逾期": "overdue", "已逾期": "overdue", "临期": "due-soon", "即将到期": "due-soon", "临近到期": "due-soon",
    "待回头看": "lookback-due", "应回头看": "lookback-due", "未报进展": "missing-progress", "未报送": "missing-progress",
    "应督办": "escalate", "待督办": "escalate",
}


@dataclass(frozen=True, slots=True)
class Counts:
    """Counts for one group of tasks."""

    key: str
    label: str
    total: int = 0
    by_status: dict[Status, int] = field(default_factory=dict)
    overdue: int = 0
    due_soon: int = 0
    done_late: int = 0

    def of(self, status: Status) -> int:
        return self.by_status.get(status, 0)

    @property
    def finished(self) -> int:
        return self.of(Status.DONE) + self.of(Status.SUBMITTED) + self.of(Status.CLOSED)

    @property
    def completion(self) -> float:
        """Done and closed over everything not cancelled (0.0 to 1.0)."""
        counted = self.total - self.of(Status.CANCELLED)
        return self.finished / counted if counted else 0.0


class IssueLike(Protocol):
    """What grouping and an issue's state read of an issue: an `Issue`, or an `IssueTally`."""

    plan: str
    id: str
    category: str
    title: str


class Judged(Protocol):
    """What selecting, counting and ordering read of a judged task: an `ItemState`, or the
    `Tally` kept of one (see `standing`). Both answer from the one judge's verdict."""

    plan_id: str
    id: str
    issue: str
    status: Status
    overdue: bool
    done_late: bool
    working_days_left: int | None
    due_date: dt.date | None
    units: tuple[str, ...]
    support: tuple[str, ...]
    names: tuple[str, ...]
    lookback_due: bool
    missing_progress: bool
    escalating: bool

    def due_soon(self, within: int) -> bool: ...


class Tally(NamedTuple):
    """A judged task as `status` keeps it for the day (see `standing`): its verdict as
    plain values, and its JSON record, encoded (`record`)."""

    plan_id: str
    id: str
    issue: str
    status: Status
    overdue: bool
    done_late: bool
    working_days_left: int | None
    due_date: dt.date | None
    units: tuple[str, ...]
    support: tuple[str, ...]
    written: tuple[str, ...]  # the names the files give its units, where they are not the registered ones
    lookback_due: bool
    missing_progress: bool
    escalating: bool
    record: bytes

    def due_soon(self, within: int) -> bool:
        return due_soon(self.status, self.overdue, self.working_days_left, within)

    @property
    def names(self) -> tuple[str, ...]:
        return (*self.units, *self.support, *self.written)


def tally_of(state: ItemState, record: bytes) -> Tally:
    units, support = state.units, state.support
    registered = (*units, *support)
    written = state.names[len(registered):]
    if written == registered:  # the files name the units as registered: the most common case, said once
        written = ()
    elif written:
        written = tuple(name for name in written if name not in registered)
    return Tally(state.plan_id, state.id, state.issue, state.status, state.overdue, state.done_late,
                 state.working_days_left, state.due_date, units, support, written,
                 state.lookback_due, state.missing_progress, state.escalating, record)


def is_due_soon(state: Judged, within: int) -> bool:
    return state.due_soon(within)


def item_order(state: Judged) -> tuple:
    """Overdue first (most overdue first), then soonest deadline, then id."""
    due = state.due_date or dt.date.max
    return (not state.overdue, state.status.finished, due, state.plan_id, state.id)


def matches_unit(state: Judged, unit: str, registry: Registry | None = None) -> bool:
    """A unit sees what it leads and what it supports: by registered name or
    alias, by the names the files use, or by part of a name (人社局 finds 市人社局)."""
    wanted = {unit, registry.canonical(unit)} if registry is not None else {unit}
    return any(w in name for w in wanted for name in state.names)


def parse_grouping(value: str) -> str | None:
    """`plan`, `category`, `issue` or `unit`, from English or Chinese (单位, 类别 …); None when unknown."""
    value = value.strip()
    return GROUPING_ALIASES.get(value) or GROUPING_ALIASES.get(value.lower())


def parse_status_filter(value: str) -> Status | str | None:
    """A canonical status, a Chinese alias, or `overdue` / `due-soon` (逾期, 临期); None when unknown."""
    value = value.strip()
    if value in PSEUDO_STATUSES:
        return value
    if value in PSEUDO_ALIASES:
        return PSEUDO_ALIASES[value]
    return Status.parse(value)


def select(
    states: Iterable[Judged],
    *,
    unit: str | None = None,
    status: Status | str | None = None,
    within: int = 5,
    registry: Registry | None = None,
) -> list[Judged]:
    """The tasks a unit and a status (or `PSEUDO_STATUSES`) filter keep."""
    def keep(state: Judged) -> bool:
        if unit and not matches_unit(state, unit, registry):
            return False
        if status == "overdue":
            return state.overdue
        if status == "due-soon":
            return is_due_soon(state, within)
        if status == "lookback-due":
            return state.lookback_due
        if status == "missing-progress":
            return state.missing_progress
        if status == "escalate":
            return state.escalating
        return status is None or state.status is status

    return [s for s in states if keep(s)] if unit or status is not None else list(states)


def group_keys(by: str, issues: Iterable[IssueLike], plans: dict[str, str],
               include_support: bool = False) -> Callable[[Judged], list[tuple[str, str]]]:
    """(sort key, label) of each group a task state belongs to: one, except by
    unit, where each joint lead (and, if asked, each supporting unit) counts it.
    `plans`: each plan's title by id."""
    by_id = {(i.plan, i.id): i for i in issues}

    def keys(state: Judged) -> list[tuple[str, str]]:
        plan = state.plan_id
        if by == "plan":
            return [(plan, plans.get(plan, plan))]
        if by == "unit":
            units = (*state.units, *state.support) if include_support else state.units
            return [(u, u) for u in dict.fromkeys(units)] or [("", "")]
        issue_id = state.issue
        issue = by_id.get((plan, issue_id))
        if by == "category":
            category = issue.category if issue else ""
            return [(category, category)]
        title = issue.title if issue else ""
        return [(f"{plan}:{issue_id}", f"{issue_id} {title}".strip())]

    return keys


def plan_titles(plans: Iterable) -> dict[str, str]:
    """Each plan's title by id (of duplicate ids, the first's, as the judge takes it), for `count`."""
    return {plan.id: plan.title for plan in reversed(tuple(plans))}


def count(states: Sequence[Judged], by: str, issues: Iterable[IssueLike], plans: dict[str, str], within: int,
          include_support: bool = False) -> list[Counts]:
    keys_of = group_keys(by, issues, plans, include_support)
    groups: dict[str, tuple[str, list[Judged]]] = {}
    for state in states:
        for key, label in keys_of(state):
            groups.setdefault(key, (label, []))[1].append(state)
    counted = [_counts(key, label, members, within) for key, (label, members) in groups.items()]
    return sorted(counted, key=lambda c: (-c.overdue, c.key))


def total(states: Sequence[Judged], within: int, label: str = "") -> Counts:
    return _counts("", label, states, within)


def _counts(key: str, label: str, states: Sequence[Judged], within: int) -> Counts:
    """The states counted a field at a time, in C where a field is read as it is (a
    ledger's total counts every task: 50,000 at the largest benchmark)."""
    by_status = dict(Counter(map(_STATUS_OF, states)))
    return Counts(key=key, label=label, total=len(states), by_status=by_status,
                  overdue=sum(map(_OVERDUE, states)),
                  due_soon=sum(1 for state in filterfalse(_OVERDUE, states) if state.due_soon(within)),
                  done_late=sum(map(_DONE_LATE, states)))


_STATUS_OF, _OVERDUE, _DONE_LATE = attrgetter("status"), attrgetter("overdue"), attrgetter("done_late")


def issue_status(tasks: Collection[Status]) -> Status:
    """An issue's state follows its measures' states: closed when all are struck off, and so on."""
    if not tasks:
        return Status.TODO
    live = set(tasks) - _CANCELLED  # each state once: the rules below ask "all", not "how many"
    if not live:
        return Status.CANCELLED
    for states, status in _ISSUE_RULES:  # the first whose states hold every live one
        if live <= states:
            return status
    return Status.DOING


_CANCELLED = frozenset((Status.CANCELLED,))
_ISSUE_RULES = (
    (frozenset((Status.CLOSED,)), Status.CLOSED),
    (frozenset(s for s in Status if s.completed and s.rank >= Status.SUBMITTED.rank), Status.SUBMITTED),  # the rest waits for review (申请销号)
    (frozenset(s for s in Status if s.completed), Status.DONE),
    (frozenset(s for s in Status if s.completed or s is Status.ONGOING), Status.ONGOING),
    (frozenset((Status.TODO,)), Status.TODO),
)


def issue_statuses(issues: Iterable[IssueLike],
                   tasks: Iterable[tuple[tuple[str, str], Status]]) -> dict[tuple[str, str], Status]:
    """Each issue's state, from its tasks' ((plan, issue), status)."""
    by_issue: dict[tuple[str, str], set[Status]] = {}
    for key, status in tasks:
        by_issue.setdefault(key, set()).add(status)
    return {(i.plan, i.id): issue_status(by_issue.get((i.plan, i.id), ())) for i in issues}


def task_issues(states: Sequence[Judged]) -> Iterator[tuple[tuple[str, str], Status]]:
    """((plan, issue), status) of judged tasks, from their rows, for `issue_statuses`."""
    return zip(map(attrgetter("plan_id", "issue"), states), map(_STATUS_OF, states))


def agenda(schedule: Schedule, days: int, unit: str | None = None) -> dict[str, list[ItemState]]:
    """Open tasks and milestones due within `days` working days or overdue, by unit.

    Overdue first (most overdue first), then soonest; milestones belong to the plan's owner.
    """
    by_unit: dict[str, list[ItemState]] = {}
    for state in (*schedule.milestones, *schedule.tasks):
        if not (state.overdue or state.due_soon(days)):
            continue
        if unit and not matches_unit(state, unit, schedule.registry):
            continue
        for lead in state.units or ("",):
            by_unit.setdefault(lead, []).append(state)
    for states in by_unit.values():
        states.sort(key=lambda s: (not s.overdue, s.due_date, s.id))
    return dict(sorted(by_unit.items(), key=lambda kv: (not any(s.overdue for s in kv[1]), kv[1][0].due_date, kv[0])))
