"""Deadline rules: from what a notice says to a date on the calendar.

A plan's deadlines are rules ("收到反馈意见后20个工作日内"), not dates,
because the date depends on when the triggering event happens and on the
official holiday schedule. `Resolver` evaluates rules for one plan and says
how it got there (`Resolution.steps`), so that nobody has to trust a date
they cannot check by hand.

Semantics (a contract; the README quotes it):

* ``N working days after D``: the Nth working day strictly after D — the
  day of receipt is not counted, make-up working weekends (调休) count,
  holidays and the weekdays given off in exchange do not. ``before``
  mirrors it: the Nth working day strictly before D. N = 0 is D itself.
* Calendar periods follow the PRC Civil Code arts. 201–203: the start day
  is not counted; N days or weeks end on D + N days (7N); N months end on
  the corresponding day of the final month, or that month's last day when
  it has none (2025-11-30 + 3 months = 2026-02-28). When that last day is a
  rest day (weekend or holiday, but not a make-up workday), the period ends
  on the next working day ("rolled"). For ``before`` the same count runs
  backwards and a rest day rolls to the previous working day, so the
  deadline never moves past what was asked.
* Absolute dates (``2025-12-31``, ``9月10日前``) and windows (``9月中下旬``,
  ``2025年7月下旬至8月``, ``第三季度``) are taken as written, never rolled;
  a window's deadline is its last day. Without a year, the plan's base year
  is used, and a window whose end month is earlier than its start month
  ends in the following year.
* ``ongoing`` / 长期坚持 / 持续推进 / 常态化: no deadline, never overdue.
* Anchors: an ISO or Chinese date, else an event of the plan (an event that
  has not happened makes the result "pending", never overdue), else a
  milestone id, whose own rule is resolved in turn (chains allowed, cycles
  are errors).
* ``provisional``: the calendar was consulted (working days counted, or a
  period's last day checked) for a year whose official schedule is not yet
  published (China: each November), so the date may still move. Absolute
  dates and windows are never provisional.
"""

from __future__ import annotations

import datetime as dt
import difflib
from functools import lru_cache, partial
from typing import Callable, Mapping

from dateutil.relativedelta import relativedelta

from .calendar import DayKind, WorkCalendar
from .messages import Ref
from .problems import ProblemError
from .resolution import ExplanationLine, Resolution, step as _step
from .rule_parser import (
    DatePoint,
    Fixed,
    Immediate,
    NameRef,
    Ongoing,
    Relative,
    Rule,
    Shifted,
    Window,
    parse_rule,
)

__all__ = [
    "DatePoint", "Fixed", "NameRef", "Ongoing", "Relative", "Rule", "Window",
    "parse_rule", "ExplanationLine", "Resolution", "Resolver",
]


_ONGOING = Resolution("ongoing", explanation=(_step("rule.step.ongoing"),))
_UNIT_KEYS = {
    ("workday", 1): "rule.step.workdays_after", ("workday", -1): "rule.step.workdays_before",
    ("day", 1): "rule.step.days_after", ("day", -1): "rule.step.days_before",
    ("week", 1): "rule.step.weeks_after", ("week", -1): "rule.step.weeks_before",
    ("month", 1): "rule.step.months_after", ("month", -1): "rule.step.months_before",
}


def _iso(d: dt.date) -> str:
    return d.isoformat()


@lru_cache(maxsize=4096)
def _add_months(d: dt.date, months: int) -> dt.date:
    """The corresponding day `months` later (earlier when negative), or that
    month's last day when it has none (Civil Code art. 202): dateutil's rule.
    Asked once per distinct rule and plan, and plans count from the same days:
    remembered, as `relativedelta` is built and applied in Python (5 µs)."""
    return d + relativedelta(months=months)


