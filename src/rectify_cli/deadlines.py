"""A plan's deadlines: its calendar, the year a bare date means, and its rules' answers.

Every item of a plan is judged against the same calendar (the plan's own days
over `rectify.yaml`'s) and the same events, so a rule text has one answer per
plan: it is resolved once per run, and kept across runs (see `index.Beside`)
under a key naming everything the answer depends on (`PlanDeadlines.key`). A
warm run of a large ledger looks its deadlines up; the steps of an answer are
worked out again only for whoever asks to see them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
from functools import partial
from typing import TYPE_CHECKING

from .calendar import WorkCalendar, calendar_for
from .index import Beside, plain_load
from .model import CalendarSpec, Expr, Plan, Source
from .problems import Problem, ProblemError, warning
from .recurrence import series_of
from .resolution import Resolution

if TYPE_CHECKING:
    from .rules import Resolver


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


class PlanDeadlines:
    """One plan's calendar and resolver; resolutions are memoised per rule text, and
    kept across runs (`kept`, see `index.Beside`) under a key naming everything a
    rule's answer depends on (`key`)."""

    def __init__(self, plan: Plan | None, as_of: dt.date, repo_spec: CalendarSpec | None,
                 kept: Beside | None = None, name: str = "") -> None:
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
        self._plan_resolver: Resolver | None = None  # made when a rule is first worked out, not looked up
        self._occurrences: dict[tuple[str, dt.date], Resolver] = {}
        self._warned: set[Source] = set()
        self._known: dict[tuple, Resolution | ProblemError] = {}  # (text, series, occurrence) -> answer
        self._store, self._name = kept, name
        self._key: str | None = None
        self._kept: dict | None = None  # the answers of earlier runs (text, series, occurrence ordinal) -> row
        self._made: dict[tuple, tuple] = {}  # answers found in this run, as kept
        self.as_of = as_of
        self._left: dict[dt.date, int] = {}

    def working_days_left(self, due: dt.date) -> int:
        """From the day judged for to `due` (see `WorkCalendar.working_days_between`); asked
        for every item, of a few hundred distinct deadlines."""
        left = self._left.get(due)
        if left is None:
            left = self._left[due] = self.calendar.working_days_between(self.as_of, due)
        return left

    def key(self) -> str | None:
        """What a rule's answer here is made from: the calendar (official data as installed,
        rectify.yaml's and the plan's own days), the year a bare date means, the plan's
        events and series as of the day, and its milestones' rules. None: not to be kept."""
        identity = self.calendar.identity
        if identity is None:
            return None
        events = [(e.name, e.date, e.names, e.every, e.dates, e.until) for e in (self.plan.events if self.plan else ())]
        return hashlib.blake2b(repr((identity, self.year, events, sorted(self.milestones.items()))).encode(
            "utf-8", "surrogatepass"), digest_size=20).hexdigest()

    def _resolver(self, each: str, day: dt.date | None) -> Resolver:
        """The plan's resolver; for an occurrence of a series, one that counts from
        that occurrence's date (see recurrence)."""
        from .rules import Resolver  # the parser and the arithmetic: only when a rule is worked out

        if day is None:
            if self._plan_resolver is None:
                self._plan_resolver = Resolver(self.calendar, self.year, self.events, self.milestones)
            return self._plan_resolver
        key = (each, day)
        resolver = self._occurrences.get(key)
        if resolver is None:
            event = series_of(self.plan, each)
            names = (event.name, *event.names) if event is not None else (each,)
            events = {**self.events, **{name: day for name in names}}
            resolver = self._occurrences[key] = Resolver(self.calendar, self.year, events, self.milestones)
        return resolver

    def resolve(self, expr: Expr | None) -> Resolution | None:
        return self.resolve_text(expr.text, expr.source.file, expr.source[1:]) if expr is not None else None

    def resolve_text(self, text: str, file: str, at: tuple[int, int], each: str = "",
                     day: dt.date | None = None) -> Resolution | None:
        """The rule `text` written in `file` at (line, column); its problems are reported there."""
        if not text:
            return None
        key = (text, each, day)
        known = self._known.get(key)
        if known is None:
            known = self._known[key] = self._answer(text, each, day)
        if type(known) is not Resolution:
            self.problems.append(known.at(Source(file, *at)))  # type: ignore[union-attr]
            return None
        if known.provisional:
            source = Source(file, *at)
            if source not in self._warned:
                self._warned.add(source)
                self.problems.append(warning(source, "sched.provisional", expr=text, date=known.due or "",
                                             year=(known.due or dt.date.min).year))
        return known

    def _answer(self, text: str, each: str, day: dt.date | None) -> Resolution | ProblemError:
        """As an earlier run kept it, else resolved now (and kept, when it is a date or a state)."""
        row_key = (text, each, day.toordinal() if day is not None else 0)
        kept = self._kept if self._kept is not None else self._recalled()
        row = kept.get(row_key)
        if type(row) is tuple and len(row) == 4:
            kind, due, start, provisional = row
            if (kind in _KINDS and type(provisional) is bool and type(due) is int and type(start) is int
                    and 0 <= due <= _LAST_ORDINAL and 0 <= start <= _LAST_ORDINAL):
                return Resolution(kind, _day(due), _day(start), provisional, partial(self._steps, text, each, day))
        try:
            found = self._resolver(each, day).resolve(text)
        except ProblemError as exc:
            return exc
        self._made[row_key] = (found.kind, _ordinal(found.due), _ordinal(found.start), found.provisional)
        return found

    def _steps(self, text: str, each: str, day: dt.date | None) -> tuple:
        """How a kept answer was found: resolved again, when someone asks."""
        return self._resolver(each, day).resolve(text).steps

    def _recalled(self) -> dict:
        body, key = None, None
        if self._store is not None:
            key = self._key = self.key()
            body = self._store.get(self._name, key) if key is not None else None
        kept = plain_load(body) if body is not None else None
        self._kept = kept if type(kept) is dict else {}
        return self._kept

    def keep(self) -> None:
        """Keep what this run resolved, with what earlier runs had, for the next run."""
        if self._made and self._store is not None and self._kept is not None and self._key is not None:
            self._store.put(self._name, self._key, pickle.dumps({**self._kept, **self._made},
                                                                protocol=pickle.HIGHEST_PROTOCOL))


_KINDS = ("date", "pending", "ongoing")
_LAST_ORDINAL = dt.date.max.toordinal()


def _day(ordinal: int) -> dt.date | None:
    return dt.date.fromordinal(ordinal) if ordinal else None


def _ordinal(day: dt.date | None) -> int:
    return day.toordinal() if day is not None else 0
