"""The supervising office's rules: 销号 approvals, 督办 escalation, 回头看, reporting cadence.

One place decides, for a task as of a day, which approvals its 销号 still
lacks, which 督办 level the escalation rules call for, whether its 回头看
is due and whether its unit missed a progress note, so `status`, `check`,
`agenda --escalate`, `close` and the reports all agree. Dates come from the
plan's own calendar; rules are ordinary deadline rules ("6 months after
closed", "3 working days after issued", "1 month after last note").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from typing import Iterable

from .calendar import WorkCalendar
from .model import Plan, Status, SupervisionSettings as Settings
from .problems import ProblemError
from .schema import DUBAN_LEVELS
from .shown import Review, Shown, day_of

LEVELS = DUBAN_LEVELS  # 督办 levels, mildest first
_RANKS = {level: n for n, level in enumerate(LEVELS, 1)}
LEVEL_NAMES = {"蓝": "blue", "黄": "yellow", "红": "red", "约谈": "interview"}
CLOSED_EVENTS = ("closed", "销号")
ISSUED_EVENTS = ("issued", "下发")
LAST_NOTE = "last_note"
_UNDATED = dt.date.min.toordinal()  # a progress note without a date (see the reader)


@dataclass(slots=True, unsafe_hash=True)
class Supervision:
    """A task's supervision state as of a day. Treat it as frozen, like `schedule.ItemState`
    (and for the same reason it is not declared so: one is made for every task shown)."""

    escalation: str = ""  # the level the rules call for: "" or one of LEVELS
    issued: str = ""  # the level of the last 督办 issued
    unanswered: tuple[int, ...] = ()  # which of its 督办 (by position) passed reply_by without a reply
    missing_approvals: tuple[str, ...] = ()  # roles still to approve (submitted/done tasks)
    lookback_date: dt.date | None = None  # when the 回头看 of a closed task falls due
    lookback_due: bool = False  # closed, look-back date reached, none recorded since closing
    progress_due: dt.date | None = None  # when the next progress note was (is) due
    missing_progress: bool = False  # 未按时报送

    @property
    def escalate(self) -> bool:
        """The rules call for a stronger 督办 than the last one issued."""
        return rank(self.escalation) > rank(self.issued)


def rank(level: str) -> int:
    return _RANKS.get(level, 0)


def settings_for(plan: Plan | None, base: Settings | None) -> Settings:
    base = base or Settings()
    if plan is None:
        return base
    return Settings(
        requires=plan.closing_requires or base.requires,
        review_after=plan.review_after or base.review_after,
        progress_every=plan.progress_every or base.progress_every,
        blue_within=base.blue_within,
        interview_after=base.interview_after,
        reply_within=base.reply_within,
    )


def approvals(reviews: Iterable[Review]) -> tuple[str, ...]:
    """Roles that approved since the last application or rejection: each starts the round
    over (a task reopened after 反弹 is applied for, and approved, afresh)."""
    approved: list[str] = []
    for _, by, result, _ in reviews:
        if result in ("reject", "submit"):
            approved.clear()
        elif result == "approve" and by not in approved:
            approved.append(by)
    return tuple(approved)


def missing_approvals(reviews: Iterable[Review], requires: tuple[str, ...]) -> tuple[str, ...]:
    have = set(approvals(reviews))
    return tuple(role for role in requires if role not in have)


def _date(calendar: WorkCalendar, year: int, rule: str, events: dict[str, dt.date | None]) -> dt.date | None:
    from .rules import Resolver  # imported by the commands that judge supervision, not by every one

    try:
        resolution = Resolver(calendar, year, events, {}).resolve(rule)
    except ProblemError:
        return None
    return resolution.due if resolution.kind == "date" else None


def reply_due(issued: dt.date | None, reply_by: str, calendar: WorkCalendar) -> dt.date | None:
    """When a 督办 issued on `issued` must be answered, by its rule `reply_by`."""
    if not reply_by or issued is None:
        return None
    return _date(calendar, issued.year, reply_by, {name: issued for name in ISSUED_EVENTS})


def lookback_date(task: Shown, status: Status, settings: Settings, calendar: WorkCalendar) -> dt.date | None:
    rule = task.review_after or (settings.review_after.text if settings.review_after else "")
    closed = day_of(task.closed)
    if status is not Status.CLOSED or closed is None or not rule:
        return None
    return _date(calendar, closed.year, rule, {name: closed for name in CLOSED_EVENTS})


def progress_due(task: Shown, plan: Plan | None, settings: Settings, calendar: WorkCalendar) -> dt.date | None:
    """When the next note is due: one period after the last note, or after the plan began."""
    if not settings.progress_every:
        return None
    notes = [dt.date.fromordinal(p) for p in task.progress if p != _UNDATED]
    starts = [e.date for e in (plan.events if plan else ()) if e.date is not None]
    last = max(notes) if notes else (min(starts) if starts else None)
    if last is None:
        return None
    return _date(calendar, last.year, f"{settings.progress_every} after {LAST_NOTE}", {LAST_NOTE: last})


def behind_window(status: Status, window: tuple[dt.date, dt.date] | None, as_of: dt.date) -> bool:
    """Not started (todo) though half its window (e.g. 7月至9月) has passed: behind schedule."""
    if status is not Status.TODO or window is None:
        return False
    start, end = window
    return start < end and as_of >= start + (end - start) / 2 and as_of <= end


def judge(
    task: Shown, status: Status, plan: Plan | None, settings: Settings, calendar: WorkCalendar, as_of: dt.date,
    *, overdue: bool, working_days_left: int | None, window: tuple[dt.date, dt.date] | None = None,
) -> Supervision:
    """A task (its row, see `shown`) with this status, as of `as_of`."""
    reporting = not status.finished  # open and long-term (长期) tasks owe notes
    due_note = progress_due(task, plan, settings, calendar) if reporting else None
    missing = bool(due_note is not None and due_note < as_of)
    escalation = ""
    if not status.finished and status is not Status.ONGOING and overdue:
        late = -(working_days_left or 0)
        interview = settings.interview_after is not None and late > settings.interview_after
        escalation = "约谈" if interview else "红"
    elif missing or behind_window(status, window, as_of):
        escalation = "黄"
    elif (not status.finished and status is not Status.ONGOING and working_days_left is not None
          and 0 <= working_days_left <= settings.blue_within):
        escalation = "蓝"
    unanswered = tuple(
        n for n, (issued, _, _, _, reply_by, reply, _) in enumerate(task.duban)
        if not reply and (due := reply_due(day_of(issued), reply_by, calendar)) is not None and due < as_of
    ) if task.duban else ()  # most tasks have none: judged for every task shown
    look = lookback_date(task, status, settings, calendar)
    looked = bool(task.lookbacks) and any(b[0] and task.closed and b[0] >= task.closed for b in task.lookbacks)
    needs_approval = status.completed
    return Supervision(
        escalation=escalation,
        issued=task.duban[-1][1] if task.duban else "",
        unanswered=unanswered,
        missing_approvals=missing_approvals(task.reviews, settings.requires) if needs_approval else (),
        lookback_date=look,
        lookback_due=bool(look is not None and look <= as_of and not looked),
        progress_due=due_note,
        missing_progress=missing,
    )
