"""Evaluating a repository as of a date: every deadline resolved, every item judged.

This is the one place that decides what is overdue, due soon, done late or
pending, so `check`, `status`, `agenda`, reports and exports all agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Callable

from .as_of import as_of_view
from .calendar import WorkCalendar, calendar_for
from . import schema
from .model import CalendarSpec, Expr, Extension, Milestone, Phase, Plan, Repository, Source, Status, Task
from .problems import Problem, ProblemError, warning
from .recurrence import expand, series_of
from .rules import Resolution, Resolver
from .supervision import Settings, Supervision, judge as supervise, settings_for
from .units import Registry


@dataclass(frozen=True, slots=True)
class ItemState:
    """A task or milestone as of the evaluation date."""

    item: Task | Milestone
    plan: Plan | None
    due: Resolution | None  # the deadline that counts (after extensions)
    original_due: Resolution | None  # the first deadline, when an extension moved it
    due_source: Source
    overdue: bool
    days_overdue: int  # calendar days past the deadline; 0 unless overdue
    working_days_left: int | None  # negative when overdue; None without a dated deadline
    done_late: bool
    # Who answers for it, by registered name: its lead units (each of joint
    # leads), or the plan's owner for a milestone without a lead; and who supports.
    units: tuple[str, ...] = ()
    support: tuple[str, ...] = ()
    # 销号 approvals, 督办 escalation, 回头看, reporting cadence (see `supervision`): judged
    # when first asked for, once, so commands that show none of it do not pay for it.
    judge_supervision: Callable[[], Supervision] | None = field(default=None, compare=False, repr=False)
    _supervision: list = field(default_factory=list, compare=False, repr=False)

    @property
    def supervision(self) -> Supervision:
        if not self._supervision:
            self._supervision.append(self.judge_supervision() if self.judge_supervision is not None else Supervision())
        return self._supervision[0]

    @property
    def due_date(self) -> dt.date | None:
        return self.due.due if self.due is not None else None

    @property
    def status(self) -> Status:
        return self.item.status

    @property
    def extended(self) -> bool:
        return self.original_due is not None

    @property
    def open(self) -> bool:
        """Still to be done by a date: not finished, and not long-term (长期坚持)."""
        return self.item.status.open

    def due_soon(self, within: int) -> bool:
        """Open, not overdue, and due within `within` working days: the one rule
        `check --fail-on due-soon`, `status --status due-soon` and `agenda` share."""
        return (
            self.open
            and not self.overdue
            and self.working_days_left is not None
            and 0 <= self.working_days_left <= within
        )

    @property
    def rule(self) -> Expr | None:
        """The deadline as written that counts now: the last approved extension's, else `due`."""
        extension = counting_extension(self.item)
        return extension.to if extension is not None else self.item.due

    @property
    def unit(self) -> str:
        """The responsible unit(s) as one line of text."""
        return "、".join(self.units)


@dataclass(frozen=True, slots=True)
class PhaseState:
    phase: Phase
    plan: Plan
    start: dt.date | None
    end: dt.date | None
    current: bool
    working_days_left: int | None


@dataclass(frozen=True, slots=True)
class Schedule:
    as_of: dt.date
    tasks: tuple[ItemState, ...]
    milestones: tuple[ItemState, ...]
    phases: tuple[PhaseState, ...]
    problems: tuple[Problem, ...]
    repository: Repository = Repository()  # the ledger as it stood on `as_of`
    registry: Registry = field(default_factory=Registry)  # the repository's units

    @property
    def overdue(self) -> tuple[ItemState, ...]:
        return tuple(s for s in (*self.milestones, *self.tasks) if s.overdue)

    def due_within(self, working_days: int) -> tuple[ItemState, ...]:
        """Open items whose deadline is within N working days (not yet overdue)."""
        return tuple(s for s in (*self.milestones, *self.tasks) if s.due_soon(working_days))