_RECEIVED = ("自收到", "自接到", "收到", "接到", "自")
_DAY_OF = ("之日", "之时")
_ON_EVENT = ("召开时", "期间", "当天", "当日", "时", "前")  # 人代会召开时, 活动日前: on that day


@lru_cache(maxsize=4096)
def _variants(names: tuple[str, ...]) -> tuple[str, ...]:
    """An event may be named with or without 收到 / 之日: 收到反馈意见, 反馈意见,
    收到反馈意见之日 all mean the same day; the names as written come first. Found once
    per spelling: every rule counting from an event asks, once per plan."""
    out = list(names)
    for name in names:
        bare = name
        for prefix in _RECEIVED:
            if bare.startswith(prefix) and len(bare) > len(prefix):
                bare = bare[len(prefix):]
                break
        for suffix in _DAY_OF:
            if bare.endswith(suffix) and len(bare) > len(suffix):
                bare = bare[: -len(suffix)]
        out += [bare, "收到" + bare]
    return tuple(dict.fromkeys(out))


class Resolver:
    """Evaluates rule texts for one plan; results are memoized per text."""

    def __init__(
        self,
        calendar: WorkCalendar,
        base_year: int | None,
        events: Mapping[str, dt.date | None],
        milestones: Mapping[str, str],
    ) -> None:
        self.calendar = calendar
        self.base_year = base_year
        self.events = dict(events)
        self.milestones = dict(milestones)
        self._memo: dict[str, Resolution] = {}

    def resolve(self, text: str) -> Resolution:
        known = self._memo.get(text)  # asked once for every item of a ledger: the memo first
        if known is not None:
            return known
        try:
            return self._resolve(text, ())
        except ProblemError as exc:
            if exc.key == "rule.cycle":  # name the expression the caller asked about
                exc.params["expr"] = text
            raise

    # --- internals ----------------------------------------------------------

    def _resolve(self, text: str, stack: tuple[str, ...]) -> Resolution:
        result = self._memo.get(text)
        if result is None:
            try:
                rule = parse_rule(text)
            except ProblemError:
                rule = self._on_event(text)
                if rule is None:
                    raise
            result = self._evaluate(text, rule, stack)
            self._memo[text] = result
        return result

    def _on_event(self, text: str) -> Relative | None:
        """Documents also name a day by its event alone: 明年人代会 (组织满意度测评),
        人代会召开时, 活动日前. Read only when the words are one of the plan's
        events or milestones, so any other wording keeps its parse error."""
        words = text.strip()
        for suffix in _ON_EVENT:
            if words.endswith(suffix) and len(words) > len(suffix):
                words = words[: -len(suffix)]
                break
        for name in _variants((words,)):
            if name in self.events or name in self.milestones:
                return Relative(0, "workday", 1, NameRef((name,)))
        return None

    def _evaluate(self, text: str, rule: Rule, stack: tuple[str, ...]) -> Resolution:
        if isinstance(rule, Relative):
            return self._relative(text, rule, stack)
        if isinstance(rule, Fixed):
            steps: list[ExplanationLine] = []
            due = self._date(text, rule.point, steps)
            steps.append(_step("rule.step.fixed", date=_iso(due)))
            return Resolution("date", due, explanation=tuple(steps))
        if isinstance(rule, Window):
            return self._window(text, rule)
        if isinstance(rule, Ongoing):
            return _ONGOING
        if isinstance(rule, Shifted):
            return self._shifted(text, rule, stack)
        if isinstance(rule, Immediate):
            return self._immediate(text)
        raise TypeError(rule)  # pragma: no cover - the parser makes no other node

    def _shifted(self, text: str, rule: Shifted, stack: tuple[str, ...]) -> Resolution:
        """今年 / 明年 …: the plan's year, moved; the inner rule reads it as its own."""
        base = self.base_year
        if base is None:
            raise ProblemError("rule.no_year", expr=text)
        self.base_year = base + rule.years
        try:
            inner = self._evaluate(text, rule.rule, stack)
        finally:
            self.base_year = base
        step = _step("rule.step.year_word", word=rule.word, year=base + rule.years, base=base)
        steps = [step, *(s for s in inner.steps if s.key != "rule.step.year_from_plan")]
        return Resolution(inner.kind, inner.due, inner.start, inner.provisional, explanation=tuple(steps))

    def _immediate(self, text: str) -> Resolution:
        """立行立改: due the day the work was ordered, the plan's first event."""
        if not self.events:
            raise ProblemError("rule.immediate_no_event", expr=text)
        name, when = next(iter(self.events.items()))
        if when is None:
            return Resolution("pending", explanation=(_step("rule.step.pending_event", name=name),))
        steps = (_step("rule.step.immediate", name=name, date=_iso(when)),)
        return Resolution("date", when, explanation=steps)

    def _year(self, text: str, steps: list[ExplanationLine]) -> int:
        if self.base_year is None:
            raise ProblemError("rule.no_year", expr=text)
        steps.append(_step("rule.step.year_from_plan", year=self.base_year))
        return self.base_year

    def _date(self, text: str, point: DatePoint, steps: list[ExplanationLine]) -> dt.date:
        year = point.year if point.year is not None else self._year(text, steps)
        try:
            return point.on(year)
        except ValueError:  # 2月29日 in a common year
            raise ProblemError(
                "rule.bad_date", expr=text, date=f"{year}-{point.month:02d}-{point.day:02d}"
            ) from None

    def _window(self, text: str, rule: Window) -> Resolution:
        steps: list[ExplanationLine] = []
        s, e = rule.start, rule.end
        later = (e.month, e.day or 32) < (s.month, s.day or 32)
        if s.year is None and e.year is None:
            sy = self._year(text, steps)
            ey = sy + later
        elif s.year is None:
            ey = e.year
            sy = ey - (s.month > e.month)
        else:
            sy = s.year
            ey = e.year if e.year is not None else sy + (e.month < s.month)
        start = self._date(text, DatePoint(sy, s.month, s.day), steps)
        end = self._date(text, DatePoint(ey, e.month, e.day), steps)
        if end < start:
            raise ProblemError("rule.window_reversed", expr=text, start=_iso(start), end=_iso(end))
        steps.append(_step("rule.step.window", start=_iso(start), end=_iso(end)))
        return Resolution("date", end, start, explanation=tuple(steps))

    def _anchor(
        self, text: str, anchor: DatePoint | NameRef, stack: tuple[str, ...]
    ) -> tuple[dt.date | None, bool, Callable[[], list[ExplanationLine]]]:
        """The anchor's date (None: pending), whether it is provisional, and
        a function giving the steps that explain it."""
        if isinstance(anchor, DatePoint):
            steps: list[ExplanationLine] = []
            when = self._date(text, anchor, steps)
            return when, False, steps.copy
        for name in _variants(anchor.names):
            if name in self.events:
                when = self.events[name]
                if when is None:
                    return None, False, lambda: [_step("rule.step.pending_event", name=name)]
                return when, False, lambda: [_step("rule.step.event", name=name, date=_iso(when))]
            if name in self.milestones:
                if name in stack:
                    cycle = (*stack[stack.index(name):], name)
                    raise ProblemError("rule.cycle", expr=text, cycle=" → ".join(cycle))
                inner = self._resolve(self.milestones[name], (*stack, name))
                if inner.kind == "pending":
                    return None, False, lambda: [
                        *inner.steps, _step("rule.step.pending_milestone", name=name)
                    ]
                if inner.kind == "ongoing" or inner.due is None:
                    raise ProblemError("rule.anchor_ongoing", expr=text, name=name)
                return inner.due, inner.provisional, lambda: [
                    *inner.steps, _step("rule.step.milestone", name=name, date=_iso(inner.due))
                ]
        known = [*self.events, *self.milestones]
        close = difflib.get_close_matches(anchor.name, known, n=1, cutoff=0.6)
        raise ProblemError(
            "rule.unknown_anchor",
            expr=text,
            name=anchor.name,
            hint=Ref("val.did_you_mean", suggestion=close[0]) if close else "",
            known=", ".join(known[:12]) + (", …" if len(known) > 12 else "") or "—",
        )

    def _relative(self, text: str, rule: Relative, stack: tuple[str, ...]) -> Resolution:
        start, provisional, before = self._anchor(text, rule.anchor, stack)
        if start is None:
            return Resolution("pending", explanation=before)
        cal = self.calendar
        n = rule.n * rule.sign
        if rule.unit == "workday":
            due = target = cal.add_working_days(start, n)
            years = cal.any_provisional(start, due)
        else:
            try:
                if rule.unit == "month":
                    target = _add_months(start, n)
                else:
                    target = start + dt.timedelta(days=n * (7 if rule.unit == "week" else 1))
            except (OverflowError, ValueError):
                raise ProblemError("rule.out_of_range", expr=text) from None
            due = target if cal.is_working_day(target) else cal.add_working_days(target, rule.sign)
            years = cal.any_provisional(target, due)
        explain = partial(self._relative_steps, rule, before, start, target, due, years)
        return Resolution("date", due, None, provisional or bool(years), explain)

    def _relative_steps(
        self,
        rule: Relative,
        before: Callable[[], list[ExplanationLine]],
        start: dt.date,
        target: dt.date,
        due: dt.date,
        years: tuple[int, ...],
    ) -> list[ExplanationLine]:
        steps = before()
        key = _UNIT_KEYS[rule.unit, rule.sign]
        steps.append(_step(key, n=rule.n, start=_iso(start), end=_iso(target)))
        if rule.unit == "workday":
            self._counted_through(min(start, due), max(start, due), steps)
        else:
            if rule.unit == "month" and target.day != start.day:
                steps.append(_step("rule.step.month_end", day=start.day, date=_iso(target)))
            self._explain_roll(target, due, rule.sign, steps)
        if years:
            steps.append(_step("rule.step.provisional", years="、".join(map(str, years)),
                               years_en=", ".join(map(str, years))))
        return steps

    def _counted_through(self, lo: dt.date, hi: dt.date, steps: list[ExplanationLine]) -> None:
        """Explain which holidays were skipped and make-up days counted in (lo, hi]."""
        rest = self.calendar.holidays_between(lo, hi)
        if rest:
            names = list(dict.fromkeys(d.name for d in rest if d.name))
            names_en = list(dict.fromkeys(d.name_en for d in rest if d.name_en))
            steps.append(_step("rule.step.skipped", count=len(rest),
                               names="、".join(names) or "—", names_en=", ".join(names_en) or "—"))
        makeups = self.calendar.makeup_workdays_between(lo, hi)
        if makeups:
            dates = [_iso(d.date) for d in makeups]
            steps.append(_step("rule.step.makeup_counted", count=len(makeups),
                               dates="、".join(dates), dates_en=", ".join(dates)))

    def _explain_roll(self, target: dt.date, due: dt.date, sign: int, steps: list[ExplanationLine]) -> None:
        info = self.calendar.day_info(target)
        if info.kind is DayKind.MAKEUP_WORKDAY:
            steps.append(_step("rule.step.makeup_not_rolled", date=_iso(target)))
        if due == target:
            return
        if info.kind is not DayKind.HOLIDAY:
            reason = Ref("rule.reason.weekend")
        elif info.name:
            reason = Ref("rule.reason.holiday", name=info.name, name_en=info.name_en)
        else:
            reason = Ref("rule.reason.local_holiday")
        key = "rule.step.rolled_forward" if sign > 0 else "rule.step.rolled_back"
        steps.append(_step(key, date=_iso(target), to=_iso(due), reason=reason))
