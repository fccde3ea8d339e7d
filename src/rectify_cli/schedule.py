"""Evaluating a repository as of a date: every deadline resolved, every item judged.

This is the one place that decides what is overdue, due soon, done late or
pending, so `check`, `status`, `agenda`, reports and exports all agree.
"""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Callable, Collection

from .as_of import as_of_view
from .calendar import WorkCalendar
from .deadlines import PlanDeadlines
from .facts import Columns, Facts, Given, ItemSource, ModelColumns, counting_extension, facts_of
from .model import CalendarSpec, Expr, Issue, Milestone, Phase, Plan, Repository, Source, STATUS_VALUES, Status, Task, due_soon
from .problems import Problem
from .recurrence import expand
from .resolution import Resolution
from .shown import Shown, shown_of
from .supervision import Settings, Supervision, judge as supervise, settings_for
from .units import Registry


_STATUS = STATUS_VALUES


@dataclass(slots=True, unsafe_hash=True)
class ItemState:
    """A task or milestone as of the evaluation date.

    Judged from its row (`facts.Facts`); the item's full model is built when
    first asked for (`item`), so a command that shows a few items of a large
    ledger builds only those.

    Treat it as frozen: nothing assigns to it once judged (hashing and equality
    are a frozen dataclass's). It is not declared frozen only because a frozen
    dataclass is built one `object.__setattr__` call per field, 2.3 µs a state
    against 0.35: a tenth of a second on 50,000 tasks, on every command."""

    facts: Facts
    plan: Plan | None
    due: Resolution | None  # the deadline that counts (after extensions)
    original_due: Resolution | None  # the first deadline, when an extension moved it
    overdue: bool
    days_overdue: int  # calendar days past the deadline; 0 unless overdue
    working_days_left: int | None  # negative when overdue; None without a dated deadline
    done_late: bool
    # Who answers for it, by registered name: its lead units (each of joint
    # leads), or the plan's owner for a milestone without a lead; and who supports.
    units: tuple[str, ...] = ()
    support: tuple[str, ...] = ()
    items: "ItemSource | None" = field(default=None, compare=False, repr=False)  # builds `item` from `facts`
    # 销号 approvals, 督办 escalation, 回头看, reporting cadence (see `supervision`): judged
    # when first asked for, once, so commands that show none of it do not pay for it.
    supervising: "_Supervising | None" = field(default=None, compare=False, repr=False)
    _item: Task | Milestone | None = field(default=None, compare=False, repr=False)
    _shown: Shown | None = field(default=None, compare=False, repr=False)
    _supervision: Supervision | None = field(default=None, compare=False, repr=False)

    @property
    def item(self) -> Task | Milestone:
        item = self._item
        if item is None:
            item = self.items.item(self.facts)  # type: ignore[union-attr]
            self._item = item  # built once, when first asked for
        return item

    @property
    def shown(self) -> Shown:
        """What its record shows beyond the judgement (see `shown`), without building the item."""
        found = self._shown
        if found is None:
            found = self._shown = (
                self.items.shown(self.facts) if self.items is not None else shown_of(self.item))  # type: ignore[union-attr]
        return found

    @property
    def rule_text(self) -> str:
        """The deadline as written that counts now (see `rule`), from the row; "" when none."""
        return self.facts.extension or self.facts.due

    @property
    def supervision(self) -> Supervision:
        found = self._supervision
        if found is None:
            found = self._supervision = (
                self.supervising.judge(self) if self.supervising is not None else Supervision())
        return found

    @property
    def id(self) -> str:
        return self.facts.id

    @property
    def title(self) -> str:
        return self.facts.title

    @property
    def due_source(self) -> Source:
        """Where the deadline that counts is written: the counting extension's, else the `due` field."""
        facts = self.facts
        return Source(facts.file, *facts.extension_at) if facts.extension else facts.due_source

    @property
    def due_date(self) -> dt.date | None:
        return self.due.due if self.due is not None else None

    @property
    def status(self) -> Status:
        return _STATUS[self.facts.status]

    @property
    def extended(self) -> bool:
        return self.original_due is not None

    @property
    def open(self) -> bool:
        """Still to be done by a date: not finished, and not long-term (长期坚持)."""
        return self.status.open

    def due_soon(self, within: int) -> bool:
        return due_soon(self.status, self.overdue, self.working_days_left, within)

    # What selecting, counting and ordering read (see `overview.Judged`), as a kept
    # `overview.Tally` holds it.
    @property
    def plan_id(self) -> str:
        return self.facts.plan

    @property
    def issue(self) -> str:
        return self.shown.issue

    @property
    def names(self) -> tuple[str, ...]:
        """Every name a unit may be found by: its units and supporting units, registered and as written."""
        facts = self.facts
        return (*self.units, *self.support, *facts.leads, *facts.support)

    @property
    def lookback_due(self) -> bool:
        return self.supervision.lookback_due

    @property
    def missing_progress(self) -> bool:
        return self.supervision.missing_progress

    @property
    def escalating(self) -> bool:
        """A stronger 督办 is called for, or one is unanswered."""
        supervision = self.supervision
        return supervision.escalate or bool(supervision.unanswered)

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
    viewed: Callable[[], Repository] = Repository  # builds the ledger as it stood on `as_of`
    registry: Registry = field(default_factory=Registry)  # the repository's units
    plans: tuple[Plan, ...] = ()  # as they stood on `as_of`
    issues: Callable[[], tuple[Issue, ...]] = tuple  # the ledger's issues (they change with no day)
    issues_in: Callable[[Collection[str]], tuple[Issue, ...]] = lambda files: ()  # those of some files
    _kept: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def repository(self) -> Repository:
        """The ledger as it stood on `as_of` (see `as_of`, `recurrence`): built when first asked for."""
        repo = self._kept.get("repository")
        if repo is None:
            repo = self._kept["repository"] = self.viewed()
        return repo

    @property
    def overdue(self) -> tuple[ItemState, ...]:
        return tuple(s for s in (*self.milestones, *self.tasks) if s.overdue)

    def due_within(self, working_days: int) -> tuple[ItemState, ...]:
        """Open items whose deadline is within N working days (not yet overdue)."""
        return tuple(s for s in (*self.milestones, *self.tasks) if s.due_soon(working_days))