def counting_extension(item: Task | Milestone) -> Extension | None:
    """The extension whose deadline counts: the last approved one."""
    approved = [e for e in getattr(item, "extensions", ()) if e.approved_by and e.to.text]
    return approved[-1] if approved else None


def base_year(plan: Plan | None, as_of: dt.date) -> int:
    """The year a deadline like "9月10日前" means: the plan's first known event, else as-of."""
    years = [e.date.year for e in (plan.events if plan else ()) if e.date is not None]
    return min(years) if years else as_of.year


def merged_spec(plan_spec: CalendarSpec, repo_spec: CalendarSpec | None) -> CalendarSpec:
    """Repository-wide overrides (rectify.yaml) under the plan's own."""
    if repo_spec is None:
        return plan_spec
    return CalendarSpec(
        country=plan_spec.country,
        subdiv=plan_spec.subdiv,
        extra_holidays=tuple(sorted({*repo_spec.extra_holidays, *plan_spec.extra_holidays})),
        extra_workdays=tuple(sorted({*repo_spec.extra_workdays, *plan_spec.extra_workdays})),
        source=plan_spec.source,
    )


class _PlanContext:
    """One plan's calendar and resolver; resolutions are memoised per rule text."""

    def __init__(self, plan: Plan | None, as_of: dt.date, repo_spec: CalendarSpec | None) -> None:
        spec = merged_spec(plan.calendar if plan else CalendarSpec(), repo_spec)
        self.problems: list[Problem] = []
        try:
            self.calendar: WorkCalendar = calendar_for(spec)
        except ProblemError as exc:
            self.problems.append(exc.at(spec.source))
            self.calendar = calendar_for(merged_spec(CalendarSpec(), repo_spec))
        self.plan = plan
        self.events = plan.event_dates() if plan else {}
        self.milestones = {m.id: m.due.text for m in plan.milestones if m.due and not m.occurrence} if plan else {}
        self.year = base_year(plan, as_of)
        self.resolver = Resolver(self.calendar, self.year, self.events, self.milestones)
        self._occurrences: dict[tuple[str, dt.date], Resolver] = {}
        self._warned: set[Source] = set()

    def _resolver(self, item) -> Resolver:
        """The plan's resolver; for an occurrence of a series, one that counts from
        that occurrence's date (see recurrence)."""
        day = getattr(item, "occurrence", None)
        if day is None:
            return self.resolver
        key = (item.each, day)
        resolver = self._occurrences.get(key)
        if resolver is None:
            event = series_of(self.plan, item.each)
            names = (event.name, *event.names) if event is not None else (item.each,)
            events = {**self.events, **{name: day for name in names}}
            resolver = self._occurrences[key] = Resolver(self.calendar, self.year, events, self.milestones)
        return resolver

    def resolve(self, expr: Expr | None, item=None) -> Resolution | None:
        if expr is None or not expr.text:
            return None
        try:
            resolution = self._resolver(item).resolve(expr.text)
        except ProblemError as exc:
            self.problems.append(exc.at(expr.source))
            return None
        if resolution.provisional and expr.source not in self._warned:
            self._warned.add(expr.source)
            self.problems.append(
                warning(expr.source, "sched.provisional", expr=expr.text, date=resolution.due or "", year=(resolution.due or dt.date.min).year)
            )
        return resolution


