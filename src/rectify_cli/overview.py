"""Where do we stand: filtering, grouping and counting evaluated items.

`status`, `agenda`, reports and exports all count the same way, from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Sequence

from .model import Issue, Status
from .schedule import ItemState, Schedule
from .units import Registry

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


def is_due_soon(state: ItemState, within: int) -> bool:
    return state.due_soon(within)


def matches_unit(state: ItemState, unit: str, registry: Registry | None = None) -> bool:
    """A unit sees what it leads and what it supports: by registered name or
    alias, by the names the files use, or by part of a name (人社局 finds 市人社局)."""
    facts = state.facts
    wanted = {unit, registry.canonical(unit)} if registry is not None else {unit}
    return any(w in name for w in wanted for name in (*state.units, *state.support, *facts.leads, *facts.support))


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
    states: Iterable[ItemState],
    *,
    unit: str | None = None,
    status: Status | str | None = None,
    within: int = 5,
    registry: Registry | None = None,
) -> list[ItemState]:
    def keep(state: ItemState) -> bool:
        if unit and not (state.facts.kind == "task" and matches_unit(state, unit, registry)):
            return False
        if status == "overdue":
            return state.overdue
        if status == "due-soon":
            return is_due_soon(state, within)
        if status == "lookback-due":
            return state.supervision.lookback_due
        if status == "missing-progress":
            return state.supervision.missing_progress
        if status == "escalate":
            return state.supervision.escalate or bool(state.supervision.unanswered)
        return status is None or state.status is status

    return [s for s in states if keep(s)]


def group_keys(by: str, issues: Iterable[Issue], include_support: bool = False) -> Callable[[ItemState], list[tuple[str, str]]]:
    """(sort key, label) of each group a task state belongs to: one, except by
    unit, where each joint lead (and, if asked, each supporting unit) counts it."""
    by_id = {(i.plan, i.id): i for i in issues}

    def keys(state: ItemState) -> list[tuple[str, str]]:
        plan = state.facts.plan
        if by == "plan":
            return [(plan, state.plan.title if state.plan else plan)]
        if by == "unit":
            units = (*state.units, *state.support) if include_support else state.units
            return [(u, u) for u in dict.fromkeys(units)] or [("", "")]
        issue_id = state.shown.issue
        issue = by_id.get((plan, issue_id))
        if by == "category":
            category = issue.category if issue else ""
            return [(category, category)]
        title = issue.title if issue else ""
        return [(f"{plan}:{issue_id}", f"{issue_id} {title}".strip())]

    return keys


def count(states: Sequence[ItemState], by: str, issues: Iterable[Issue], within: int,
          include_support: bool = False) -> list[Counts]:
    keys_of = group_keys(by, issues, include_support)
    groups: dict[str, tuple[str, list[ItemState]]] = {}
    for state in states:
        for key, label in keys_of(state):
            groups.setdefault(key, (label, []))[1].append(state)
    counted = [_counts(key, label, members, within) for key, (label, members) in groups.items()]
    return sorted(counted, key=lambda c: (-c.overdue, c.key))


def total(states: Sequence[ItemState], within: int, label: str = "") -> Counts:
    return _counts("", label, states, within)


def _counts(key: str, label: str, states: Sequence[ItemState], within: int) -> Counts:
    """One pass over the states (a ledger's total counts every task)."""
    by_status: dict[Status, int] = {}
    overdue = due_soon = done_late = 0
    for state in states:
        status = state.status
        by_status[status] = by_status.get(status, 0) + 1
        if state.overdue:
            overdue += 1
        elif is_due_soon(state, within):  # never an overdue one
            due_soon += 1
        if state.done_late:
            done_late += 1
    return Counts(key=key, label=label, total=len(states), by_status=by_status, overdue=overdue,
                  due_soon=due_soon, done_late=done_late)


def issue_status(tasks: Sequence[Status]) -> Status:
    """An issue's state follows its measures' states: closed when all are struck off, and so on."""
    live = [s for s in tasks if s is not Status.CANCELLED]
    if not tasks:
        return Status.TODO
    if not live:
        return Status.CANCELLED
    if all(s is Status.CLOSED for s in live):
        return Status.CLOSED
    if all(s.completed and s.rank >= Status.SUBMITTED.rank for s in live):
        return Status.SUBMITTED  # the rest waits for review (申请销号)
    if all(s.completed for s in live):
        return Status.DONE
    if all(s.completed or s is Status.ONGOING for s in live):
        return Status.ONGOING
    if all(s is Status.TODO for s in live):
        return Status.TODO
    return Status.DOING


def issue_statuses(issues: Iterable[Issue], tasks: Iterable[tuple[str, str, Status]]) -> dict[tuple[str, str], Status]:
    """Each issue's state, from its tasks' (plan, issue, status)."""
    by_issue: dict[tuple[str, str], list[Status]] = {}
    for plan, issue, status in tasks:
        by_issue.setdefault((plan, issue), []).append(status)
    return {(i.plan, i.id): issue_status(by_issue.get((i.plan, i.id), [])) for i in issues}


def task_issues(states: Iterable[ItemState]) -> Iterator[tuple[str, str, Status]]:
    """(plan, issue, status) of judged tasks, from their rows, for `issue_statuses`."""
    return ((s.facts.plan, s.shown.issue, s.status) for s in states)




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