class _Supervising:
    """What judging a plan's tasks' supervision needs beside the task (see `supervision`)."""

    def __init__(self, calendar: WorkCalendar, as_of: dt.date, settings: Settings | None, registry: Registry) -> None:
        self.calendar, self.as_of, self.settings, self.registry = calendar, as_of, settings, registry

    def judge(self, state: ItemState) -> Supervision:
        plan, due = state.plan, state.due
        window = (due.start, state.due_date) if due is not None and due.start and state.due_date else None
        chosen = _settings(state.facts.leads, self.settings or settings_for(plan, None), self.registry)
        return supervise(state.shown, state.status, plan, chosen, self.calendar, self.as_of, overdue=state.overdue,
                         working_days_left=state.working_days_left, window=window)


def evaluate(ledger, as_of: dt.date, repo_calendar: CalendarSpec | None = None,
             files: Collection[str] | None = None, keep: bool = True) -> Schedule:
    """Judge a ledger (`load.Ledger`, or a bare `Repository` with the repository's
    calendar overrides) as it stood on `as_of`. `files`: judge only the tasks of these
    files (every plan's milestones and phases still), for a caller that has the others'
    judgement already (see `dayparts`). `keep` False: keep nothing of what was worked out
    (rule answers, a day's rows) for later runs: a forked worker writes no file."""
    registry, settings = Registry(), Settings()
    if isinstance(ledger, Repository):
        columns: Columns = ModelColumns(ledger)
    else:
        columns, repo_calendar, registry = ledger.columns, ledger.config.calendar, ledger.config.registry
        settings = ledger.config.supervision
    written_plans = {p.id: p for p in reversed(columns.plans)}  # the first of duplicate ids wins, as in Repository.plan
    viewed_plans = as_of_view(expand(Repository(plans=columns.plans), as_of), as_of).plans
    contexts: dict[str, PlanDeadlines] = {}
    plans: dict[str, Plan] = {p.id: p for p in reversed(viewed_plans)}
    answers = columns.rule_answers()

    def context(plan_id: str) -> PlanDeadlines:
        ctx = contexts.get(plan_id)
        if ctx is None:
            ctx = contexts[plan_id] = PlanDeadlines(plans.get(plan_id), as_of, repo_calendar, answers, plan_id)
        return ctx

    canonical: dict[tuple[str, ...], tuple[str, ...]] = {}  # names as written -> registered names

    def judge(facts: Facts, plan: Plan | None, ctx: PlanDeadlines, supervising: _Supervising | None,
              items: ItemSource) -> ItemState:
        """The one judge: a row of facts as of a day."""
        occurrence = dt.date.fromordinal(facts.occurrence) if facts.occurrence else None
        original = ctx.resolve_text(facts.due, facts.file, facts.due_at, facts.each, occurrence)
        due, original_due = original, None
        if facts.extension:
            due, original_due = ctx.resolve_text(facts.extension, facts.file, facts.extension_at), original
        status = _STATUS[facts.status]
        due_date = due.due if due is not None and due.kind == "date" else None
        overdue = status.open and not facts.long_term and due_date is not None and due_date < as_of
        leads = facts.leads or ((plan.owner,) if plan is not None and plan.owner else ())
        units = canonical.get(leads)
        if units is None:
            units = canonical[leads] = registry.canonical_all(leads)
        support = canonical.get(facts.support)
        if support is None:
            support = canonical[facts.support] = registry.canonical_all(facts.support)
        return ItemState(
            facts, plan, due, original_due, overdue,
            (as_of - due_date).days if overdue else 0,  # type: ignore[operator]
            ctx.working_days_left(due_date) if due_date is not None else None,
            bool(facts.done and due_date and facts.done > due_date.toordinal() and status.completed),
            units, support, items, supervising,
        )

    milestones: list[ItemState] = []
    phases: list[PhaseState] = []
    for plan in viewed_plans:
        ctx = context(plan.id)
        milestones.extend(judge(facts_of(m, n, plan.id), plan, ctx, None, Given(m)) for n, m in enumerate(plan.milestones))
        phases.extend(_phase(p, plan, ctx, as_of) for p in plan.phases)
    per_plan: dict[str, tuple[Plan | None, PlanDeadlines, _Supervising]] = {}

    def plan_of(plan_id: str) -> tuple[Plan | None, PlanDeadlines, _Supervising]:
        """A task's plan, its context, and its supervision settings (the plan's over rectify.yaml's)."""
        plan, ctx = plans.get(plan_id), context(plan_id)
        found = per_plan[plan_id] = (plan, ctx, _Supervising(ctx.calendar, as_of, settings_for(plan, settings), registry))
        return found

    day = as_of.toordinal()
    tasks: list[ItemState] = []
    for row in columns.task_rows(files):
        plan, ctx, supervising = per_plan.get(row.plan) or plan_of(row.plan)
        if row.template or row.later > day:  # the one place that says what it stood for that day decides
            for viewed, items in columns.rows_on(row, written_plans.get(row.plan), as_of):
                tasks.append(judge(viewed, plan, ctx, supervising, items))
        else:
            tasks.append(judge(row, plan, ctx, supervising, columns))
    if keep:
        for ctx in contexts.values():
            ctx.keep()
        columns.judged()
    problems = [p for ctx in contexts.values() for p in ctx.problems]
    judged = tuple(tasks)
    return Schedule(as_of, judged, tuple(milestones), tuple(phases), tuple(problems),
                    partial(_viewed, columns, viewed_plans, judged), registry, viewed_plans, lambda: columns.issues,
                    columns.issues_in)