def evaluate(ledger, as_of: dt.date, repo_calendar: CalendarSpec | None = None) -> Schedule:
    """Judge a ledger (`load.Ledger`, or a bare `Repository` with the repository's
    calendar overrides) as it stood on `as_of`."""
    registry, settings = Registry(), Settings()
    if isinstance(ledger, Repository):
        repo = ledger
    else:
        repo, repo_calendar, registry = ledger.repository, ledger.config.calendar, ledger.config.registry
        settings = ledger.config.supervision
    repo = as_of_view(expand(repo, as_of), as_of)
    contexts: dict[str, _PlanContext] = {}
    plans: dict[str, Plan] = {}
    for plan in reversed(repo.plans):  # the first of duplicate ids wins, as in Repository.plan
        plans[plan.id] = plan

    def context(plan_id: str) -> _PlanContext:
        ctx = contexts.get(plan_id)
        if ctx is None:
            ctx = contexts[plan_id] = _PlanContext(plans.get(plan_id), as_of, repo_calendar)
        return ctx

    milestones: list[ItemState] = []
    phases: list[PhaseState] = []
    for plan in repo.plans:
        ctx = context(plan.id)
        milestones.extend(_judge(m, plan, ctx, as_of, registry) for m in plan.milestones)
        phases.extend(_phase(p, plan, ctx, as_of) for p in plan.phases)
    plan_settings: dict[str, Settings] = {}  # the plan's over rectify.yaml's, worked out once per plan

    def settings_of(plan_id: str) -> Settings:
        chosen = plan_settings.get(plan_id)
        if chosen is None:
            chosen = plan_settings[plan_id] = settings_for(plans.get(plan_id), settings)
        return chosen

    tasks = [_judge(t, plans.get(t.plan), context(t.plan), as_of, registry, settings_of(t.plan)) for t in repo.tasks]
    problems = [p for ctx in contexts.values() for p in ctx.problems]
    return Schedule(as_of, tuple(tasks), tuple(milestones), tuple(phases), tuple(problems), repo, registry)


def _judge(item: Task | Milestone, plan: Plan | None, ctx: _PlanContext, as_of: dt.date, registry: Registry,
           settings: Settings | None = None) -> ItemState:
    original = ctx.resolve(item.due, item)
    due, due_source, original_due = original, item.at("due"), None
    latest = counting_extension(item)
    if latest is not None:
        due, due_source, original_due = ctx.resolve(latest.to), latest.to.source, original
    status = item.status
    due_date = due.due if due is not None and due.kind == "date" else None
    open_item = status.open  # ItemState.open
    long_term = getattr(item, "term", "") in schema.LONG_TERM  # 长期: judged by its progress notes, not a date
    overdue = bool(open_item and not long_term and due_date is not None and due_date < as_of)
    left = ctx.calendar.working_days_between(as_of, due_date) if due_date is not None else None
    done_late = bool(item.done and due_date and item.done > due_date and status.completed)
    return ItemState(
        item=item,
        plan=plan,
        due=due,
        original_due=original_due,
        due_source=due_source,
        overdue=overdue,
        days_overdue=(as_of - due_date).days if overdue and due_date else 0,
        working_days_left=left,
        done_late=done_late,
        units=registry.canonical_all(item.leads or ((plan.owner,) if plan is not None and plan.owner else ())),
        support=registry.canonical_all(item.support),
        judge_supervision=(
            lambda: supervise(item, plan, _settings(item, settings or settings_for(plan, None), registry), ctx.calendar,
                              as_of, overdue=overdue, working_days_left=left,
                              window=(due.start, due_date) if due is not None and due.start and due_date else None)
        ) if isinstance(item, Task) else None,
    )


def _settings(task, chosen: Settings, registry: Registry) -> Settings:
    """The plan's supervision settings (`chosen`), with its lead unit's own reporting cadence
    (units: progress_every)."""
    if not registry:
        return chosen
    for name in task.leads:
        unit = registry.find(name)
        if unit is not None and unit.progress_every:
            return replace(chosen, progress_every=unit.progress_every)
    return chosen


def _phase(phase: Phase, plan: Plan, ctx: _PlanContext, as_of: dt.date) -> PhaseState:
    resolution = ctx.resolve(phase.window)
    start = resolution.start if resolution else None
    end = resolution.due if resolution else None
    current = bool(end and (start or end) <= as_of <= end)
    left = ctx.calendar.working_days_between(as_of, end) if end and current else None
    return PhaseState(phase, plan, start, end, current, left)