def _viewed(columns: Columns, plans: tuple[Plan, ...], tasks: tuple[ItemState, ...]) -> Repository:
    """The ledger as it stood: its plans and tasks as judged (each already what `as_of`
    and `recurrence` made of it); the written repository itself when nothing differs."""
    written = columns.repository
    viewed = tuple(state.item for state in tasks)
    if _same(plans, written.plans) and _same(viewed, written.tasks):
        return written
    return replace(written, plans=plans, tasks=viewed)


def _same(these: tuple, those: tuple) -> bool:
    return len(these) == len(those) and all(map(operator.is_, these, those))


def _settings(leads: tuple[str, ...], chosen: Settings, registry: Registry) -> Settings:
    """The plan's supervision settings (`chosen`), with its lead unit's own reporting cadence
    (units: progress_every)."""
    if not registry:
        return chosen
    for name in leads:
        unit = registry.find(name)
        if unit is not None and unit.progress_every:
            return replace(chosen, progress_every=unit.progress_every)
    return chosen


def _phase(phase: Phase, plan: Plan, ctx: PlanDeadlines, as_of: dt.date) -> PhaseState:
    resolution = ctx.resolve(phase.window)
    start = resolution.start if resolution else None
    end = resolution.due if resolution else None
    current = bool(end and (start or end) <= as_of <= end)
    left = ctx.calendar.working_days_between(as_of, end) if end and current else None
    return PhaseState(phase, plan, start, end, current, left)
